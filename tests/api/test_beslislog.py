"""The decision log's writing (api/logboek.py): batches written by a thread of the process, never by the request;
the statement (COPY on PostgreSQL, executemany elsewhere) keeps every value as the ORM would."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import logboek
from api.beslissen import Antwoord
from api.models import Beslissing
from api.protocol import Entiteit, Vraagstuk
from tests.api.conftest import machtiging, vraag


@pytest.fixture(autouse=True)
def _geen_schrijver_over(api_client_en_token):
    """Each test starts without the writing thread (a thread waiting with another test's interval would not see
    this one's) and leaves nothing waiting; torn down before the client is."""
    logboek._buffer.sluit()
    yield
    logboek._buffer.sluit()


def _wacht_op(aantal: int, *, seconden: float = 10.0) -> int:
    grens = time.monotonic() + seconden
    while (gevonden := Beslissing.objects.count()) < aantal and time.monotonic() < grens:
        time.sleep(0.05)
    return gevonden


def _vraagstuk(subject: str) -> Vraagstuk:
    return Vraagstuk(
        subject=Entiteit(type="eherkenningsmiddel", id=subject),
        resource=Entiteit(type="dienst", id="d-1", properties={"kvk_nummer": "12345678", "vestigingsnummer": ""}),
        actie="inloggen",
        moment=dt.datetime(2025, 6, 15, 8, 0, tzinfo=dt.UTC),
    )


def test_the_rows_keep_every_value_shared_paths_and_reasons_included(api_client_en_token):
    """Two answers sharing one path object (as answers given from what the API kept do), a no with reasons, and
    text that COPY's format must escape (a tab, a backslash, a newline)."""
    client = api_client_en_token[0]
    pad = {"soort": "direct", "machtiging_id": 7, "groep_id": None, "eindigt": "2030-01-01T00:00:00+01:00"}
    ja = Antwoord(toegestaan=True, context={"pad": pad}, vraagstuk=_vraagstuk("a\tb"))
    ook_ja = Antwoord(toegestaan=True, context={"pad": pad}, vraagstuk=_vraagstuk("c\\d"))
    nee = Antwoord(
        toegestaan=False,
        context={"redenen": [{"code": "geen_machtiging", "nl": "x", "en": "y"}]},
        vraagstuk=_vraagstuk("e\nf"),
    )
    moment = timezone.now()
    logboek._invoegen([logboek.rij(client, a, request_id="r\u00e9q", moment=moment) for a in (ja, ook_ja, nee)])
    rijen = list(Beslissing.objects.order_by("pk"))
    assert [r.subject_id for r in rijen] == ["a\tb", "c\\d", "e\nf"]
    assert rijen[0].pad == rijen[1].pad == pad and rijen[2].pad is None
    assert [r.redenen for r in rijen] == [[], [], ["geen_machtiging"]]
    assert {r.request_id for r in rijen} == {"r\u00e9q"} and {r.moment for r in rijen} == {moment}
    assert rijen[0].gevraagd_moment == dt.datetime(2025, 6, 15, 8, 0, tzinfo=dt.UTC)
    assert [r.toegestaan for r in rijen] == [True, True, False] and rijen[0].client == client


@pytest.mark.django_db(transaction=True)
@override_settings(REGISTER_LOG_BATCH=3, REGISTER_LOG_FLUSH_SECONDS=30)
def test_a_full_batch_is_written_by_the_thread_not_by_the_request(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert api.evaluatie(vraag(middel, dienst, organisatie)).json()["decision"] is True
    assert not [q for q in queries.captured_queries if "api_beslissing" in q["sql"]]
    # Written well before the 30 seconds: a full batch wakes the thread.
    assert _wacht_op(3) == 3
    pid, thread = logboek._buffer.schrijver
    assert thread.is_alive() and thread is not threading.current_thread()


@pytest.mark.django_db(transaction=True)
@override_settings(REGISTER_LOG_BATCH=100, REGISTER_LOG_FLUSH_SECONDS=0.2)
def test_a_batch_that_does_not_fill_is_written_within_the_flush_interval(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie))
    assert _wacht_op(1) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(REGISTER_LOG_BATCH=100, REGISTER_LOG_FLUSH_SECONDS=30)
def test_what_waits_is_written_on_demand_at_exit(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie))
    api.evaluatie(vraag(middel, dienst, organisatie))
    assert Beslissing.objects.count() == 0  # waiting for a fuller batch
    logboek._buffer.sluit()  # what atexit calls
    assert Beslissing.objects.count() == 2
    assert logboek._buffer.schrijver is None
