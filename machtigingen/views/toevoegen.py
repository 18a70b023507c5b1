"""+ Voeg toe in the rubriek Machtigingen (§4.2, §4.4, §4.5): the manual's numbered steps on one page.

1 Kies diensten, 2 Kies gebruikers, 3 Kies einddatum, each a pop-up; 4 the summary and *Voeg machtiging(en)
toe*. The wizard's state lives in the URL (GET parameters, hidden inputs in every pop-up's form), never in the
session: each step is a URL of its own, so the back button and two tabs work. A pop-up's form simply GETs the
wizard page with the state and its own choices; with HTMX it opens as a dialog, without JavaScript as a page.
The step itself is one POST to one service (`machtigingen_en_groepen_toevoegen`), all or nothing. A chosen group
stays a group (R24): the group itself gets the machtiging, not its members one by one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beheer.decorators import beheerder_required
from common.errors import DomainError
from groepen.services._common import GROEP_NIET_GEVONDEN
from machtigingen import selectors_toevoegen as keuzes
from machtigingen.forms_toevoegen import ALGEMEEN_UITLEG, DienstenKeuzeForm, EinddatumKeuzeForm, GebruikersKeuzeForm
from machtigingen.models import Scope
from machtigingen.selectors import scopes_oplossen
from machtigingen.services.bulk import BulkGeweigerd, bulk_plan, einddatum_bepalen
from machtigingen.services.met_groepen import machtigingen_en_groepen_toevoegen

# The state's parameters, per step.
DIENSTEN = ("dienst", "algemeen", "dienstverlener")
GEBRUIKERS = ("middel", "groep")
EINDDATUM = ("keuze", "datum_dag", "datum_maand", "datum_jaar")
STAAT = DIENSTEN + GEBRUIKERS + EINDDATUM
# The summary draws the pairs one by one up to this many; beyond it, the counts.
MAX_SAMENVATTING = 400


def _staat(data: QueryDict, zonder: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The wizard's state from a request, as (name, value) pairs: the hidden inputs of a pop-up's form and the
    query string of its link. `zonder`: the step the pop-up itself asks for."""
    return [(naam, waarde[:20]) for naam in STAAT if naam not in zonder for waarde in data.getlist(naam)]


def _url(naam: str, paren: list[tuple[str, str]]) -> str:
    url = reverse(f"machtigingen:{naam}")
    return f"{url}?{urlencode(paren)}" if paren else url


def _na_afloop() -> str:
    """Where a finished step goes: the rubriek's overview (helper M1's), else an empty wizard."""
    try:
        return reverse("machtigingen:overzicht")
    except NoReverseMatch:
        return reverse("machtigingen:toevoegen")


def _popup(request, template: str, context: dict, *, titel: str):
    """A pop-up as a dialog (HTMX) or as a page of its own (without JavaScript)."""
    ctx = {**context, "popup_template": template, "titel": titel, "in_dialog": bool(request.htmx)}
    if request.htmx:
        return render(request, "gebruikers/mutaties/dialog.html", ctx)
    return render(request, "machtigingen/kies_pagina.html", ctx)


def _wizard(request, data: QueryDict) -> dict:
    """Everything the page shows: per step what was chosen (or why it cannot be), and the plan for step 4."""
    organisatie = request.beheer.organisatie
    diensten_form = DienstenKeuzeForm(data)
    diensten_form.is_valid()
    gekozen = diensten_form.gekozen()
    scopes, diensten_fout = [], ""
    try:
        scopes = scopes_oplossen(**gekozen)
    except DomainError as error:
        diensten_fout = str(error)
    gebruikers_form = GebruikersKeuzeForm(data)
    gebruikers_form.is_valid()
    middel_ids = gebruikers_form.cleaned_data.get("middel") or []
    groep_ids = list(dict.fromkeys(gebruikers_form.cleaned_data.get("groep") or []))
    middelen = keuzes.gekozen_middelen(organisatie, middel_ids)
    groepen = keuzes.gekozen_groepen(organisatie, groep_ids, scopes=scopes)
    gekozen_datum = any(naam in data for naam in EINDDATUM)
    einddatum_form = EinddatumKeuzeForm(data if gekozen_datum else None)
    einddatum_fout = plan_fout = ""
    plan = None
    if len(groepen) != len(groep_ids):
        # R24: a foreign or deleted group refuses the whole step (nothing is planned or added).
        plan_fout = str(GROEP_NIET_GEVONDEN)
    elif scopes and middel_ids and gekozen_datum and einddatum_form.is_valid():
        try:
            plan = bulk_plan(
                organisatie=organisatie,
                middelen=middel_ids,
                beheerder_niveau=request.beheer.middel.niveau,
                eindigt_op=einddatum_form.service_keuze(),
                **gekozen,
            )
        except DomainError as error:
            if error.rule in ("R33", "R73"):
                einddatum_fout = str(error)
            else:
                plan_fout = str(error)
    eindigt_op = None
    if plan:
        eindigt_op = plan.eindigt_op
    elif gekozen_datum and einddatum_form.is_valid() and not einddatum_fout:
        try:
            eindigt_op = einddatum_bepalen(einddatum_form.service_keuze())
        except DomainError as error:
            einddatum_fout = str(error)
    staat = _staat(data)
    # Step 4 can be done: people planned without a refusal of the whole step, or only groups (R24).
    klaar = bool(
        scopes and eindigt_op and not plan_fout and not einddatum_fout and (plan or (groepen and not middel_ids))
    )
    return {
        "klaar": klaar,
        "groepen": groepen,
        "eindigt_op": eindigt_op,
        "organisatie": organisatie,
        "scopes": scopes,
        "diensten_fout": diensten_fout,
        "middelen": middelen,
        "einddatum_form": einddatum_form,
        "einddatum_fout": einddatum_fout,
        "plan": plan,
        "plan_fout": plan_fout,
        "weigeringen": plan.weigeringen if plan else [],
        "regels": plan.regels() if plan and plan.aantal_paren <= MAX_SAMENVATTING else None,
        "staat": staat,
        "kies_diensten_url": _url("kies_diensten", staat),
        "kies_gebruikers_url": _url("kies_gebruikers", staat),
        "kies_einddatum_url": _url("kies_einddatum", staat),
        "actie_url": reverse("machtigingen:toevoegen"),
    }


@require_http_methods(["GET", "POST"])
@beheerder_required
def toevoegen(request):
    data = request.POST if request.method == "POST" else request.GET
    ctx = _wizard(request, data)
    if request.method == "POST":
        # A refusal shows the page again with the reason (200, as every refusal in place does).
        if not ctx["klaar"]:
            ctx["plan_fout"] = ctx["plan_fout"] or _("Doorloop eerst de stappen 1, 2 en 3.")
        else:
            try:
                resultaat = machtigingen_en_groepen_toevoegen(
                    actor=request.user,
                    organisatie=request.beheer.organisatie,
                    middelen=[m.pk for m in ctx["plan"].middelen] if ctx["plan"] else [],
                    groepen=[g.pk for g in ctx["groepen"]],
                    eindigt_op=ctx["eindigt_op"],
                    **_scope_keuzes(ctx["scopes"]),
                )
            except BulkGeweigerd as error:
                ctx["plan_fout"], ctx["weigeringen"] = str(error), error.weigeringen
            except DomainError as error:
                ctx["plan_fout"] = str(error)
            else:
                messages.success(request, resultaat.bevestiging)
                return redirect(_na_afloop())
    return render(request, "machtigingen/toevoegen.html", ctx)


def _scope_keuzes(scopes) -> dict:
    """The chosen scopes as the services take them."""
    sleutels = [s.sleutel for s in scopes]
    return {
        "diensten": [s.dienst_id for s in sleutels if s.scope == Scope.DIENST],
        "algemene_niveaus": [s.niveau for s in sleutels if s.scope == Scope.ALGEMEEN],
        "dienstverleners": [s.dienstverlener_id for s in sleutels if s.scope == Scope.DIENSTVERLENER],
    }


@require_GET
@beheerder_required
def kies_diensten(request):
    """Step 1 (§4.2): a free search over the catalogue, diensten per dienstverlener with their ServiceDescription
    (R70), Algemene bevoegdheid per niveau, Dienstverlenersmachtigingen; nothing above the own niveau (R39)."""
    beheerder_niveau = request.beheer.middel.niveau
    zoek_url = reverse("machtigingen:kies_diensten")
    form = DienstenKeuzeForm(request.GET, zoek_url=f"{zoek_url}?deel=lijst", zoek_doel="#bm-kies-diensten")
    form.is_valid()
    gekozen = form.gekozen()
    zoek = form.cleaned_data.get("zoek", "")
    groepen, meer = keuzes.dienst_keuzes(
        beheerder_niveau=beheerder_niveau, zoek=zoek, gekozen=gekozen["diensten"], bulk=True
    )
    form.toon(
        algemeen=keuzes.algemeen_keuzes(beheerder_niveau=beheerder_niveau, bulk=True),
        diensten=groepen,
        dienstverleners=keuzes.dienstverlener_keuzes(
            beheerder_niveau=beheerder_niveau, zoek=zoek, gekozen=gekozen["dienstverleners"]
        ),
    )
    ctx = {
        "form": form,
        "meer": meer,
        "algemeen_uitleg": ALGEMEEN_UITLEG,
        "verborgen": _staat(request.GET, zonder=DIENSTEN),
        "actie_url": reverse("machtigingen:toevoegen"),
        "zoek_url": zoek_url,
        "terug_url": _url("toevoegen", _staat(request.GET)),
    }
    if request.htmx and request.GET.get("deel") == "lijst":
        return render(request, "machtigingen/kies_diensten.html#lijst", ctx)
    return _popup(request, "machtigingen/kies_diensten.html", ctx, titel=_("Kies diensten"))


@require_GET
@beheerder_required
def kies_gebruikers(request):
    """Step 2 (§4.2): the organisation's Actief people (R30) and groups; who cannot get the chosen machtigingen
    is shown but cannot be chosen, with the manual's warning (R31, R23)."""
    organisatie = request.beheer.organisatie
    diensten_form = DienstenKeuzeForm(request.GET)
    diensten_form.is_valid()
    try:
        scopes = scopes_oplossen(**diensten_form.gekozen())
    except DomainError:
        scopes = []
    zoek_url = reverse("machtigingen:kies_gebruikers")
    form = GebruikersKeuzeForm(request.GET, zoek_url=f"{zoek_url}?deel=lijst", zoek_doel="#bm-kies-gebruikers")
    form.is_valid()
    gebruikers, meer = keuzes.gebruiker_keuzes(
        organisatie,
        scopes=scopes,
        zoek=form.cleaned_data.get("zoek_gebruiker", ""),
        gekozen=form.cleaned_data.get("middel") or [],
    )
    groepen = keuzes.groep_keuzes(organisatie, scopes=scopes)
    form.toon(gebruikers=gebruikers, groepen=groepen)
    ctx = {
        "form": form,
        "meer": meer,
        "scopes": scopes,
        "verborgen": _staat(request.GET, zonder=GEBRUIKERS),
        "actie_url": reverse("machtigingen:toevoegen"),
        "zoek_url": zoek_url,
        "terug_url": _url("toevoegen", _staat(request.GET)),
    }
    if request.htmx and request.GET.get("deel") == "lijst":
        return render(request, "machtigingen/kies_gebruikers.html#lijst", ctx)
    return _popup(request, "machtigingen/kies_gebruikers.html", ctx, titel=_("Kies gebruikers"))


@require_GET
@beheerder_required
def kies_einddatum(request):
    """Step 3 (R33): 5 jaar (meest gekozen), 3 jaar, 1 jaar or a date of one's own, tomorrow … 5 years."""
    gekozen = any(naam in request.GET for naam in EINDDATUM)
    form = EinddatumKeuzeForm(request.GET if gekozen else None)
    ctx = {
        "form": form,
        "verborgen": _staat(request.GET, zonder=EINDDATUM),
        "actie_url": reverse("machtigingen:toevoegen"),
        "terug_url": _url("toevoegen", _staat(request.GET)),
    }
    return _popup(request, "machtigingen/kies_einddatum.html", ctx, titel=_("Einddatum kiezen"))


urlpatterns = [
    path("toevoegen/", toevoegen, name="toevoegen"),
    path("toevoegen/diensten/", kies_diensten, name="kies_diensten"),
    path("toevoegen/gebruikers/", kies_gebruikers, name="kies_gebruikers"),
    path("toevoegen/einddatum/", kies_einddatum, name="kies_einddatum"),
]
