"""Helpers and fixtures for the rubriek Gebruikers: uploads, tariffs, a complete new-user request."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from gebruikers import services
from gebruikers.models import IdDocumentType, Middel, Persoon
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory, PersoonFactory


def _pdf() -> bytes:
    schrijver = PdfWriter()
    schrijver.add_blank_page(width=595, height=842)
    uit = io.BytesIO()
    schrijver.write(uit)
    return uit.getvalue()


def _beeld(formaat: str) -> bytes:
    uit = io.BytesIO()
    Image.new("RGB", (8, 5), (200, 180, 40)).save(uit, format=formaat)
    return uit.getvalue()


# Real documents (the upload check parses them whole, common.bestanden): a blank A4 page and tiny images.
PDF = _pdf()
PNG = _beeld("PNG")
JPEG = _beeld("JPEG")
TIFF = _beeld("TIFF")
BMP = _beeld("BMP")


def upload(naam: str = "paspoort.pdf", inhoud: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(naam, inhoud)


TARIEVEN = {
    ("middel_eh2plus", "1"): "16.00",
    ("middel_eh3", "1"): "41.00",
    ("middel_eh3", "3"): "89.85",
    ("middel_eh4", "1"): "60.00",
    ("belastingdienst_eh3", "1"): "25.00",
    ("koppeling_eh2plus", "1"): "13.30",
    ("koppeling_eh3", "1"): "21.00",
    ("koppeling_eh3", "3"): "58.95",
    ("otp_device", "0"): "40.00",
    ("nieuwe_activatie", "0"): "12.50",
    ("ketenmachtiging", "1"): "19.95",
}


@pytest.fixture
def tarieven(db):
    """The tariff table as tests need it, whether or not the data migration's rows survived a flush."""
    for (code, periode), bedrag in TARIEVEN.items():
        Tarief.objects.update_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})


@pytest.fixture
def support(db):
    return PersoonFactory(is_staff=True)


def persoon_gegevens(**kwargs) -> services.PersoonGegevens:
    velden = {
        "voornamen": "Katarina",
        "achternaam": "Bulters",
        "geboortedatum": dt.date(1990, 3, 1),
        "email": "katarina.bulters@example.com",
    }
    velden.update(kwargs)
    return services.PersoonGegevens(**velden)


def id_document(**kwargs) -> services.IdDocument:
    velden = {
        "type": IdDocumentType.PASPOORT,
        "documentnummer": "NXC4R8KL2",
        "geslacht": Persoon.Geslacht.VROUW,
        "geldigheidsdatum": plus_maanden(vandaag(), 24),
        "voorzijde": upload(),
    }
    velden.update(kwargs)
    return services.IdDocument(**velden)


def adres(**kwargs) -> services.Identificatieadres:
    velden = {"postcode": "1012ab", "huisnummer": "1", "straat": "Stationsplein", "plaats": "Amsterdam"}
    velden.update(kwargs)
    return services.Identificatieadres(**velden)


def aanvraag_kwargs(actor, organisatie, **kwargs) -> dict:
    velden = {
        "actor": actor,
        "organisatie": organisatie,
        "niveau": Niveau.EH3,
        "rol": "gebruiker",
        "persoon_gegevens": persoon_gegevens(),
        "id_document": id_document(),
        "tweede_factor": Middel.TweedeFactor.SMS,
        "mobiel": "06 12345678",
        "identificatieadres": adres(),
        "abonnement_jaren": 1,
        "kosten_geaccepteerd": True,
    }
    velden.update(kwargs)
    return velden


@pytest.fixture
def nieuwe_aanvraag(beheerder, organisatie, tarieven):
    return services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie))


def beheerder_van(organisatie, **middel):
    """Another beheerder of `organisatie` with an Actief EH3 middel."""
    return KoppelingFactory(organisatie=organisatie, beheerder=True, **{f"middel__{k}": v for k, v in middel.items()})


def middel_bij(organisatie, *, rol="gebruiker", **middel):
    m = MiddelFactory(**middel)
    return KoppelingFactory(middel=m, organisatie=organisatie, rol=rol)


@pytest.fixture
def register(db):
    """The shipped embedded Handelsregister, Santos B.V. (12345678) only: Maria Santos is its wettelijk
    vertegenwoordiger, fully authorised (R23)."""
    import json
    from pathlib import Path

    from handelsregister.services import handelsregister_laden

    bestand = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"
    data = json.loads(bestand.read_text(encoding="utf-8"))
    data["organisaties"] = [o for o in data["organisaties"] if o["basisprofiel"]["kvkNummer"] == "12345678"]
    handelsregister_laden(data=data)


def maria_santos(**kwargs) -> services.PersoonGegevens:
    """The wettelijk vertegenwoordiger of Santos B.V. in the shipped register."""
    return persoon_gegevens(voornamen="Maria", achternaam="Santos", geboortedatum=dt.date(1979, 3, 14), **kwargs)
