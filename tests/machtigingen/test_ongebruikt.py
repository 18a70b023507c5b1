"""R76: a machtiging unused for 24 months ends, after a warning by e-mail to the person and the beheerders two
months before; a use in between resets the clock (machtigingen.services.ongebruikt)."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, HerinneringVerstuurd, Soort
from common.dates import plus_jaren, plus_maanden, vandaag
from machtigingen.models import Status
from machtigingen.services import ongebruikte_machtigingen_afhandelen
from machtigingen.tasks import ongebruikte_machtigingen_afhandelen as taak
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory

pytestmark = pytest.mark.django_db

BEGIN = dt.date(2024, 3, 10)


def maanden(n: int, vanaf: dt.date = BEGIN) -> dt.date:
    return plus_maanden(vanaf, n)


def machtiging(organisatie, **kwargs):
    kwargs.setdefault("begint_op", BEGIN)
    kwargs.setdefault("eindigt_op", plus_jaren(kwargs["begint_op"], 5))
    return MachtigingFactory(organisatie=organisatie, **kwargs)


def waarschuwingen():
    return Bericht.objects.filter(soort=Soort.MACHTIGING_ONGEBRUIKT)


def afhandelen(dag):
    return ongebruikte_machtigingen_afhandelen(peildatum=dag)


def test_r76_warning_at_22_months_once_to_the_person_and_the_beheerders(organisatie, beheerder):
    m = machtiging(organisatie)

    assert afhandelen(maanden(22) - dt.timedelta(days=1)).gewaarschuwd == 0
    uitkomst = afhandelen(maanden(22))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (1, 0)
    berichten = {b.persoon_id: b for b in waarschuwingen()}
    assert set(berichten) == {m.middel.persoon_id, beheerder.pk}
    aan_persoon, aan_beheerder = berichten[m.middel.persoon_id], berichten[beheerder.pk]
    einde = maanden(24).strftime("%d-%m-%Y")
    assert aan_persoon.organisatie == organisatie and einde in aan_persoon.tekst
    assert m.dienst.naam in aan_persoon.tekst
    assert m.middel.persoon.naam in aan_beheerder.tekst and einde in aan_beheerder.tekst
    assert AuditEntry.objects.filter(actie=Actie.BERICHT_WAARSCHUWING_ONGEBRUIKT).count() == 2
    # Once: the same day again, and every day until it ends, sends nothing new.
    assert afhandelen(maanden(22)).gewaarschuwd == 0
    assert afhandelen(maanden(23)).gewaarschuwd == 0
    assert waarschuwingen().count() == 2
    m.refresh_from_db()
    assert m.status == Status.ACTIEF


def test_r76_one_email_per_person_per_organisation(organisatie, beheerder):
    eerste = machtiging(organisatie)
    machtiging(organisatie, middel=eerste.middel)
    machtiging(organisatie)  # another person

    assert afhandelen(maanden(22)).gewaarschuwd == 3
    # Two persons and the one beheerder, who gets one e-mail listing all three.
    assert waarschuwingen().count() == 3
    assert waarschuwingen().filter(persoon_id=eerste.middel.persoon_id).count() == 1
    assert waarschuwingen().get(persoon_id=beheerder.pk).tekst.count("\n- ") == 3


def test_r76_ends_at_24_months_with_the_message(organisatie, beheerder):
    m = machtiging(organisatie)
    afhandelen(maanden(22))

    assert afhandelen(maanden(24) - dt.timedelta(days=1)).beeindigd == 0
    uitkomst = afhandelen(maanden(24))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (0, 1)
    m.refresh_from_db()
    assert m.status == Status.INGETROKKEN and m.ingetrokken_op is not None
    audit = AuditEntry.objects.get(actie=Actie.MACHTIGING_INGETROKKEN, object_id=str(m.pk))
    assert audit.actor is None and "24 maanden niet gebruikt" in audit.omschrijving
    # R37: the person is told their machtigingen changed.
    assert Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD, persoon_id=m.middel.persoon_id).count() == 1
    assert afhandelen(maanden(25)).beeindigd == 0


def test_r76_a_use_resets_the_clock(organisatie, beheerder):
    m = machtiging(organisatie)
    afhandelen(maanden(22))
    gebruikt = maanden(23)
    m.laatst_gebruikt_op = gebruikt
    m.save(update_fields=["laatst_gebruikt_op"])

    assert afhandelen(maanden(24)).beeindigd == 0
    m.refresh_from_db()
    assert m.status == Status.ACTIEF
    # The new period gets its own warning at 22 months after the use, and ends at 24.
    assert afhandelen(maanden(22, gebruikt) - dt.timedelta(days=1)).gewaarschuwd == 0
    assert afhandelen(maanden(22, gebruikt)).gewaarschuwd == 1
    assert HerinneringVerstuurd.objects.filter(soort=Soort.MACHTIGING_ONGEBRUIKT, object_id=m.pk).count() == 2
    assert afhandelen(maanden(24, gebruikt) - dt.timedelta(days=1)).beeindigd == 0
    assert afhandelen(maanden(24, gebruikt)).beeindigd == 1


def test_r76_never_used_counts_from_the_start(organisatie):
    nooit = machtiging(organisatie)
    wel = machtiging(organisatie, laatst_gebruikt_op=maanden(1))
    later = machtiging(organisatie, begint_op=maanden(3))

    afhandelen(maanden(22))

    gewaarschuwd = set(
        HerinneringVerstuurd.objects.filter(soort=Soort.MACHTIGING_ONGEBRUIKT).values_list("object_id", flat=True)
    )
    assert gewaarschuwd == {nooit.pk}
    afhandelen(maanden(23))
    assert set(
        HerinneringVerstuurd.objects.filter(soort=Soort.MACHTIGING_ONGEBRUIKT).values_list("object_id", flat=True)
    ) == {nooit.pk, wel.pk}
    assert later.pk not in gewaarschuwd


def test_r76_never_ended_without_two_months_notice(organisatie):
    """A machtiging found long past 24 months (the job's first run, or after it was down) is warned first."""
    m = machtiging(organisatie)

    assert (afhandelen(maanden(30)).gewaarschuwd, afhandelen(maanden(30)).beeindigd) == (1, 0)
    assert maanden(32).strftime("%d-%m-%Y") in waarschuwingen().first().tekst
    assert afhandelen(maanden(32) - dt.timedelta(days=1)).beeindigd == 0
    assert afhandelen(maanden(32)).beeindigd == 1
    m.refresh_from_db()
    assert m.status == Status.INGETROKKEN


def test_r76_not_warned_when_it_ends_by_its_end_date_first(organisatie):
    machtiging(organisatie, eindigt_op=maanden(23))
    machtiging(organisatie, status=Status.INGETROKKEN)

    assert afhandelen(maanden(22)).gewaarschuwd == 0
    assert not waarschuwingen().exists()


def _queries(dag) -> int:
    with CaptureQueriesContext(connection) as ctx:
        afhandelen(dag)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("stap", ["waarschuwen", "beeindigen"])
def test_r76_constant_queries(organisatie, beheerder, stap):
    """The job's query count does not depend on the number of machtigingen (1 vs 4, different persons)."""
    andere = KoppelingFactory(beheerder=True).organisatie
    aantallen = []
    for n, begin in ((1, BEGIN), (4, maanden(1))):
        for i in range(n):
            machtiging(organisatie if i % 2 == 0 else andere, begint_op=begin)
        if stap == "beeindigen":
            afhandelen(maanden(22, begin))
        aantallen.append(_queries(maanden(24 if stap == "beeindigen" else 22, begin)))
    assert aantallen[0] == aantallen[1]


def test_r76_task_and_daily_schedule(organisatie):
    machtiging(organisatie, begint_op=plus_maanden(vandaag(), -22))
    assert taak() == {"gewaarschuwd": 1, "beeindigd": 0}
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == taak.name]
    assert len(entries) == 1


def test_r76_laatst_gebruikt_shown_in_the_details(beheerder_client, organisatie):
    nooit = machtiging(organisatie)
    machtiging(organisatie, middel=nooit.middel, laatst_gebruikt_op=dt.date(2025, 11, 3))

    response = beheerder_client.get(reverse("gebruikers:details", args=[nooit.middel.persoon_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Laatst gebruikt:") == 2
    assert "niet gebruikt" in html and "03-11-2025" in html
