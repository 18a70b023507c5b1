"""What every Groepen pop-up shares: served as a page without JavaScript, as a `<dialog>` to an HTMX GET, and as
the dialog's content when its form is re-rendered after a refusal (HTMX POST). On success the confirmation is
queued (R74) and the browser goes to the group's page (or the overview), where it is shown."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common import htmx
from common.errors import DomainError
from groepen.models import Groep
from groepen.selectors import groepen_van

GET_POST = require_http_methods(["GET", "POST"])
INHOUD = "bm-popup-inhoud"


def groep_url(groep_id: int) -> str:
    return reverse("groepen:groep", args=[groep_id])


def overzicht_url() -> str:
    return reverse("groepen:overzicht")


def haal_groep(request, groep_id: int) -> Groep:
    """A group of the chosen organisation; foreign, deleted or missing → 404 (R4)."""
    groep = groepen_van(request.beheer.organisatie).filter(pk=groep_id).select_related("organisatie").first()
    if groep is None:
        raise Http404
    return groep


def popup(request, template: str, context: dict, *, titel: str, terug_url: str, status: int = 200) -> HttpResponse:
    ctx = {
        **context,
        "popup_template": template,
        "titel": titel,
        "terug_url": terug_url,
        "in_dialog": bool(request.htmx),
        "actie_url": request.path,
        "organisatie": request.beheer.organisatie,
    }
    if not request.htmx:
        return render(request, "groepen/popup_pagina.html", ctx, status=status)
    if request.method == "GET" and request.htmx.target != INHOUD:
        return render(request, "gebruikers/mutaties/dialog.html", ctx, status=status)
    return render(request, template, ctx, status=status)


def gelukt(request, bericht: str, url: str) -> HttpResponse:
    messages.success(request, bericht)
    if request.htmx:
        return htmx.redirect(url)
    return redirect(url)


def uitvoeren(request, form, actie, bericht, url) -> HttpResponse | None:
    """A valid POST runs the service `actie(cleaned_data)`; its refusal lands on the form (nothing changed: None,
    the pop-up is shown again), success confirms with `bericht(result)` and goes to `url(result)` or `url`."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        resultaat = actie(form.cleaned_data)
    except DomainError as error:
        form.add_error(None, str(error))
        return None
    return gelukt(request, bericht(resultaat), url(resultaat) if callable(url) else url)
