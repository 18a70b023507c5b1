"""The expiry job: set-based, idempotent, audited, constant queries (R73, R74)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import vandaag
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from ketenmachtigingen.tasks import verloop_ketenmachtigingen
from machtigingen.models import Scope, Status
from tests.organisaties.factories import OrganisatieFactory


def maak(aantal, *, eindigt_op):
    verlener, intermediair = OrganisatieFactory(), OrganisatieFactory()
    return [
        Ketenmachtiging.objects.create(
            verlener=verlener,
            intermediair=intermediair,
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            begint_op=eindigt_op - dt.timedelta(days=100),
            eindigt_op=eindigt_op,
        )
        for _i in range(aantal)
    ]


def test_r73_job_expires_passed_end_dates_only_and_is_idempotent(db):
    verlopen = maak(3, eindigt_op=vandaag())
    lopend = maak(2, eindigt_op=vandaag() + dt.timedelta(days=1))
    assert verloop_ketenmachtigingen.delay().get() == {"ketenmachtigingen": 3, "uitnodigingen": 0}
    assert set(Ketenmachtiging.objects.filter(status=Status.VERLOPEN).values_list("pk", flat=True)) == {
        k.pk for k in verlopen
    }
    assert all(Ketenmachtiging.objects.get(pk=k.pk).status == Status.ACTIEF for k in lopend)
    regels = AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_VERLOPEN)
    assert regels.count() == 6 and {r.actor_label for r in regels} == {"systeem"}
    # Running again changes nothing and writes no audit.
    assert verloop_ketenmachtigingen() == {"ketenmachtigingen": 0, "uitnodigingen": 0}
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_VERLOPEN).count() == 6


def test_r73_job_constant_queries(db):
    maak(2, eindigt_op=vandaag())
    with CaptureQueriesContext(connection) as weinig:
        verloop_ketenmachtigingen()
    maak(40, eindigt_op=vandaag() - dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as veel:
        assert verloop_ketenmachtigingen()["ketenmachtigingen"] == 40
    assert len(veel.captured_queries) == len(weinig.captured_queries)


def test_r43_job_closes_expired_invitations(db):
    intermediair = OrganisatieFactory()
    for i, delta in enumerate((-1, -2, 5)):
        Uitnodiging.objects.create(
            intermediair=intermediair,
            kvk_nummer=f"1111222{i}",
            email="x@example.nl",
            token_hash=f"{i:064d}",
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            verloopt_op=timezone.now() + dt.timedelta(days=delta),
        )
    assert verloop_ketenmachtigingen()["uitnodigingen"] == 2
    assert Uitnodiging.objects.filter(status=Uitnodiging.Status.OPEN).count() == 1
    assert verloop_ketenmachtigingen()["uitnodigingen"] == 0
    assert AuditEntry.objects.filter(actie=Actie.UITNODIGING_VERLOPEN).count() == 2
