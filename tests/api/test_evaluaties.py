"""POST /access/v1/evaluations: defaults, order, the three semantics, unreadable items, constant queries."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from api.models import Beslissing
from tests.api.conftest import machtiging, vraag
from tests.catalogus.factories import DienstFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drie(middel, organisatie):
    """Three diensten: yes, no, yes."""
    diensten = DienstFactory.create_batch(3)
    machtiging(middel, organisatie, dienst=diensten[0])
    machtiging(middel, organisatie, dienst=diensten[2])
    return diensten


def batch(middel, organisatie, diensten, semantiek=None):
    basis = vraag(middel, diensten[0], organisatie)
    data = {
        "subject": basis["subject"],
        "action": basis["action"],
        "context": basis["context"],
        "evaluations": [{"resource": vraag(middel, d, organisatie)["resource"]} for d in diensten],
    }
    if semantiek:
        data["options"] = {"evaluations_semantic": semantiek}
    return data


def beslissingen(response):
    assert response.status_code == 200
    return [e["decision"] for e in response.json()["evaluations"]]


def test_execute_all_is_the_default_and_keeps_the_order(api, middel, organisatie, drie):
    assert beslissingen(api.evaluaties(batch(middel, organisatie, drie))) == [True, False, True]
    assert beslissingen(api.evaluaties(batch(middel, organisatie, drie, "execute_all"))) == [True, False, True]


def test_deny_on_first_deny_stops_at_the_first_no(api, middel, organisatie, drie):
    assert beslissingen(api.evaluaties(batch(middel, organisatie, drie, "deny_on_first_deny"))) == [True, False]


def test_permit_on_first_permit_stops_at_the_first_yes(api, middel, organisatie, drie):
    assert beslissingen(api.evaluaties(batch(middel, organisatie, drie, "permit_on_first_permit"))) == [True]
    data = batch(middel, organisatie, [drie[1], drie[2], drie[0]], "permit_on_first_permit")
    assert beslissingen(api.evaluaties(data)) == [False, True]


def test_an_item_replaces_a_default_as_a_whole(api, middel, organisatie, drie, dienst):
    data = batch(middel, organisatie, drie[:1])
    data["resource"] = vraag(middel, drie[1], organisatie)["resource"]  # default resource: a no
    # Item 1 uses the default resource; item 2 its own; item 3 replaces the context (a day without machtiging).
    data["evaluations"] = [
        {},
        {"resource": vraag(middel, drie[0], organisatie)["resource"]},
        {"resource": vraag(middel, drie[0], organisatie)["resource"], "context": {"time": "2030-01-01T12:00:00Z"}},
    ]
    assert beslissingen(api.evaluaties(data)) == [False, True, False]


def test_an_unreadable_item_is_a_no_with_the_reason(api, middel, organisatie, drie):
    data = batch(middel, organisatie, drie)
    del data["subject"]
    data["evaluations"][0]["subject"] = vraag(middel, drie[0], organisatie)["subject"]
    data["evaluations"][2]["subject"] = {"type": "eherkenningsmiddel", "id": 12}
    response = api.evaluaties(data)
    evaluaties = response.json()["evaluations"]
    assert [e["decision"] for e in evaluaties] == [True, False, False]
    assert evaluaties[1]["context"]["redenen"][0]["code"] == "vraag_ongeldig"
    assert "subject" in evaluaties[1]["context"]["redenen"][0]["nl"]
    assert "subject.id" in evaluaties[2]["context"]["redenen"][0]["nl"]
    # Every answer given is logged, the unreadable ones too.
    assert Beslissing.objects.count() == 3


def test_no_or_empty_evaluations_is_one_evaluation(api, middel, organisatie, drie):
    data = vraag(middel, drie[0], organisatie)
    body = api.evaluaties(data).json()
    assert body["decision"] is True and "evaluations" not in body
    assert api.evaluaties({**data, "evaluations": []}).json()["decision"] is True


def test_evaluations_must_be_a_list_and_semantic_known(api, middel, organisatie, drie):
    data = batch(middel, organisatie, drie)
    assert api.evaluaties({**data, "evaluations": {"a": 1}}).status_code == 400
    assert api.evaluaties({**data, "options": {"evaluations_semantic": "sometimes"}}).status_code == 400
    assert api.evaluaties({**data, "evaluations": [1]}).status_code == 400


@pytest.mark.parametrize("aantal", [1, 100])
def test_queries_per_batch_do_not_depend_on_its_size(api, middel, organisatie, aantal, settings):
    diensten = DienstFactory.create_batch(aantal)
    for d in diensten[::2]:
        machtiging(middel, organisatie, dienst=d)
    data = batch(middel, organisatie, diensten)
    api.evaluaties(data)  # the client is kept (its last use written at most once a minute), the answers too
    with CaptureQueriesContext(connection) as herhaald:
        response = api.evaluaties(data)
    assert response.json()["evaluations"][0]["decision"] is True
    # Asked again, unchanged data: every answer from what the process kept, only the log is written.
    assert _zonder_log(herhaald) == 0
    settings.REGISTER_BESLISCACHE = False
    with CaptureQueriesContext(connection) as queries:
        response = api.evaluaties(data)
    assert len(response.json()["evaluations"]) == aantal
    assert response.json()["evaluations"][0]["decision"] is True
    # middel, organisatie, the register's other five (the API's middel query is the register's first); then the
    # log in one statement whatever the batch size (an executemany INSERT, or COPY on PostgreSQL).
    assert _zonder_log(queries) == 7
    assert len(queries) - _zonder_log(queries) == 1
    assert Beslissing.objects.count() == 3 * aantal


def _zonder_log(queries) -> int:
    # An executemany is captured as "<n> times: <sql>".
    return len([q for q in queries.captured_queries if '"api_beslissing"' not in q["sql"][:60]])


@override_settings(API_BATCH_MAX=2)
def test_a_batch_too_large_is_refused(api, middel, organisatie, drie):
    response = api.evaluaties(batch(middel, organisatie, drie))
    assert response.status_code == 400 and response.json()["field"] == "evaluations"
    assert not Beslissing.objects.exists()
