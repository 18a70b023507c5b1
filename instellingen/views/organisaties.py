"""Instellingen → Organisaties and "+ Voeg toe" (§3.3; R53): five steps, then the contract as PDF.

The steps are pages of their own that keep what was chosen in the session (works without JavaScript; Back and
a new search are safe). Only the last step changes anything: `organisaties.services.organisatie_aanvragen`,
which asks the Handelsregister again rather than trusting what the session carried.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from common.niveau import Niveau
from common.pdf import render_pdf
from facturatie import services as facturatie
from facturatie.models import Tarief
from gebruikers.models import Aanvraag
from instellingen.forms import BeheerderForm, KostenForm, NiveauForm, VertegenwoordigersForm, ZoekForm
from instellingen.views._common import tabs
from organisaties import rules, selectors, services
from organisaties.contract import contract_context

SESSIE = "instellingen_nieuwe_organisatie"
GET_POST = require_http_methods(["GET", "POST"])
KOPPELING_CODE = {Niveau.EH2_PLUS: Tarief.Code.KOPPELING_EH2_PLUS, Niveau.EH3: Tarief.Code.KOPPELING_EH3}
STAPPEN = ["organisatie", "niveau", "beheerder", "vertegenwoordigers", "kosten"]
STAP_URL = {
    "organisatie": "instellingen:organisatie_toevoegen",
    "niveau": "instellingen:toevoegen_niveau",
    "beheerder": "instellingen:toevoegen_beheerder",
    "vertegenwoordigers": "instellingen:toevoegen_vertegenwoordigers",
}


@require_GET
@beheerder_required
def overzicht(request):
    return render(
        request,
        "instellingen/organisaties.html",
        {
            "organisatie": request.beheer.organisatie,
            "tabs": tabs("organisaties"),
            "regels": selectors.organisaties_van(request.user, request.beheer.organisaties),
        },
    )


# --- the steps ----------------------------------------------------------------------------------------------------


def _staat(request) -> dict:
    return dict(request.session.get(SESSIE) or {})


def _bewaar(request, staat: dict) -> None:
    request.session[SESSIE] = staat


def _ontbreekt(request, tot: str):
    """The first earlier step not done yet (a redirect there), or None when every step before `tot` is done."""
    staat = _staat(request)
    for stap in STAPPEN[: STAPPEN.index(tot)]:
        if stap not in staat:
            return redirect(STAP_URL[stap])
    return None


def _profiel_json(profiel, nummer: str) -> dict:
    return {
        "nummer": nummer,
        "kvk_nummer": profiel.kvk_nummer,
        "vestigingsnummer": profiel.vestigingsnummer,
        "naam": profiel.naam,
        "straatregel": profiel.adres.straatregel,
        "plaatsregel": profiel.adres.plaatsregel,
        "vertegenwoordigers": [
            {"naam": w.naam, "geboortedatum": w.geboortedatum.isoformat() if w.geboortedatum else None}
            for w in profiel.wettelijk_vertegenwoordigers
        ],
    }


def _pagina(request, stap: int, form, **extra):
    staat = _staat(request)
    niveau = staat.get("niveau")
    return render(
        request,
        "instellingen/toevoegen.html",
        {
            "organisatie": request.beheer.organisatie,
            "tabs": tabs("organisaties"),
            "stap": stap,
            "form": form,
            "gekozen": staat.get("organisatie"),
            "gekozen_niveau": Niveau(niveau).label if niveau else "",
            **extra,
        },
    )


@GET_POST
@beheerder_required
def stap_organisatie(request):
    """Stap 1 "Vul het KVK- of vestigingsnummer in" → "Selecteer organisatie"."""
    form = ZoekForm(request.POST or None, initial={"nummer": _staat(request).get("organisatie", {}).get("nummer")})
    if request.method == "POST" and form.is_valid():
        nummer = form.cleaned_data["nummer"].strip()
        try:
            profiel = services.organisatie_opzoeken(door=request.user, nummer=nummer)
        except DomainError as fout:
            form.toon_domeinfout(fout)
        else:
            # A new search starts the steps again: the level and signatories belonged to the other organisation.
            _bewaar(request, {"organisatie": _profiel_json(profiel, nummer)})
            return redirect(STAP_URL["niveau"])
    return _pagina(request, 1, form)


def _niveau_form(request, data=None) -> NiveauForm:
    middel = request.beheer.middel
    niveaus = rules.kiesbare_niveaus(middel.niveau if middel else None)
    prijzen = {n: facturatie.vanaf_per_jaar(code=KOPPELING_CODE[n]) for n in niveaus}
    return NiveauForm(data, niveaus=niveaus, prijzen=prijzen, initial={"niveau": _staat(request).get("niveau")})


@GET_POST
@beheerder_required
def stap_niveau(request):
    """Stap 2 "Kies een niveau" → "Kies en volgende"."""
    if terug := _ontbreekt(request, "niveau"):
        return terug
    form = _niveau_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        _bewaar(request, {**_staat(request), "niveau": form.cleaned_data["niveau"]})
        return redirect(STAP_URL["beheerder"])
    return _pagina(request, 2, form)


def _beheerder_initial(request) -> dict:
    staat = _staat(request).get("beheerder")
    if staat:
        return {**staat, "geboortedatum": dt.date.fromisoformat(staat["geboortedatum"])}
    p, m = request.user, request.beheer.middel
    return {
        "voornamen": p.voornamen,
        "tussenvoegsel": p.tussenvoegsel,
        "achternaam": p.achternaam,
        "geboortedatum": p.geboortedatum,
        "email": p.email,
        "postcode": getattr(m, "id_postcode", ""),
        "huisnummer": getattr(m, "id_huisnummer", ""),
        "toevoeging": getattr(m, "id_toevoeging", ""),
        "straat": getattr(m, "id_straat", ""),
        "plaats": getattr(m, "id_plaats", ""),
        "tweede_factor": getattr(m, "tweede_factor", ""),
        "mobiel": p.mobiel,
    }


@GET_POST
@beheerder_required
def stap_beheerder(request):
    """Stap 3 "Beheerdersgegevens": the beheerder always becomes beheerder of the new organisation."""
    if terug := _ontbreekt(request, "beheerder"):
        return terug
    form = BeheerderForm(request.POST or None, initial=_beheerder_initial(request))
    if request.method == "POST" and form.is_valid():
        gegevens = {**form.cleaned_data, "geboortedatum": form.cleaned_data["geboortedatum"].isoformat()}
        _bewaar(request, {**_staat(request), "beheerder": gegevens})
        return redirect(STAP_URL["vertegenwoordigers"])
    return _pagina(request, 3, form)


@GET_POST
@beheerder_required
def stap_vertegenwoordigers(request):
    """Stap 4 "Kies de wettelijk vertegenwoordiger(s)" → "Kies en volgende", or "Sla deze stap over"."""
    if terug := _ontbreekt(request, "vertegenwoordigers"):
        return terug
    staat = _staat(request)
    form = VertegenwoordigersForm(
        request.POST or None,
        vertegenwoordigers=staat["organisatie"]["vertegenwoordigers"],
        initial={"vertegenwoordigers": staat.get("vertegenwoordigers", [])},
    )
    if request.method == "POST":
        if "overslaan" in request.POST:
            _bewaar(request, {**staat, "vertegenwoordigers": []})
            return redirect("instellingen:toevoegen_kosten")
        if form.is_valid():
            if form.cleaned_data["vertegenwoordigers"]:
                _bewaar(request, {**staat, "vertegenwoordigers": form.cleaned_data["vertegenwoordigers"]})
                return redirect("instellingen:toevoegen_kosten")
            form.add_error(
                "vertegenwoordigers", _("Kies ten minste één wettelijk vertegenwoordiger, of sla deze stap over.")
            )
    return _pagina(request, 4, form)


def _kosten(niveau: int) -> dict:
    """Both periods, so the screen shows the one chosen without asking again: the 3-year price with the
    undiscounted one (three times the yearly price) struck through, as in the manual."""
    per_jaar = facturatie.bereken_kosten(extra_organisaties=1, koppeling_niveau=niveau, abonnement_jaren=1)
    drie = facturatie.bereken_kosten(extra_organisaties=1, koppeling_niveau=niveau, abonnement_jaren=3)
    zonder_korting = per_jaar.totaal * 3
    return {
        "omschrijving": Tarief.Code(KOPPELING_CODE[niveau]).label,
        "een_jaar": per_jaar.totaal,
        "drie_jaar": drie.totaal,
        "zonder_korting": zonder_korting if zonder_korting > drie.totaal else None,
    }


@GET_POST
@beheerder_required
def stap_kosten(request):
    """Stap 5 "Kosten en akkoord" → "Download contract en voeg organisatie toe"."""
    if terug := _ontbreekt(request, "kosten"):
        return terug
    staat = _staat(request)
    form = KostenForm(request.POST or None, initial={"factuur_email": request.beheer.organisatie.factuur_email})
    try:
        kosten, kosten_fout = _kosten(staat["niveau"]), None
    except DomainError as fout:
        # A price missing from the table: said on the page; the service refuses the request for the same reason.
        kosten, kosten_fout = None, str(fout)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        b = staat["beheerder"]
        try:
            aanvraag = services.organisatie_aanvragen(
                door=request.user,
                vanuit=request.beheer.organisatie,
                nummer=staat["organisatie"]["nummer"],
                niveau=staat["niveau"],
                beheerder=services.Beheerdersgegevens(
                    **{**b, "geboortedatum": dt.date.fromisoformat(b["geboortedatum"])}
                ),
                vertegenwoordigers=staat["vertegenwoordigers"],
                abonnement_jaren=form.abonnement_jaren,
                facturatie=services.Facturatie(
                    factuur_email=d["factuur_email"],
                    betaalwijze=d["betaalwijze"],
                    iban=d["iban"],
                    bic=d["bic"],
                    inkoopordernummer=d["inkoopordernummer"],
                ),
                akkoord_gegevens=d["akkoord_gegevens"],
                akkoord_voorwaarden=d["akkoord_voorwaarden"],
            )
        except DomainError as fout:
            form.toon_domeinfout(fout)
        else:
            request.session.pop(SESSIE, None)
            messages.success(
                request,
                _(
                    "De aanvraag voor %(naam)s is ontvangen. Download het contract, print het, laat het ondertekenen en "
                    "stuur het per post op."
                )
                % {"naam": aanvraag.organisatie.naam},
            )
            return redirect("instellingen:organisatie_aangevraagd", aanvraag_id=aanvraag.pk)
    return _pagina(
        request, 5, form, kosten=kosten, kosten_fout=kosten_fout, gekozen_vertegenwoordigers=staat["vertegenwoordigers"]
    )


# --- after the request --------------------------------------------------------------------------------------------


def _eigen_aanvraag(request, aanvraag_id: int) -> Aanvraag:
    try:
        return selectors.eigen_nieuwe_organisatie_aanvraag(request.user, aanvraag_id)
    except Aanvraag.DoesNotExist:
        raise Http404 from None


@require_GET
@beheerder_required
def aangevraagd(request, aanvraag_id: int):
    aanvraag = _eigen_aanvraag(request, aanvraag_id)
    return render(
        request,
        "instellingen/aangevraagd.html",
        {"organisatie": request.beheer.organisatie, "tabs": tabs("organisaties"), "aanvraag": aanvraag},
    )


@require_GET
@beheerder_required
def contract(request, aanvraag_id: int):
    """The contract to print, sign and post (PDF/UA through common.pdf)."""
    aanvraag = _eigen_aanvraag(request, aanvraag_id)
    pdf = render_pdf("instellingen/contract_pdf.html", contract_context(aanvraag))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{aanvraag.organisatie.kvk_nummer}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
