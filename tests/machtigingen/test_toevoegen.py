"""Adding machtigingen per user and in bulk: R4, R30, R31, R33, R36, R39."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogus.models import Dienst
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.services import machtiging_toevoegen
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory

from .conftest import maak_middel

pytestmark = pytest.mark.django_db


def test_adds_one_machtiging_per_user(beheerder, organisatie, middel, dienst):
    (m,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    m.refresh_from_db()
    assert (m.middel, m.organisatie, m.scope, m.dienst, m.status) == (
        middel,
        organisatie,
        Scope.DIENST,
        dienst,
        Status.ACTIEF,
    )


def test_adds_algemene_bevoegdheid_and_dienstverlenersmachtiging(beheerder, organisatie, middel, dienst):
    machtiging_toevoegen(
        actor=beheerder,
        organisatie=organisatie,
        middelen=[middel],
        algemene_niveaus=[Niveau.EH2_PLUS],
        dienstverleners=[dienst.dienstverlener],
    )
    assert set(Machtiging.objects.values_list("scope", "niveau", "dienstverlener_id")) == {
        (Scope.ALGEMEEN, Niveau.EH2_PLUS, None),
        (Scope.DIENSTVERLENER, None, dienst.dienstverlener_id),
    }


# R4 ---------------------------------------------------------------------------------------------------


def test_r4_gebruiker_cannot_add_machtigingen(gebruiker, organisatie, middel, dienst):
    with pytest.raises(DomainError) as exc:
        machtiging_toevoegen(actor=gebruiker, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    assert exc.value.rule == "R4"
    assert not Machtiging.objects.exists()


def test_r4_beheerder_of_other_organisation_cannot_add(andere_beheerder, organisatie, middel, dienst):
    with pytest.raises(DomainError, match="Alleen een beheerder"):
        machtiging_toevoegen(actor=andere_beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])


def test_r4_beheerder_with_ended_koppeling_cannot_add(beheerder, organisatie, middel, dienst):
    Koppeling.objects.filter(middel__persoon=beheerder).update(status=Koppeling.Status.BEEINDIGD)
    with pytest.raises(DomainError, match="Alleen een beheerder"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])


# R30 --------------------------------------------------------------------------------------------------


def test_r30_middel_waiting_for_activation_gets_no_machtiging(beheerder, organisatie, dienst):
    wachtend = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True)).middel
    with pytest.raises(DomainError, match="Alleen actieve gebruikers") as exc:
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[wachtend], diensten=[dienst])
    assert exc.value.rule == "R30"
    assert not Machtiging.objects.exists()


def test_r30_middel_not_linked_to_the_organisation_gets_no_machtiging(beheerder, organisatie, dienst):
    elders = KoppelingFactory().middel  # Actief, but linked to another organisation
    with pytest.raises(DomainError, match="Alleen actieve gebruikers"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[elders], diensten=[dienst])


def test_r30_middel_with_ended_koppeling_gets_no_machtiging(beheerder, organisatie, middel, dienst):
    Koppeling.objects.filter(middel=middel).update(status=Koppeling.Status.BEEINDIGD)
    with pytest.raises(DomainError, match="Alleen actieve gebruikers"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])


def test_r30_one_inactive_middel_refuses_the_whole_bulk_action(beheerder, organisatie, middel, dienst):
    beeindigd = maak_middel(organisatie, middel__status=Middel.Status.BEEINDIGD)
    with pytest.raises(DomainError):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel, beeindigd], diensten=[dienst])
    assert not Machtiging.objects.exists()


# R31 --------------------------------------------------------------------------------------------------


def test_r31_middel_below_dienst_niveau_is_refused_with_the_manuals_text(beheerder, organisatie, dienst):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    with pytest.raises(DomainError) as exc:
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[laag], diensten=[dienst])
    assert str(exc.value) == "Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging."
    assert exc.value.rule == "R31"
    assert not Machtiging.objects.exists()


def test_r31_middel_at_dienst_niveau_is_accepted(beheerder, organisatie, dienst_eh2plus):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[laag], diensten=[dienst_eh2plus])
    assert Machtiging.objects.filter(middel=laag).count() == 1


def test_r31_algemene_bevoegdheid_above_middel_niveau_is_refused(beheerder, organisatie):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    with pytest.raises(DomainError, match="benodigde niveau"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[laag], algemene_niveaus=[Niveau.EH3])


def test_r31_in_bulk_the_highest_dienst_decides(beheerder, organisatie, dienst, dienst_eh2plus):
    hoog, laag = maak_middel(organisatie, Niveau.EH3), maak_middel(organisatie, Niveau.EH2_PLUS)
    with pytest.raises(DomainError, match="benodigde niveau"):
        machtiging_toevoegen(
            actor=beheerder, organisatie=organisatie, middelen=[hoog, laag], diensten=[dienst_eh2plus, dienst]
        )
    assert not Machtiging.objects.exists()


# R33 --------------------------------------------------------------------------------------------------


def test_r33_starts_today_and_ends_after_5_years_by_default(beheerder, organisatie, middel, dienst):
    (m,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    m.refresh_from_db()
    assert m.begint_op == vandaag()
    assert m.eindigt_op == plus_jaren(vandaag(), 5)


@pytest.mark.parametrize("dagen", [0, -1])
def test_r33_end_date_today_or_earlier_is_refused(beheerder, organisatie, middel, dienst, dagen):
    with pytest.raises(DomainError, match="op zijn vroegst de volgende dag"):
        machtiging_toevoegen(
            actor=beheerder,
            organisatie=organisatie,
            middelen=[middel],
            diensten=[dienst],
            eindigt_op=vandaag() + dt.timedelta(days=dagen),
        )


def test_r33_end_date_tomorrow_and_at_5_years_are_accepted(beheerder, organisatie, middel, dienst, dienst_eh2plus):
    morgen, max_ = vandaag() + dt.timedelta(days=1), plus_jaren(vandaag(), 5)
    machtiging_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst], eindigt_op=morgen
    )
    machtiging_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst_eh2plus], eindigt_op=max_
    )
    assert sorted(Machtiging.objects.values_list("eindigt_op", flat=True)) == [morgen, max_]


def test_r33_end_date_beyond_5_years_is_refused(beheerder, organisatie, middel, dienst):
    with pytest.raises(DomainError, match="maximaal 5 jaar"):
        machtiging_toevoegen(
            actor=beheerder,
            organisatie=organisatie,
            middelen=[middel],
            diensten=[dienst],
            eindigt_op=plus_jaren(vandaag(), 5) + dt.timedelta(days=1),
        )


# R36 --------------------------------------------------------------------------------------------------


def test_r36_existing_pair_gets_the_new_end_date_instead_of_a_duplicate(beheerder, organisatie, middel, dienst):
    (eerste,) = machtiging_toevoegen(
        actor=beheerder,
        organisatie=organisatie,
        middelen=[middel],
        diensten=[dienst],
        eindigt_op=vandaag() + dt.timedelta(days=20),
    )
    nieuw_einde = plus_jaren(vandaag(), 3)
    (tweede,) = machtiging_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst], eindigt_op=nieuw_einde
    )
    assert tweede.pk == eerste.pk
    assert list(Machtiging.objects.values_list("pk", "eindigt_op")) == [(eerste.pk, nieuw_einde)]


def test_r36_bulk_diensten_times_users_extends_existing_and_adds_the_rest(
    beheerder, organisatie, dienst, dienst_eh2plus
):
    a, b, c = (maak_middel(organisatie) for _ in range(3))
    (bestaand,) = machtiging_toevoegen(
        actor=beheerder,
        organisatie=organisatie,
        middelen=[b],
        diensten=[dienst],
        eindigt_op=vandaag() + dt.timedelta(days=9),
    )
    einde = plus_jaren(vandaag(), 1)
    resultaat = machtiging_toevoegen(
        actor=beheerder,
        organisatie=organisatie,
        middelen=[a, b, c],
        diensten=[dienst, dienst_eh2plus],
        eindigt_op=einde,
    )
    assert len(resultaat) == 6
    assert Machtiging.objects.count() == 6
    assert set(Machtiging.objects.values_list("eindigt_op", flat=True)) == {einde}
    assert Machtiging.objects.filter(middel=b, dienst=dienst).get().pk == bestaand.pk


def test_r36_a_lapsed_pair_not_yet_expired_by_the_job_is_replaced(beheerder, organisatie, middel, dienst):
    oud = Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=400),
        eindigt_op=vandaag(),
    )
    (nieuw,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    oud.refresh_from_db()
    assert nieuw.pk != oud.pk
    assert oud.status == Status.VERLOPEN
    assert nieuw.begint_op == vandaag()


@pytest.mark.parametrize("soort", ["algemeen", "dienstverlener"])
def test_r36_existing_algemene_bevoegdheid_or_dienstverlenersmachtiging_gets_the_new_end_date(
    beheerder, organisatie, middel, dienst, soort
):
    # Only dienst keys used to match existing rows: the other kinds got a second active row.
    keuze = (
        {"algemene_niveaus": [Niveau.EH2_PLUS]} if soort == "algemeen" else {"dienstverleners": [dienst.dienstverlener]}
    )
    (eerste,) = machtiging_toevoegen(
        actor=beheerder,
        organisatie=organisatie,
        middelen=[middel],
        eindigt_op=vandaag() + dt.timedelta(days=20),
        **keuze,
    )
    nieuw_einde = plus_jaren(vandaag(), 3)
    (tweede,) = machtiging_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=[middel], eindigt_op=nieuw_einde, **keuze
    )
    assert tweede.pk == eerste.pk
    assert list(Machtiging.objects.filter(status=Status.ACTIEF).values_list("pk", "eindigt_op")) == [
        (eerste.pk, nieuw_einde)
    ]


def test_r36_bulk_add_runs_a_fixed_number_of_queries(beheerder, organisatie, dienst, dienst_eh2plus):
    def aantal_queries(n):
        middelen = [maak_middel(organisatie) for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            machtiging_toevoegen(
                actor=beheerder, organisatie=organisatie, middelen=middelen, diensten=[dienst, dienst_eh2plus]
            )
        return len(ctx.captured_queries)

    assert aantal_queries(1) == aantal_queries(30)
    assert Machtiging.objects.count() == 2 * 31


# R39 --------------------------------------------------------------------------------------------------


@pytest.fixture
def beheerder_eh2plus(organisatie):
    return KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon


def test_r39_beheerder_cannot_grant_a_dienst_above_own_niveau(beheerder_eh2plus, organisatie, middel, dienst):
    with pytest.raises(DomainError, match="eigen niveau") as exc:
        machtiging_toevoegen(actor=beheerder_eh2plus, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    assert exc.value.rule == "R39"
    assert not Machtiging.objects.exists()


def test_r39_beheerder_grants_at_own_niveau(beheerder_eh2plus, organisatie, middel, dienst_eh2plus):
    machtiging_toevoegen(actor=beheerder_eh2plus, organisatie=organisatie, middelen=[middel], diensten=[dienst_eh2plus])
    assert Machtiging.objects.filter(middel=middel).count() == 1


def test_r39_beheerder_cannot_grant_algemene_bevoegdheid_above_own_niveau(beheerder_eh2plus, organisatie, middel):
    with pytest.raises(DomainError, match="eigen niveau"):
        machtiging_toevoegen(
            actor=beheerder_eh2plus, organisatie=organisatie, middelen=[middel], algemene_niveaus=[Niveau.EH3]
        )


def test_r39_dienstverlenersmachtiging_counts_its_highest_dienst(beheerder_eh2plus, organisatie, middel):
    verlener = DienstverlenerFactory()
    DienstFactory(dienstverlener=verlener, niveau=Niveau.EH2_PLUS)
    DienstFactory(dienstverlener=verlener, niveau=Niveau.EH3)
    with pytest.raises(DomainError, match="eigen niveau"):
        machtiging_toevoegen(
            actor=beheerder_eh2plus, organisatie=organisatie, middelen=[middel], dienstverleners=[verlener]
        )


def test_withdrawn_dienst_cannot_be_granted(beheerder, organisatie, middel, dienst):
    Dienst.objects.filter(pk=dienst.pk).update(ingetrokken=True)
    with pytest.raises(DomainError, match="ingetrokken"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])


def test_nothing_chosen_is_refused(beheerder, organisatie, middel, dienst):
    with pytest.raises(DomainError, match="ten minste één machtiging"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel])
    with pytest.raises(DomainError, match="ten minste één gebruiker"):
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[], diensten=[dienst])


def test_r33_bulk_add_takes_a_quick_choice(beheerder, organisatie, middel, dienst):
    (m,) = machtiging_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst], eindigt_op="3"
    )
    assert m.eindigt_op == plus_jaren(vandaag(), 3)
