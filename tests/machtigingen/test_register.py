"""The Machtigingenregister's decision, example by example (R71, R72, R32, R70, R23)."""

import datetime as dt

import pytest

from catalogus.models import Dienst
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging, Scope
from machtigingen.register import (
    BELASTINGDIENST_OIN,
    PadSoort,
    RedenCode,
    beslis,
    beslis_voor_diensten,
)
from machtigingen.register_feiten import Feiten
from machtigingen.register_uitkomst import Vraag
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

DAG = dt.date(2025, 6, 15)


def machtiging(
    middel, organisatie, *, begint_op=DAG - dt.timedelta(days=10), eindigt_op=DAG + dt.timedelta(days=30), **scope
):
    if "dienst" in scope:
        scope.setdefault("scope", Scope.DIENST)
    elif "niveau" in scope:
        scope.setdefault("scope", Scope.ALGEMEEN)
    else:
        scope.setdefault("scope", Scope.DIENSTVERLENER)
    return Machtiging.objects.create(
        middel=middel, organisatie=organisatie, begint_op=begint_op, eindigt_op=eindigt_op, **scope
    )


def codes(beslissing):
    return {r.code for r in beslissing.redenen}


@pytest.fixture
def org(db):
    return OrganisatieFactory()


@pytest.fixture
def middel(org):
    return KoppelingFactory(organisatie=org, middel__niveau=Niveau.EH3).middel


@pytest.fixture
def dienst(db):
    return DienstFactory(niveau=Niveau.EH3)


# ------------------------------------------------------------------------------------------ R71 direct paths


def test_r71_direct_machtiging_permits_with_its_path(org, middel, dienst):
    m = machtiging(middel, org, dienst=dienst)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert b.toegestaan
    assert b.pad.soort == PadSoort.DIRECT and b.pad.machtiging_id == m.pk
    assert b.redenen == ()


def test_r71_without_machtiging_no_with_reason(org, middel, dienst):
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and b.pad is None
    assert codes(b) == {RedenCode.GEEN_MACHTIGING}
    assert str(b.redenen[0].tekst)


def test_r71_expired_by_date_although_job_has_not_run(org, middel, dienst):
    machtiging(middel, org, dienst=dienst, begint_op=DAG - dt.timedelta(days=30), eindigt_op=DAG)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan
    assert codes(b) == {RedenCode.MACHTIGING_VERLOPEN}
    # The day before the (exclusive) end date it still counts.
    assert beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG - dt.timedelta(days=1)).toegestaan


def test_r71_revoked_machtiging_refused(org, middel, dienst):
    machtiging(middel, org, dienst=dienst, status="ingetrokken")
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.MACHTIGING_INGETROKKEN}


def test_r71_not_yet_started_machtiging_refused(org, middel, dienst):
    machtiging(middel, org, dienst=dienst, begint_op=DAG + dt.timedelta(days=1))
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.MACHTIGING_NOG_NIET_GELDIG}


def test_r71_middel_not_actief_refused(org, dienst):
    middel = KoppelingFactory(organisatie=org, middel__status=Middel.Status.BEEINDIGD).middel
    machtiging(middel, org, dienst=dienst)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.MIDDEL_NIET_ACTIEF in codes(b)


def test_r71_niveau_too_low_refused(org, dienst):
    middel = KoppelingFactory(organisatie=org, middel__niveau=Niveau.EH2_PLUS).middel
    machtiging(middel, org, dienst=dienst)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.NIVEAU_TE_LAAG in codes(b)


def test_r71_withdrawn_dienst_refused(org, middel, dienst):
    machtiging(middel, org, dienst=dienst)
    Dienst.objects.filter(pk=dienst.pk).update(ingetrokken=True)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.DIENST_INGETROKKEN in codes(b)


def test_r71_terminated_koppeling_refused(org, middel, dienst):
    machtiging(middel, org, dienst=dienst)
    Koppeling.objects.filter(middel=middel).update(status=Koppeling.Status.BEEINDIGD)
    b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.KOPPELING_NIET_ACTIEF}


def test_r71_planned_termination_counts_from_its_date(org, middel, dienst):
    machtiging(middel, org, dienst=dienst)
    Koppeling.objects.filter(middel=middel).update(opzeggen_per=DAG)
    assert beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG - dt.timedelta(days=1)).toegestaan
    assert not beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG).toegestaan


def test_r71_machtiging_for_other_organisatie_does_not_count(org, middel, dienst):
    andere = OrganisatieFactory()
    KoppelingFactory(organisatie=andere, middel=middel)
    machtiging(middel, andere, dienst=dienst)
    assert not beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG).toegestaan
    assert beslis(middel=middel, organisatie=andere, dienst=dienst, moment=DAG).toegestaan


def test_r71_persoon_and_service_uuid_accepted(org, middel, dienst):
    machtiging(middel, org, dienst=dienst)
    b = beslis(persoon=middel.persoon, organisatie=org.pk, dienst=str(dienst.service_uuid), moment=DAG)
    assert b.toegestaan and b.service_uuid == dienst.service_uuid


def test_r71_unknown_dienst_and_persoon_without_middel_answered(org, middel):
    import uuid

    from tests.gebruikers.factories import PersoonFactory

    assert codes(beslis(middel=middel, organisatie=org, dienst=uuid.uuid4(), moment=DAG)) == {RedenCode.DIENST_ONBEKEND}
    zonder = PersoonFactory()
    b = beslis(persoon=zonder, organisatie=org, dienst=DienstFactory(), moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.MIDDEL_ONBEKEND}


def test_r71_r23_belastingdienstmiddel_only_at_belastingdienst(org):
    bd_middel = KoppelingFactory(organisatie=org, middel__belastingdienst=True).middel
    belastingdienst = DienstverlenerFactory(oin=BELASTINGDIENST_OIN, naam="Belastingdienst")
    aangifte = DienstFactory(dienstverlener=belastingdienst, niveau=Niveau.EH3)
    uwv = DienstFactory(niveau=Niveau.EH3)
    machtiging(bd_middel, org, niveau=Niveau.EH3)
    assert beslis(middel=bd_middel, organisatie=org, dienst=aangifte, moment=DAG).toegestaan
    b = beslis(middel=bd_middel, organisatie=org, dienst=uwv, moment=DAG)
    assert not b.toegestaan
    assert codes(b) == {RedenCode.BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER}


def test_r71_every_dienst_in_catalogue_gets_an_answer(org, middel):
    diensten = [DienstFactory(niveau=n) for n in (Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH4)]
    machtiging(middel, org, niveau=Niveau.EH3)
    antwoorden = {b.dienst_id: b for b in beslis_voor_diensten(middel=middel, organisatie=org, moment=DAG)}
    assert set(antwoorden) == set(Dienst.objects.values_list("pk", flat=True))
    assert [antwoorden[d.pk].toegestaan for d in diensten] == [True, True, False]


def test_r71_single_decision_constant_queries(org, middel, dienst, django_assert_num_queries):
    machtiging(middel, org, dienst=dienst)
    with django_assert_num_queries(6):
        beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
    # Much more data around it: still six.
    for _i in range(5):
        machtiging(middel, org, dienstverlener=DienstverlenerFactory())
        Ketenmachtiging.objects.create(
            verlener=org,
            intermediair=OrganisatieFactory(),
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            begint_op=DAG,
            eindigt_op=DAG + dt.timedelta(days=5),
        )
    with django_assert_num_queries(6):
        assert beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG).toegestaan


def test_r71_batch_constant_queries(org, middel, django_assert_num_queries):
    machtiging(middel, org, niveau=Niveau.EH4)
    weinig = [DienstFactory() for _i in range(2)]
    with django_assert_num_queries(6):
        beslis_voor_diensten(middel=middel, organisatie=org, diensten=weinig, moment=DAG)
    veel = weinig + [DienstFactory(dienstverlener=DienstverlenerFactory()) for _i in range(20)]
    with django_assert_num_queries(6):
        antwoorden = beslis_voor_diensten(middel=middel, organisatie=org, diensten=veel, moment=DAG)
    assert len(antwoorden) == 22 and all(b.toegestaan for b in antwoorden)


def test_r71_authzen_shape(org, middel, dienst):
    machtiging(middel, org, dienst=dienst)
    ja = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG).as_authzen()
    assert ja["decision"] is True and ja["context"]["pad"]["soort"] == "direct"
    nee = beslis(middel=middel, organisatie=org, dienst=DienstFactory(), moment=DAG).as_authzen()
    assert nee["decision"] is False and nee["context"]["reason_user"][0]["code"] == RedenCode.GEEN_MACHTIGING


# ------------------------------------------------------------------------------------------ R32, R70


def test_r32_algemene_bevoegdheid_covers_up_to_its_niveau(org, middel):
    middel.niveau = Niveau.EH4
    middel.save()
    m = machtiging(middel, org, niveau=Niveau.EH3)
    laag, gelijk, hoog = (DienstFactory(niveau=n) for n in (Niveau.EH1, Niveau.EH3, Niveau.EH4))
    for dienst in (laag, gelijk):
        b = beslis(middel=middel, organisatie=org, dienst=dienst, moment=DAG)
        assert b.toegestaan and b.pad.soort == PadSoort.ALGEMENE_BEVOEGDHEID and b.pad.machtiging_id == m.pk
    assert not beslis(middel=middel, organisatie=org, dienst=hoog, moment=DAG).toegestaan


def test_r32_dienstverlenersmachtiging_covers_only_that_dienstverlener(org, middel):
    dv = DienstverlenerFactory()
    m = machtiging(middel, org, dienstverlener=dv)
    eigen = DienstFactory(dienstverlener=dv)
    b = beslis(middel=middel, organisatie=org, dienst=eigen, moment=DAG)
    assert b.toegestaan and b.pad.soort == PadSoort.DIENSTVERLENERSMACHTIGING and b.pad.machtiging_id == m.pk
    assert not beslis(middel=middel, organisatie=org, dienst=DienstFactory(), moment=DAG).toegestaan


def test_r70_catalogue_update_picked_up_without_changing_machtigingen(org, middel):
    dv = DienstverlenerFactory()
    DienstFactory(dienstverlener=dv)
    algemeen = machtiging(middel, org, niveau=Niveau.EH3)
    per_dv = machtiging(middel, org, dienstverlener=dv)
    voor = list(Machtiging.objects.order_by("pk").values())

    # A later catalogue edition adds diensten (keyed by a new ServiceUUID).
    nieuw_bij_dv = DienstFactory(dienstverlener=dv, niveau=Niveau.EH4)
    nieuw_elders = DienstFactory(niveau=Niveau.EH2_PLUS)
    middel.niveau = Niveau.EH4
    middel.save()

    b = beslis(middel=middel, organisatie=org, dienst=nieuw_bij_dv.service_uuid, moment=DAG)
    assert b.toegestaan and b.pad.machtiging_id == per_dv.pk
    b = beslis(middel=middel, organisatie=org, dienst=nieuw_elders.service_uuid, moment=DAG)
    assert b.toegestaan and b.pad.machtiging_id == algemeen.pk
    assert list(Machtiging.objects.order_by("pk").values()) == voor


# ------------------------------------------------------------------------------------------ R72 chains


@pytest.fixture
def keten(db):
    """Client B gave intermediair A an Algemene bevoegdheid EH4; G (EH3, regular) works at A and is linked."""
    klant = OrganisatieFactory(naam="Klant B")
    intermediair = OrganisatieFactory(naam="Intermediair A")
    g = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel
    k = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=intermediair,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH4,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=g)
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=Dienst.Intermediatie.ALGEMEEN)
    return klant, intermediair, g, k, dienst


def test_r72_linked_middel_at_intermediair_acts_for_client(keten):
    klant, intermediair, g, k, dienst = keten
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert b.toegestaan
    assert b.pad.soort == PadSoort.KETENMACHTIGING
    assert b.pad.ketenmachtiging_id == k.pk and b.pad.intermediair_id == intermediair.pk


def test_r72_not_linked_middel_refused(keten):
    klant, intermediair, g, k, dienst = keten
    collega = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH4).middel
    b = beslis(middel=collega, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_MIDDEL_NIET_GEKOPPELD in codes(b)


def test_r72_dienst_without_intermediation_refused(keten):
    klant, intermediair, g, k, dienst = keten
    Dienst.objects.filter(pk=dienst.pk).update(intermediatie=Dienst.Intermediatie.GEEN)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_GEEN_INTERMEDIATIE in codes(b)


def test_r72_eh2plus_middel_refused_even_for_eh2plus_dienst(keten):
    klant, intermediair, g, k, dienst = keten
    Middel.objects.filter(pk=g.pk).update(niveau=Niveau.EH2_PLUS)
    Dienst.objects.filter(pk=dienst.pk).update(niveau=Niveau.EH2_PLUS)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_NIVEAU_TE_LAAG in codes(b)


def test_r72_r23_belastingdienstmiddel_refused_in_chain(keten):
    klant, intermediair, g, k, dienst = keten
    belastingdienst = DienstverlenerFactory(oin=BELASTINGDIENST_OIN)
    Dienst.objects.filter(pk=dienst.pk).update(dienstverlener=belastingdienst)
    Middel.objects.filter(pk=g.pk).update(type=Middel.Type.BELASTINGDIENST)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_MIDDEL_NIET_REGULIER in codes(b)


def test_r72_koppeling_at_intermediair_ended_refused(keten):
    klant, intermediair, g, k, dienst = keten
    Koppeling.objects.filter(middel=g, organisatie=intermediair).update(status=Koppeling.Status.BEEINDIGD)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_GEEN_KOPPELING_INTERMEDIAIR in codes(b)


def test_r72_expired_or_revoked_ketenmachtiging_refused(keten):
    klant, intermediair, g, k, dienst = keten
    assert not beslis(middel=g, organisatie=klant, dienst=dienst, moment=k.eindigt_op).toegestaan
    Ketenmachtiging.objects.filter(pk=k.pk).update(status="ingetrokken")
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_INGETROKKEN in codes(b)


def test_r72_scope_not_covering_dienst_refused(keten):
    klant, intermediair, g, k, dienst = keten
    Ketenmachtiging.objects.filter(pk=k.pk).update(niveau=Niveau.EH2_PLUS)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_DEKT_DIENST_NIET in codes(b)


def test_r72_exactly_one_intermediair_no_chain_of_chains(keten):
    klant, intermediair, g, k, dienst = keten
    # A passes work on to C: C's person, linked to A→C, must not act for B through B→A.
    c = OrganisatieFactory(naam="Onderaannemer C")
    h = KoppelingFactory(organisatie=c, middel__niveau=Niveau.EH4).middel
    door = Ketenmachtiging.objects.create(
        verlener=intermediair,
        intermediair=c,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH4,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=door, middel=h)
    assert beslis(middel=h, organisatie=intermediair, dienst=dienst, moment=DAG).toegestaan
    assert not beslis(middel=h, organisatie=klant, dienst=dienst, moment=DAG).toegestaan


def test_r72_one_valid_chain_among_invalid_ones_permits(keten):
    klant, intermediair, g, k, dienst = keten
    # The first ketenmachtiging is no longer linked to G; a later one (same client, same intermediair) is.
    # The failing one must not spoil the valid chain.
    KetenmachtigingMiddel.objects.filter(ketenmachtiging=k).delete()
    later = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=intermediair,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=later, middel=g)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert b.toegestaan and b.pad.ketenmachtiging_id == later.pk


# ------------------------------------------------------------------------------ the same question, the same answer


def _in_omgekeerde_volgorde(feiten: Feiten) -> Feiten:
    """The same facts with every list of rows reversed: as a database may return them under another plan (a single
    question and a batch of many read the same rows through different plans)."""
    for rijen in (*feiten.machtigingen.values(), *feiten.keten.values()):
        rijen.reverse()
    return feiten


def test_r71_the_reasons_and_the_path_do_not_depend_on_the_order_the_database_returns_rows(middel, org, dienst):
    """Found by the reference-model test on PostgreSQL: a batch gave (verlopen, nog niet geldig) where the single
    question gave the reverse, for the same middel, organisation and dienst."""
    machtiging(middel, org, dienst=dienst, begint_op=DAG - dt.timedelta(days=60), eindigt_op=DAG - dt.timedelta(days=1))
    machtiging(middel, org, dienst=dienst, begint_op=DAG + dt.timedelta(days=1), eindigt_op=DAG + dt.timedelta(days=60))
    intermediair = OrganisatieFactory()
    vraag = Vraag(middel=middel, organisatie=org, dienst=dienst)
    uitkomsten = [
        volgorde(Feiten.laad([vraag], DAG)).beslis(vraag) for volgorde in (lambda f: f, _in_omgekeerde_volgorde)
    ]
    assert uitkomsten[0] == uitkomsten[1]
    assert [r.code for r in uitkomsten[0].redenen] == [
        RedenCode.MACHTIGING_VERLOPEN,
        RedenCode.MACHTIGING_NOG_NIET_GELDIG,
    ]

    # Two ketenmachtigingen that both permit: the path is the older one, whatever the order.
    middel_b = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel
    ketens = [
        Ketenmachtiging.objects.create(
            verlener=org,
            intermediair=intermediair,
            scope=Scope.DIENST,
            dienst=dienst,
            begint_op=DAG - dt.timedelta(days=5),
            eindigt_op=DAG + dt.timedelta(days=5),
        )  # fmt: skip
        for _ in range(2)
    ]
    KetenmachtigingMiddel.objects.bulk_create(KetenmachtigingMiddel(ketenmachtiging=k, middel=middel_b) for k in ketens)
    dienst.intermediatie = Dienst.Intermediatie.ALGEMEEN
    dienst.save()
    vraag = Vraag(middel=middel_b, organisatie=org, dienst=dienst)
    paden = [
        volgorde(Feiten.laad([vraag], DAG)).beslis(vraag).pad for volgorde in (lambda f: f, _in_omgekeerde_volgorde)
    ]
    assert paden[0] == paden[1]
    assert paden[0].ketenmachtiging_id == min(k.pk for k in ketens)
