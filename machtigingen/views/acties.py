"""The pop-ups on one machtiging in the rubriek Machtigingen (§4.3): Wijzig de einddatum (potlood), Verleng
machtiging and Trek machtiging in. The handlers are shared with the rubriek Gebruikers (`popups`); here only where
they live: a page of their own without JavaScript, a dialog with it, and on success the confirmation and the reload
of the scope's line in the overview (its count, its holders and their end dates change).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from beheer.decorators import beheerder_required
from common import htmx
from gebruikers.views.popup import INHOUD
from machtigingen.models import Machtiging
from machtigingen.selectors import ScopeSleutel, lopende_machtiging, overzicht_regel
from machtigingen.views import popups, weergave

GET_POST = require_http_methods(["GET", "POST"])


def _machtiging(request, machtiging_id: int) -> Machtiging:
    """A running machtiging of the chosen organisation; revoked, expired, foreign or missing → 404 (R4, R35)."""
    machtiging = lopende_machtiging(request.beheer.organisatie, machtiging_id)
    if machtiging is None:
        raise Http404
    return machtiging


def _terug_url(sleutel: ScopeSleutel) -> str:
    return weergave.details_url(sleutel)


def _plek(request, machtiging: Machtiging) -> popups.Plek:
    sleutel = ScopeSleutel.van(machtiging)

    def _popup(template: str, context: dict, *, titel: str, als_dialog: bool = False) -> HttpResponse:
        ctx = {
            **context,
            "organisatie": request.beheer.organisatie,
            "persoon": machtiging.middel.persoon,
            "toon_persoon": True,
            "popup_template": template,
            "titel": titel,
            "actie_url": request.path,
            "terug_url": _terug_url(sleutel),
            "in_dialog": bool(request.htmx),
        }
        if not request.htmx:
            return render(request, "machtigingen/popup_pagina.html", ctx)
        if request.method == "GET" and request.htmx.target != INHOUD:
            return render(request, "gebruikers/mutaties/dialog.html", ctx)
        if als_dialog:
            return htmx.open_as_popup(render(request, "gebruikers/mutaties/dialog.html", ctx))
        return render(request, template, ctx)

    def _gelukt(bericht: str) -> HttpResponse:
        messages.success(request, bericht)
        if not request.htmx:
            # Back to the scope's page; when its last holder is gone, to the overview.
            if overzicht_regel(request.beheer.organisatie, sleutel) is None:
                return redirect(reverse("machtigingen:overzicht"))
            return redirect(_terug_url(sleutel))
        response = render(request, "gebruikers/mutaties/gelukt.html", {})
        # Order matters: the line's reload is announced before the dialog closes and removes itself.
        return htmx.trigger(response, weergave.ververs_event(sleutel), htmx.POPUP_SLUITEN, swap_none=True)

    return popups.Plek(popup=_popup, gelukt=_gelukt, ververs_event=weergave.ververs_event(sleutel))


@GET_POST
@beheerder_required
def einddatum(request, machtiging_id: int):
    machtiging = _machtiging(request, machtiging_id)
    return popups.einddatum(request, _plek(request, machtiging), machtiging)


@GET_POST
@beheerder_required
def verlengen(request, machtiging_id: int):
    machtiging = _machtiging(request, machtiging_id)
    return popups.verlengen(request, _plek(request, machtiging), machtiging)


@GET_POST
@beheerder_required
def intrekken(request, machtiging_id: int):
    machtiging = _machtiging(request, machtiging_id)
    return popups.intrekken(request, _plek(request, machtiging), machtiging)


urlpatterns = [
    path("machtiging/<int:machtiging_id>/einddatum/", einddatum, name="einddatum"),
    path("machtiging/<int:machtiging_id>/verlengen/", verlengen, name="verlengen"),
    path("machtiging/<int:machtiging_id>/intrekken/", intrekken, name="intrekken"),
]
