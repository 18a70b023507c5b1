"""The Machtigingenregister API (OpenID AuthZEN Authorization API 1.0 with the NL GOV profile), on django-ninja.

Thin: read the request (`api.protocol`), decide (`api.beslissen`, `api.zoeken`), log (`api.logboek`), answer.
Token auth (no session, so no CSRF), a rate limit per client, `X-Request-ID` and `traceparent` echoed on every
answer, 400 with a message for what cannot be read, and a deny is always 200 with `false`. Every decision given
(each evaluation; each search result found) goes to the decision log once the answer is sent.
"""

import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger

from api import logboek, protocol, schemas, zoeken
from api.beslissen import ACTIE, RESOURCE_TYPE, SUBJECT_TYPE, beslis_vraagstukken, ongeldig_antwoord
from api.protocol import ProtocolFout
from api.toegang import TeVeelVerzoeken, TokenAuth, lean_route

_JSON = "application/json; charset=utf-8"  # as django-ninja's renderer answers
_ECHO = re.compile(r"^[\x21-\x7e]{1,200}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


class RegisterApi(NinjaAPI):
    def create_temporal_response(self, request):
        # As django-ninja's, with bytes for content: a str would have its charset parsed from the content type on
        # every request.
        return HttpResponse(b"", content_type=self.get_content_type())

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return afgewerkt(request, response)

    def get_root_path(self, path_params):
        return "/"  # mounted at the site root, without ninja's "api-root" pattern (see api/urls.py)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The request bodies are read by api.protocol (strict messages, unknown fields ignored), so their models
        # are added to the components here instead of being parsed by ninja.
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        componenten = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in schemas.VERZOEKEN:
            js = model.model_json_schema(ref_template="#/components/schemas/{model}")
            componenten.update(js.pop("$defs", {}))
            componenten[model.__name__] = js
        return schema


def afgewerkt(request, response):
    """What every answer gets: its decisions logged once it has been sent, `X-Request-ID` and `traceparent`
    echoed when well-formed."""
    logboek.schrijf_bij_sluiten(request, response)
    request_id = request.META.get("HTTP_X_REQUEST_ID", "")
    if request_id and _ECHO.match(request_id):
        response["X-Request-ID"] = request_id
    traceparent = request.META.get("HTTP_TRACEPARENT", "")
    if traceparent and _TRACEPARENT.match(traceparent):
        response["traceparent"] = traceparent
    return response


def _beslist(request, tekst: str) -> HttpResponse:
    """An evaluation's answer as JSON, without django-ninja's response validation: on the hot path that costs
    more than deciding from what is kept. Its shape is the response schema's all the same
    (`tests/api/test_discovery_schema.py` compares every kind of answer with the model's own rendering, and
    schemathesis checks every answer against the OpenAPI document)."""
    return afgewerkt(request, HttpResponse(tekst.encode(), content_type=_JSON))  # ASCII JSON: bytes as they are


register_api = RegisterApi(
    title="Machtigingenregister",
    version="1.0",
    description=(
        "The Machtigingenregister's decisions for brokers: may this eHerkenningsmiddel log in at this dienst for "
        "this organisation at this moment? OpenID AuthZEN Authorization API 1.0 with the NL GOV profile."
    ),
    openapi_url="/api/schema/",
    docs_url="/api/docs/",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=require_safe,  # the schema and the docs are read-only: another method is 405
    urls_namespace="api",
    auth=TokenAuth(),
)


def _fout(request, code: str, message, status: int, field: str = ""):
    data = {"error": code, "message": str(message)}
    if field:
        data["field"] = field
    return register_api.create_response(request, data, status=status)


@register_api.exception_handler(ProtocolFout)
def _protocol_fout(request, exc: ProtocolFout):
    return _fout(request, "invalid_request", exc.message, 400, exc.veld)


@register_api.exception_handler(AuthenticationError)
def _niet_geauthenticeerd(request, exc):
    response = _fout(request, "unauthorized", _("Geef een geldig token mee: Authorization: Bearer <token>."), 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@register_api.exception_handler(TeVeelVerzoeken)
def _te_veel(request, exc: TeVeelVerzoeken):
    response = _fout(
        request,
        "too_many_requests",
        _("Te veel vragen: probeer het over %(seconden)s seconden opnieuw.") % {"seconden": exc.retry_after},
        429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _body(schema_naam: str) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_naam}"}}},
        }
    }


_FOUTEN = {400: schemas.Fout, 401: schemas.Fout, 429: schemas.Fout}


def _url(naam: str) -> str:
    return settings.SITE_URL.rstrip("/") + naam


@register_api.get(
    "/.well-known/authzen-configuration",
    auth=None,
    response=schemas.Configuration,
    summary="AuthZEN discovery",
    tags=["discovery"],
)
def configuratie(request):
    return {
        "policy_decision_point": settings.SITE_URL.rstrip("/"),
        "access_evaluation_endpoint": _url("/access/v1/evaluation"),
        "access_evaluations_endpoint": _url("/access/v1/evaluations"),
        "search_subject_endpoint": _url("/access/v1/search/subject"),
        "search_resource_endpoint": _url("/access/v1/search/resource"),
        "search_action_endpoint": _url("/access/v1/search/action"),
        "capabilities": ["nlgov:temporal_query", "nlgov:traceparent", "evaluations_semantic"],
    }


@register_api.post(
    "/access/v1/evaluation",
    exclude_none=True,
    response={200: schemas.EvaluationResponse, **_FOUTEN},
    openapi_extra=_body("EvaluationRequest"),
    summary="May this middel log in at this dienst for this organisation?",
    tags=["evaluation"],
)
def evaluatie(request):
    vraagstuk = protocol.lees_evaluatie(request)
    (antwoord,) = beslis_vraagstukken([vraagstuk], generatie=request.register_generatie)
    logboek.na_antwoord(request, [antwoord])
    return _beslist(request, antwoord.als_json())


@register_api.post(
    "/access/v1/evaluations",
    exclude_none=True,
    response={200: schemas.EvaluationsResponse | schemas.EvaluationResponse, **_FOUTEN},
    openapi_extra=_body("EvaluationsRequest"),
    summary="Many evaluations at once (boxcarring)",
    tags=["evaluation"],
)
def evaluaties(request):
    data = protocol.lees_json(request)
    semantiek = protocol.lees_semantiek(data)
    items = data.get("evaluations")
    if items is not None and not isinstance(items, list):
        raise ProtocolFout(_("‘evaluations’ moet een lijst zijn."), veld="evaluations")
    if not items:
        return evaluatie(request)
    if len(items) > settings.API_BATCH_MAX:
        raise ProtocolFout(
            _("Stuur hoogstens %(max)s evaluaties per keer.") % {"max": settings.API_BATCH_MAX}, veld="evaluations"
        )
    protocol.lees_standaarden(data)

    # Read every item with the defaults; one that cannot be read is a no with the reason, not a 400.
    gelezen = []
    for item in items:
        samengevoegd = protocol.samengevoegd(data, item)
        try:
            gelezen.append((samengevoegd, protocol.lees_vraagstuk(samengevoegd)))
        except ProtocolFout as fout:
            gelezen.append((samengevoegd, fout))
    # All questions are decided in one batch (constant queries), then cut off as the semantic asks.
    vragen = [v for _ruw, v in gelezen if not isinstance(v, ProtocolFout)]
    beslist = iter(beslis_vraagstukken(vragen, generatie=request.register_generatie))
    antwoorden = []
    for ruw, v in gelezen:
        antwoord = ongeldig_antwoord(v, ruw) if isinstance(v, ProtocolFout) else next(beslist)
        antwoorden.append(antwoord)
        if semantiek == "deny_on_first_deny" and not antwoord.toegestaan:
            break
        if semantiek == "permit_on_first_permit" and antwoord.toegestaan:
            break
    logboek.na_antwoord(request, antwoorden)
    return _beslist(request, '{"evaluations": [' + ", ".join(a.als_json() for a in antwoorden) + "]}")


# The routes api/urls.py gives the two paths brokers ask on every log-in (see api.toegang.lean_route).
evaluatie_route = lean_route(register_api, evaluatie)
evaluaties_route = lean_route(register_api, evaluaties)


def _page(pagina: zoeken.Pagina) -> dict:
    return {"next_token": pagina.next_token}


@register_api.post(
    "/access/v1/search/subject",
    exclude_none=True,
    response={200: schemas.SubjectSearchResponse, **_FOUTEN},
    openapi_extra=_body("SubjectSearchRequest"),
    summary="Which middelen may log in at this dienst for this organisation?",
    tags=["search"],
)
def zoek_subject(request):
    data = protocol.lees_json(request)
    subject = protocol.lees_entiteit(data, "subject", met_id=False)
    resource = protocol.lees_entiteit(data, "resource")
    protocol.organisatie_sleutel(resource)
    actie = protocol.lees_actie(data)
    moment = protocol.lees_moment(data)
    offset, limiet = protocol.lees_page(data)
    if subject.type != SUBJECT_TYPE:
        return {"results": [], "page": {"next_token": ""}}
    pagina = zoeken.zoek_subjecten(resource, actie, moment, offset=offset, limiet=limiet)
    logboek.na_antwoord(request, [a for _id, a in pagina.resultaten])
    return {"results": [{"type": SUBJECT_TYPE, "id": ident} for ident, _a in pagina.resultaten], "page": _page(pagina)}


@register_api.post(
    "/access/v1/search/resource",
    exclude_none=True,
    response={200: schemas.ResourceSearchResponse, **_FOUTEN},
    openapi_extra=_body("ResourceSearchRequest"),
    summary="Which diensten may this middel use for this organisation?",
    tags=["search"],
)
def zoek_resource(request):
    data = protocol.lees_json(request)
    subject = protocol.lees_entiteit(data, "subject")
    resource = protocol.lees_entiteit(data, "resource", met_id=False)
    protocol.organisatie_sleutel(resource)
    actie = protocol.lees_actie(data)
    moment = protocol.lees_moment(data)
    offset, limiet = protocol.lees_page(data)
    pagina = zoeken.zoek_resources(subject, resource, actie, moment, offset=offset, limiet=limiet)
    logboek.na_antwoord(request, [a for _id, a in pagina.resultaten])
    return {
        "results": [
            {"type": RESOURCE_TYPE, "id": ident, "properties": {"pad": a.pad["soort"]}}
            for ident, a in pagina.resultaten
        ],
        "page": _page(pagina),
    }


@register_api.post(
    "/access/v1/search/action",
    exclude_none=True,
    response={200: schemas.ActionSearchResponse, **_FOUTEN},
    openapi_extra=_body("ActionSearchRequest"),
    summary="What may this middel do at this dienst for this organisation?",
    tags=["search"],
)
def zoek_actie(request):
    data = protocol.lees_json(request)
    subject = protocol.lees_entiteit(data, "subject")
    resource = protocol.lees_entiteit(data, "resource")
    protocol.organisatie_sleutel(resource)
    moment = protocol.lees_moment(data)
    protocol.lees_page(data)
    pagina = zoeken.zoek_acties(subject, resource, moment)
    logboek.na_antwoord(request, [a for _naam, a in pagina.resultaten])
    return {"results": [{"name": ACTIE} for _n, _a in pagina.resultaten], "page": _page(pagina)}
