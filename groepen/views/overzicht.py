"""The Groepen overview and a group's page (R24)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beheer.decorators import beheerder_required
from common.htmx import vary_on_htmx
from groepen import selectors
from groepen.models import Groep


@require_GET
@beheerder_required
def overzicht(request):
    zoek = request.GET.get("q", "").strip()[:100]
    ctx = {
        "organisatie": request.beheer.organisatie,
        "groepen": selectors.overzicht(request.beheer.organisatie, zoek=zoek),
        "zoekterm": zoek,
    }
    if request.htmx and request.htmx.target == "groepen-lijst":
        return vary_on_htmx(render(request, "groepen/overzicht.html#lijst", ctx))
    return vary_on_htmx(render(request, "groepen/overzicht.html", ctx))


@require_GET
@beheerder_required
def groep(request, groep_id: int):
    try:
        details = selectors.groep_details(request.beheer.organisatie, groep_id)
    except Groep.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "groepen/groep.html",
        {"organisatie": request.beheer.organisatie, "details": details, "groep": details.groep},
    )
