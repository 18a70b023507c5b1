"""Lopende aanvragen: every open aanvraag of the organisation with its state and date; the beheerder who made
one withdraws it here while support has not handled it (`gebruikers.services.aanvraag_intrekken`)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from beheer.decorators import beheerder_required
from beheer.lopende_aanvragen import aanvragen_qs, lopende_aanvragen, offerte_verstuurd
from common import htmx
from common.errors import DomainError
from gebruikers import rules
from gebruikers import services as gebruikers

# The element a re-rendered confirmation replaces inside the pop-up.
INHOUD = "bm-popup-inhoud"


@require_GET
@beheerder_required
def overzicht(request):
    organisatie = request.beheer.organisatie
    return render(
        request,
        "beheer/lopende_aanvragen.html",
        {"organisatie": organisatie, "rijen": lopende_aanvragen(organisatie=organisatie, actor=request.user)},
    )


@require_http_methods(["GET", "POST"])
@beheerder_required
def intrekken(request, aanvraag_id: int):
    """GET: the confirmation (a pop-up with HTMX, a page without); POST: withdraw. A refusal is shown in place."""
    organisatie = request.beheer.organisatie
    # Any aanvraag of (or for) this organisation, handled ones too (they are refused with a reason); foreign → 404.
    aanvraag = get_object_or_404(
        aanvragen_qs(organisatie).select_related("middel__persoon", "organisatie"), pk=aanvraag_id
    )
    fout = None
    if request.method == "POST":
        try:
            gebruikers.aanvraag_intrekken(actor=request.user, organisatie=organisatie, aanvraag=aanvraag)
        except DomainError as error:
            fout = str(error)
        else:
            messages.success(
                request, _("De aanvraag ‘%(soort)s’ is ingetrokken.") % {"soort": aanvraag.get_soort_display()}
            )
            terug = reverse("beheer:lopende_aanvragen")
            return htmx.redirect(terug) if request.htmx else redirect(terug)
    context = {
        "organisatie": organisatie,
        "aanvraag": aanvraag,
        "betreft": aanvraag.middel.persoon.naam if aanvraag.middel_id else aanvraag.organisatie.naam,
        "mag_intrekken": fout is None
        and rules.mag_aanvraag_intrekken(request.user, aanvraag, offerte_verstuurd=offerte_verstuurd(aanvraag)),
        "fout": fout,
        "actie_url": request.path,
        "titel": _("Aanvraag intrekken"),
    }
    if not request.htmx:
        return render(request, "beheer/aanvraag_intrekken_pagina.html", context)
    if request.method == "GET" and request.htmx.target != INHOUD:
        return htmx.open_as_popup(render(request, "beheer/aanvraag_intrekken_dialog.html", context))
    return render(request, "beheer/_aanvraag_intrekken.html", context)
