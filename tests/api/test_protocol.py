"""What the API cannot read is 400 with a message; no or a revoked token 401; too many questions 429."""

import pytest
from django.test import override_settings

from api.clients import trek_in, vernieuw_token
from tests.api.conftest import machtiging, vraag

pytestmark = pytest.mark.django_db


def fout(response, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    return body


def test_another_content_type_is_400(api, middel, dienst, organisatie):
    response = api.post("/access/v1/evaluation", "subject=x", content_type="application/x-www-form-urlencoded")
    assert "JSON" in fout(response)["message"]
    assert fout(api.post("/access/v1/evaluation", "{}", content_type="text/plain"))


@pytest.mark.parametrize("body", ["", "   ", "{", "[1, 2]", '"tekst"', "null"])
def test_empty_malformed_or_not_an_object_is_400(api, body):
    fout(api.evaluatie(body))


@pytest.mark.parametrize(
    ("wijzig", "veld"),
    [
        (lambda d: d.pop("subject"), "subject"),
        (lambda d: d.pop("resource"), "resource"),
        (lambda d: d.pop("action"), "action"),
        (lambda d: d.update(subject="middel"), "subject"),
        (lambda d: d.update(resource=[1]), "resource"),
        (lambda d: d.update(action="inloggen"), "action"),
        (lambda d: d["subject"].pop("type"), "subject.type"),
        (lambda d: d["subject"].pop("id"), "subject.id"),
        (lambda d: d["subject"].update(id=123), "subject.id"),
        (lambda d: d["subject"].update(type=""), "subject.type"),
        (lambda d: d["resource"].update(type=None), "resource.type"),
        (lambda d: d["resource"].update(id=["x"]), "resource.id"),
        (lambda d: d["resource"].update(properties="kvk"), "resource.properties"),
        (lambda d: d["resource"]["properties"].pop("kvk_nummer"), "resource.properties.kvk_nummer"),
        (lambda d: d["resource"]["properties"].update(kvk_nummer=12345678), "resource.properties.kvk_nummer"),
        (lambda d: d["resource"]["properties"].update(vestigingsnummer=1), "resource.properties.vestigingsnummer"),
        (lambda d: d["action"].pop("name"), "action.name"),
        (lambda d: d["action"].update(name=True), "action.name"),
        (lambda d: d.update(context="nu"), "context"),
        (lambda d: d.update(context={"time": 1750000000}), "context.time"),
        (lambda d: d.update(context={"time": "morgen"}), "context.time"),
        (lambda d: d.update(context={"time": "2025-06-15T10:00:00"}), "context.time"),
        (lambda d: d["action"].update(properties=[1]), "action.properties"),
        (lambda d: d["resource"]["properties"].update(vestigingsnummer={}), "resource.properties.vestigingsnummer"),
    ],
)
def test_missing_or_wrongly_typed_parts_are_400_naming_the_field(api, middel, dienst, organisatie, wijzig, veld):
    data = vraag(middel, dienst, organisatie)
    wijzig(data)
    body = fout(api.evaluatie(data))
    assert body["error"] == "invalid_request" and body["field"] == veld


def test_the_message_follows_accept_language(api):
    assert "JSON" in fout(api.evaluatie("{", HTTP_ACCEPT_LANGUAGE="en"))["message"]


def test_no_token_is_401(api, middel, dienst, organisatie):
    response = api.evaluatie(vraag(middel, dienst, organisatie), token=None)
    fout(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    fout(api.evaluatie(vraag(middel, dienst, organisatie), token="bmr_onzin"), 401)
    fout(api.evaluatie(vraag(middel, dienst, organisatie), token=None, HTTP_AUTHORIZATION="Basic abc def"), 401)


def test_the_bare_token_is_accepted(api, token, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    response = api.evaluatie(vraag(middel, dienst, organisatie), token=None, HTTP_AUTHORIZATION=token)
    assert response.status_code == 200 and response.json()["decision"] is True


def test_a_revoked_token_is_401_and_a_new_one_works(api, api_client_en_token, middel, dienst, organisatie):
    client, _token = api_client_en_token
    trek_in(client)
    fout(api.evaluatie(vraag(middel, dienst, organisatie)), 401)
    nieuw = vernieuw_token(client)
    assert api.evaluatie(vraag(middel, dienst, organisatie), token=nieuw).status_code == 200
    fout(api.evaluatie(vraag(middel, dienst, organisatie)), 401)  # the old token stays dead


def test_last_use_is_recorded(api, api_client_en_token, middel, dienst, organisatie):
    client, _token = api_client_en_token
    assert client.laatst_gebruikt_op is None
    api.evaluatie(vraag(middel, dienst, organisatie))
    client.refresh_from_db()
    assert client.laatst_gebruikt_op is not None


@override_settings(API_RATE_LIMIT=3)
def test_rate_limited_per_client_with_a_clear_429(api, middel, dienst, organisatie):
    for _ in range(3):
        assert api.evaluatie(vraag(middel, dienst, organisatie)).status_code == 200
    response = api.evaluatie(vraag(middel, dienst, organisatie), HTTP_X_REQUEST_ID="r-429")
    body = fout(response, 429)
    assert body["error"] == "too_many_requests"
    assert int(response["Retry-After"]) >= 1
    assert response["X-Request-ID"] == "r-429"
    # Another client has its own budget.
    from api.clients import maak_client

    _ander, ander_token = maak_client(naam="Andere makelaar")
    assert api.evaluatie(vraag(middel, dienst, organisatie), token=ander_token).status_code == 200


def test_no_csrf_for_the_api(csrf_client, token, middel, dienst, organisatie):
    import json

    response = csrf_client.post(
        "/access/v1/evaluation",
        json.dumps(vraag(middel, dienst, organisatie)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200


def test_get_is_not_allowed(api, token, client):
    assert client.get("/access/v1/evaluation", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 405


@pytest.mark.parametrize(
    ("standaard", "veld"),
    [
        ({"subject": {"type": "eherkenningsmiddel", "id": 5}}, "subject.id"),
        ({"context": {"time": ""}}, "context.time"),
        ({"context": [None]}, "context"),
        ({"action": {"name": ""}}, "action.name"),
    ],
)
def test_a_batch_default_is_read_as_strictly_as_a_question(api, middel, dienst, organisatie, standaard, veld):
    data = {**standaard, "evaluations": [vraag(middel, dienst, organisatie)]}
    assert fout(api.evaluaties(data))["field"] == veld


@pytest.mark.parametrize("page", [{"next_token": 5}, {"next_token": "abc"}, {"limit": "10"}, {"limit": True}, []])
def test_a_wrong_page_is_400(api, middel, organisatie, page):
    data = {
        "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id)},
        "resource": {"type": "dienst", "properties": {"kvk_nummer": organisatie.kvk_nummer}},
        "action": {"name": "inloggen"},
        "page": page,
    }
    fout(api.post("/access/v1/search/resource", data))


def test_a_body_read_before_is_the_same_question_its_moment_now_each_time(
    api, middel, dienst, organisatie, monkeypatch
):
    """api.protocol._Gelezen: a body asked again is not parsed again, but its content type is still checked and
    a question naming no moment is about now each time, not about when it was first read."""
    import datetime as dt
    import json

    from django.utils import timezone

    from api import protocol
    from api.beslissen import rfc3339

    machtiging(middel, organisatie, dienst=dienst, eindigt_op=timezone.localdate() + dt.timedelta(days=30))
    body = json.dumps(vraag(middel, dienst, organisatie, tijd=None))
    assert api.evaluatie(body).json()["decision"] is True
    assert body.encode() in protocol._gelezen.vragen
    later = timezone.now() + dt.timedelta(minutes=7)
    monkeypatch.setattr(protocol.timezone, "now", lambda: later)
    daarna = api.evaluatie(body).json()
    assert daarna["decision"] is True and daarna["context"]["tijd"] == rfc3339(later)
    fout(api.evaluatie(body, content_type="text/plain"))
    # A body that cannot be read is refused every time, never kept.
    for _ in range(2):
        fout(api.evaluatie('{"subject": 1}'))
    assert b'{"subject": 1}' not in protocol._gelezen.vragen


def test_a_body_naming_its_moment_keeps_that_moment(api, middel, dienst, organisatie):
    import json

    from tests.api.conftest import TIJD

    machtiging(middel, organisatie, dienst=dienst)
    body = json.dumps(vraag(middel, dienst, organisatie))
    assert [api.evaluatie(body).json()["context"]["tijd"] for _ in range(2)] == [TIJD, TIJD]
