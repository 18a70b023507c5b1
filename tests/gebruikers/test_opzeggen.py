"""Opzeggen (R19, R20), R5 for terminations, and the job that carries out planned terminations."""

import datetime as dt

import pytest

from audit.models import AuditEntry
from beheer.selectors import beheerbare_organisaties
from common.dates import vandaag
from common.errors import DomainError
from gebruikers import services
from gebruikers.models import Aanvraag, Koppeling, Middel
from gebruikers.selectors import gebruikers_overzicht
from machtigingen.models import Machtiging
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import beheerder_van
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

PER_DIRECT = Koppeling.Opzegmoment.PER_DIRECT
DATUM = Koppeling.Opzegmoment.DATUM
EINDE = Koppeling.Opzegmoment.EINDE_CONTRACT


def koppeling_van(persoon, organisatie) -> Koppeling:
    return Koppeling.objects.get(middel__persoon=persoon, organisatie=organisatie)


def machtiging(koppeling) -> Machtiging:
    return Machtiging.objects.create(
        middel=koppeling.middel,
        organisatie=koppeling.organisatie,
        scope="dienst",
        dienst=DienstFactory(),
        begint_op=vandaag(),
        eindigt_op=vandaag() + dt.timedelta(days=365),
    )


# --- R19 -----------------------------------------------------------------------------------------------------


def test_r19_per_direct_ends_koppeling_middel_and_login(organisatie, beheerder, gebruiker):
    koppeling = koppeling_van(gebruiker, organisatie)
    m = machtiging(koppeling)
    services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=PER_DIRECT)

    koppeling.refresh_from_db()
    gebruiker.refresh_from_db()
    m.refresh_from_db()
    assert koppeling.status == Koppeling.Status.BEEINDIGD
    assert koppeling.beeindigd_op == vandaag()
    assert koppeling.middel.status == Middel.Status.BEEINDIGD
    assert gebruiker.is_active is False  # can no longer log in anywhere
    assert m.status == "ingetrokken"
    # Disappears from the overview at once.
    assert gebruiker.pk not in {r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie)}
    entry = AuditEntry.objects.get(actie="koppeling.opgezegd")
    assert entry.voor["status"] == "actief" and entry.na["status"] == "beeindigd"


def test_r19_per_direct_for_several_organisations_in_one_step(organisatie, beheerder, gebruiker):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    KoppelingFactory(organisatie=tweede, middel=gebruiker.middel)
    derde = KoppelingFactory(middel=gebruiker.middel)  # an organisation the actor does not manage

    services.middel_opzeggen(
        actor=beheerder, koppeling=koppeling_van(gebruiker, organisatie), moment=PER_DIRECT, ook_organisaties=[tweede]
    )
    assert koppeling_van(gebruiker, organisatie).status == Koppeling.Status.BEEINDIGD
    assert koppeling_van(gebruiker, tweede).status == Koppeling.Status.BEEINDIGD
    derde.refresh_from_db()
    assert derde.status == Koppeling.Status.ACTIEF
    # Still linked elsewhere: the middel itself keeps working there.
    assert derde.middel.status == Middel.Status.ACTIEF


def test_r19_cannot_terminate_for_organisation_actor_does_not_manage(organisatie, beheerder, gebruiker):
    elders = KoppelingFactory(middel=gebruiker.middel)
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(
            actor=beheerder,
            koppeling=koppeling_van(gebruiker, organisatie),
            moment=PER_DIRECT,
            ook_organisaties=[elders.organisatie],
        )
    assert exc.value.rule == "R1"
    assert koppeling_van(gebruiker, organisatie).status == Koppeling.Status.ACTIEF


def test_r19_planned_on_future_date(organisatie, beheerder, gebruiker):
    datum = vandaag() + dt.timedelta(days=10)
    services.middel_opzeggen(
        actor=beheerder, koppeling=koppeling_van(gebruiker, organisatie), moment=DATUM, datum=datum
    )
    koppeling = koppeling_van(gebruiker, organisatie)
    assert koppeling.status == Koppeling.Status.ACTIEF
    assert koppeling.opzeggen_per == datum
    assert koppeling.opzegmoment == DATUM
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=DATUM, datum=vandaag())
    assert exc.value.rule == "R19"


def test_r19_at_end_of_contract_period(organisatie, beheerder, gebruiker):
    koppeling = koppeling_van(gebruiker, organisatie)
    services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=EINDE)
    koppeling.refresh_from_db()
    assert koppeling.opzeggen_per == koppeling.abonnement_eind
    assert koppeling.automatische_verlenging is False


def test_r19_job_carries_out_due_terminations_and_is_idempotent(organisatie, beheerder, gebruiker):
    koppeling = koppeling_van(gebruiker, organisatie)
    m = machtiging(koppeling)
    datum = vandaag() + dt.timedelta(days=3)
    services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=DATUM, datum=datum)

    assert services.opzeggingen_uitvoeren(peildatum=datum - dt.timedelta(days=1)) == 0
    assert koppeling_van(gebruiker, organisatie).status == Koppeling.Status.ACTIEF

    assert services.opzeggingen_uitvoeren(peildatum=datum) == 1
    koppeling.refresh_from_db()
    m.refresh_from_db()
    gebruiker.refresh_from_db()
    assert koppeling.status == Koppeling.Status.BEEINDIGD
    assert koppeling.beeindigd_op == datum
    assert koppeling.middel.status == Middel.Status.BEEINDIGD
    assert gebruiker.is_active is False
    assert m.status == "ingetrokken"
    audits = AuditEntry.objects.count()

    assert services.opzeggingen_uitvoeren(peildatum=datum) == 0
    assert services.opzeggingen_uitvoeren(peildatum=datum + dt.timedelta(days=5)) == 0
    assert AuditEntry.objects.count() == audits


def test_r19_celery_task_runs_the_job(organisatie, beheerder, gebruiker):
    from gebruikers.tasks import voer_opzeggingen_uit

    Koppeling.objects.filter(middel__persoon=gebruiker).update(opzeggen_per=vandaag(), opzegmoment=DATUM)
    assert voer_opzeggingen_uit.delay().get() == 1
    assert koppeling_van(gebruiker, organisatie).status == Koppeling.Status.BEEINDIGD


def _geplande_opzeggingen(n: int) -> None:
    for _ in range(n):
        k = KoppelingFactory(opzeggen_per=vandaag(), opzegmoment=DATUM)
        KoppelingFactory(organisatie=k.organisatie, beheerder=True)


def test_r19_job_is_set_based_constant_queries(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _geplande_opzeggingen(1)
    with CaptureQueriesContext(connection) as een:
        assert services.opzeggingen_uitvoeren() == 1
    _geplande_opzeggingen(50)
    with CaptureQueriesContext(connection) as vijftig:
        assert services.opzeggingen_uitvoeren() == 50
    assert len(een.captured_queries) == len(vijftig.captured_queries)


# --- R5 for terminations -------------------------------------------------------------------------------------


def test_r5_planned_termination_refused_when_no_beheerder_remains_after_the_date(organisatie, beheerder, gebruiker):
    ander = beheerder_van(organisatie)
    # The actor leaves in 5 days; planning the other beheerder's end after that would leave nobody.
    services.middel_opzeggen(
        actor=ander.middel.persoon,
        koppeling=koppeling_van(beheerder, organisatie),
        moment=DATUM,
        datum=vandaag() + dt.timedelta(days=5),
    )
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(
            actor=beheerder, koppeling=ander, moment=DATUM, datum=vandaag() + dt.timedelta(days=10)
        )
    assert exc.value.rule == "R5"
    ander.refresh_from_db()
    assert ander.opzeggen_per is None


def test_r5_job_skips_planned_termination_of_last_beheerder_and_audits(organisatie, beheerder, gebruiker):
    ander = beheerder_van(organisatie)
    datum = vandaag() + dt.timedelta(days=5)
    # Planned while another beheerder existed ...
    services.middel_opzeggen(
        actor=beheerder, koppeling=koppeling_van(beheerder, organisatie), moment=DATUM, datum=datum
    )
    # ... who then left outside the services (the service refuses it now, R5 at every date: test_r5_gepland):
    # data already inconsistent, at the date nobody would remain.
    Koppeling.objects.filter(pk=ander.pk).update(status=Koppeling.Status.BEEINDIGD, beeindigd_op=vandaag())

    assert services.opzeggingen_uitvoeren(peildatum=datum) == 0
    eigen = koppeling_van(beheerder, organisatie)
    assert eigen.status == Koppeling.Status.ACTIEF
    assert eigen.opzeggen_per is None  # the plan is cancelled, so the job does not retry it for ever
    assert organisatie in beheerbare_organisaties(beheerder)
    assert AuditEntry.objects.filter(actie="koppeling.opzegging_niet_uitgevoerd", object_id=str(eigen.pk)).exists()
    # Idempotent: nothing left to do or to audit.
    audits = AuditEntry.objects.count()
    assert services.opzeggingen_uitvoeren(peildatum=datum) == 0
    assert AuditEntry.objects.count() == audits


def test_r5_per_direct_termination_keeps_a_beheerder(organisatie, beheerder, gebruiker):
    ander = beheerder_van(organisatie)
    services.middel_opzeggen(actor=beheerder, koppeling=ander, moment=PER_DIRECT)
    ander.refresh_from_db()
    assert ander.status == Koppeling.Status.BEEINDIGD
    assert Koppeling.objects.filter(organisatie=organisatie, rol="beheerder", status="actief").count() == 1


# --- R20 -----------------------------------------------------------------------------------------------------


def test_r20_sole_beheerder_cannot_terminate_own_middel_while_others_remain(organisatie, beheerder, gebruiker):
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(
            actor=beheerder,
            koppeling=koppeling_van(beheerder, organisatie),
            moment=PER_DIRECT,
            bevestig_opzeggen_organisatie=True,
        )
    assert exc.value.rule == "R20"
    assert "niet mogelijk om uw eigen eHerkenningmiddel op te zeggen" in str(exc.value)
    assert koppeling_van(beheerder, organisatie).status == Koppeling.Status.ACTIEF


def test_r20_sole_beheerder_cannot_plan_own_termination_while_others_remain(organisatie, beheerder, gebruiker):
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(actor=beheerder, koppeling=koppeling_van(beheerder, organisatie), moment=EINDE)
    assert exc.value.rule == "R20"


def test_r20_with_another_beheerder_own_termination_is_allowed(organisatie, beheerder, gebruiker):
    beheerder_van(organisatie)
    services.middel_opzeggen(actor=beheerder, koppeling=koppeling_van(beheerder, organisatie), moment=PER_DIRECT)
    assert koppeling_van(beheerder, organisatie).status == Koppeling.Status.BEEINDIGD
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.ACTIEF


def test_r20_last_user_terminating_own_middel_needs_confirmation_and_ends_organisation(organisatie, beheerder):
    eigen = koppeling_van(beheerder, organisatie)
    with pytest.raises(DomainError) as exc:
        services.middel_opzeggen(actor=beheerder, koppeling=eigen, moment=PER_DIRECT)
    assert exc.value.rule == "R20"
    assert exc.value.code == "bevestig_opzeggen_organisatie"
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.ACTIEF

    services.middel_opzeggen(actor=beheerder, koppeling=eigen, moment=PER_DIRECT, bevestig_opzeggen_organisatie=True)
    organisatie.refresh_from_db()
    beheerder.refresh_from_db()
    assert organisatie.status == Organisatie.Status.OPGEZEGD
    assert organisatie.opgezegd_op == vandaag()
    assert beheerder.is_active is False
    assert beheerbare_organisaties(beheerder) == []


def test_r20_planned_organisation_termination_is_carried_out_by_the_job(organisatie, beheerder):
    datum = vandaag() + dt.timedelta(days=7)
    services.middel_opzeggen(
        actor=beheerder,
        koppeling=koppeling_van(beheerder, organisatie),
        moment=DATUM,
        datum=datum,
        bevestig_opzeggen_organisatie=True,
    )
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.ACTIEF
    assert services.opzeggingen_uitvoeren(peildatum=datum) == 1
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.OPGEZEGD


def test_r19_termination_ends_open_mutation(organisatie, beheerder, gebruiker, tarieven):
    middel = gebruiker.middel
    Aanvraag.objects.create(soort="upgrade", organisatie=organisatie, middel=middel, aangevraagd_door=beheerder)
    services.middel_opzeggen(actor=beheerder, koppeling=koppeling_van(gebruiker, organisatie), moment=PER_DIRECT)
    assert not Aanvraag.objects.filter(middel=middel, status="in_behandeling").exists()
