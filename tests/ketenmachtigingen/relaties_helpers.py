"""Shared by the van-relaties tests: a Handelsregister that knows what a test tells it, and a way to walk an
invitation through the relation's page steps in the domain layer."""

import datetime as dt

import pytest

from handelsregister.base import Handelsregister, niet_gevonden_kvk, niet_gevonden_vestiging
from handelsregister.records import Adres, Organisatieprofiel, WettelijkVertegenwoordiger

GEBOREN = dt.date(1970, 3, 14)


class NepRegister(Handelsregister):
    def __init__(self):
        self.profielen: dict[str, Organisatieprofiel] = {}
        self.vragen = 0

    def voeg_toe(self, kvk: str, naam: str, vertegenwoordigers=(("Jan de Vries", GEBOREN),)) -> Organisatieprofiel:
        profiel = Organisatieprofiel(
            kvk_nummer=kvk,
            naam=naam,
            statutaire_naam=naam,
            rsin="",
            rechtsvorm="BV",
            uitgebreide_rechtsvorm="Besloten Vennootschap",
            adres=Adres(straat="Dorpsstraat", huisnummer="1", postcode="1234AB", plaats="Lelystad"),
            wettelijk_vertegenwoordigers=[
                WettelijkVertegenwoordiger(naam=n, geboortedatum=g, bevoegdheid="Alleen bevoegd")
                for n, g in vertegenwoordigers
            ],
        )
        self.profielen[kvk] = profiel
        return profiel

    def _profiel(self, kvk_nummer):
        self.vragen += 1
        if kvk_nummer not in self.profielen:
            raise niet_gevonden_kvk(kvk_nummer)
        return self.profielen[kvk_nummer]

    def _profiel_van_vestiging(self, vestigingsnummer):
        raise niet_gevonden_vestiging(vestigingsnummer)

    def _zoeken(self, criteria):
        return []


@pytest.fixture(name="register")
def fixture_register(monkeypatch):
    nep = NepRegister()
    monkeypatch.setattr("handelsregister.backend.get_handelsregister", lambda: nep)
    return nep


def laatste_code(email: str) -> str:
    """The code from the last code e-mail in the outbox (the only place it exists)."""
    import re

    from berichten.models import Bericht, Soort

    bericht = Bericht.objects.filter(soort=Soort.UITNODIGING_CODE, ontvanger=email).latest("pk")
    return re.search(r"\b(\d{6})\b", bericht.tekst).group(1)


def token_uit_outbox(email: str) -> str:
    import re

    from berichten.models import Bericht, Soort

    bericht = Bericht.objects.filter(soort=Soort.UITNODIGING_KETENMACHTIGING, ontvanger=email).latest("pk")
    return re.search(r"/uitnodiging/([^/\s]+)/", bericht.tekst).group(1)


# --- fixtures for the screen tests (tests/ketenmachtigingen_screens/test_relaties*, _uitnodiging*, _ontvangen*)


@pytest.fixture(name="inter")
def fixture_inter(db):
    from tests.organisaties.factories import OrganisatieFactory

    return OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")


@pytest.fixture(name="inter_beheerder")
def fixture_inter_beheerder(inter):
    from common.niveau import Niveau
    from tests.gebruikers.factories import KoppelingFactory

    return KoppelingFactory(organisatie=inter, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


@pytest.fixture(name="inter_client")
def fixture_inter_client(client, inter_beheerder):
    from tests.inloggen.helpers import inloggen_geverifieerd

    return inloggen_geverifieerd(client, inter_beheerder)


@pytest.fixture(name="inter_module")
def fixture_inter_module(inter):
    from ketenmachtigingen.models import KetenModule

    return KetenModule.objects.create(organisatie=inter, status=KetenModule.Status.INGESCHAKELD)


def ketenmachtiging_van(verlener, intermediair, **kwargs):
    from common.dates import vandaag
    from common.niveau import Niveau
    from ketenmachtigingen.models import Ketenmachtiging
    from machtigingen.models import Scope

    kwargs.setdefault("scope", Scope.ALGEMEEN)
    kwargs.setdefault("niveau", Niveau.EH3)
    kwargs.setdefault("begint_op", vandaag())
    kwargs.setdefault("eindigt_op", vandaag() + dt.timedelta(days=365))
    kwargs.setdefault("aangevraagd_door", Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR)
    return Ketenmachtiging.objects.create(verlener=verlener, intermediair=intermediair, **kwargs)
