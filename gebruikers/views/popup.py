"""What every pop-up on one person shares (the mutaties and the machtigingen, §3.1.1–§3.11).

Each action URL serves three ways: a full page without JavaScript, a `<dialog>` when loaded with HTMX (GET), and
the dialog's inner content when its form is re-rendered after a refusal (HTMX POST). On success the dialog
closes, the person's details (`#details-<persoon_id>`) reload and the confirmation is shown.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common import htmx
from common.errors import DomainError
from gebruikers.models import Koppeling
from gebruikers.selectors import GebruikerDetails, gebruiker_details
from gebruikers.templatetags.gebruikers_mutaties import ververs_event

GET_POST = require_http_methods(["GET", "POST"])

# The element a re-rendered pop-up form replaces (see dialog.html / pagina.html).
INHOUD = "bm-popup-inhoud"


def details_url(persoon_id: int) -> str:
    return reverse("gebruikers:details", args=[persoon_id])


def overzicht_url() -> str:
    return reverse("gebruikers:overzicht")


def haal_details(request, persoon_id: int) -> GebruikerDetails:
    """The person as the beheerder of the chosen organisation sees them; foreign or missing → 404 (R4)."""
    try:
        return gebruiker_details(organisatie=request.beheer.organisatie, persoon_id=persoon_id)
    except Koppeling.DoesNotExist:
        raise Http404 from None


def popup(
    request, template: str, context: dict, *, titel: str, status: int = 200, als_dialog: bool = False
) -> HttpResponse:
    """Render one pop-up as a page (no JavaScript), as a dialog (HTMX GET) or as the dialog's content (HTMX POST).
    `als_dialog`: a whole dialog also to an HTMX POST that came from outside a dialog (appended to <body>)."""
    ctx = {
        **context,
        "popup_template": template,
        "titel": titel,
        "terug_url": details_url(context["persoon_id"]),
        "in_dialog": bool(request.htmx),
    }
    if not request.htmx:
        return render(request, "gebruikers/mutaties/pagina.html", ctx, status=status)
    if request.method == "GET" and request.htmx.target != INHOUD:
        return render(request, "gebruikers/mutaties/dialog.html", ctx, status=status)
    if als_dialog:
        return htmx.open_as_popup(render(request, "gebruikers/mutaties/dialog.html", ctx, status=status))
    return render(request, template, ctx, status=status)


def gelukt(request, persoon_id: int, bericht: str, *, verdwenen: bool = False) -> HttpResponse:
    """Success: confirm (R74); without JavaScript redirect to the details, with HTMX close the dialog and reload
    the details region in place. A person who is no longer listed (opzeggen per direct) reloads the overview."""
    messages.success(request, bericht)
    if not request.htmx:
        return redirect(overzicht_url() if verdwenen else details_url(persoon_id))
    if verdwenen:
        return htmx.redirect(overzicht_url())
    response = render(request, "gebruikers/mutaties/gelukt.html", {"persoon_id": persoon_id})
    # Order matters: the details reload is announced before the dialog closes and removes itself.
    return htmx.trigger(response, ververs_event(persoon_id), htmx.POPUP_SLUITEN, swap_none=True)


def basis_context(request, details: GebruikerDetails, **extra) -> dict:
    return {
        "details": details,
        "persoon": details.persoon,
        "middel": details.middel,
        "persoon_id": details.persoon.pk,
        "organisatie": request.beheer.organisatie,
        "is_zelf": details.persoon.pk == request.user.pk,
        # The URL the pop-up's form posts to, and its live partials (`?deel=`) read from: always the action's
        # own path, also when a partial is rendered on its own (a relative '?deel=' would hit the page's URL).
        "actie_url": request.path,
        **extra,
    }


def fout(form, error: DomainError) -> None:
    form.add_error(None, str(error))


def uitvoeren(request, form, persoon_id: int, actie, bericht) -> HttpResponse | None:
    """What every pop-up does on a valid POST: run the service `actie(cleaned_data)`; its refusal lands on the form
    (nothing changed, the pop-up is shown again: None), success closes the pop-up with `bericht(result)`."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        resultaat = actie(form.cleaned_data)
    except DomainError as error:
        fout(form, error)
        return None
    return gelukt(request, persoon_id, bericht(resultaat))


def jaren(form) -> int:
    return 3 if form.is_bound and form.is_valid() and form.cleaned_data.get("drie_jaar") else 1


def wil_deel(request) -> str:
    """`?deel=kosten`: the live cost block only (R17), re-rendered as the choices change."""
    return request.GET.get("deel", "")
