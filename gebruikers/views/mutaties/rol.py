"""§3.1.1 Rol wijzigen (R5–R8)."""

from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from gebruikers import forms_mutaties as forms
from gebruikers import services
from gebruikers.views.popup import GET_POST, basis_context, fout, gelukt, haal_details, popup


@GET_POST
@beheerder_required
def rol_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.RolForm(request.POST if request.method == "POST" else None, initial={"rol": details.koppeling.rol})
    if request.method == "POST" and form.is_valid():
        try:
            koppeling = services.koppeling_wijzig_rol(
                actor=request.user, koppeling=details.koppeling, rol=form.cleaned_data["rol"]
            )
        except DomainError as error:
            fout(form, error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De rol van %(naam)s is gewijzigd in %(rol)s.")
                % {"naam": details.persoon.naam, "rol": koppeling.get_rol_display()},
            )
    return popup(
        request, "gebruikers/mutaties/rol.html", basis_context(request, details, form=form), titel=_("Rol wijzigen")
    )
