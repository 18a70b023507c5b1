"""R5 at every future date (issue #14 leftover): a beheerder whose termination is planned counts only until that day.

Counting "now" only let these through, each leaving an organisation without an Actief beheerder on a later day:
(a) a planned termination of one beheerder, then a demotion of the other now; (b) two planned terminations of the
only two beheerders on different days; (c) a planned termination plus an immediate one, or a role change chosen
with a niveau change. Through the services, through the screens (the message shown in place), and the job.
"""

import datetime as dt
import logging

import pytest
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht
from berichten.models import Soort as BerichtSoort
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from common.weergave import datum
from gebruikers import rules, services
from gebruikers.models import Aanvraag, Koppeling, Middel
from organisaties.models import Organisatie
from tests.datum import datum_velden
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import beheerder_van

pytestmark = pytest.mark.django_db

PER_DIRECT = Koppeling.Opzegmoment.PER_DIRECT
DATUM = Koppeling.Opzegmoment.DATUM
EINDE = Koppeling.Opzegmoment.EINDE_CONTRACT
TOEKOMST = "Na deze wijziging is er vanaf"


def dag(n: int) -> dt.date:
    return vandaag() + dt.timedelta(days=n)


def koppeling_van(persoon, organisatie) -> Koppeling:
    return Koppeling.objects.select_related("middel__persoon", "organisatie").get(
        middel__persoon=persoon, organisatie=organisatie
    )


def vers(koppeling) -> Koppeling:
    return Koppeling.objects.select_related("middel__persoon", "organisatie").get(pk=koppeling.pk)


def plan(actor, koppeling, n: int):
    return services.middel_opzeggen(actor=actor, koppeling=koppeling, moment=DATUM, datum=dag(n))


def beheerders_op(organisatie, d: dt.date) -> int:
    """Independent of the rules: the Actief beheerders still there on day `d`."""
    return sum(
        1
        for k in Koppeling.objects.filter(
            organisatie=organisatie, rol="beheerder", status="actief", middel__status=Middel.Status.ACTIEF
        )
        if k.opzeggen_per is None or k.opzeggen_per > d
    )


@pytest.fixture
def twee(organisatie, beheerder):
    """A (the `beheerder` fixture) and B, the only two beheerders, and C, a gebruiker who stays."""
    b = beheerder_van(organisatie)
    KoppelingFactory(organisatie=organisatie)
    return koppeling_van(beheerder, organisatie), vers(b)


# --- (a) a planned termination, then a demotion now ----------------------------------------------------------


def test_r5_demotion_refused_while_the_other_beheerders_termination_is_planned(organisatie, beheerder, twee):
    a, b = twee
    plan(b.middel.persoon, a, 10)  # B terminates A per day 10: accepted, B remains
    with pytest.raises(DomainError) as fout:
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=b, rol="gebruiker")
    assert fout.value.rule == "R5"
    assert fout.value.code == "laatste_beheerder"
    assert f"{TOEKOMST} {datum(dag(10))} geen beheerder meer" in str(fout.value)
    assert vers(b).rol == Koppeling.Rol.BEHEERDER
    assert beheerders_op(organisatie, dag(10)) == 1


def test_r5_demotion_allowed_when_a_beheerder_without_planned_end_remains(organisatie, beheerder, twee):
    a, b = twee
    beheerder_van(organisatie)  # D: no termination planned
    plan(b.middel.persoon, a, 10)
    services.koppeling_wijzig_rol(actor=beheerder, koppeling=b, rol="gebruiker")
    assert vers(b).rol == Koppeling.Rol.GEBRUIKER
    assert beheerders_op(organisatie, dag(10)) == 1


def test_r5_own_planned_termination_then_demoting_the_other_is_refused(organisatie, beheerder, twee):
    """The actor plans their own end (the other remains), then tries to demote that other one."""
    a, b = twee
    plan(beheerder, a, 7)
    assert rules.rol_wijziging_vooruitzicht(vers(b), "gebruiker").dag == dag(7)
    with pytest.raises(DomainError) as fout:
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=vers(b), rol="gebruiker")
    assert fout.value.rule == "R5"
    assert vers(b).rol == Koppeling.Rol.BEHEERDER


# --- (b) two planned terminations on different days -----------------------------------------------------------


@pytest.mark.parametrize(("eerst", "daarna"), [(10, 5), (5, 10), (5, 5)])
def test_r5_two_planned_terminations_of_the_only_two_beheerders_refused(organisatie, beheerder, twee, eerst, daarna):
    a, b = twee
    plan(beheerder, b, eerst)  # A plans B's end: A remains
    with pytest.raises(DomainError) as fout:
        plan(vers(b).middel.persoon, a, daarna)  # B plans A's end: nobody after the later day
    assert fout.value.rule == "R5"
    assert datum(dag(max(eerst, daarna))) in str(fout.value)
    assert vers(a).opzeggen_per is None
    assert beheerders_op(organisatie, dag(60)) == 1


def test_r5_end_of_contract_plan_counts_like_a_date(organisatie, beheerder, twee):
    a, b = twee
    Koppeling.objects.filter(pk=a.pk).update(abonnement_eind=dag(30))
    plan(beheerder, b, 3)
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=vers(b).middel.persoon, koppeling=vers(a), moment=EINDE)
    assert fout.value.rule == "R5"
    assert datum(dag(30)) in str(fout.value)


# --- (c) other combinations ------------------------------------------------------------------------------------


def test_r5_planned_termination_then_an_immediate_one_refused(organisatie, beheerder, twee):
    a, b = twee
    plan(b.middel.persoon, a, 10)
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=beheerder, koppeling=b, moment=PER_DIRECT)
    assert fout.value.rule == "R5"
    assert TOEKOMST in str(fout.value)
    assert vers(b).status == Koppeling.Status.ACTIEF


def test_r20_own_immediate_termination_refused_while_the_other_beheerder_leaves_later(organisatie, beheerder, twee):
    a, b = twee
    plan(beheerder, b, 10)
    assert rules.opzeg_gevolg(vers(a), eigen=True) == rules.OPZEGGEN_EIGEN_GEWEIGERD
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=beheerder, koppeling=vers(a), moment=PER_DIRECT)
    assert fout.value.code == rules.OPZEGGEN_EIGEN_GEWEIGERD
    assert vers(a).status == Koppeling.Status.ACTIEF


def test_r5_role_change_with_a_niveau_change_refused(organisatie, beheerder, twee, tarieven):
    a, b = twee
    plan(b.middel.persoon, a, 10)
    with pytest.raises(DomainError) as fout:
        services.middel_upgraden(
            actor=beheerder,
            organisatie=organisatie,
            middel=b.middel,
            niveau=Niveau.EH2_PLUS,
            kosten_geaccepteerd=True,
            rol="gebruiker",
        )
    assert fout.value.rule == "R5"
    assert vers(b).rol == Koppeling.Rol.BEHEERDER
    assert not Aanvraag.objects.filter(middel=b.middel).exists()


def test_r5_someone_elses_last_beheerder_refused_when_nobody_would_remain_after_the_own_plan(organisatie, beheerder):
    """Only the own middel ends the whole organisation (R20, after its warning); someone else's is refused."""
    a = koppeling_van(beheerder, organisatie)
    b = vers(beheerder_van(organisatie))
    plan(beheerder, a, 5)  # B remains: accepted
    assert rules.opzeg_gevolg(vers(b), eigen=False) == rules.OPZEGGEN_LAATSTE_BEHEERDER
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=beheerder, koppeling=vers(b), moment=PER_DIRECT)
    assert fout.value.rule == "R5"


def test_r20_own_termination_when_the_last_other_leaves_later_ends_the_organisation_on_that_day(organisatie, beheerder):
    a = koppeling_van(beheerder, organisatie)
    b = vers(beheerder_van(organisatie))
    plan(beheerder, b, 5)
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=beheerder, koppeling=vers(a), moment=PER_DIRECT)
    assert fout.value.code == "bevestig_opzeggen_organisatie"
    services.middel_opzeggen(actor=beheerder, koppeling=vers(a), moment=PER_DIRECT, bevestig_opzeggen_organisatie=True)
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.ACTIEF  # B is still there until day 5
    assert services.opzeggingen_uitvoeren(peildatum=dag(5)) == 1
    organisatie.refresh_from_db()
    assert organisatie.status == Organisatie.Status.OPGEZEGD


def test_r5_a_planned_gebruiker_does_not_count_as_remaining(organisatie, beheerder, twee):
    """The users still there on the beheerder gap day decide R5 vs R20, so a gebruiker leaving earlier does not."""
    a, b = twee
    c = Koppeling.objects.get(organisatie=organisatie, rol="gebruiker")
    plan(beheerder, c, 3)
    plan(beheerder, b, 4)
    v = rules.opzeg_vooruitzicht(vers(a), per=dag(8))
    assert (v.dag, v.blijvende, v.zonder_beheerder, v.organisatie_eindigt) == (dag(8), 0, False, True)
    assert rules.opzeg_gevolg(vers(a), eigen=True, per=dag(8)) == rules.OPZEGGEN_HELE_ORGANISATIE


def test_r5_rules_answer_as_the_service_refuses(organisatie, beheerder, twee):
    a, b = twee
    assert not rules.rol_wijziging_vooruitzicht(b, "gebruiker").zonder_beheerder
    plan(b.middel.persoon, a, 10)
    assert rules.rol_wijziging_vooruitzicht(vers(b), "gebruiker").zonder_beheerder
    assert not rules.rol_wijziging_vooruitzicht(vers(b), "beheerder").zonder_beheerder
    assert rules.opzeg_gevolg(vers(b), eigen=False, per=dag(20)) == rules.OPZEGGEN_LAATSTE_BEHEERDER
    assert rules.opzeg_gevolg(vers(b), eigen=False, per=None) == rules.OPZEGGEN_LAATSTE_BEHEERDER


# --- Screens: the refusal shows in place, with the date -------------------------------------------------------


def url(naam, persoon):
    return reverse(f"gebruikers:{naam}", args=[persoon.pk])


def test_r5_screen_rol_wijzigen_shows_the_future_gap(beheerder_client, organisatie, beheerder, twee):
    a, b = twee
    plan(b.middel.persoon, a, 10)
    response = beheerder_client.post(url("rol_wijzigen", b.middel.persoon), {"rol": "gebruiker"})
    assert response.status_code == 200
    assert f"{TOEKOMST} {datum(dag(10))} geen beheerder meer" in response.content.decode()
    assert vers(b).rol == Koppeling.Rol.BEHEERDER


def test_r5_screen_opzeggen_on_a_date_shows_the_future_gap(beheerder_client, organisatie, beheerder, twee):
    a, b = twee
    plan(b.middel.persoon, a, 12)  # B plans A's end: B remains
    response = beheerder_client.post(
        url("opzeggen", b.middel.persoon), {"moment": "datum", **datum_velden("datum", dag(6))}
    )
    assert response.status_code == 200
    assert f"{TOEKOMST} {datum(dag(12))} geen beheerder meer" in response.content.decode()
    assert vers(b).opzeggen_per is None


def test_r5_screen_opzeggen_per_direct_shows_the_future_gap(beheerder_client, organisatie, beheerder, twee):
    a, b = twee
    plan(b.middel.persoon, a, 9)
    response = beheerder_client.post(url("opzeggen", b.middel.persoon), {"moment": "per_direct"})
    assert response.status_code == 200
    assert f"{TOEKOMST} {datum(dag(9))} geen beheerder meer" in response.content.decode()
    assert vers(b).status == Koppeling.Status.ACTIEF


def test_r20_screen_own_opzeggen_popup_refuses_while_the_other_beheerder_leaves_later(
    beheerder_client, beheerder, twee
):
    """The first pop-up asks the same rule as the service: the other beheerder's plan makes the own end impossible."""
    a, b = twee
    plan(beheerder, b, 10)
    assert (
        "Helaas is het op dit moment niet mogelijk" in beheerder_client.get(url("opzeggen", beheerder)).content.decode()
    )
    response = beheerder_client.post(url("opzeggen", beheerder), {"moment": "datum", **datum_velden("datum", dag(20))})
    assert "Helaas is het op dit moment niet mogelijk" in response.content.decode()
    assert vers(a).opzeggen_per is None


# --- The job: data already inconsistent ------------------------------------------------------------------------


def test_r5_job_carries_out_the_first_and_refuses_the_last_of_two_inconsistent_plans(
    organisatie, beheerder, twee, caplog
):
    """Two plans that the services now refuse, put in directly (older data): on the first day the first runs (the
    other is still there); on the second day the last beheerder is kept, the plan cancelled, audited, logged, and
    the beheerder told."""
    a, b = twee
    Koppeling.objects.filter(pk=a.pk).update(opzeggen_per=dag(3), opzegmoment=DATUM)
    Koppeling.objects.filter(pk=b.pk).update(opzeggen_per=dag(8), opzegmoment=DATUM)

    assert services.opzeggingen_uitvoeren(peildatum=dag(3)) == 1
    assert vers(a).status == Koppeling.Status.BEEINDIGD
    with caplog.at_level(logging.WARNING, logger="gebruikers.services.jobs"):
        assert services.opzeggingen_uitvoeren(peildatum=dag(8)) == 0
    b = vers(b)
    assert (b.status, b.opzeggen_per) == (Koppeling.Status.ACTIEF, None)
    assert beheerders_op(organisatie, dag(60)) == 1
    assert AuditEntry.objects.filter(actie=Actie.KOPPELING_OPZEGGING_NIET_UITGEVOERD, object_id=str(b.pk)).exists()
    assert f"koppeling {b.pk}" in caplog.text
    assert Bericht.objects.filter(persoon=b.middel.persoon, soort=BerichtSoort.OPZEGGING_NIET_UITGEVOERD).exists()


def test_r5_job_keeps_the_beheerder_when_the_other_was_demoted_outside_the_services(organisatie, beheerder, twee):
    a, b = twee
    Koppeling.objects.filter(pk=a.pk).update(opzeggen_per=dag(4), opzegmoment=DATUM)
    Koppeling.objects.filter(pk=b.pk).update(rol=Koppeling.Rol.GEBRUIKER)
    assert services.opzeggingen_uitvoeren(peildatum=dag(4)) == 0
    assert vers(a).status == Koppeling.Status.ACTIEF
    assert beheerders_op(organisatie, dag(4)) == 1
