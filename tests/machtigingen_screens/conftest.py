"""Santos B.V. as the manual draws its rubriek Machtigingen (§4.1, §4.3): J. Bakker (EH3) is beheerder; W. Bakker
(EH2+) and S. Veenstra (EH3) hold the Landelijk Asbestvolgsysteem of the Ministerie van Infrastructuur en
Waterstaat, S. Veenstra's ending within two months (R34)."""

import datetime as dt

import pytest

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from machtigingen.models import Scope
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory


def houder(organisatie, voornaam, achternaam, niveau=Niveau.EH3):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=niveau,
        middel__persoon__voornamen=voornaam,
        middel__persoon__achternaam=achternaam,
    ).middel


def machtiging(organisatie, middel, dienst=None, *, eindigt_op=None, **kwargs):
    begint_op = kwargs.pop("begint_op", vandaag() - dt.timedelta(days=400))
    return MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=begint_op,
        eindigt_op=eindigt_op or plus_jaren(vandaag(), 2),
        **kwargs,
    )


def algemeen(organisatie, middel, niveau, **kwargs):
    return machtiging(organisatie, middel, None, scope=Scope.ALGEMEEN, niveau=niveau, **kwargs)


@pytest.fixture
def ienw(db):
    return DienstverlenerFactory(naam="Ministerie van Infrastructuur en Waterstaat", naam_en="Ministry of I&W")


@pytest.fixture
def asbest(ienw):
    return DienstFactory(dienstverlener=ienw, naam="Landelijk Asbestvolgsysteem", niveau=Niveau.EH2)


@pytest.fixture
def wbakker(organisatie):
    return houder(organisatie, "Willem", "Bakker", Niveau.EH2_PLUS)


@pytest.fixture
def veenstra(organisatie):
    return houder(organisatie, "Sanne", "Veenstra", Niveau.EH3)


@pytest.fixture
def santos(organisatie, beheerder, asbest, wbakker, veenstra):
    """Two holders of the Asbestvolgsysteem; Veenstra's ends in 20 days."""
    return {
        "bakker": machtiging(organisatie, wbakker, asbest),
        "veenstra": machtiging(organisatie, veenstra, asbest, eindigt_op=vandaag() + dt.timedelta(days=20)),
    }
