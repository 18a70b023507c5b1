"""The expiry job: set-based, idempotent, audited, and constant in queries whatever the number of rows."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import vandaag
from machtigingen import tasks
from machtigingen.models import Machtiging, Status
from machtigingen.services import verloop_machtigingen

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def _maak(organisatie, dienst, eindigt_over: int, status=Status.ACTIEF):
    return MachtigingFactory(
        organisatie=organisatie,
        middel=maak_middel(organisatie),
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=100),
        eindigt_op=vandaag() + dt.timedelta(days=eindigt_over),
        status=status,
    )


def test_job_expires_what_reached_its_end_date_and_nothing_else(organisatie, dienst):
    vandaag_op = _maak(organisatie, dienst, 0)  # end dates are exclusive: not valid today
    gisteren = _maak(organisatie, dienst, -1)
    morgen = _maak(organisatie, dienst, 1)
    ingetrokken = _maak(organisatie, dienst, -5, status=Status.INGETROKKEN)

    assert verloop_machtigingen() == 2
    status = dict(Machtiging.objects.values_list("pk", "status"))
    assert status == {
        vandaag_op.pk: Status.VERLOPEN,
        gisteren.pk: Status.VERLOPEN,
        morgen.pk: Status.ACTIEF,
        ingetrokken.pk: Status.INGETROKKEN,
    }
    assert set(AuditEntry.objects.filter(actie=Actie.MACHTIGING_VERLOPEN).values_list("object_id", flat=True)) == {
        str(vandaag_op.pk),
        str(gisteren.pk),
    }


def test_job_is_idempotent(organisatie, dienst):
    _maak(organisatie, dienst, -1)
    assert verloop_machtigingen() == 1
    assert verloop_machtigingen() == 0
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_VERLOPEN).count() == 1
    assert Machtiging.objects.get().status == Status.VERLOPEN


def test_job_takes_a_date(organisatie, dienst):
    over_een_week = _maak(organisatie, dienst, 7)
    assert verloop_machtigingen(op=vandaag() + dt.timedelta(days=6)) == 0
    assert verloop_machtigingen(op=vandaag() + dt.timedelta(days=7)) == 1
    over_een_week.refresh_from_db()
    assert over_een_week.status == Status.VERLOPEN


@pytest.mark.parametrize("n", [1, 30])
def test_job_query_count_does_not_grow_with_the_rows(organisatie, dienst, django_assert_num_queries, n):
    from django.db import connection

    for _ in range(n):
        _maak(organisatie, dienst, -1)
    # PostgreSQL: one statement; SQLite: INSERT ... SELECT and UPDATE. Plus the savepoint pair.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 4):
        assert verloop_machtigingen() == n
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_VERLOPEN).count() == n


def test_celery_task_has_the_scheduled_name_and_runs_the_job(organisatie, dienst, settings):
    _maak(organisatie, dienst, -1)
    assert tasks.verloop_machtigingen.name == "machtigingen.tasks.verloop_machtigingen"
    assert any(job["task"] == tasks.verloop_machtigingen.name for job in settings.CELERY_BEAT_SCHEDULE.values())
    assert tasks.verloop_machtigingen.apply().get() == 1
    assert Machtiging.objects.get().status == Status.VERLOPEN
