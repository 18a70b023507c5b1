"""The domain layer behind the afgegeven screens: who may issue (R40, R23), extending in place (R46, R73) and
links ending with a revoked ketenmachtiging or a removed intermediair (R46)."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Middel
from ketenmachtigingen import rules
from ketenmachtigingen import services as keten
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen import register
from machtigingen.models import Scope, Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.organisaties.factories import OrganisatieFactory


@pytest.fixture
def verlener(db):
    return OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")


@pytest.fixture
def bakker(verlener):
    return KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


@pytest.fixture
def vries(db):
    return OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")


@pytest.fixture
def de_vries(vries):
    return KoppelingFactory(organisatie=vries, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


@pytest.fixture
def jansen(vries):
    return KoppelingFactory(organisatie=vries, middel__niveau=Niveau.EH3).middel


@pytest.fixture
def gekoppeld(verlener, vries, de_vries, jansen):
    k = Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=vries,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH3,
        begint_op=vandaag() - dt.timedelta(days=30),
        eindigt_op=plus_jaren(vandaag(), 1),
    )
    keten.ketenmachtiging_koppel_middel(actor=de_vries, ketenmachtiging=k, middel=jansen)
    return k


@pytest.mark.parametrize(
    ("velden", "regel"),
    [
        ({"niveau": Niveau.EH3}, None),
        ({"niveau": Niveau.EH4}, None),
        ({"niveau": Niveau.EH2_PLUS}, "R40"),
        ({"niveau": Niveau.EH3, "status": Middel.Status.WACHTEN_OP_ACTIVATIE}, "R40"),
        ({"niveau": Niveau.EH3, "type": Middel.Type.BELASTINGDIENST}, "R23"),
    ],
)
def test_r40_r23_afgeven_weigering_predicate(db, velden, regel):
    middel = MiddelFactory.build(**velden)
    fout = rules.afgeven_weigering(middel)
    assert (fout.rule if fout else None) == regel
    assert rules.mag_afgeven(middel) is (regel is None)
    assert rules.afgeven_weigering(None).rule == "R40"


def test_r46_verlengen_keeps_identity_and_links_and_the_register_yes(bakker, verlener, gekoppeld, jansen):
    dienst = DienstFactory(niveau=Niveau.EH3)
    assert register.beslis(middel=jansen, organisatie=verlener, dienst=dienst).toegestaan
    nieuw = plus_jaren(vandaag(), 5)
    k = keten.ketenmachtiging_verlengen(actor=bakker, ketenmachtiging=gekoppeld, eindigt_op=nieuw)
    assert k.pk == gekoppeld.pk and k.eindigt_op == nieuw and k.termijn_begint_op == vandaag()
    assert KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=jansen).exists()
    assert register.beslis(middel=jansen, organisatie=verlener, dienst=dienst).toegestaan
    entry = AuditEntry.objects.get(actie=Actie.KETENMACHTIGING_VERLENGD, organisatie=verlener)
    assert entry.voor["eindigt_op"] == plus_jaren(vandaag(), 1).isoformat()
    assert entry.na["eindigt_op"] == nieuw.isoformat()
    # Both sides see it in their audit trail (R74).
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_VERLENGD, organisatie=k.intermediair).exists()


@pytest.mark.parametrize(
    "eindigt_op", [lambda: vandaag(), lambda: plus_jaren(vandaag(), 5) + dt.timedelta(days=1)], ids=["today", "5y+1"]
)
def test_r73_verlengen_refused_outside_tomorrow_to_five_years(bakker, gekoppeld, eindigt_op):
    with pytest.raises(DomainError) as e:
        keten.ketenmachtiging_verlengen(actor=bakker, ketenmachtiging=gekoppeld, eindigt_op=eindigt_op())
    assert e.value.rule == "R73"
    gekoppeld.refresh_from_db()
    assert gekoppeld.eindigt_op == plus_jaren(vandaag(), 1)


def test_r46_verlengen_refused_for_others_and_for_ended(verlener, gekoppeld, de_vries, bakker):
    eh2 = KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    gebruiker = KoppelingFactory(organisatie=verlener, middel__niveau=Niveau.EH4).middel.persoon
    for actor, regel in ((eh2, "R40"), (gebruiker, "R46"), (de_vries, "R46")):
        with pytest.raises(DomainError) as e:
            keten.ketenmachtiging_verlengen(actor=actor, ketenmachtiging=gekoppeld, eindigt_op=plus_jaren(vandaag(), 2))
        assert e.value.rule == regel
    keten.ketenmachtiging_intrekken(actor=bakker, ketenmachtiging=gekoppeld)
    with pytest.raises(DomainError) as e:
        keten.ketenmachtiging_verlengen(actor=bakker, ketenmachtiging=gekoppeld, eindigt_op=plus_jaren(vandaag(), 2))
    assert e.value.rule == "R46"
    assert not AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_VERLENGD).exists()


def test_r45_r46_intrekken_ends_every_link(bakker, verlener, gekoppeld, jansen):
    dienst = DienstFactory(niveau=Niveau.EH3)
    keten.ketenmachtiging_intrekken(actor=bakker, ketenmachtiging=gekoppeld)
    assert not KetenmachtigingMiddel.objects.exists()
    assert not register.beslis(middel=jansen, organisatie=verlener, dienst=dienst).toegestaan
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_KOPPELINGEN_BEEINDIGD).count() == 1


def test_r41_r46_intermediair_verwijderen_ends_every_link(bakker, verlener, vries, gekoppeld, jansen):
    keten.intermediair_verwijderen(actor=bakker, verlener=verlener, intermediair=vries, bevestigd=True)
    gekoppeld.refresh_from_db()
    assert gekoppeld.status == Status.INGETROKKEN
    assert not KetenmachtigingMiddel.objects.exists()
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_KOPPELINGEN_BEEINDIGD).count() == 1
