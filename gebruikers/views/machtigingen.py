"""Pop-ups for the machtigingen of one person (§3.9, §3.10, §3.11): toevoegen, einddatum (potlood), verlengen and
intrekken with the manual's 3-second undo (R30–R39). Same three ways of serving as the mutaties
(`gebruikers.views.popup`); which choices can be made is `machtigingen.rules`.
"""

from itertools import groupby

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from beheer.decorators import beheerder_required
from common import htmx
from common.errors import DomainError
from common.niveau import Niveau
from common.weergave import datum
from gebruikers import forms_mutaties as forms
from gebruikers.templatetags.gebruikers_mutaties import ververs_event
from gebruikers.views.popup import GET_POST, INHOUD, basis_context, gelukt, haal_details, popup
from machtigingen import rules, selectors
from machtigingen import services as machtiging_services
from machtigingen.models import Scope

# The catalogue can hold thousands of diensten: the pop-up lists at most this many; the search narrows it down.
MAX_DIENSTEN = 100


def _machtiging(details, machtiging_id: int):
    """A running machtiging of this person at this organisation; revoked, expired or foreign ones → 404."""
    for regel in details.machtigingen:
        if regel.machtiging.pk == machtiging_id:
            return regel.machtiging
    raise Http404


def _scope_label(machtiging) -> str:
    if machtiging.scope == Scope.DIENST:
        return f"{machtiging.dienst.dienstverlener} – {machtiging.dienst}"
    return machtiging.scope_omschrijving


# --- §3.9 Voeg machtiging toe (R30, R31, R33, R39, R70) -------------------------------------------------------

# The refusing rule → the manual's words for it.
MELDINGEN = {
    rules.WEIGERING_NIVEAU_TE_LAAG: selectors.NIVEAU_TE_LAAG,
    rules.WEIGERING_BOVEN_EIGEN_NIVEAU: machtiging_services.BOVEN_EIGEN_NIVEAU,
}


def _keuzelijst(*, middel, beheerder_niveau: int, zoek: str, gekozen: list[int]):
    """Diensten grouped by dienstverlener, each with whether it can be chosen and, if not, why (R31, R39)."""
    diensten = selectors.kiesbare_diensten(middel_niveau=middel.niveau, beheerder_niveau=beheerder_niveau)
    if zoek:
        diensten = diensten.filter(
            Q(naam__icontains=zoek)
            | Q(dienstverlener__naam__icontains=zoek)
            | Q(omschrijving__icontains=zoek)
            | Q(pk__in=gekozen)
        )
    rijen = list(diensten[: MAX_DIENSTEN + 1])
    meer = len(rijen) > MAX_DIENSTEN
    rijen = rijen[:MAX_DIENSTEN]
    for dienst in rijen:
        dienst.badge = Niveau(dienst.niveau).badge
        dienst.gekozen = dienst.pk in gekozen
        weigering = rules.keuze_weigering(
            niveau=dienst.niveau, middel_niveau=middel.niveau, beheerder_niveau=beheerder_niveau
        )
        dienst.kiesbaar = weigering is None
        dienst.melding = MELDINGEN.get(weigering, "")
    groepen = [(verlener, list(items)) for verlener, items in groupby(rijen, key=lambda d: d.dienstverlener)]
    return groepen, meer


@GET_POST
@beheerder_required
def machtiging_toevoegen(request, persoon_id: int):
    details = haal_details(request, persoon_id)
    middel = details.middel
    beheerder_niveau = request.beheer.middel.niveau
    form = forms.MachtigingToevoegenForm(
        request.POST if request.method == "POST" else request.GET, zoek_url=f"{request.path}?deel=diensten"
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    gekozen_diensten = data.get("dienst") or []
    gekozen_niveaus = data.get("algemeen") or []
    if request.method == "POST" and not form.errors:
        try:
            # ONE call for every chosen machtiging: one action, one message to the person (R37).
            machtiging_services.machtiging_toevoegen(
                actor=request.user,
                organisatie=request.beheer.organisatie,
                middelen=[middel],
                diensten=gekozen_diensten,
                algemene_niveaus=gekozen_niveaus,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return gelukt(
                request,
                persoon_id,
                _("De machtiging(en) voor %(naam)s zijn toegevoegd.") % {"naam": details.persoon.naam},
            )
    actief = rules.mag_machtiging_krijgen(middel, details.koppeling)
    groepen, meer = ([], False)
    algemeen = []
    if actief:
        groepen, meer = _keuzelijst(
            middel=middel, beheerder_niveau=beheerder_niveau, zoek=data.get("zoek", ""), gekozen=gekozen_diensten
        )
        algemeen = selectors.kiesbare_algemene_bevoegdheden(
            middel_niveau=middel.niveau, beheerder_niveau=beheerder_niveau
        )
        for keuze in algemeen:
            weigering = rules.keuze_weigering(
                niveau=keuze["niveau"], middel_niveau=middel.niveau, beheerder_niveau=beheerder_niveau
            )
            keuze["badge"] = keuze["niveau"].badge
            keuze["gekozen"] = int(keuze["niveau"]) in gekozen_niveaus
            keuze["kiesbaar"] = weigering is None
            keuze["melding"] = MELDINGEN.get(weigering, "")
    ctx = basis_context(
        request,
        details,
        form=form,
        actief=actief,
        niet_actief=machtiging_services.NIET_ACTIEF,
        groepen=groepen,
        meer=meer,
        algemeen=algemeen,
        zoek=data.get("zoek", ""),
    )
    if request.htmx and request.GET.get("deel") == "diensten":
        return render(request, "gebruikers/machtigingen/toevoegen.html#diensten", ctx)
    template = "gebruikers/machtigingen/toevoegen.html" if actief else "gebruikers/machtigingen/niet_actief.html"
    return popup(request, template, ctx, titel=_("Voeg machtiging toe"))


# --- §3.10, §3.11.1 Wijzig de einddatum (potlood) and Verleng machtiging (R33, R34) ----------------------------


@GET_POST
@beheerder_required
def machtiging_einddatum(request, persoon_id: int, machtiging_id: int):
    details = haal_details(request, persoon_id)
    machtiging = _machtiging(details, machtiging_id)
    form = forms.EinddatumForm(
        request.POST if request.method == "POST" else None, initial={"eindigt_op": machtiging.eindigt_op}
    )
    if request.method == "POST" and form.is_valid():
        try:
            gewijzigd = machtiging_services.machtiging_wijzig_einddatum(
                actor=request.user, machtiging=machtiging, eindigt_op=form.cleaned_data["eindigt_op"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return gelukt(
                request,
                persoon_id,
                _("De einddatum van de machtiging %(scope)s is gewijzigd naar %(datum)s.")
                % {"scope": _scope_label(machtiging), "datum": datum(gewijzigd.eindigt_op)},
            )
    ctx = basis_context(request, details, form=form, machtiging=machtiging, scope_label=_scope_label(machtiging))
    return popup(request, "gebruikers/machtigingen/einddatum.html", ctx, titel=_("Wijzig de einddatum"))


@GET_POST
@beheerder_required
def machtiging_verlengen(request, persoon_id: int, machtiging_id: int):
    details = haal_details(request, persoon_id)
    machtiging = _machtiging(details, machtiging_id)
    form = forms.VerlengForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            gewijzigd = machtiging_services.machtiging_verlengen(
                actor=request.user, machtiging=machtiging, keuze=form.service_keuze()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return gelukt(
                request,
                persoon_id,
                _("De machtiging %(scope)s is verlengd tot %(datum)s.")
                % {"scope": _scope_label(machtiging), "datum": datum(gewijzigd.eindigt_op)},
            )
    ctx = basis_context(request, details, form=form, machtiging=machtiging, scope_label=_scope_label(machtiging))
    return popup(request, "gebruikers/machtigingen/verlengen.html", ctx, titel=_("Verleng machtiging"))


# --- §3.11.2 Intrekken (R35) -----------------------------------------------------------------------------------


@GET_POST
@beheerder_required
def machtiging_intrekken(request, persoon_id: int, machtiging_id: int):
    """GET: the confirmation page (without JavaScript). POST: revoke at once and for good. With JavaScript the
    details screen shows "Machtiging wordt ingetrokken… Ongedaan maken" for 3 seconds and only then POSTs here;
    undo never reaches the server."""
    details = haal_details(request, persoon_id)
    machtiging = _machtiging(details, machtiging_id)
    fout = ""
    if request.method == "POST":
        try:
            machtiging_services.machtiging_intrekken(actor=request.user, machtiging=machtiging)
        except DomainError as error:
            fout = str(error)
        else:
            return gelukt(
                request,
                persoon_id,
                _("De machtiging %(scope)s is ingetrokken.") % {"scope": _scope_label(machtiging)},
            )
    ctx = basis_context(request, details, machtiging=machtiging, scope_label=_scope_label(machtiging), fout=fout)
    # The delayed POST of the details screen (no dialog open) was refused: show why in a pop-up, and reload the
    # details so the row it hid comes back.
    vertraagd = bool(fout and request.htmx and request.htmx.target != INHOUD)
    response = popup(
        request, "gebruikers/machtigingen/intrekken.html", ctx, titel=_("Trek machtiging in"), als_dialog=vertraagd
    )
    if vertraagd:
        htmx.trigger(response, ververs_event(persoon_id))
    return response


urlpatterns = [
    path("<int:persoon_id>/machtigingen/toevoegen/", machtiging_toevoegen, name="machtiging_toevoegen"),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/einddatum/",
        machtiging_einddatum,
        name="machtiging_einddatum",
    ),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/verlengen/",
        machtiging_verlengen,
        name="machtiging_verlengen",
    ),
    path(
        "<int:persoon_id>/machtigingen/<int:machtiging_id>/intrekken/",
        machtiging_intrekken,
        name="machtiging_intrekken",
    ),
]
