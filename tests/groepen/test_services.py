"""groepen.services, rule by rule (R24 with R23, R30, R31, R33, R36, R37, R39, R73, R74)."""

import datetime as dt

import pytest
from django.db import IntegrityError

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling
from groepen import services
from groepen.models import Groep, GroepLid, GroepMachtiging
from groepen.selectors import groep_details, kiesbare_groepen
from machtigingen.models import Scope, Status
from machtigingen.register import PadSoort, beslis
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groep(organisatie, beheerder):
    return services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam="Salarisadministratie")


def lid(organisatie, **kwargs):
    return KoppelingFactory(organisatie=organisatie, **kwargs).middel


def acties():
    return list(AuditEntry.objects.order_by("pk").values_list("actie", flat=True))


# --- create, rename, delete -------------------------------------------------------------------------------------


def test_r24_groep_aanmaken_audited(organisatie, beheerder):
    groep = services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam="  Salaris   administratie ")
    assert groep.naam == "Salaris administratie" and groep.organisatie == organisatie
    entry = AuditEntry.objects.get(actie=Actie.GROEP_AANGEMAAKT)
    assert entry.organisatie == organisatie and entry.na == {"naam": "Salaris administratie", "opgeheven_op": None}


@pytest.mark.parametrize("naam", ["", "   ", "x" * 101])
def test_r24_naam_leeg_of_te_lang_refused(organisatie, beheerder, naam):
    with pytest.raises(DomainError) as fout:
        services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam=naam)
    assert fout.value.rule == "R24"
    assert not Groep.objects.exists()


def test_r24_naam_unique_per_organisatie_case_insensitive(organisatie, beheerder, groep):
    with pytest.raises(DomainError, match="al een groep"):
        services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam="salarisADMINISTRATIE")
    # another organisation may use the same name
    GroepFactory(naam="Salarisadministratie")
    assert Groep.objects.count() == 2


def test_r24_naam_unique_is_also_a_database_constraint(organisatie, groep):
    with pytest.raises(IntegrityError):
        Groep.objects.create(organisatie=organisatie, naam="SALARISADMINISTRATIE")


def test_r4_only_a_beheerder_of_the_organisation(organisatie, gebruiker, andere_beheerder):
    for actor in (gebruiker, andere_beheerder, None):
        with pytest.raises(DomainError) as fout:
            services.groep_aanmaken(actor=actor, organisatie=organisatie, naam="Inkoop")
        assert fout.value.rule == "R4"


def test_r24_hernoemen(organisatie, beheerder, groep):
    services.groep_hernoemen(actor=beheerder, groep=groep, naam="Loonadministratie")
    groep.refresh_from_db()
    assert groep.naam == "Loonadministratie"
    entry = AuditEntry.objects.get(actie=Actie.GROEP_HERNOEMD)
    assert entry.voor["naam"] == "Salarisadministratie" and entry.na["naam"] == "Loonadministratie"


def test_r24_hernoemen_to_an_existing_name_refused(organisatie, beheerder, groep):
    andere = services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam="Inkoop")
    with pytest.raises(DomainError):
        services.groep_hernoemen(actor=beheerder, groep=andere, naam="salarisadministratie")
    andere.refresh_from_db()
    assert andere.naam == "Inkoop"


def test_r24_verwijderen_ends_group_machtigingen_audited_and_told(organisatie, beheerder, groep):
    middel = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[middel])
    dienst = DienstFactory(niveau=Niveau.EH3)
    services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst])
    Bericht.objects.all().delete()

    beeindigd = services.groep_verwijderen(actor=beheerder, groep=groep)

    assert len(beeindigd) == 1
    assert GroepMachtiging.objects.get().status == Status.INGETROKKEN
    assert not GroepLid.objects.exists()
    groep.refresh_from_db()
    assert groep.opgeheven_op is not None
    assert Actie.GROEPSMACHTIGING_BEEINDIGD in acties() and Actie.GROEP_VERWIJDERD in acties()
    assert Bericht.objects.filter(persoon=middel.persoon).count() == 1  # R37: one message for the action
    assert not beslis(middel=middel, organisatie=organisatie, dienst=dienst).toegestaan
    # the name is free again
    services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam="Salarisadministratie")
    with pytest.raises(DomainError):
        services.groep_hernoemen(actor=beheerder, groep=groep, naam="Iets")  # a deleted group changes no more


# --- members --------------------------------------------------------------------------------------------------


def test_r24_leden_toevoegen_and_idempotent(organisatie, beheerder, groep):
    a, b = lid(organisatie), lid(organisatie)
    assert len(services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[a, b.pk])) == 2
    assert services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[a]) == []
    assert GroepLid.objects.filter(groep=groep).count() == 2
    assert acties().count(Actie.GROEP_LID_TOEGEVOEGD) == 2


def test_r24_only_people_of_the_organisation_all_or_nothing(organisatie, beheerder, groep):
    eigen = lid(organisatie)
    vreemd = KoppelingFactory().middel
    vertrokken = lid(organisatie, status=Koppeling.Status.BEEINDIGD)
    for ander in (vreemd, vertrokken, "x"):
        with pytest.raises(DomainError):
            services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[eigen, ander])
    assert not GroepLid.objects.exists()
    with pytest.raises(DomainError):
        services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[])


def test_r24_lid_verwijderen(organisatie, beheerder, groep):
    middel = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[middel])
    services.lid_verwijderen(actor=beheerder, groep=groep, middel=middel)
    assert not GroepLid.objects.exists()
    assert AuditEntry.objects.filter(actie=Actie.GROEP_LID_VERWIJDERD).count() == 1
    with pytest.raises(DomainError):
        services.lid_verwijderen(actor=beheerder, groep=groep, middel=middel)


def test_r24_leaving_the_organisation_drops_out_of_the_group(organisatie, beheerder, groep):
    middel = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[middel])
    Koppeling.objects.filter(middel=middel).update(status=Koppeling.Status.BEEINDIGD)
    assert groep_details(organisatie, groep.pk).leden == []
    assert kiesbare_groepen(organisatie)[0].leden == []


# --- group machtigingen -------------------------------------------------------------------------------------------


def test_r24_group_machtiging_reaches_current_and_new_members(organisatie, beheerder, groep):
    eerst = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[eerst])
    dienst = DienstFactory(niveau=Niveau.EH3)
    (gm,) = services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst], eindigt_op="3")
    assert gm.eindigt_op == plus_jaren(vandaag(), 3) and gm.scope == Scope.DIENST
    assert beslis(middel=eerst, organisatie=organisatie, dienst=dienst).pad.soort == PadSoort.GROEP
    nieuw = lid(organisatie)
    assert not beslis(middel=nieuw, organisatie=organisatie, dienst=dienst).toegestaan
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[nieuw])
    assert beslis(middel=nieuw, organisatie=organisatie, dienst=dienst).pad.groep_id == groep.pk
    services.lid_verwijderen(actor=beheerder, groep=groep, middel=nieuw)
    assert not beslis(middel=nieuw, organisatie=organisatie, dienst=dienst).toegestaan


def test_r37_one_message_per_person_per_action(organisatie, beheerder, groep):
    a, b = lid(organisatie), lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[a, b])
    assert not Bericht.objects.exists()  # no machtigingen yet: nothing changes for them
    services.groep_machtiging_toevoegen(
        actor=beheerder, groep=groep, diensten=[DienstFactory(), DienstFactory()], algemene_niveaus=[Niveau.EH2]
    )
    assert sorted(Bericht.objects.values_list("persoon_id", flat=True)) == sorted([a.persoon_id, b.persoon_id])
    c = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[c])
    assert Bericht.objects.filter(persoon=c.persoon).count() == 1
    assert "Salarisadministratie" in Bericht.objects.get(persoon=c.persoon).tekst


def test_r36_same_scope_again_gets_the_new_end_date(organisatie, beheerder, groep):
    dienst = DienstFactory()
    (eerst,) = services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst], eindigt_op="5")
    (daarna,) = services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst], eindigt_op="1")
    assert eerst.pk == daarna.pk and GroepMachtiging.objects.count() == 1
    assert GroepMachtiging.objects.get().eindigt_op == plus_jaren(vandaag(), 1)
    assert Actie.GROEPSMACHTIGING_EINDDATUM_GEWIJZIGD in acties()


def test_r33_end_date_tomorrow_at_the_earliest_and_r73_at_most_5_years(organisatie, beheerder, groep):
    dienst = DienstFactory()
    for datum in (vandaag(), plus_jaren(vandaag(), 5) + dt.timedelta(days=1)):
        with pytest.raises(DomainError):
            services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst], eindigt_op=datum)
    with pytest.raises(DomainError):
        services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst], eindigt_op="7")
    assert not GroepMachtiging.objects.exists()


def test_r73_database_constraint(groep):
    with pytest.raises(IntegrityError):
        GroepMachtigingFactory(groep=groep, eindigt_op=plus_jaren(vandaag(), 6))


def test_r39_nothing_above_the_beheerders_own_niveau(organisatie, beheerder, groep):
    # the beheerder fixture is EH3
    with pytest.raises(DomainError) as fout:
        services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, algemene_niveaus=[Niveau.EH4])
    assert fout.value.rule == "R39"
    with pytest.raises(DomainError):
        services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[DienstFactory(niveau=Niveau.EH4)])
    assert not GroepMachtiging.objects.exists()


def test_r70_withdrawn_dienst_refused(organisatie, beheerder, groep):
    with pytest.raises(DomainError) as fout:
        services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[DienstFactory(ingetrokken=True)])
    assert fout.value.rule == "R70"


def test_r31_member_below_niveau_shown_as_not_covered(organisatie, beheerder, groep):
    hoog, laag = lid(organisatie), lid(organisatie, middel__niveau=Niveau.EH2)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[hoog, laag])
    dienst = DienstFactory(niveau=Niveau.EH3)
    services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst])  # not refused
    (regel,) = groep_details(organisatie, groep.pk).machtigingen
    assert regel.aantal_gedekt == 1
    ((wie, dekking),) = regel.niet_gedekt
    assert wie.middel == laag and dekking.code == "R31" and "niveau" in str(dekking.tekst)
    assert not beslis(middel=laag, organisatie=organisatie, dienst=dienst).toegestaan


def test_r23_belastingdienst_member_on_the_groups_page(organisatie, beheerder, groep):
    bd = lid(organisatie, middel__belastingdienst=True)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[bd])
    services.groep_machtiging_toevoegen(
        actor=beheerder, groep=groep, diensten=[DienstFactory()], algemene_niveaus=[Niveau.EH3]
    )
    codes = {r.machtiging.scope: r.niet_gedekt[0][1].code for r in groep_details(organisatie, groep.pk).machtigingen}
    assert codes == {Scope.ALGEMEEN: "R23-deels", Scope.DIENST: "R23"}


def test_r30_member_not_actief_shown_as_not_covered(organisatie, beheerder, groep):
    wacht = lid(organisatie, middel__wachten_op_activatie=True)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[wacht])
    services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, algemene_niveaus=[Niveau.EH1])
    (regel,) = groep_details(organisatie, groep.pk).machtigingen
    assert regel.niet_gedekt[0][1].code == "R30" and regel.aantal_gedekt == 0


def test_r35_intrekken_group_machtiging(organisatie, beheerder, groep):
    middel = lid(organisatie)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[middel])
    dienst = DienstFactory()
    (gm,) = services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[dienst])
    services.groep_machtiging_intrekken(actor=beheerder, groep_machtiging=gm)
    gm.refresh_from_db()
    assert gm.status == Status.INGETROKKEN and gm.ingetrokken_op
    assert AuditEntry.objects.filter(actie=Actie.GROEPSMACHTIGING_INGETROKKEN).count() == 1
    assert not beslis(middel=middel, organisatie=organisatie, dienst=dienst).toegestaan
    with pytest.raises(DomainError):
        services.groep_machtiging_intrekken(actor=beheerder, groep_machtiging=gm)


def test_verloop_groepsmachtigingen(groep):
    oud = GroepMachtigingFactory(groep=groep, begint_op=vandaag() - dt.timedelta(days=10), eindigt_op=vandaag())
    lopend = GroepMachtigingFactory(groep=groep)
    assert services.verloop_groepsmachtigingen() == 1
    oud.refresh_from_db(), lopend.refresh_from_db()
    assert (oud.status, lopend.status) == (Status.VERLOPEN, Status.ACTIEF)


def test_r24_foreign_groep_refused(organisatie, beheerder):
    vreemd = GroepLidFactory().groep
    with pytest.raises(DomainError):
        services.groep_hernoemen(actor=beheerder, groep=vreemd, naam="Overgenomen")


def test_r37_only_members_for_whom_it_counts_are_told(organisatie, beheerder, groep):
    hoog, laag = lid(organisatie), lid(organisatie, middel__niveau=Niveau.EH2)
    services.leden_toevoegen(actor=beheerder, groep=groep, middelen=[hoog, laag])
    (gm,) = services.groep_machtiging_toevoegen(
        actor=beheerder, groep=groep, diensten=[DienstFactory(niveau=Niveau.EH3)]
    )
    assert list(Bericht.objects.values_list("persoon_id", flat=True)) == [hoog.persoon_id]
    Bericht.objects.all().delete()
    services.groep_machtiging_intrekken(actor=beheerder, groep_machtiging=gm)
    assert list(Bericht.objects.values_list("persoon_id", flat=True)) == [hoog.persoon_id]
    Bericht.objects.all().delete()
    services.lid_verwijderen(actor=beheerder, groep=groep, middel=hoog)  # nothing runs any more: nothing changes
    assert not Bericht.objects.exists()


def test_r24_adding_members_and_a_group_machtiging_take_constant_queries(organisatie, beheerder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tel(aantal):
        groep = services.groep_aanmaken(actor=beheerder, organisatie=organisatie, naam=f"Groep {aantal}")
        services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, algemene_niveaus=[Niveau.EH1])
        middelen = [lid(organisatie) for _ in range(aantal)]
        with CaptureQueriesContext(connection) as leden:
            services.leden_toevoegen(actor=beheerder, groep=groep, middelen=middelen)
        with CaptureQueriesContext(connection) as machtiging:
            services.groep_machtiging_toevoegen(actor=beheerder, groep=groep, diensten=[DienstFactory()])
        return len(leden), len(machtiging)

    assert tel(1) == tel(12)
