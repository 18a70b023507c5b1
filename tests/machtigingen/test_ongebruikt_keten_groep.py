"""R76 for group machtigingen (R24) and ketenmachtigingen (R72): unused for 24 months they end, after a warning by
e-mail to the beheerders two months before; a use in between resets the clock (machtigingen.services.ongebruikt).

Group machtigingen warn the group's beheerders (not the members), and tell the members they counted for when they
end (R37); ketenmachtigingen warn the beheerders of the verlener and of the intermediair, and end as revoked, with
their links (R46)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, HerinneringVerstuurd, Soort
from common.dates import plus_jaren, plus_maanden, vandaag
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Scope, Status
from machtigingen.services.ongebruikt.alles import ongebruikt_afhandelen
from machtigingen.services.ongebruikt.groep import ongebruikte_groepsmachtigingen_afhandelen
from machtigingen.services.ongebruikt.keten import ongebruikte_ketenmachtigingen_afhandelen
from machtigingen.tasks import ongebruikte_machtigingen_afhandelen as taak
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

BEGIN = dt.date(2024, 3, 10)


def maanden(n: int, vanaf: dt.date = BEGIN) -> dt.date:
    return plus_maanden(vanaf, n)


def groep_afhandelen(dag):
    return ongebruikte_groepsmachtigingen_afhandelen(peildatum=dag)


def keten_afhandelen(dag):
    return ongebruikte_ketenmachtigingen_afhandelen(peildatum=dag)


def _queries(functie, dag) -> int:
    with CaptureQueriesContext(connection) as ctx:
        functie(dag)
    return len(ctx.captured_queries)


# --- group machtigingen ------------------------------------------------------------------------------------------


def groep_machtiging(organisatie, *, leden=1, begint_op=BEGIN, niveau=Niveau.EH3, **kwargs):
    groep = kwargs.pop("groep", None) or GroepFactory(organisatie=organisatie, naam=kwargs.pop("naam", "Salaris"))
    for _i in range(leden):
        GroepLidFactory(groep=groep)
    kwargs.setdefault("eindigt_op", plus_jaren(begint_op, 5))
    return GroepMachtigingFactory(groep=groep, begint_op=begint_op, dienst=DienstFactory(niveau=niveau), **kwargs)


def groep_waarschuwingen():
    return Bericht.objects.filter(soort=Soort.GROEPSMACHTIGING_ONGEBRUIKT)


def test_r76_r24_group_warning_at_22_months_once_to_the_beheerders(organisatie, beheerder):
    gm = groep_machtiging(organisatie, naam="Salarisadministratie")
    lid = gm.groep.leden.get().koppeling.middel.persoon

    assert groep_afhandelen(maanden(22) - dt.timedelta(days=1)).gewaarschuwd == 0
    uitkomst = groep_afhandelen(maanden(22))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (1, 0)
    (bericht,) = groep_waarschuwingen()
    assert bericht.persoon_id == beheerder.pk and bericht.organisatie == organisatie
    assert "Salarisadministratie" in bericht.tekst and gm.dienst.naam in bericht.tekst
    assert maanden(24).strftime("%d-%m-%Y") in bericht.tekst
    assert not Bericht.objects.filter(persoon=lid).exists()  # the members are not warned (see the module)
    assert AuditEntry.objects.filter(actie=Actie.BERICHT_WAARSCHUWING_ONGEBRUIKT, organisatie=organisatie).count() == 1
    # Once per period: the same day again, and every day until it ends, sends nothing new.
    assert groep_afhandelen(maanden(22)).gewaarschuwd == 0
    assert groep_afhandelen(maanden(23)).gewaarschuwd == 0
    assert groep_waarschuwingen().count() == 1
    gm.refresh_from_db()
    assert gm.status == Status.ACTIEF


def test_r76_r24_group_ends_after_the_announced_day_and_tells_the_members_it_counted_for(organisatie, beheerder):
    gm = groep_machtiging(organisatie, naam="Salarisadministratie")
    gedekt = gm.groep.leden.get().koppeling.middel.persoon
    te_laag = GroepLidFactory(
        groep=gm.groep, koppeling=KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH2)
    ).koppeling.middel.persoon
    groep_afhandelen(maanden(22))

    assert groep_afhandelen(maanden(24) - dt.timedelta(days=1)).beeindigd == 0
    uitkomst = groep_afhandelen(maanden(24))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (0, 1)
    gm.refresh_from_db()
    assert gm.status == Status.INGETROKKEN and gm.ingetrokken_op is not None
    audit = AuditEntry.objects.get(actie=Actie.GROEPSMACHTIGING_BEEINDIGD, object_id=str(gm.pk))
    assert audit.actor is None and audit.organisatie == organisatie
    assert "Salarisadministratie" in audit.omschrijving and "24 maanden niet gebruikt" in audit.omschrijving
    assert audit.voor["status"] == Status.ACTIEF and audit.na["status"] == Status.INGETROKKEN
    # R37: the member it counted for is told; the one below its niveau did not hold it.
    (melding,) = Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD)
    assert melding.persoon == gedekt and "Salarisadministratie" in melding.tekst
    assert not Bericht.objects.filter(persoon=te_laag).exists()
    assert groep_afhandelen(maanden(25)).beeindigd == 0


def test_r76_r24_a_use_resets_the_groups_clock(organisatie, beheerder):
    gm = groep_machtiging(organisatie)
    groep_afhandelen(maanden(22))
    gebruikt = maanden(23)
    gm.laatst_gebruikt_op = gebruikt
    gm.save(update_fields=["laatst_gebruikt_op"])

    assert groep_afhandelen(maanden(24)).beeindigd == 0
    gm.refresh_from_db()
    assert gm.status == Status.ACTIEF
    assert groep_afhandelen(maanden(22, gebruikt) - dt.timedelta(days=1)).gewaarschuwd == 0
    assert groep_afhandelen(maanden(22, gebruikt)).gewaarschuwd == 1
    assert HerinneringVerstuurd.objects.filter(soort=Soort.GROEPSMACHTIGING_ONGEBRUIKT, object_id=gm.pk).count() == 2
    assert groep_afhandelen(maanden(24, gebruikt) - dt.timedelta(days=1)).beeindigd == 0
    assert groep_afhandelen(maanden(24, gebruikt)).beeindigd == 1


def test_r76_r24_never_ended_without_notice_and_not_warned_when_it_expires_first(organisatie, beheerder):
    gm = groep_machtiging(organisatie)
    groep_machtiging(organisatie, naam="Kort", eindigt_op=maanden(31))  # ends by its own date before 32 months

    assert (groep_afhandelen(maanden(30)).gewaarschuwd, groep_afhandelen(maanden(30)).beeindigd) == (1, 0)
    assert groep_afhandelen(maanden(32) - dt.timedelta(days=1)).beeindigd == 0
    assert groep_afhandelen(maanden(32)).beeindigd == 1
    gm.refresh_from_db()
    assert gm.status == Status.INGETROKKEN


def test_r76_r24_deleted_groups_and_ended_machtigingen_are_left_alone(organisatie, beheerder):
    groep_machtiging(organisatie, status=Status.INGETROKKEN)
    weg = groep_machtiging(organisatie, naam="Weg")
    weg.groep.opgeheven_op = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    weg.groep.save(update_fields=["opgeheven_op"])

    assert groep_afhandelen(maanden(22)).gewaarschuwd == 0
    assert not groep_waarschuwingen().exists()


@pytest.mark.parametrize("stap", ["waarschuwen", "beeindigen"])
def test_r76_r24_constant_queries(organisatie, beheerder, stap):
    """The group job's query count does not depend on the number of groups, members or organisations."""
    andere = KoppelingFactory(beheerder=True).organisatie
    aantallen = []
    for n, begin in ((1, BEGIN), (4, maanden(1))):
        for i in range(n):
            groep_machtiging(organisatie if i % 2 == 0 else andere, leden=i + 1, begint_op=begin, naam=f"G{n}-{i}")
        if stap == "beeindigen":
            groep_afhandelen(maanden(22, begin))
        aantallen.append(_queries(groep_afhandelen, maanden(24 if stap == "beeindigen" else 22, begin)))
    assert aantallen[0] == aantallen[1]


def test_r76_r24_the_groups_page_shows_laatst_gebruikt(client, organisatie, beheerder):
    gebruikt = groep_machtiging(organisatie, begint_op=vandaag(), laatst_gebruikt_op=dt.date(2026, 3, 4))
    nooit = GroepMachtigingFactory(groep=gebruikt.groep, scope=Scope.ALGEMEEN, dienst=None, niveau=Niveau.EH3)
    inloggen_geverifieerd(client, beheerder)

    html = client.get(reverse("groepen:groep", args=[gebruikt.groep.pk])).content.decode()

    def regel(m):
        begin = html.index(f'data-groep-machtiging="{m.pk}"')
        return html[begin : html.index("</li>", begin)]

    assert "Laatst gebruikt:" in regel(gebruikt) and "04-03-2026" in regel(gebruikt)
    assert "Laatst gebruikt:" in regel(nooit) and "niet gebruikt" in regel(nooit)


# --- ketenmachtigingen -------------------------------------------------------------------------------------------


@pytest.fixture
def intermediair(db):
    return OrganisatieFactory(naam="Accountants Vries")


@pytest.fixture
def intermediair_beheerder(intermediair):
    return KoppelingFactory(organisatie=intermediair, beheerder=True).middel.persoon


def ketenmachtiging(verlener, intermediair, *, begint_op=BEGIN, **kwargs):
    kwargs.setdefault("eindigt_op", plus_jaren(begint_op, 5))
    return Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=Scope.DIENST,
        dienst=kwargs.pop("dienst", None) or DienstFactory(niveau=Niveau.EH3),
        begint_op=begint_op,
        **kwargs,
    )


def keten_waarschuwingen():
    return Bericht.objects.filter(soort=Soort.KETENMACHTIGING_ONGEBRUIKT)


def test_r76_r72_keten_warning_at_22_months_once_to_both_sides_beheerders(
    organisatie, beheerder, intermediair, intermediair_beheerder
):
    k = ketenmachtiging(organisatie, intermediair)
    medewerker = KoppelingFactory(organisatie=intermediair).middel
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=medewerker)

    assert keten_afhandelen(maanden(22) - dt.timedelta(days=1)).gewaarschuwd == 0
    uitkomst = keten_afhandelen(maanden(22))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (1, 0)
    berichten = {b.persoon_id: b for b in keten_waarschuwingen()}
    assert set(berichten) == {beheerder.pk, intermediair_beheerder.pk}
    einde = maanden(24).strftime("%d-%m-%Y")
    aan_verlener, aan_intermediair = berichten[beheerder.pk], berichten[intermediair_beheerder.pk]
    assert aan_verlener.organisatie == organisatie and aan_intermediair.organisatie == intermediair
    assert "Afgegeven aan Accountants Vries" in aan_verlener.tekst and einde in aan_verlener.tekst
    assert "Ontvangen van Santos B.V." in aan_intermediair.tekst and einde in aan_intermediair.tekst
    assert k.dienst.naam in aan_intermediair.tekst
    assert not Bericht.objects.filter(persoon=medewerker.persoon).exists()
    assert AuditEntry.objects.filter(actie=Actie.BERICHT_WAARSCHUWING_ONGEBRUIKT).count() == 2
    assert keten_afhandelen(maanden(22)).gewaarschuwd == 0
    assert keten_afhandelen(maanden(23)).gewaarschuwd == 0
    assert keten_waarschuwingen().count() == 2


def test_r76_r72_keten_ends_after_the_announced_day_revoked_with_its_links(
    organisatie, beheerder, intermediair, intermediair_beheerder
):
    k = ketenmachtiging(organisatie, intermediair)
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=KoppelingFactory(organisatie=intermediair).middel)
    keten_afhandelen(maanden(22))

    assert keten_afhandelen(maanden(24) - dt.timedelta(days=1)).beeindigd == 0
    uitkomst = keten_afhandelen(maanden(24))

    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (0, 1)
    k.refresh_from_db()
    assert k.status == Status.INGETROKKEN and k.ingetrokken_op is not None
    audit = AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_INGETROKKEN, object_id=str(k.pk))
    assert {a.organisatie_id for a in audit} == {organisatie.pk, intermediair.pk}  # both keep it (R74)
    assert all(a.actor is None and "24 maanden niet gebruikt" in a.omschrijving for a in audit)
    # R46: the links end with it.
    assert not KetenmachtigingMiddel.objects.filter(ketenmachtiging=k).exists()
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_KOPPELINGEN_BEEINDIGD).count() == 1
    assert keten_afhandelen(maanden(25)).beeindigd == 0


def test_r76_r72_a_use_resets_the_ketens_clock(organisatie, beheerder, intermediair):
    k = ketenmachtiging(organisatie, intermediair)
    keten_afhandelen(maanden(22))
    gebruikt = maanden(23)
    Ketenmachtiging.objects.filter(pk=k.pk).update(laatst_gebruikt_op=gebruikt)

    assert keten_afhandelen(maanden(24)).beeindigd == 0
    k.refresh_from_db()
    assert k.status == Status.ACTIEF
    assert keten_afhandelen(maanden(22, gebruikt) - dt.timedelta(days=1)).gewaarschuwd == 0
    assert keten_afhandelen(maanden(22, gebruikt)).gewaarschuwd == 1
    assert HerinneringVerstuurd.objects.filter(soort=Soort.KETENMACHTIGING_ONGEBRUIKT, object_id=k.pk).count() == 2
    assert keten_afhandelen(maanden(24, gebruikt) - dt.timedelta(days=1)).beeindigd == 0
    assert keten_afhandelen(maanden(24, gebruikt)).beeindigd == 1


def test_r76_r72_never_ended_without_notice_and_not_warned_when_it_expires_first(organisatie, beheerder, intermediair):
    k = ketenmachtiging(organisatie, intermediair)
    ketenmachtiging(organisatie, intermediair, eindigt_op=maanden(31))  # ends by its own date before 32 months

    assert (keten_afhandelen(maanden(30)).gewaarschuwd, keten_afhandelen(maanden(30)).beeindigd) == (1, 0)
    assert maanden(32).strftime("%d-%m-%Y") in keten_waarschuwingen().first().tekst
    assert keten_afhandelen(maanden(32) - dt.timedelta(days=1)).beeindigd == 0
    assert keten_afhandelen(maanden(32)).beeindigd == 1
    k.refresh_from_db()
    assert k.status == Status.INGETROKKEN


def test_r76_r72_one_email_per_beheerder_per_organisation_on_either_side(organisatie, beheerder, intermediair):
    """Santos gave two and received one: its beheerder gets one e-mail listing all three."""
    ketenmachtiging(organisatie, intermediair)
    ketenmachtiging(organisatie, OrganisatieFactory(naam="Boekhouder B.V."))
    ketenmachtiging(OrganisatieFactory(naam="Klant C"), organisatie)

    assert keten_afhandelen(maanden(22)).gewaarschuwd == 3
    (bericht,) = keten_waarschuwingen().filter(persoon=beheerder)
    assert bericht.tekst.count("\n- ") == 3 and "Ontvangen van Klant C" in bericht.tekst


@pytest.mark.parametrize("stap", ["waarschuwen", "beeindigen"])
def test_r76_r72_constant_queries(organisatie, beheerder, intermediair, intermediair_beheerder, stap):
    andere = KoppelingFactory(beheerder=True).organisatie
    aantallen = []
    for n, begin in ((1, BEGIN), (4, maanden(1))):
        for i in range(n):
            k = ketenmachtiging(organisatie if i % 2 == 0 else andere, intermediair, begint_op=begin)
            KetenmachtigingMiddel.objects.create(
                ketenmachtiging=k, middel=KoppelingFactory(organisatie=intermediair).middel
            )
        if stap == "beeindigen":
            keten_afhandelen(maanden(22, begin))
        aantallen.append(_queries(keten_afhandelen, maanden(24 if stap == "beeindigen" else 22, begin)))
    assert aantallen[0] == aantallen[1]


# --- the daily task does all three ------------------------------------------------------------------------------


def test_r76_the_daily_task_handles_machtigingen_groups_and_ketenmachtigingen(organisatie, beheerder, intermediair):
    begin = plus_maanden(vandaag(), -22)
    m = MachtigingFactory(organisatie=organisatie, begint_op=begin, eindigt_op=plus_jaren(begin, 5))
    gm = groep_machtiging(organisatie, begint_op=begin)
    k = ketenmachtiging(organisatie, intermediair, begint_op=begin)

    assert taak() == {"gewaarschuwd": 3, "beeindigd": 0}

    gewaarschuwd = set(HerinneringVerstuurd.objects.values_list("soort", "object_id"))
    assert gewaarschuwd == {
        (Soort.MACHTIGING_ONGEBRUIKT, m.pk),
        (Soort.GROEPSMACHTIGING_ONGEBRUIKT, gm.pk),
        (Soort.KETENMACHTIGING_ONGEBRUIKT, k.pk),
    }
    uitkomst = ongebruikt_afhandelen()
    assert (uitkomst.gewaarschuwd, uitkomst.beeindigd) == (0, 0)  # idempotent per day
