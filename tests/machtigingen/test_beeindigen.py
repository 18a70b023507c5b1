"""Ending machtigingen has ONE way, `machtigingen_beeindigen`: audited per machtiging (R74), the R37 message once
per person per organisation, a constant number of queries; used by every service that ends machtigingen."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, Soort
from common.dates import vandaag
from gebruikers import services as gebruikers
from gebruikers.models import Koppeling
from machtigingen.models import Machtiging, Status
from machtigingen.services import machtigingen_beeindigen
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def r37_berichten():
    return list(Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD).values_list("persoon_id", "organisatie_id"))


def test_one_message_per_person_per_organisation_and_one_audit_row_per_machtiging(organisatie, beheerder):
    tweede = OrganisatieFactory()
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    KoppelingFactory(organisatie=tweede, middel=a)
    rijen = [
        MachtigingFactory(organisatie=organisatie, middel=a),
        MachtigingFactory(organisatie=organisatie, middel=a),
        MachtigingFactory(organisatie=tweede, middel=a),
        MachtigingFactory(organisatie=organisatie, middel=b),
    ]
    MachtigingFactory(organisatie=organisatie, middel=b, status=Status.VERLOPEN)  # not active: left alone

    beeindigd = machtigingen_beeindigen(Machtiging.objects.filter(middel__in=[a, b]), door=beheerder)

    assert sorted(m.pk for m in beeindigd) == sorted(m.pk for m in rijen)
    assert set(Machtiging.objects.filter(pk__in=[m.pk for m in rijen]).values_list("status", flat=True)) == {
        Status.INGETROKKEN
    }
    assert sorted(r37_berichten()) == sorted(
        [(a.persoon_id, organisatie.pk), (a.persoon_id, tweede.pk), (b.persoon_id, organisatie.pk)]
    )
    audit = AuditEntry.objects.filter(actie=Actie.MACHTIGING_INGETROKKEN)
    assert sorted(int(e.object_id) for e in audit) == sorted(m.pk for m in rijen)
    assert {e.actor_id for e in audit} == {beheerder.pk}


def test_a_constant_number_of_queries(organisatie, beheerder):
    def maak(aantal_personen):
        middelen = [maak_middel(organisatie) for _ in range(aantal_personen)]
        for middel in middelen:
            MachtigingFactory.create_batch(3, organisatie=organisatie, middel=middel)
        return Machtiging.objects.filter(middel__in=middelen)

    een, twintig = maak(1), maak(20)
    with CaptureQueriesContext(connection) as weinig:
        machtigingen_beeindigen(een, door=beheerder)
    with CaptureQueriesContext(connection) as veel:
        machtigingen_beeindigen(twintig, door=beheerder)
    assert len(weinig.captured_queries) == len(veel.captured_queries)
    assert Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD).count() == 21


def test_nothing_active_changes_nothing(organisatie, beheerder):
    m = MachtigingFactory(organisatie=organisatie, middel=maak_middel(organisatie), status=Status.VERLOPEN)
    assert machtigingen_beeindigen(Machtiging.objects.filter(pk=m.pk), door=beheerder) == []
    assert not r37_berichten()
    assert not AuditEntry.objects.filter(actie=Actie.MACHTIGING_INGETROKKEN).exists()


def test_r37_the_planned_termination_job_tells_the_person(organisatie, beheerder):
    """The defect: the job ended the machtigingen with a bare UPDATE, without a message or an audit row."""
    middel = maak_middel(organisatie)
    koppeling = Koppeling.objects.get(middel=middel, organisatie=organisatie)
    rijen = MachtigingFactory.create_batch(2, organisatie=organisatie, middel=middel)
    datum = vandaag() + dt.timedelta(days=5)
    gebruikers.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=Koppeling.Opzegmoment.DATUM, datum=datum)

    assert gebruikers.opzeggingen_uitvoeren(peildatum=datum) == 1

    assert r37_berichten() == [(middel.persoon_id, organisatie.pk)]  # one message for both machtigingen
    assert set(Machtiging.objects.filter(middel=middel).values_list("status", flat=True)) == {Status.INGETROKKEN}
    audit = AuditEntry.objects.filter(actie=Actie.MACHTIGING_INGETROKKEN)
    assert sorted(int(e.object_id) for e in audit) == sorted(m.pk for m in rijen)
    assert {e.actor_id for e in audit} == {None}  # the job


def test_r37_termination_per_direct_tells_the_person_once_per_organisation(organisatie, beheerder):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    middel = maak_middel(organisatie)
    KoppelingFactory(organisatie=tweede, middel=middel)
    for org in (organisatie, tweede):
        MachtigingFactory.create_batch(2, organisatie=org, middel=middel)

    gebruikers.middel_opzeggen(
        actor=beheerder,
        koppeling=Koppeling.objects.get(middel=middel, organisatie=organisatie),
        moment=Koppeling.Opzegmoment.PER_DIRECT,
        ook_organisaties=[tweede],
    )

    assert sorted(r37_berichten()) == sorted([(middel.persoon_id, organisatie.pk), (middel.persoon_id, tweede.pk)])
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_INGETROKKEN).count() == 4
