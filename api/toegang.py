"""Who may ask the register: the bearer token (with the client's rate limit), for django-ninja's operations and for
the lean routes of the two evaluation paths."""

from django.http import HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from api.clients import boven_limiet, client_voor_token, token_uit_header
from common import generaties


class TeVeelVerzoeken(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the bare token in `Authorization` is accepted too."""

    def __call__(self, request):
        # META, not request.headers: building the headers' mapping costs more than the lookup on every answer.
        return self.authenticate(request, token_uit_header(request.META.get("HTTP_AUTHORIZATION")))

    def authenticate(self, request, token):
        # Both generations in one round trip: the client's, and the register's for the decisions kept.
        gelezen = generaties.huidig(generaties.API_CLIENTS, generaties.REGISTER) or (None, None)
        request.register_generatie = gelezen[1]
        client = client_voor_token(token, generatie=gelezen[0])
        if client is None:
            return None
        rest = boven_limiet(client)
        if rest is not None:
            raise TeVeelVerzoeken(rest)
        request.api_client = client
        return client


_TOKEN = TokenAuth()


def lean_route(api: NinjaAPI, view):
    """The route of an evaluation endpoint (api/urls.py puts it before django-ninja's, whose operation for the
    same path describes it in the OpenAPI document): what that operation does for it (POST only, the token, the
    rate limit, our exception handlers) without ninja's per-request machinery, which brokers pay on every
    log-in."""

    @csrf_exempt  # a token, not a cookie: nothing to forge
    def route(request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"], content=b"Method not allowed")  # as django-ninja answers
        try:
            if not _TOKEN(request):
                raise AuthenticationError
            return view(request)
        except Exception as exc:  # our handlers (400, 401, 429); anything else is raised again, as ninja does
            return api.on_exception(request, exc)

    return route
