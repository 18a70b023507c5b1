"""Reads: R34 (ending soon), R38 (rubriek overview and detail), R31 (who can be chosen in bulk)."""

import datetime as dt

import pytest

from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Scope, Status
from machtigingen.selectors import (
    ScopeSleutel,
    kiesbare_algemene_bevoegdheden,
    kiesbare_diensten,
    kiesbare_middelen,
    machtiging_houders,
    machtigingen_overzicht,
    machtigingen_van_middel,
)
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def _binnen(dagen: int) -> dt.date:
    return vandaag() + dt.timedelta(days=dagen)


# R34 ---------------------------------------------------------------------------------------------------


def test_r34_machtiging_ending_within_2_months_is_flagged(organisatie, middel, dienst, dienst_eh2plus):
    binnenkort = MachtigingFactory(organisatie=organisatie, middel=middel, dienst=dienst, eindigt_op=_binnen(30))
    later = MachtigingFactory(organisatie=organisatie, middel=middel, dienst=dienst_eh2plus, eindigt_op=_binnen(200))
    vlaggen = {m.pk: m.eindigt_binnenkort for m in machtigingen_van_middel(organisatie, middel)}
    assert vlaggen == {binnenkort.pk: True, later.pk: False}


def test_r34_the_2_month_boundary(organisatie, middel, dienst, dienst_eh2plus):
    grens = MachtigingFactory(
        organisatie=organisatie, middel=middel, dienst=dienst, eindigt_op=plus_maanden(vandaag(), 2)
    )
    net_later = MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst_eh2plus,
        eindigt_op=plus_maanden(vandaag(), 2) + dt.timedelta(days=1),
    )
    vlaggen = {m.pk: m.eindigt_binnenkort for m in machtigingen_van_middel(organisatie, middel)}
    assert vlaggen == {grens.pk: True, net_later.pk: False}


def test_r34_rubriek_detail_and_overview_flag_ending_soon(organisatie, dienst):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst, eindigt_op=_binnen(10))
    MachtigingFactory(organisatie=organisatie, middel=b, dienst=dienst, eindigt_op=_binnen(400))
    houders = machtiging_houders(organisatie, ScopeSleutel(Scope.DIENST, dienst_id=dienst.pk))
    assert {m.middel_id: m.eindigt_binnenkort for m in houders} == {a.pk: True, b.pk: False}
    (regel,) = machtigingen_overzicht(organisatie)
    assert (regel.aantal, regel.aantal_binnenkort) == (2, 1)


# R38 ---------------------------------------------------------------------------------------------------


def test_r38_overview_counts_users_per_dienst_and_scope(organisatie, dienst, dienst_eh2plus):
    a, b, c = (maak_middel(organisatie) for _ in range(3))
    for m in (a, b, c):
        MachtigingFactory(organisatie=organisatie, middel=m, dienst=dienst)
    MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst_eh2plus)
    MachtigingFactory(organisatie=organisatie, middel=b, dienst=dienst_eh2plus, status=Status.INGETROKKEN)
    MachtigingFactory(organisatie=organisatie, middel=b, algemeen=True, niveau=Niveau.EH3)
    MachtigingFactory(
        organisatie=organisatie, middel=c, scope=Scope.DIENSTVERLENER, dienst=None, dienstverlener=dienst.dienstverlener
    )
    MachtigingFactory(dienst=dienst)  # another organisation

    regels = {(r.scope, r.naam): r.aantal for r in machtigingen_overzicht(organisatie)}
    assert regels == {
        (Scope.ALGEMEEN, "Algemene bevoegdheid EH3"): 1,
        (Scope.DIENST, "Tijdelijke parkeervergunning"): 3,
        (Scope.DIENST, "Subsidieportaal"): 1,
        (Scope.DIENSTVERLENER, "Dienstverlenersmachtiging Gemeente Haarlem"): 1,
    }


def test_r38_overview_leaves_out_users_no_longer_active(organisatie, dienst):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    for m in (a, b):
        MachtigingFactory(organisatie=organisatie, middel=m, dienst=dienst)
    Koppeling.objects.filter(middel=b).update(status=Koppeling.Status.BEEINDIGD)
    (regel,) = machtigingen_overzicht(organisatie)
    assert regel.aantal == 1


def test_r38_detail_lists_the_users_with_niveau_start_and_end(organisatie, dienst):
    a = maak_middel(organisatie, Niveau.EH3, middel__persoon__achternaam="Bakker")
    b = maak_middel(organisatie, Niveau.EH4, middel__persoon__achternaam="Veenstra")
    MachtigingFactory(organisatie=organisatie, middel=b, dienst=dienst, begint_op=_binnen(-3), eindigt_op=_binnen(90))
    MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst, begint_op=_binnen(-1), eindigt_op=_binnen(40))
    rijen = [
        (m.middel.persoon.achternaam, m.middel.niveau, m.begint_op, m.eindigt_op)
        for m in machtiging_houders(organisatie, ScopeSleutel(Scope.DIENST, dienst_id=dienst.pk))
    ]
    assert rijen == [
        ("Bakker", Niveau.EH3, _binnen(-1), _binnen(40)),
        ("Veenstra", Niveau.EH4, _binnen(-3), _binnen(90)),
    ]


def _vul(organisatie, n):
    diensten = [DienstFactory(niveau=Niveau.EH2) for _ in range(n)]
    middelen = [maak_middel(organisatie) for _ in range(n)]
    for i, (d, m) in enumerate(zip(diensten, middelen, strict=True)):
        MachtigingFactory(organisatie=organisatie, middel=m, dienst=d)
        if i:  # the first user holds every dienst
            MachtigingFactory(organisatie=organisatie, middel=middelen[0], dienst=d)
    return diensten, middelen


@pytest.mark.parametrize("n", [1, 30])
def test_r38_selectors_run_one_query_whatever_the_number_of_rows(organisatie, django_assert_num_queries, n):
    diensten, middelen = _vul(organisatie, n)
    sleutel = ScopeSleutel(Scope.DIENST, dienst_id=diensten[0].pk)
    with django_assert_num_queries(2):  # the direct machtigingen, and those held through a group (R24)
        regels = machtigingen_overzicht(organisatie)
        assert [r.naam for r in regels] and all(r.dienstverlener for r in regels)
    with django_assert_num_queries(1):
        houders = machtiging_houders(organisatie, sleutel)
        assert [m.middel.persoon.naam for m in houders]
    with django_assert_num_queries(1):
        lijst = machtigingen_van_middel(organisatie, middelen[0])
        assert len(lijst) == n
        assert [str(m.dienst.dienstverlener) for m in lijst]
    with django_assert_num_queries(3):
        assert len(kiesbare_middelen(organisatie, diensten, dienstverleners=[diensten[0].dienstverlener])) >= n


# R31: who can be chosen --------------------------------------------------------------------------------


def test_r31_kiesbare_middelen_the_highest_dienst_decides(organisatie, beheerder, dienst, dienst_eh2plus):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    hoog = maak_middel(organisatie, Niveau.EH3)
    wachtend = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True)).middel

    alleen_laag = {m.pk: m.kiesbaar for m in kiesbare_middelen(organisatie, [dienst_eh2plus])}
    beide = {m.pk: m.kiesbaar for m in kiesbare_middelen(organisatie, [dienst_eh2plus, dienst])}

    assert alleen_laag[laag.pk] is True and alleen_laag[hoog.pk] is True
    assert beide[laag.pk] is False and beide[hoog.pk] is True
    # R30: a middel that is not Actief is not listed at all; the beheerder (EH3) is a user too.
    assert wachtend.pk not in beide
    assert beide[Middel.objects.get(persoon=beheerder).pk] is True


def test_r31_r39_kiesbare_diensten_and_algemene_bevoegdheden(dienst, dienst_eh2plus):
    DienstFactory(niveau=Niveau.EH2, ingetrokken=True)
    kiesbaar = {d.pk: d.kiesbaar for d in kiesbare_diensten(middel_niveau=Niveau.EH2_PLUS, beheerder_niveau=Niveau.EH3)}
    assert kiesbaar == {dienst.pk: False, dienst_eh2plus.pk: True}  # the withdrawn dienst is not offered
    keuzes = {
        k["niveau"]: (k["kiesbaar"], str(k["melding"]))
        for k in kiesbare_algemene_bevoegdheden(middel_niveau=Niveau.EH4, beheerder_niveau=Niveau.EH2_PLUS)
    }
    assert keuzes[Niveau.EH2_PLUS] == (True, "")
    assert keuzes[Niveau.EH3] == (False, "")  # above the beheerder's niveau (R39)
    keuzes = {
        k["niveau"]: (k["kiesbaar"], str(k["melding"]))
        for k in kiesbare_algemene_bevoegdheden(middel_niveau=Niveau.EH2_PLUS, beheerder_niveau=Niveau.EH4)
    }
    assert keuzes[Niveau.EH3] == (False, "Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging.")
