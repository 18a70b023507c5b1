"""The Machtigingenregister's group path (R24): a machtiging held by a group permits its current members, each
under R23, R30 and R31, and names the group; in the same constant number of queries as every decision."""

import datetime as dt

import pytest
from django.utils import timezone

from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.register import BELASTINGDIENST_OIN, PadSoort, RedenCode, Vraag, beslis, beslis_batch
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

DAG = dt.date(2025, 6, 15)
BEGIN, EIND = DAG - dt.timedelta(days=10), DAG + dt.timedelta(days=30)


def codes(beslissing):
    return {r.code for r in beslissing.redenen}


@pytest.fixture
def org(db):
    return OrganisatieFactory()


@pytest.fixture
def groep(org):
    return GroepFactory(organisatie=org, naam="Salarisadministratie")


@pytest.fixture
def dienst(db):
    return DienstFactory(niveau=Niveau.EH3)


@pytest.fixture
def lid(groep):
    return GroepLidFactory(groep=groep, koppeling=KoppelingFactory(organisatie=groep.organisatie))


def groepsmachtiging(groep, **scope):
    scope.setdefault("begint_op", BEGIN)
    scope.setdefault("eindigt_op", EIND)
    if "niveau" in scope:
        scope.update(scope=Scope.ALGEMEEN, dienst=None)
    elif "dienstverlener" in scope:
        scope.update(scope=Scope.DIENSTVERLENER, dienst=None)
    return GroepMachtigingFactory(groep=groep, **scope)


def test_r24_group_machtiging_permits_a_member_and_names_the_group(org, groep, lid, dienst):
    gm = groepsmachtiging(groep, dienst=dienst)
    b = beslis(middel=lid.koppeling.middel, organisatie=org, dienst=dienst, moment=DAG)
    assert b.toegestaan
    assert b.pad.soort == PadSoort.GROEP and b.pad.scope == Scope.DIENST
    assert (b.pad.groep_id, b.pad.groep_machtiging_id, b.pad.machtiging_id) == (groep.pk, gm.pk, None)
    assert b.pad.eindigt_op == EIND
    assert b.as_authzen()["context"]["pad"]["groep_id"] == groep.pk


def test_r24_algemene_bevoegdheid_and_dienstverlener_of_a_group(org, groep, lid):
    verlener = DienstverlenerFactory()
    via_verlener = DienstFactory(dienstverlener=verlener, niveau=Niveau.EH4)
    laag = DienstFactory(niveau=Niveau.EH2)
    groepsmachtiging(groep, niveau=Niveau.EH2_PLUS)
    groepsmachtiging(groep, dienstverlener=verlener)
    lid.koppeling.middel.niveau = Niveau.EH4
    lid.koppeling.middel.save()
    a, v = (beslis(middel=lid.koppeling.middel, organisatie=org, dienst=d, moment=DAG) for d in (laag, via_verlener))
    assert a.toegestaan and a.pad.soort == PadSoort.GROEP and a.pad.scope == Scope.ALGEMEEN
    assert v.toegestaan and v.pad.soort == PadSoort.GROEP and v.pad.scope == Scope.DIENSTVERLENER


def test_r24_own_machtiging_goes_before_the_group(org, groep, lid, dienst):
    groepsmachtiging(groep, dienst=dienst)
    eigen = Machtiging.objects.create(
        middel=lid.koppeling.middel,
        organisatie=org,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=BEGIN,
        eindigt_op=EIND,
    )
    b = beslis(middel=lid.koppeling.middel, organisatie=org, dienst=dienst, moment=DAG)
    assert b.pad.soort == PadSoort.DIRECT and b.pad.machtiging_id == eigen.pk


def test_r24_not_a_member_no_path(org, groep, dienst):
    groepsmachtiging(groep, dienst=dienst)
    buiten = KoppelingFactory(organisatie=org).middel
    b = beslis(middel=buiten, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.GEEN_MACHTIGING}


def test_r24_no_longer_after_removal_from_the_group(org, groep, lid, dienst):
    groepsmachtiging(groep, dienst=dienst)
    middel = lid.koppeling.middel
    assert beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG).toegestaan
    lid.delete()
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.GEEN_MACHTIGING}


def test_r24_no_longer_after_leaving_the_organisation(org, groep, lid, dienst):
    groepsmachtiging(groep, dienst=dienst)
    middel = lid.koppeling.middel
    Koppeling.objects.filter(pk=lid.koppeling_id).update(status=Koppeling.Status.BEEINDIGD, beeindigd_op=DAG)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KOPPELING_NIET_ACTIEF in codes(b)
    # Coming back (a new koppeling) does not restore the old membership.
    KoppelingFactory(organisatie=org, middel=middel)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.GEEN_MACHTIGING}


def test_r24_planned_termination_counts_from_its_date(org, groep, lid, dienst):
    groepsmachtiging(groep, dienst=dienst)
    Koppeling.objects.filter(pk=lid.koppeling_id).update(opzeggen_per=DAG)
    b = beslis(middel=lid.koppeling.middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KOPPELING_NIET_ACTIEF in codes(b)


def test_r24_group_of_another_organisation_does_not_count(org, lid, dienst):
    # The member also works for another organisation that has a group machtiging for the same dienst.
    elders = GroepFactory()
    GroepLidFactory(
        groep=elders, koppeling=KoppelingFactory(organisatie=elders.organisatie, middel=lid.koppeling.middel)
    )
    groepsmachtiging(elders, dienst=dienst)
    assert not beslis(middel=lid.koppeling.middel, organisatie=org, dienst=dienst, moment=DAG).toegestaan
    assert beslis(middel=lid.koppeling.middel, organisatie=elders.organisatie, dienst=dienst, moment=DAG).toegestaan


def test_r24_deleted_group_and_revoked_or_expired_group_machtiging(org, groep, lid, dienst):
    gm = groepsmachtiging(groep, dienst=dienst)
    middel = lid.koppeling.middel
    type(gm).objects.filter(pk=gm.pk).update(status=Status.INGETROKKEN)
    assert codes(beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)) == {
        RedenCode.MACHTIGING_INGETROKKEN
    }
    type(gm).objects.filter(pk=gm.pk).update(status=Status.ACTIEF)
    assert codes(beslis(middel=middel, organisatie=org, dienst=dienst, moment=EIND)) == {RedenCode.MACHTIGING_VERLOPEN}
    type(groep).objects.filter(pk=groep.pk).update(opgeheven_op=timezone.now())
    assert codes(beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)) == {RedenCode.GEEN_MACHTIGING}


def test_r31_member_below_the_dienst_niveau_is_not_covered(org, groep, dienst):
    laag = GroepLidFactory(groep=groep, koppeling=KoppelingFactory(organisatie=org, middel__niveau=Niveau.EH2_PLUS))
    groepsmachtiging(groep, dienst=dienst)
    b = beslis(middel=laag.koppeling.middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.NIVEAU_TE_LAAG}


def test_r30_member_whose_middel_is_not_actief_is_not_covered(org, groep, lid, dienst):
    groepsmachtiging(groep, dienst=dienst)
    Middel.objects.filter(pk=lid.koppeling.middel_id).update(status=Middel.Status.BEEINDIGD)
    b = beslis(middel=lid.koppeling.middel_id, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.MIDDEL_NIET_ACTIEF in codes(b)


def test_r23_belastingdienst_member_only_at_belastingdienst_diensten(org, groep, settings):
    bd = GroepLidFactory(groep=groep, koppeling=KoppelingFactory(organisatie=org, middel__belastingdienst=True))
    belastingdienst = DienstFactory(dienstverlener=DienstverlenerFactory(oin=BELASTINGDIENST_OIN), niveau=Niveau.EH3)
    andere = DienstFactory(niveau=Niveau.EH3)
    groepsmachtiging(groep, niveau=Niveau.EH3)
    middel = bd.koppeling.middel
    assert beslis(middel=middel, organisatie=org, dienst=belastingdienst, moment=DAG).toegestaan
    b = beslis(middel=middel, organisatie=org, dienst=andere, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER}


@pytest.mark.parametrize("aantal", [1, 8])
def test_r24_batch_with_groups_constant_queries(org, dienst, aantal, django_assert_num_queries):
    """Six queries, as without groups, however many groups, members and group machtigingen."""
    vragen = []
    for _ in range(aantal):
        groep = GroepFactory(organisatie=org)
        groepsmachtiging(groep, dienst=dienst)
        groepsmachtiging(groep, niveau=Niveau.EH3)
        for _ in range(aantal):
            vragen.append(Vraag(middel=GroepLidFactory(groep=groep).koppeling.middel, organisatie=org, dienst=dienst))
    with django_assert_num_queries(6):
        antwoorden = beslis_batch(vragen, moment=DAG)
    assert all(b.toegestaan and b.pad.soort == PadSoort.GROEP for b in antwoorden)
