"""§3.2.2 Koppel aan een andere organisatie (R12, R13, R17)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.niveau import Niveau
from facturatie import services as facturatie
from gebruikers import forms_mutaties as forms
from gebruikers import services
from gebruikers.selectors import koppelbare_organisaties
from gebruikers.views.popup import GET_POST, basis_context, haal_details, jaren, popup, uitvoeren, wil_deel

TEMPLATE = "gebruikers/mutaties/koppelen.html"


@GET_POST
@beheerder_required
def koppelen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    organisaties = koppelbare_organisaties(actor=request.user, middel=details.middel)
    data = request.POST if request.method == "POST" else (request.GET if wil_deel(request) else None)
    form = forms.KoppelenForm(data, organisaties=organisaties, initial={"rol": details.koppeling.rol})
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.middel_koppelen(
            actor=request.user,
            organisatie=request.beheer.organisatie,
            middel=details.middel,
            organisaties=form.gekozen_organisaties(),
            rol=c["rol"],
            abonnement_jaren=jaren(form),
            kosten_geaccepteerd=c["akkoord"],
        ),
        lambda _resultaat: (
            _("De aanvraag is ontvangen. De mutatie voor %(naam)s is bij ons in behandeling.")
            % {"naam": details.persoon.naam}
        ),
    )
    if antwoord:
        return antwoord
    aantal = len(form.gekozen_organisaties()) if form.is_bound and form.is_valid() else 0
    try:
        kosten = facturatie.bereken_kosten(
            abonnement_jaren=jaren(form),
            extra_organisaties=max(aantal, 1),
            koppeling_niveau=details.middel.niveau,
        )
    except DomainError as error:
        kosten, kosten_fout = None, str(error)
    else:
        kosten_fout = ""
    ctx = basis_context(
        request,
        details,
        form=form,
        kosten=kosten,
        kosten_fout=kosten_fout,
        niveau_badge=Niveau(details.middel.niveau).badge,
    )
    if wil_deel(request) == "kosten":
        return render(request, f"{TEMPLATE}#kosten", ctx)
    return popup(request, TEMPLATE, ctx, titel=_("Koppel aan een andere organisatie"))
