from decimal import Decimal

import pytest

from common.niveau import Niveau
from facturatie.models import Tarief
from ketenmachtigingen.models import KetenModule
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, PersoonFactory
from tests.organisaties.factories import OrganisatieFactory


@pytest.fixture
def verlener(db):
    return OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")


@pytest.fixture
def verlener_beheerder(verlener):
    """A beheerder at the verlener with a regular Actief EH3 middel: may issue ketenmachtigingen (R40)."""
    return KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


@pytest.fixture
def intermediair(db):
    return OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")


@pytest.fixture
def intermediair_beheerder(intermediair):
    return KoppelingFactory(organisatie=intermediair, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


@pytest.fixture
def medewerker(intermediair):
    """A regular EH3 middel of a person working at the intermediair."""
    return KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel


@pytest.fixture
def support(db):
    return PersoonFactory(is_staff=True)


@pytest.fixture
def dienst(db):
    return DienstFactory(niveau=Niveau.EH3)


@pytest.fixture
def tarief(db):
    return Tarief.objects.update_or_create(
        code=Tarief.Code.KETENMACHTIGING, periode=Tarief.Periode.JAAR, defaults={"bedrag": Decimal("19.95")}
    )[0]


@pytest.fixture
def module(intermediair):
    return KetenModule.objects.create(organisatie=intermediair, status=KetenModule.Status.INGESCHAKELD)
