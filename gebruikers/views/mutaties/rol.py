"""§3.1.1 Rol wijzigen (R5–R8)."""

from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from gebruikers import forms_mutaties as forms
from gebruikers import services
from gebruikers.views.popup import GET_POST, basis_context, haal_details, popup, uitvoeren
from inloggen.sudo import vereist_recente_bevestiging


@GET_POST
@beheerder_required
@vereist_recente_bevestiging
def rol_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.RolForm(request.POST if request.method == "POST" else None, initial={"rol": details.koppeling.rol})
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.koppeling_wijzig_rol(actor=request.user, koppeling=details.koppeling, rol=c["rol"]),
        lambda koppeling: (
            _("De rol van %(naam)s is gewijzigd in %(rol)s.")
            % {"naam": details.persoon.naam, "rol": koppeling.get_rol_display()}
        ),
    )
    if antwoord:
        return antwoord
    return popup(
        request, "gebruikers/mutaties/rol.html", basis_context(request, details, form=form), titel=_("Rol wijzigen")
    )
