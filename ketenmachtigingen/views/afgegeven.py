"""Ketenmachtigingen afgegeven (§5.2, R41, R42): the overview per intermediair, opened in place, and what the
verlener tells its intermediair, on screen and as a PDF.

The overview's details are native `<details>` elements filled in the same query as the list (one query whatever
the number of intermediairs or machtigingen), so opening one needs no request and works without JavaScript.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from beheer.decorators import beheerder_required
from common.dates import vandaag
from common.forms import is_id
from common.pdf import render_pdf
from common.weergave import datum
from ketenmachtigingen import rules
from ketenmachtigingen.selectors_afgegeven import afgegeven_overzicht, intermediair_informatie


def overzicht_url(open_id: int | None = None) -> str:
    url = reverse("ketenmachtigingen:afgegeven")
    # No #fragment: to a page already at that URL, a location with only a fragment would not reload (HTMX).
    return f"{url}?open={open_id}" if open_id else url


@require_GET
@beheerder_required
def afgegeven(request):
    verlener = request.beheer.organisatie
    weigering = rules.afgeven_weigering(request.beheer.middel)
    open_id = request.GET.get("open", "")
    return render(
        request,
        "ketenmachtigingen/afgegeven.html",
        {
            "organisatie": verlener,
            "intermediairs": afgegeven_overzicht(verlener),
            # R40: who may not issue sees why, and no "+ Voeg toe", "+ Voeg machtiging toe" or "Verleng".
            "mag_afgeven": weigering is None,
            "weigering": str(weigering) if weigering else "",
            "open_id": int(open_id) if is_id(open_id) else None,
        },
    )


def _informatie(request, intermediair_id: int):
    informatie = intermediair_informatie(request.beheer.organisatie, intermediair_id)
    if informatie is None:
        raise Http404
    return informatie


@require_GET
@beheerder_required
def informatie(request, intermediair_id: int):
    """Informeer uw intermediair (R42): the four facts of seed 000, shown after *Leg ketenmachtiging vast*."""
    return render(
        request,
        "ketenmachtigingen/afgegeven_informatie.html",
        {"informatie": _informatie(request, intermediair_id), "terug_url": overzicht_url(intermediair_id)},
    )


@require_GET
@beheerder_required
def informatie_pdf(request, intermediair_id: int):
    gegevens = _informatie(request, intermediair_id)
    pdf = render_pdf("ketenmachtigingen/pdf_informatie.html", {"informatie": gegevens, "datum": datum(vandaag())})
    response = HttpResponse(pdf, content_type="application/pdf")
    bestandsnaam = f"ketenmachtiging-{gegevens.verlener.kvk_nummer}-{gegevens.intermediair.kvk_nummer}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{bestandsnaam}"'
    response["Cache-Control"] = "no-store"
    return response
