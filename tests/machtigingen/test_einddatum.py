"""Changing the end date per user (potlood, verlengen) and in bulk: R33, R36, R73."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Middel
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.services import (
    einddatum_voor_keuze,
    machtiging_intrekken,
    machtiging_verlengen,
    machtiging_wijzig_einddatum,
    machtigingen_wijzig_einddatum,
)
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def morgen():
    return vandaag() + dt.timedelta(days=1)


@pytest.fixture
def machtiging(organisatie, middel, dienst):
    return MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=700),
        eindigt_op=vandaag() + dt.timedelta(days=30),
    )


# R33: potlood and verlengen ----------------------------------------------------------------------------


def test_r33_potlood_sets_an_end_date_between_tomorrow_and_5_years(beheerder, machtiging):
    machtiging_wijzig_einddatum(actor=beheerder, machtiging=machtiging, eindigt_op=morgen())
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == morgen()
    machtiging_wijzig_einddatum(actor=beheerder, machtiging=machtiging, eindigt_op=plus_jaren(vandaag(), 5))
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == plus_jaren(vandaag(), 5)


@pytest.mark.parametrize(
    "einde",
    [lambda: vandaag(), lambda: plus_jaren(vandaag(), 5) + dt.timedelta(days=1)],
    ids=["today", "beyond-5-years"],
)
def test_r33_potlood_outside_tomorrow_to_5_years_is_refused(beheerder, machtiging, einde):
    oud = machtiging.eindigt_op
    with pytest.raises(DomainError):
        machtiging_wijzig_einddatum(actor=beheerder, machtiging=machtiging, eindigt_op=einde())
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == oud


@pytest.mark.parametrize(("keuze", "jaren"), [("5", 5), ("3", 3), ("1", 1), (3, 3)])
def test_r33_quick_choices_count_from_today(keuze, jaren):
    assert einddatum_voor_keuze(keuze) == plus_jaren(vandaag(), jaren)


def test_r33_own_date_is_taken_as_is_and_unknown_choice_refused():
    eigen = vandaag() + dt.timedelta(days=77)
    assert einddatum_voor_keuze(eigen) == eigen
    with pytest.raises(DomainError, match="5 jaar, 3 jaar, 1 jaar"):
        einddatum_voor_keuze("7")


def test_r33_verlengen_counts_from_today_not_from_the_old_end(beheerder, machtiging):
    machtiging_verlengen(actor=beheerder, machtiging=machtiging, keuze="1")
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == plus_jaren(vandaag(), 1)


def test_r33_verlengen_with_own_date_beyond_5_years_is_refused(beheerder, machtiging):
    with pytest.raises(DomainError, match="maximaal 5 jaar"):
        machtiging_verlengen(
            actor=beheerder, machtiging=machtiging, keuze=plus_jaren(vandaag(), 5) + dt.timedelta(days=1)
        )


def test_r4_gebruiker_cannot_change_an_end_date(gebruiker, machtiging):
    with pytest.raises(DomainError, match="Alleen een beheerder"):
        machtiging_verlengen(actor=gebruiker, machtiging=machtiging, keuze="5")


def test_revoked_machtiging_cannot_be_extended(beheerder, machtiging):
    machtiging_intrekken(actor=beheerder, machtiging=machtiging)
    with pytest.raises(DomainError, match="niet meer actief"):
        machtiging_verlengen(actor=beheerder, machtiging=machtiging, keuze="5")


def test_r31_extending_checks_the_niveau_again(beheerder, organisatie, machtiging):
    Middel.objects.filter(pk=machtiging.middel_id).update(niveau=Niveau.EH2_PLUS)
    with pytest.raises(DomainError, match="benodigde niveau"):
        machtiging_verlengen(actor=beheerder, machtiging=machtiging, keuze="5")
    # Ending it sooner stays possible.
    machtiging_wijzig_einddatum(actor=beheerder, machtiging=machtiging, eindigt_op=morgen())


def test_r39_extending_above_own_niveau_is_refused(organisatie, machtiging):
    laag = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    with pytest.raises(DomainError, match="eigen niveau"):
        machtiging_verlengen(actor=laag, machtiging=machtiging, keuze="5")


def test_r30_extending_for_an_inactive_middel_is_refused(beheerder, machtiging):
    Middel.objects.filter(pk=machtiging.middel_id).update(status=Middel.Status.BEEINDIGD)
    with pytest.raises(DomainError, match="Alleen actieve gebruikers"):
        machtiging_verlengen(actor=beheerder, machtiging=machtiging, keuze="5")


# R36: bulk ---------------------------------------------------------------------------------------------


def test_r36_bulk_end_date_ends_many_machtigingen_together(beheerder, organisatie, dienst):
    rijen = [
        MachtigingFactory(organisatie=organisatie, middel=maak_middel(organisatie), dienst=dienst) for _ in range(3)
    ]
    machtigingen_wijzig_einddatum(actor=beheerder, organisatie=organisatie, machtigingen=rijen, eindigt_op=morgen())
    assert set(Machtiging.objects.values_list("eindigt_op", flat=True)) == {morgen()}


def test_r36_bulk_end_date_extends_many_machtigingen_together(beheerder, organisatie, dienst):
    rijen = [
        MachtigingFactory(
            organisatie=organisatie,
            middel=maak_middel(organisatie),
            dienst=dienst,
            eindigt_op=morgen() + dt.timedelta(days=i),
        )
        for i in range(3)
    ]
    einde = plus_jaren(vandaag(), 5)
    machtigingen_wijzig_einddatum(actor=beheerder, organisatie=organisatie, machtigingen=rijen, eindigt_op=einde)
    assert set(Machtiging.objects.values_list("eindigt_op", flat=True)) == {einde}


def test_r36_bulk_refuses_a_machtiging_of_another_organisation(beheerder, organisatie, dienst):
    eigen = MachtigingFactory(organisatie=organisatie, middel=maak_middel(organisatie), dienst=dienst)
    vreemd = MachtigingFactory(dienst=dienst)
    with pytest.raises(DomainError, match="bestaat niet"):
        machtigingen_wijzig_einddatum(
            actor=beheerder, organisatie=organisatie, machtigingen=[eigen, vreemd], eindigt_op=morgen()
        )
    assert Machtiging.objects.filter(eindigt_op=morgen()).count() == 0


def test_r36_bulk_end_date_runs_a_fixed_number_of_queries(beheerder, organisatie, dienst, django_assert_num_queries):
    def maak(n):
        return [
            MachtigingFactory(organisatie=organisatie, middel=maak_middel(organisatie), dienst=dienst) for _ in range(n)
        ]

    een, dertig = maak(1), maak(30)
    # 6 for the change itself, 3 for the R37 outbox: the organisation, the persons and one INSERT for all messages.
    with django_assert_num_queries(9):
        machtigingen_wijzig_einddatum(actor=beheerder, organisatie=organisatie, machtigingen=een, eindigt_op=morgen())
    with django_assert_num_queries(9):
        machtigingen_wijzig_einddatum(
            actor=beheerder, organisatie=organisatie, machtigingen=dertig, eindigt_op=morgen()
        )


# R73 ---------------------------------------------------------------------------------------------------


def test_r73_service_refuses_an_end_more_than_5_years_after_the_start(beheerder, organisatie, middel, dienst):
    from machtigingen.services import machtiging_toevoegen

    with pytest.raises(DomainError) as exc:
        machtiging_toevoegen(
            actor=beheerder,
            organisatie=organisatie,
            middelen=[middel],
            diensten=[dienst],
            eindigt_op=plus_jaren(vandaag(), 5) + dt.timedelta(days=1),
        )
    assert exc.value.rule == "R73"


def test_r73_database_refuses_a_term_longer_than_5_years(organisatie, middel, dienst):
    begin = dt.date(2024, 3, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Machtiging.objects.create(
            middel=middel,
            organisatie=organisatie,
            scope=Scope.DIENST,
            dienst=dienst,
            begint_op=begin,
            eindigt_op=dt.date(2029, 3, 2),
        )
    # Exactly 5 years is allowed.
    Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=begin,
        eindigt_op=dt.date(2029, 3, 1),
    )


def test_r73_extension_restarts_the_term_so_the_5_years_hold(beheerder, machtiging):
    # Started ~2 years ago; "5 jaar" from today would end 7 years after begint_op.
    machtiging_verlengen(actor=beheerder, machtiging=machtiging, keuze="5")
    machtiging.refresh_from_db()
    assert machtiging.termijn_begint_op == vandaag()
    assert machtiging.eindigt_op == plus_jaren(machtiging.termijn_begint_op, 5)
    assert machtiging.begint_op < vandaag()  # "Machtiging sinds" is kept
    # The database holds the term, not begint_op, to the 5 years: moving the term back is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Machtiging.objects.filter(pk=machtiging.pk).update(termijn_begint_op=machtiging.begint_op)


def test_r73_database_check_uses_the_term_start(organisatie, middel):
    dienst = DienstFactory(niveau=Niveau.EH2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Machtiging.objects.create(
            middel=middel,
            organisatie=organisatie,
            scope=Scope.DIENST,
            dienst=dienst,
            begint_op=dt.date(2020, 1, 1),
            termijn_begint_op=dt.date(2022, 1, 1),
            eindigt_op=dt.date(2027, 1, 2),
            status=Status.ACTIEF,
        )
