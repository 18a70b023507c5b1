import pytest

from common.niveau import Niveau
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory


def maak_middel(organisatie, niveau=Niveau.EH3, **kwargs):
    """A user (gebruiker) of `organisatie` with an Actief middel at `niveau`."""
    return KoppelingFactory(organisatie=organisatie, middel__niveau=niveau, **kwargs).middel


@pytest.fixture
def dienstverlener(db):
    return DienstverlenerFactory(naam="Gemeente Haarlem")


@pytest.fixture
def dienst(dienstverlener):
    return DienstFactory(dienstverlener=dienstverlener, naam="Tijdelijke parkeervergunning", niveau=Niveau.EH3)


@pytest.fixture
def dienst_eh2plus(dienstverlener):
    return DienstFactory(dienstverlener=dienstverlener, naam="Subsidieportaal", niveau=Niveau.EH2_PLUS)


@pytest.fixture
def middel(organisatie):
    """An Actief EH3 gebruiker of the organisation."""
    return maak_middel(organisatie, Niveau.EH3, middel__persoon__achternaam="Veenstra")
