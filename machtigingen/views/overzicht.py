"""Rubriek Machtigingen (manual chapter 4): the overview with its search (§4.1, §2.1, R38) and a scope's details
opened in place (§4.3); the pop-ups on one machtiging are in `acties`, the download in `download`, + Voeg toe in
`toevoegen`.

Each view serves the full page and, to an HTMX request, only the fragment it swaps: the list for the live search,
a scope's holders when its line is opened, the whole line (open) when a pop-up changed it. Without JavaScript the
search is a plain GET form and each line links to the scope's details as a page of its own.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET

from beheer.decorators import beheerder_required
from common import htmx
from machtigingen.selectors import (
    groep_houders,
    machtiging_houders,
    machtigingen_overzicht,
    overzicht_regel,
    zoekterm,
)
from machtigingen.views import acties, download, weergave

# `?deel=` of the details URL: the whole line, open (the reload after a pop-up), instead of the holders only.
DEEL_REGEL = "regel"


def _is_fragment(request) -> bool:
    """An HTMX request for a piece of the page; a history restore (back button) needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def voeg_toe_url() -> str:
    """+ Voeg toe (§4.2) once its wizard exists (machtigingen:toevoegen); until then the button is left out."""
    try:
        return reverse("machtigingen:toevoegen")
    except NoReverseMatch:
        return ""


@require_GET
@beheerder_required
def overzicht(request):
    organisatie = request.beheer.organisatie
    zoek = zoekterm(request.GET.get("q"))
    context = {
        "organisatie": organisatie,
        "groepen": weergave.groepen(machtigingen_overzicht(organisatie, zoek=zoek)),
        "zoekterm": zoek,
        "voeg_toe_url": voeg_toe_url(),
        "download_url": reverse("machtigingen:download"),
        "download_oob": _is_fragment(request),
    }
    template = "machtigingen/overzicht.html#lijst" if _is_fragment(request) else "machtigingen/overzicht.html"
    # The same URL answers with a page or a fragment: caches must keep them apart.
    return htmx.vary_on_htmx(render(request, template, context))


def _houders_context(request, sleutel) -> dict:
    organisatie = request.beheer.organisatie
    houders = machtiging_houders(organisatie, sleutel)
    # R24: who holds it only through a group; their end date and intrekken are on the group's page.
    return {"organisatie": organisatie, "houders": houders, "groep_houders": groep_houders(organisatie, sleutel)}


@require_GET
@beheerder_required
def details(request, soort: str, waarde: int):
    """§4.3: the users holding one scope, with niveau, start and end, potlood, intrekken and Verleng machtiging.
    A scope nobody at the organisation holds (foreign, missing, just revoked) answers 404 as a page; to the
    in-place reload of its line it answers an empty line, which removes it."""
    sleutel = weergave.sleutel_uit_url(soort, waarde)
    organisatie = request.beheer.organisatie
    regel = overzicht_regel(organisatie, sleutel)
    fragment = _is_fragment(request)
    if regel is None:
        if fragment and request.GET.get("deel") == DEEL_REGEL:
            return htmx.vary_on_htmx(HttpResponse(""))
        raise Http404
    context = {
        **_houders_context(request, sleutel),
        "r": weergave.regel_weergave(regel),
        "open": True,
    }
    if not fragment:
        template = "machtigingen/details.html"
    elif request.GET.get("deel") == DEEL_REGEL:
        template = "machtigingen/_regel.html"
    else:
        template = "machtigingen/_houders.html"
    return htmx.vary_on_htmx(render(request, template, context))


urlpatterns = [
    path("", overzicht, name="overzicht"),
    path("download/", download.download, name="download"),
    path("details/<slug:soort>/<int:waarde>/", details, name="details"),
    *acties.urlpatterns,
]
