"""Bad input on every Machtigingenregister API endpoint (issue #14): random JSON (and not-JSON) bodies and
headers. Always 200 with the AuthZEN shape, or 400 with a JSON message; never a server error."""

import json

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import schemas
from api.clients import maak_client
from common.niveau import Niveau
from tests.api.conftest import vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory

ENDPOINTS = {
    "/access/v1/evaluation": schemas.EvaluationResponse,
    "/access/v1/evaluations": None,  # a batch, or one evaluation when `evaluations` is empty
    "/access/v1/search/subject": schemas.SubjectSearchResponse,
    "/access/v1/search/resource": schemas.ResourceSearchResponse,
    "/access/v1/search/action": schemas.ActionSearchResponse,
}

scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["", "inloggen", "dienst", "eherkenningsmiddel", "2025-02-31T10:00:00Z", "o-1", "o99999999999"]),
)
json_waarde = st.recursive(
    scalar,
    lambda kind: st.lists(kind, max_size=4) | st.dictionaries(st.text(max_size=12), kind, max_size=4),
    max_leaves=25,
)
SLEUTELS = [
    "subject",
    "resource",
    "action",
    "context",
    "evaluations",
    "options",
    "page",
    "properties",
    "id",
    "type",
    "name",
    "time",
    "kvk_nummer",
    "vestigingsnummer",
    "next_token",
    "limit",
    "evaluations_semantic",
]


@st.composite
def verzoek(draw, geldig):
    """A valid request with random leaves replaced, keys dropped or added; or wholly random JSON."""
    if draw(st.booleans()):
        return draw(st.dictionaries(st.sampled_from(SLEUTELS) | st.text(max_size=8), json_waarde, max_size=6))

    def muteer(obj, diepte=0):
        if isinstance(obj, dict):
            uit = {}
            for k, v in obj.items():
                keuze = draw(st.integers(0, 5))
                if keuze == 0:
                    continue  # dropped
                uit[k] = draw(json_waarde) if keuze == 1 else muteer(v, diepte + 1)
            if draw(st.integers(0, 4)) == 0:
                uit[draw(st.sampled_from(SLEUTELS))] = draw(json_waarde)
            return uit
        if isinstance(obj, list):
            return [muteer(v, diepte + 1) for v in obj]
        return draw(json_waarde) if draw(st.integers(0, 3)) == 0 else obj

    data = muteer(geldig)
    if draw(st.integers(0, 3)) == 0:
        data["evaluations"] = [muteer(geldig) for _ in range(draw(st.integers(0, 3)))]
    return data


ruw_lichaam = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"", b" ", b"null", b"[]", b'"x"', b"1e999999", b'{"a":NaN}', b"\xef\xbb\xbf{}"]),
    st.integers(1, 100_000).map(lambda n: b"[" * n + b"]" * n),  # deeply nested
    st.integers(1, 100_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
)


@pytest.fixture
def opzet(db):
    caches["api"].clear()
    dienst = DienstFactory(niveau=Niveau.EH3)
    koppeling = KoppelingFactory(middel__niveau=Niveau.EH3)
    _client, token = maak_client(naam="Fuzz")
    return vraag(koppeling.middel, dienst, koppeling.organisatie), token


def _controleer(response, pad):
    assert response.status_code in (200, 400), (pad, response.status_code, response.content[:300])
    body = response.json()
    if response.status_code == 400:
        assert body.get("error") == "invalid_request" and str(body.get("message", "")).strip(), body
        return
    schema = ENDPOINTS[pad]
    if schema is None:
        schema = schemas.EvaluationsResponse if "evaluations" in body else schemas.EvaluationResponse
    schema.model_validate(body)
    if "decision" in body:
        assert isinstance(body["decision"], bool)


INSTELLINGEN = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("pad", list(ENDPOINTS))
def test_random_json_gets_an_answer_or_a_json_message(client, opzet, pad):
    geldig, token = opzet

    @INSTELLINGEN
    @given(verzoek(geldig))
    def voorbeeld(data):
        caches["api"].clear()  # the rate limit is not what is tested here
        response = client.post(
            pad, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        _controleer(response, pad)

    voorbeeld()


@pytest.mark.parametrize("pad", list(ENDPOINTS))
def test_a_body_that_is_not_a_json_object_gets_a_json_message(client, opzet, pad):
    _geldig, token = opzet

    @INSTELLINGEN
    @given(ruw_lichaam, st.sampled_from(["application/json", "application/merge-patch+json", "text/plain", ""]))
    def voorbeeld(body, content_type):
        caches["api"].clear()
        response = client.post(pad, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")
        _controleer(response, pad)

    voorbeeld()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # json.loads: RecursionError (was a 500)
        b'{"a":' * 600 + b"1" + b"}" * 600,  # valid JSON, but the NUL check recursed past the limit (was a 500)
    ],
    ids=["array-100000-deep", "object-600-deep"],
)
def test_deeply_nested_json_is_a_400_with_a_message_not_a_server_error(client, opzet, body):
    _geldig, token = opzet
    response = client.post(
        "/access/v1/evaluation", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400 and response.json()["message"]


def test_a_nul_deep_inside_is_still_refused(client, opzet):
    _geldig, token = opzet
    body = '{"a":' * 600 + '"x\\u0000"' + "}" * 600
    response = client.post(
        "/access/v1/evaluation", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400 and "NUL" in response.json()["message"]
