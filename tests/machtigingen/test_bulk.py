"""+ Voeg toe in the rubriek (§4.2, §4.4, §4.5): diensten × people at once, all or nothing (R23, R30, R31, R33, R36,
R37, R39, R74), in a number of queries that does not grow with the number of pairs."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.bezorging import bericht_bezorgen
from berichten.models import Bericht, Soort
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.register_feiten import belastingdienst_oin
from machtigingen.services import machtigingen_bulk_toevoegen
from machtigingen.services.bulk import BulkGeweigerd, bulk_plan
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def voeg_toe(beheerder, organisatie, middelen, diensten=(), **kwargs):
    return machtigingen_bulk_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=middelen, diensten=diensten, **kwargs
    )


def test_adds_every_dienst_to_every_person(beheerder, organisatie, dienst, dienst_eh2plus):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    resultaat = voeg_toe(beheerder, organisatie, [a, b], [dienst, dienst_eh2plus], eindigt_op="3")
    assert (resultaat.nieuw, resultaat.gewijzigd, resultaat.personen) == (4, 0, 2)
    rijen = set(Machtiging.objects.values_list("middel_id", "dienst_id", "begint_op", "eindigt_op", "status"))
    eind = plus_jaren(vandaag(), 3)
    assert rijen == {(m.pk, d.pk, vandaag(), eind, Status.ACTIEF) for m in (a, b) for d in (dienst, dienst_eh2plus)}
    assert "4 machtigingen toegevoegd" in resultaat.bevestiging


def test_algemene_bevoegdheid_and_dienstverlenersmachtiging(beheerder, organisatie, middel, dienstverlener, dienst):
    voeg_toe(beheerder, organisatie, [middel], algemene_niveaus=[Niveau.EH2], dienstverleners=[dienstverlener])
    assert set(Machtiging.objects.values_list("scope", "niveau", "dienstverlener_id")) == {
        (Scope.ALGEMEEN, Niveau.EH2, None),
        (Scope.DIENSTVERLENER, None, dienstverlener.pk),
    }


# R36: existing pairs get the new end date: changed, extended and ended together ----------------------------------


def test_r36_existing_pair_gets_new_end_date_not_a_duplicate(beheerder, organisatie, dienst):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    bestaand = MachtigingFactory(
        organisatie=organisatie,
        middel=a,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=300),
        eindigt_op=vandaag() + dt.timedelta(days=30),
    )
    morgen = vandaag() + dt.timedelta(days=1)
    resultaat = voeg_toe(beheerder, organisatie, [a, b], [dienst], eindigt_op=morgen)
    assert (resultaat.nieuw, resultaat.gewijzigd) == (1, 1)
    bestaand.refresh_from_db()
    # Ended together from tomorrow on (§4.5): the start ("machtiging sinds") stays, the term restarts today.
    assert (bestaand.eindigt_op, bestaand.begint_op, bestaand.termijn_begint_op) == (
        morgen,
        vandaag() - dt.timedelta(days=300),
        vandaag(),
    )
    assert Machtiging.objects.filter(dienst=dienst, status=Status.ACTIEF).count() == 2


def test_r36_expired_but_not_yet_flipped_is_closed_and_replaced(beheerder, organisatie, middel, dienst):
    oud = MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=400),
        eindigt_op=vandaag(),
    )
    resultaat = voeg_toe(beheerder, organisatie, [middel], [dienst])
    oud.refresh_from_db()
    assert oud.status == Status.VERLOPEN
    assert resultaat.nieuw == 1
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_VERLOPEN, object_id=str(oud.pk)).exists()


# All or nothing: one refused pair refuses the whole step, with the reason per pair --------------------------


def test_all_or_nothing_one_refused_pair_refuses_everything(beheerder, organisatie, dienst, dienst_eh2plus):
    hoog = maak_middel(organisatie, Niveau.EH3, middel__persoon__achternaam="Hoog")
    laag = maak_middel(organisatie, Niveau.EH2_PLUS, middel__persoon__achternaam="Laag")
    bestaand = MachtigingFactory(organisatie=organisatie, middel=hoog, dienst=dienst_eh2plus)
    eind_voor = bestaand.eindigt_op
    with pytest.raises(BulkGeweigerd) as exc:
        voeg_toe(beheerder, organisatie, [hoog, laag], [dienst, dienst_eh2plus], eindigt_op="1")
    # Only Laag × the EH3 dienst is refused, and it says so; nothing is written, not even the fine pairs.
    assert [(w.persoon, w.scope, w.rule) for w in exc.value.weigeringen] == [
        (laag.persoon.naam, f"{dienst.dienstverlener} – {dienst}", "R31")
    ]
    assert "niet het benodigde niveau" in exc.value.weigeringen[0].reden
    assert Machtiging.objects.count() == 1
    bestaand.refresh_from_db()
    assert bestaand.eindigt_op == eind_voor
    assert not AuditEntry.objects.filter(actie__startswith="machtiging.").exists()
    assert not Bericht.objects.exists()


def test_r30_person_not_actief_is_refused_per_pair(beheerder, organisatie, dienst):
    actief = maak_middel(organisatie)
    wacht = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True)).middel
    with pytest.raises(BulkGeweigerd) as exc:
        voeg_toe(beheerder, organisatie, [actief, wacht], [dienst])
    assert [(w.persoon, w.rule) for w in exc.value.weigeringen] == [(wacht.persoon.naam, "R30")]
    assert not Machtiging.objects.exists()


def test_r30_terminated_koppeling_is_refused(beheerder, organisatie, dienst):
    weg = KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD).middel
    with pytest.raises(BulkGeweigerd) as exc:
        voeg_toe(beheerder, organisatie, [weg], [dienst])
    assert exc.value.weigeringen[0].rule == "R30"


def test_r30_person_of_another_organisation_is_not_named(beheerder, organisatie, dienst):
    vreemd = KoppelingFactory().middel
    with pytest.raises(DomainError) as exc:
        voeg_toe(beheerder, organisatie, [maak_middel(organisatie), vreemd], [dienst])
    assert exc.value.rule == "R30"
    assert not isinstance(exc.value, BulkGeweigerd)
    assert vreemd.persoon.naam not in str(exc.value)
    assert not Machtiging.objects.exists()


def test_r31_highest_chosen_niveau_decides(beheerder, organisatie, dienst, dienst_eh2plus):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    voeg_toe(beheerder, organisatie, [laag], [dienst_eh2plus])
    with pytest.raises(BulkGeweigerd) as exc:
        voeg_toe(beheerder, organisatie, [laag], [dienst_eh2plus, dienst])
    assert {w.rule for w in exc.value.weigeringen} == {"R31"}


def test_r31_algemene_bevoegdheid_above_the_persons_niveau(beheerder, organisatie):
    laag = maak_middel(organisatie, Niveau.EH2_PLUS)
    with pytest.raises(BulkGeweigerd):
        voeg_toe(beheerder, organisatie, [laag], algemene_niveaus=[Niveau.EH3])


@pytest.fixture
def belastingdienst(db):
    return DienstverlenerFactory(naam="Belastingdienst", oin=belastingdienst_oin())


def test_r23_belastingdienstmiddel_only_for_belastingdienst_diensten(beheerder, organisatie, belastingdienst, dienst):
    bd = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True)).middel
    mijn_bd = DienstFactory(dienstverlener=belastingdienst, naam="Mijn Belastingdienst Zakelijk", niveau=Niveau.EH3)
    voeg_toe(beheerder, organisatie, [bd], [mijn_bd], dienstverleners=[belastingdienst])
    assert Machtiging.objects.filter(middel=bd).count() == 2
    for keuze in ({"diensten": [dienst]}, {"algemene_niveaus": [Niveau.EH2]}):
        with pytest.raises(BulkGeweigerd) as exc:
            voeg_toe(beheerder, organisatie, [bd], **keuze)
        assert exc.value.weigeringen[0].rule == "R23"
        assert "Belastingdienst" in exc.value.weigeringen[0].reden
    assert Machtiging.objects.filter(middel=bd).count() == 2


def test_r39_nothing_above_the_beheerders_own_niveau(organisatie, dienstverlener):
    beheerder = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    eh3 = DienstFactory(dienstverlener=dienstverlener, niveau=Niveau.EH3)
    for keuze in ({"diensten": [eh3]}, {"algemene_niveaus": [Niveau.EH3]}, {"dienstverleners": [dienstverlener]}):
        with pytest.raises(DomainError) as exc:
            voeg_toe(beheerder, organisatie, [maak_middel(organisatie, Niveau.EH4)], **keuze)
        assert exc.value.rule == "R39"
    assert not Machtiging.objects.exists()


@pytest.mark.parametrize(
    ("eindigt_op", "rule"),
    [(dt.date.today(), "R33"), (plus_jaren(dt.date.today(), 5) + dt.timedelta(days=1), "R73"), ("7", "R33")],
)
def test_r33_end_date_tomorrow_up_to_five_years(beheerder, organisatie, middel, dienst, eindigt_op, rule):
    with pytest.raises(DomainError) as exc:
        voeg_toe(beheerder, organisatie, [middel], [dienst], eindigt_op=eindigt_op)
    assert exc.value.rule == rule
    assert not Machtiging.objects.exists()


def test_r33_default_five_years_and_own_date(beheerder, organisatie, middel, dienst, dienst_eh2plus):
    voeg_toe(beheerder, organisatie, [middel], [dienst])
    assert Machtiging.objects.get(dienst=dienst).eindigt_op == plus_jaren(vandaag(), 5)
    eigen = vandaag() + dt.timedelta(days=100)
    voeg_toe(beheerder, organisatie, [middel], [dienst_eh2plus], eindigt_op=eigen)
    assert Machtiging.objects.get(dienst=dienst_eh2plus).eindigt_op == eigen


def test_r4_only_a_beheerder_of_the_organisation(gebruiker, andere_beheerder, organisatie, middel, dienst):
    for actor in (gebruiker, andere_beheerder):
        with pytest.raises(DomainError) as exc:
            voeg_toe(actor, organisatie, [middel], [dienst])
        assert exc.value.rule == "R4"


def test_r70_withdrawn_dienst_cannot_be_granted(beheerder, organisatie, middel, dienst):
    dienst.ingetrokken = True
    dienst.save()
    with pytest.raises(DomainError) as exc:
        voeg_toe(beheerder, organisatie, [middel], [dienst])
    assert exc.value.rule == "R70"


# R37: one message per person per action; R74: one audit entry per person and kind of change -------------------------------------


def test_r37_one_message_per_person_listing_their_changes(
    beheerder, organisatie, dienst, dienst_eh2plus, django_capture_on_commit_callbacks
):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst)
    with django_capture_on_commit_callbacks(execute=True):  # the bulk step's messages are rendered at delivery
        voeg_toe(beheerder, organisatie, [a, b], [dienst, dienst_eh2plus], eindigt_op="1")
    berichten = Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD)
    assert sorted(berichten.values_list("persoon_id", flat=True)) == sorted([a.persoon_id, b.persoon_id])
    tekst = berichten.get(persoon_id=a.persoon_id).tekst
    assert f"Einddatum van machtiging {dienst.dienstverlener} – {dienst} gewijzigd naar" in tekst
    assert f"Machtiging {dienst_eh2plus.dienstverlener} – {dienst_eh2plus} toegevoegd, geldig tot" in tekst


def test_r37_message_in_the_persons_language(beheerder, organisatie, dienst):
    engels = maak_middel(organisatie, middel__persoon__taal="en")
    voeg_toe(beheerder, organisatie, [engels], [dienst])
    assert Bericht.objects.get(persoon_id=engels.persoon_id).taal == "en"


# Query count: constant whatever the number of pairs ---------------------------------------------------------


@pytest.mark.parametrize(("personen", "diensten"), [(2, 1), (4, 5)])
def test_bulk_step_queries_do_not_grow_with_pairs(
    beheerder, organisatie, dienstverlener, django_assert_num_queries, personen, diensten
):
    """2 pairs and 20 pairs, half of them existing: the same number of queries."""
    middelen = [maak_middel(organisatie) for _ in range(personen)]
    gekozen = [DienstFactory(dienstverlener=dienstverlener, niveau=Niveau.EH2) for _ in range(diensten)]
    paren = [(m, d) for m in middelen for d in gekozen]
    for m, d in paren[: len(paren) // 2]:
        MachtigingFactory(organisatie=organisatie, middel=m, dienst=d)
    with django_assert_num_queries(13):
        resultaat = voeg_toe(beheerder, organisatie, middelen, gekozen, eindigt_op="3")
    assert resultaat.nieuw + resultaat.gewijzigd == len(paren) == {2: 2, 4: 20}[personen]
    # One entry per person and kind of change (R74; see tests/machtigingen/test_bulk_audit_bericht.py).
    assert AuditEntry.objects.filter(actie__startswith="machtiging.").count() == personen


def test_plan_reads_without_writing(beheerder, organisatie, middel, dienst):
    plan = bulk_plan(organisatie=organisatie, middelen=[middel], beheerder_niveau=Niveau.EH3, diensten=[dienst])
    assert (plan.aantal_paren, plan.aantal_nieuw, plan.weigeringen) == (1, 1, [])
    assert not Machtiging.objects.exists()


def test_r23_also_for_one_person(beheerder, organisatie, belastingdienst, dienst):
    from machtigingen.services import machtiging_toevoegen

    bd = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True)).middel
    mijn_bd = DienstFactory(dienstverlener=belastingdienst, niveau=Niveau.EH3)
    machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[bd], diensten=[mijn_bd])
    with pytest.raises(DomainError) as exc:
        machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[bd], diensten=[dienst])
    assert exc.value.rule == "R23"
    assert Machtiging.objects.filter(middel=bd).count() == 1


def test_r37_message_html_escapes_names(beheerder, organisatie, dienstverlener):
    a = maak_middel(organisatie)
    vreemd = DienstFactory(dienstverlener=dienstverlener, naam="Vergunning <b>&</b> meer", niveau=Niveau.EH2)
    voeg_toe(beheerder, organisatie, [a], [vreemd])
    bericht = Bericht.objects.get(persoon_id=a.persoon_id)
    bericht_bezorgen(bericht_id=bericht.pk)  # rendered at delivery
    bericht.refresh_from_db()
    assert "Vergunning <b>&</b> meer" in bericht.tekst
    assert "Vergunning &lt;b&gt;&amp;&lt;/b&gt; meer" in bericht.html
    assert "<title>Uw machtigingen zijn gewijzigd</title>" in bericht.html
