"""§3.5.3 Verstuur nieuwe uitnodiging (R18) and §3.7.1, §3.7.2 telefoonnummer en e-mailadres (R21, R22)."""

from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.weergave import telefoon
from facturatie import services as facturatie
from gebruikers import forms_mutaties as forms
from gebruikers import services
from gebruikers.views.popup import GET_POST, basis_context, haal_details, popup, uitvoeren


@GET_POST
@beheerder_required
def nieuwe_uitnodiging(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.UitnodigingForm(request.POST if request.method == "POST" else None)
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.nieuwe_uitnodiging_versturen(
            actor=request.user,
            middel=details.middel,
            kosten_geaccepteerd=c["akkoord"],
            organisatie=request.beheer.organisatie,
        ),
        lambda _resultaat: (
            _("De aanvraag voor een nieuwe uitnodiging voor %(naam)s is ontvangen.") % {"naam": details.persoon.naam}
        ),
    )
    if antwoord:
        return antwoord
    try:
        kosten, kosten_fout = facturatie.bereken_kosten(nieuwe_activatie=True), ""
    except DomainError as error:
        kosten, kosten_fout = None, str(error)
    ctx = basis_context(request, details, form=form, kosten=kosten, kosten_fout=kosten_fout)
    return popup(request, "gebruikers/mutaties/nieuwe_uitnodiging.html", ctx, titel=_("Verstuur nieuwe uitnodiging"))


@GET_POST
@beheerder_required
def telefoon_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    # The land is chosen apart (Nederland), so the number is shown as the details show it: '0612345678'.
    form = forms.TelefoonForm(
        request.POST if request.method == "POST" else None,
        initial={"mobiel": telefoon(details.persoon.mobiel)},
    )
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.persoon_wijzig_mobiel(
            actor=request.user,
            persoon=details.persoon,
            mobiel=c["mobiel"],
            organisatie=request.beheer.organisatie,
        ),
        lambda _resultaat: _("Het telefoonnummer van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam},
    )
    if antwoord:
        return antwoord
    return popup(
        request,
        "gebruikers/mutaties/telefoon.html",
        basis_context(request, details, form=form),
        titel=_("Wijzig het telefoonnummer"),
    )


@GET_POST
@beheerder_required
def email_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    form = forms.EmailForm(request.POST if request.method == "POST" else None, initial={"email": details.persoon.email})
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.persoon_wijzig_email(
            actor=request.user, persoon=details.persoon, email=c["email"], organisatie=request.beheer.organisatie
        ),
        lambda _resultaat: _("Het e-mailadres van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam},
    )
    if antwoord:
        return antwoord
    return popup(
        request,
        "gebruikers/mutaties/email.html",
        basis_context(request, details, form=form),
        titel=_("Wijzig het e-mailadres"),
    )
