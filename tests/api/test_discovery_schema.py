"""Discovery, the OpenAPI 3.1 document and its docs page (served from our static files, never a CDN)."""

import re

import pytest
from django.test import override_settings
from django.urls import resolve

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://register.example")
def test_discovery_names_every_endpoint(client):
    response = client.get("/.well-known/authzen-configuration")
    assert response.status_code == 200
    assert response.json() == {
        "policy_decision_point": "https://register.example",
        "access_evaluation_endpoint": "https://register.example/access/v1/evaluation",
        "access_evaluations_endpoint": "https://register.example/access/v1/evaluations",
        "search_subject_endpoint": "https://register.example/access/v1/search/subject",
        "search_resource_endpoint": "https://register.example/access/v1/search/resource",
        "search_action_endpoint": "https://register.example/access/v1/search/action",
        "capabilities": ["nlgov:temporal_query", "nlgov:traceparent", "evaluations_semantic"],
    }


def test_the_api_does_not_shadow_the_start_page():
    assert resolve("/").view_name == "beheer:home"


def test_openapi_31_document_describes_requests_and_answers(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert {
        "/.well-known/authzen-configuration",
        "/access/v1/evaluation",
        "/access/v1/evaluations",
        "/access/v1/search/subject",
        "/access/v1/search/resource",
        "/access/v1/search/action",
    } <= set(schema["paths"])
    evaluatie = schema["paths"]["/access/v1/evaluation"]["post"]
    ref = evaluatie["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/EvaluationRequest"
    componenten = schema["components"]["schemas"]
    assert {"EvaluationRequest", "EvaluationsRequest", "Subject", "Resource", "Action", "Fout"} <= set(componenten)
    assert set(evaluatie["responses"]) >= {"200", "400", "401", "429"}
    # Every $ref points at a component that exists.
    for gevonden in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', response.content.decode()):
        assert gevonden in componenten
    assert schema["components"]["securitySchemes"]


def test_docs_page_loads_swagger_from_our_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    bronnen = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(b.endswith("swagger-ui-bundle.js") for b in bronnen)
    assert all(b.startswith("/") for b in bronnen), bronnen  # nothing from a CDN
    for bron in bronnen:
        assert client.get(bron).status_code == 200, bron


def _zoals_het_schema(model, body: dict) -> dict:
    """What django-ninja would send for this body: validated by the response model, dumped without None."""
    return model.model_validate(body).model_dump(mode="json", exclude_none=True)


def test_evaluation_answers_are_exactly_what_the_response_schema_renders(api, middel, dienst, organisatie):
    """The evaluation endpoints answer without django-ninja's response validation (api.views._beslist): each kind
    of answer they give is the response model's own rendering, to the key."""
    from api import schemas
    from tests.api.conftest import keten, machtiging, vraag
    from tests.catalogus.factories import DienstFactory

    machtiging(middel, organisatie, dienst=dienst)
    k, medewerker = keten(dienst)
    vragen = [
        vraag(middel, dienst, organisatie),  # yes, an own machtiging
        vraag(medewerker, dienst, k.verlener),  # yes, through a ketenmachtiging (with the intermediair)
        vraag(middel, DienstFactory(), organisatie),  # no, with reasons
        vraag(middel, dienst, organisatie, actie="lezen"),  # no, an action the register does not know
    ]
    for data in vragen:
        for _keer in range(2):  # decided, then from what the process kept
            body = api.evaluatie(data).json()
            assert body == _zoals_het_schema(schemas.EvaluationResponse, body)
    batch = {"evaluations": [*vragen, {"subject": "geen object"}]}  # the last one cannot be read
    body = api.evaluaties(batch).json()
    assert len(body["evaluations"]) == 5 and body["evaluations"][-1]["decision"] is False
    assert body == _zoals_het_schema(schemas.EvaluationsResponse, body)
    # No key with null at the top of a context: the schema would leave it out.
    assert all(None not in e["context"].values() for e in body["evaluations"])


def test_an_answer_from_what_was_kept_is_byte_for_byte_the_answer_decided(api, middel, dienst, organisatie):
    """The kept answer's JSON is written from its stored text plus the two moments (Antwoord.als_json): with a
    fixed moment asked about, the bytes equal those of the answer first decided, for a yes and for a no."""
    from tests.api.conftest import keten, machtiging, vraag
    from tests.catalogus.factories import DienstFactory

    machtiging(middel, organisatie, dienst=dienst)
    k, medewerker = keten(dienst)
    for data in (
        vraag(middel, dienst, organisatie),
        vraag(medewerker, dienst, k.verlener),
        vraag(middel, DienstFactory(), organisatie),
    ):
        eerst, daarna = api.evaluatie(data).content, api.evaluatie(data).content
        assert eerst == daarna
        batch = {"evaluations": [data, data]}
        assert api.evaluaties(batch).content == b'{"evaluations": [' + eerst + b", " + eerst + b"]}"
