"""Rubriek Gebruikers: the overview (§3.1, R62), a person's details opened in place (§3.6, §3.7, R63) and the
download as .xlsx/.csv (§2.1, R61).

Each view serves the full page and, to an HTMX request, only the fragment it swaps: the list for the live
search, the next people for "Toon meer" (the overview shows a page of people, not the whole organisation), the
details panel for a row being opened. Without JavaScript the search is a plain GET form, "Toon meer" a link to
the next page and each row links to the details as a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from beheer.decorators import beheerder_required
from common import htmx
from common.export import csv_response
from common.forms import is_id
from common.weergave import datum
from gebruikers import exports
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import (
    GebruikerDetails,
    GebruikerRij,
    gebruiker_details,
    gebruikers_pagina,
    weergave_status,
)
from machtigingen.selectors import machtigingen_van_middel

ZOEK_MAX = 100
# The id of the "Toon meer" link: HTMX names it (HX-Trigger) when it, not scrolling, asked for the next page.
TOON_MEER_ID = "gebruikers-toon-meer"
FORMATEN = ("xlsx", "csv")


def _zoekterm(request) -> str:
    return request.GET.get("q", "").strip()[:ZOEK_MAX]


def _is_fragment(request) -> bool:
    """An HTMX request for a piece of the page; a history restore (back button) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _render(request, template: str, fragment: str, context: dict):
    response = render(request, f"{template}#{fragment}" if _is_fragment(request) else template, context)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    return htmx.vary_on_htmx(response)


def _rijen_weergave(rijen: list[GebruikerRij], *, volgende_url: str, focus_eerste: bool) -> list[dict]:
    """Each row's display values as a dict, all worked out here so the row template only prints (one page of
    rows costs about what a bare string join costs): a dict because the template language tries a key before
    an attribute; only the values the row prints, each text escaped here once (SafeString), so the template's
    autoescape passes it through instead of escaping it again; the id as text because it is printed three times."""
    # One reverse() and one translation for the whole page: the URL and the link text only differ per person.
    details_url = reverse("gebruikers:details", args=[0]).removesuffix("0/")
    bekijk = gettext("Bekijk de gegevens van %(naam)s")
    weergave = [
        {
            "persoon_id": SafeString(rij.persoon_id),
            "koppeling_id": SafeString(rij.koppeling_id),
            "naam": SafeString(escape(rij.naam)),
            "email": SafeString(escape(rij.email)),
            "is_beheerder": rij.is_beheerder,
            "is_zelf": rij.is_zelf,
            "toon_status": rij.toon_status,
            "status": SafeString(rij.status),
            "status_label": SafeString(escape(rij.status_label)),
            "toon_mutatie": rij.toon_mutatie,
            "niveau_badge": SafeString(escape(rij.niveau_badge)),
            "details_url": SafeString(f"{details_url}{rij.persoon_id}/"),
            "bekijk": SafeString(escape(bekijk % {"naam": rij.naam})),
            # Always present: a missing key costs the template language three exceptions.
            "laadt_volgende": "",
            "autofocus": False,
        }
        for rij in rijen
    ]
    if weergave and volgende_url:
        # The last row loads the next page when it scrolls, or is tabbed, into view (its laadpunt, _rijen.html).
        weergave[-1]["laadt_volgende"] = volgende_url
    if weergave and focus_eerste:
        weergave[0]["autofocus"] = True
    return weergave


def _na(request) -> int | None:
    """Where the next page starts (the last koppeling shown), from the "Toon meer" link."""
    waarde = request.GET.get("na", "")
    if not waarde:
        return None
    if not is_id(waarde):
        raise Http404
    return int(waarde)


@require_GET
@beheerder_required
def overzicht(request):
    """The first page of people (OVERZICHT_PAGINA); "Toon meer" asks this view for the next one (`?na=`), which
    an HTMX request gets as rows to append, and a browser without JavaScript as a page of its own."""
    organisatie = request.beheer.organisatie
    zoekterm = _zoekterm(request)
    na = _na(request)
    try:
        pagina = gebruikers_pagina(organisatie=organisatie, persoon=request.user, zoek=zoekterm, na=na)
    except Koppeling.DoesNotExist:
        # A link of another organisation's list (the organisation was switched meanwhile).
        raise Http404 from None
    volgende_url = ""
    if pagina.volgende_na:
        vraag = {"q": zoekterm, "na": pagina.volgende_na} if zoekterm else {"na": pagina.volgende_na}
        volgende_url = f"{reverse('gebruikers:overzicht')}?{urlencode(vraag)}"
    # "Toon meer" chosen (click or keyboard) rather than scrolled to: focus goes to the first person it loaded.
    focus_eerste = na is not None and request.htmx.trigger == TOON_MEER_ID
    rijen = _rijen_weergave(pagina.rijen, volgende_url=volgende_url, focus_eerste=focus_eerste)
    context = {
        "organisatie": organisatie,
        "rijen": rijen,
        "volgende_url": volgende_url,
        "na": na,
        "toon_meer_id": TOON_MEER_ID,
        "zoekterm": zoekterm,
        "voeg_toe_url": reverse("gebruikers:toevoegen"),
        "download_url": reverse("gebruikers:download"),
        "download_oob": _is_fragment(request) and na is None,
    }
    return _render(request, "gebruikers/overzicht.html", "volgende" if na is not None else "lijst", context)


@dataclass(frozen=True)
class DetailsWeergave:
    """What the details panel prints, worked out here so the template only renders (§3.5, §3.6, §3.7)."""

    status: str
    tweede_factor: str
    abonnement_start: str
    abonnement_einde: str
    abonnement_type: str
    niveau: str


def details_weergave(details: GebruikerDetails) -> DetailsWeergave:
    middel, koppeling = details.middel, details.koppeling
    if weergave_status(koppeling.status, middel.status) != middel.status:
        status = str(Middel.Status.WACHTEN_OP_GOEDKEURING.label)
    elif middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE and middel.activeren_tot:
        status = gettext("Activeren mogelijk tot %(datum)s") % {"datum": datum(middel.activeren_tot)}
    elif middel.status == Middel.Status.ACTIVATIE_VERLOPEN and middel.activatie_verlopen_op:
        status = gettext("Activatie verlopen op %(datum)s") % {"datum": datum(middel.activatie_verlopen_op)}
    else:
        status = middel.get_status_display()
    if koppeling.opzeggen_per:
        einde = datum(koppeling.opzeggen_per)
    elif koppeling.automatische_verlenging:
        einde = gettext("Automatische verlenging")
    else:
        einde = datum(koppeling.abonnement_eind)
    return DetailsWeergave(
        status=status,
        tweede_factor=exports.tweede_factor_tekst(middel.tweede_factor, details.persoon.mobiel),
        abonnement_start=datum(koppeling.abonnement_start),
        abonnement_einde=einde,
        abonnement_type=gettext("%(jaren)s-Jaarabonnement") % {"jaren": koppeling.abonnement_jaren},
        # The details list the level without "EH", as the manual draws it ("Niveau 2+").
        niveau=middel.get_niveau_display().removeprefix("EH"),
    )


@require_GET
@beheerder_required
def details(request, persoon_id: int):
    organisatie = request.beheer.organisatie
    try:
        gegevens = gebruiker_details(organisatie=organisatie, persoon_id=persoon_id)
    except Koppeling.DoesNotExist:
        # Not listed at the chosen organisation: the same answer for foreign and missing ids.
        raise Http404 from None
    context = {
        "organisatie": organisatie,
        "details": gegevens,
        "persoon_id": gegevens.persoon.pk,
        "is_zelf": gegevens.persoon.pk == request.user.pk,
        "weergave": details_weergave(gegevens),
        # For the "Reguliere machtigingen" partial: Machtiging objects annotated with `eindigt_binnenkort` (R34).
        "machtigingen": machtigingen_van_middel(organisatie, gegevens.middel),
    }
    return _render(request, "gebruikers/details.html", "details", context)


@require_GET
@beheerder_required
def download(request):
    formaat = request.GET.get("formaat", "xlsx")
    if formaat not in FORMATEN:
        raise Http404
    organisatie = request.beheer.organisatie
    rijen = exports.export_rijen(organisatie=organisatie, zoek=_zoekterm(request))
    bestandsnaam = exports.bestandsnaam(organisatie, formaat)
    if formaat == "xlsx":
        # Built in a temporary file by a write-only workbook, then sent in chunks; the response closes it.
        response = FileResponse(
            exports.xlsx_bestand(rijen),
            as_attachment=True,
            filename=bestandsnaam,
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    else:
        response = csv_response(exports.csv_chunks(rijen), bestandsnaam=bestandsnaam)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("", overzicht, name="overzicht"),
    path("<int:persoon_id>/", details, name="details"),
    path("download/", download, name="download"),
]
