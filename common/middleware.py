"""Guards every request passes: two before any view sees it, one on the way back."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

NUL = "\x00"


def _heeft_nul(querydict) -> bool:
    return any(NUL in sleutel or any(NUL in waarde for waarde in waarden) for sleutel, waarden in querydict.lists())


class GeenNulMiddleware:
    """A NUL character cannot be stored in a PostgreSQL text field (and never belongs in a form or a search):
    a request carrying one in its path, query string or form fields is refused with a 400 and a clear message
    before it reaches a view, on every database alike. JSON bodies are checked where they are parsed (api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _heeft_nul(request.GET) or (request.method == "POST" and _heeft_nul(request.POST)):
            return HttpResponseBadRequest(
                _("Uw invoer bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class GeenOpslagMiddleware:
    """Pages of this application show personal data (overviews, details, profile, exports, the admin): no
    browser or proxy may keep a copy. Static files are served before this (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class NietToegestaanMiddleware:
    """A page that only takes a form (POST) answers a browser that opens it directly, for instance after a refused
    form left its address in the address bar, with a page in the application's look instead of the browser's bare
    error. API clients keep the plain 405; the Allow header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A browser names text/html; a client sending */* (curl, an API library) keeps the plain answer.
        if response.status_code == 405 and not response.content and "text/html" in request.headers.get("Accept", ""):
            pagina = render(request, "405.html", status=405)
            if "Allow" in response:
                pagina["Allow"] = response["Allow"]
            return pagina
        return response
