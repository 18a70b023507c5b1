"""R76 Laatst gebruikt: a yes through the API records the day the permitting machtiging was last used."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from machtigingen.models import Machtiging
from tests.api.conftest import machtiging, vraag
from tests.catalogus.factories import DienstFactory

pytestmark = pytest.mark.django_db


def vandaag_geldig(middel, organisatie, **scope):
    vandaag = timezone.localdate()
    return machtiging(
        middel,
        organisatie,
        begint_op=vandaag - dt.timedelta(days=5),
        eindigt_op=vandaag + dt.timedelta(days=5),
        **scope,
    )


def test_r76_a_yes_today_records_the_last_use(api, middel, dienst, organisatie):
    m = vandaag_geldig(middel, organisatie, dienst=dienst)
    assert api.evaluatie(vraag(middel, dienst, organisatie, tijd=None)).json()["decision"] is True
    m.refresh_from_db()
    assert m.laatst_gebruikt_op == timezone.localdate()


def test_r76_at_most_one_write_per_machtiging_per_day(api, middel, dienst, organisatie):
    vandaag_geldig(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie, tijd=None))
    with CaptureQueriesContext(connection) as queries:
        api.evaluatie(vraag(middel, dienst, organisatie, tijd=None))
    # This process marked it today and nothing the register reads changed since: no statement at all.
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "machtigingen_machtiging"')]
    assert Machtiging.objects.filter(laatst_gebruikt_op=timezone.localdate()).count() == 1


def test_r76_a_mark_reset_since_is_written_again(api, middel, dienst, organisatie):
    """What a process remembers lasts only while the register's tables are unchanged: a write (here the mark
    itself set back) makes the next use write it again, once."""
    m = vandaag_geldig(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie, tijd=None))
    Machtiging.objects.filter(pk=m.pk).update(laatst_gebruikt_op=timezone.localdate() - dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        api.evaluatie(vraag(middel, dienst, organisatie, tijd=None))
        api.evaluatie(vraag(middel, dienst, organisatie, tijd=None))
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "machtigingen_machtiging"')]
    assert len(updates) == 1
    m.refresh_from_db()
    assert m.laatst_gebruikt_op == timezone.localdate()


def test_r76_a_batch_records_every_permitting_machtiging_in_one_statement(api, middel, organisatie):
    diensten = DienstFactory.create_batch(4)
    ms = [vandaag_geldig(middel, organisatie, dienst=d) for d in diensten[:3]]
    data = {"evaluations": [vraag(middel, d, organisatie, tijd=None) for d in diensten]}
    with CaptureQueriesContext(connection) as queries:
        assert [e["decision"] for e in api.evaluaties(data).json()["evaluations"]] == [True, True, True, False]
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "machtigingen_machtiging"')]
    assert len(updates) == 1
    assert set(Machtiging.objects.filter(laatst_gebruikt_op__isnull=False).values_list("pk", flat=True)) == {
        m.pk for m in ms
    }


def test_r76_a_question_about_another_moment_or_a_no_is_no_use(api, middel, dienst, organisatie):
    m = machtiging(middel, organisatie, dienst=dienst)  # valid around 15 June 2025
    assert api.evaluatie(vraag(middel, dienst, organisatie)).json()["decision"] is True
    andere = DienstFactory()
    api.evaluatie(vraag(middel, andere, organisatie, tijd=None))
    m.refresh_from_db()
    assert m.laatst_gebruikt_op is None
