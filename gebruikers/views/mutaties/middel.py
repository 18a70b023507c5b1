"""§3.8.1 Wijzig het niveau (R11, R15, R17) and §3.8.2 Type eHerkenningmiddel wijzigen (R8, R23)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.niveau import Niveau
from facturatie import services as facturatie
from gebruikers import forms_mutaties as forms
from gebruikers import rules, services
from gebruikers.models import Middel
from gebruikers.selectors import koppelbare_organisaties
from gebruikers.views.popup import GET_POST, basis_context, haal_details, jaren, popup, uitvoeren, wil_deel

NIVEAU_TEMPLATE = "gebruikers/mutaties/niveau.html"
TYPE_TEMPLATE = "gebruikers/mutaties/type.html"


def _adres(c: dict):
    if not any(c[v] for v in ("postcode", "huisnummer", "straat", "plaats")):
        return None
    return services.Identificatieadres(
        postcode=c["postcode"],
        huisnummer=c["huisnummer"],
        toevoeging=c["toevoeging"],
        straat=c["straat"],
        plaats=c["plaats"],
    )


def _prijzen(niveaus) -> tuple[dict, str]:
    """The yearly price per offered niveau, shown in its choice; or the refusal to show (no tariff, R17)."""
    try:
        return {int(n): facturatie.tarief(code=facturatie.middel_tariefcode(niveau=n)) for n in niveaus}, ""
    except DomainError as error:
        return {}, str(error)


def _kosten(form, gekozen) -> tuple:
    """The live costs of the chosen niveau, subscription and extra organisations (R17)."""
    if not gekozen:
        return None, ""
    extra = len(form.gekozen_organisaties()) if form.is_bound and form.is_valid() else 0
    try:
        return facturatie.bereken_kosten(niveau=gekozen, abonnement_jaren=jaren(form), extra_organisaties=extra), ""
    except DomainError as error:
        return None, str(error)


@GET_POST
@beheerder_required
def niveau_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    middel = details.middel
    niveaus = rules.andere_niveaus(middel, request.beheer.middel.niveau)
    organisaties = koppelbare_organisaties(actor=request.user, middel=middel)
    data = request.POST if request.method == "POST" else (request.GET if wil_deel(request) else None)
    initial = {"rol": details.koppeling.rol, "niveau": int(niveaus[0]) if niveaus else None}
    prijzen, prijs_fout = _prijzen(niveaus)
    form = forms.NiveauForm(data, niveaus=niveaus, prijzen=prijzen, organisaties=organisaties, initial=initial)
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.middel_upgraden(
            actor=request.user,
            organisatie=request.beheer.organisatie,
            middel=middel,
            niveau=c["niveau"],
            abonnement_jaren=jaren(form),
            kosten_geaccepteerd=c["akkoord"],
            rol=c["rol"],
            tweede_factor=c["tweede_factor"] or None,
            mobiel=c["mobiel"],
            identificatieadres=_adres(c),
            extra_organisaties=form.gekozen_organisaties(),
        ),
        lambda _resultaat: (
            _("De aanvraag voor het wijzigen van het niveau van %(naam)s is ontvangen en bij ons in behandeling.")
            % {"naam": details.persoon.naam}
        ),
    )
    if antwoord:
        return antwoord
    gekozen = form.cleaned_data.get("niveau") if form.is_bound and form.is_valid() else initial["niveau"]
    kosten, kosten_fout = _kosten(form, gekozen)
    ctx = basis_context(
        request,
        details,
        form=form,
        kosten=kosten if not prijs_fout else None,
        kosten_fout=prijs_fout or kosten_fout,
        # R11: from EH2+ the second factor stays; from below it one is chosen.
        kies_tweede_factor=middel.niveau < Niveau.EH2_PLUS,
        # R15: EH3 and higher need an identificatieadres; asked only when the middel has none yet.
        vraag_adres=not middel.id_postcode and any(n >= Niveau.EH3 for n in niveaus),
        # A downgrade ends the machtigingen above the new niveau once it is processed.
        lager_mogelijk=any(n < middel.niveau for n in niveaus),
        organisatie_ids=[str(o.pk) for o in organisaties],
    )
    if wil_deel(request) == "kosten":
        return render(request, f"{NIVEAU_TEMPLATE}#kosten", ctx)
    return popup(request, NIVEAU_TEMPLATE, ctx, titel=_("Wijzig het niveau van een bestaande gebruiker"))


@GET_POST
@beheerder_required
def type_wijzigen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    middel = details.middel
    ander_type = Middel.Type.REGULIER if middel.is_belastingdienst else Middel.Type.BELASTINGDIENST
    data = request.POST if request.method == "POST" else (request.GET if wil_deel(request) else None)
    form = forms.TypeForm(data, initial={"type": ander_type, "abonnement_jaren": "1"})
    antwoord = uitvoeren(
        request,
        form,
        persoon_id,
        lambda c: services.middel_wijzig_type(
            actor=request.user,
            organisatie=request.beheer.organisatie,
            middel=middel,
            type=c["type"],
            abonnement_jaren=c["abonnement_jaren"],
            bevestigd=c["bevestigd"],
        ),
        lambda _resultaat: _("Het type eHerkenningmiddel van %(naam)s is gewijzigd.") % {"naam": details.persoon.naam},
    )
    if antwoord:
        return antwoord
    valide = form.is_bound and form.is_valid()
    nieuw_type = form.cleaned_data["type"] if valide else ander_type
    abonnement_jaren = form.cleaned_data["abonnement_jaren"] if valide else 1
    berekening, kosten_fout = None, ""
    if nieuw_type != middel.type:
        try:
            berekening = services.bereken_type_wijziging(
                koppeling=details.koppeling, nieuw_type=nieuw_type, abonnement_jaren=abonnement_jaren
            )
        except DomainError as error:
            kosten_fout = str(error)
    ctx = basis_context(
        request,
        details,
        form=form,
        berekening=berekening,
        kosten_fout=kosten_fout,
        van_belastingdienst=middel.is_belastingdienst,
    )
    if wil_deel(request) == "kosten":
        return render(request, f"{TYPE_TEMPLATE}#kosten", ctx)
    return popup(request, TYPE_TEMPLATE, ctx, titel=_("Type eHerkenningmiddel wijzigen"))
