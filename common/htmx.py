"""The one module for HTMX responses: every HX-* response header is set here, through django_htmx.http.

Views call these instead of writing headers by hand, so the client-side contract (events, swaps) lives in one
place next to `static/js/beheermodule.js`, which listens for the events.
"""

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget, trigger_client_event

# Closes the open pop-up (`dialog.bm-popup`); handled in static/js/beheermodule.js.
POPUP_SLUITEN = "bm-popup-sluiten"


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """A page and its fragment share a URL: caches must keep them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def open_as_popup(response: HttpResponse) -> HttpResponse:
    """Append the response (a <dialog>) to the body, whatever element asked for it."""
    return reswap(retarget(response, "body"), "beforeend")


def redirect(url: str) -> HttpResponse:
    """A full navigation from an HTMX request."""
    return HttpResponseClientRedirect(url)


def trigger(response: HttpResponse, *events: str, swap_none: bool = False) -> HttpResponse:
    """Fire client events after the swap (e.g. refresh a row, close the pop-up)."""
    for event in events:
        trigger_client_event(response, event, after="receive")
    if swap_none:
        reswap(response, "none")
    return response
