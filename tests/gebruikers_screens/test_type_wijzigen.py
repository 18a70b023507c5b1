"""Type eHerkenningmiddel wijzigen regulier → Belastingdienst (§3.8.2, R23): who counts as wettelijk
vertegenwoordiger is what the Handelsregister says, not a box the beheerder ticks."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from common.niveau import Niveau
from gebruikers.models import Middel
from handelsregister.services import handelsregister_laden
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import tarieven  # noqa: F401
from tests.gebruikers_screens.test_toevoegen import DATA_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["organisaties"] = [o for o in data["organisaties"] if o["basisprofiel"]["kvkNummer"] == "12345678"]
    handelsregister_laden(data=data)


def _eh3(organisatie, voornamen, achternaam, geboortedatum):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen=voornamen,
        middel__persoon__achternaam=achternaam,
        middel__persoon__geboortedatum=geboortedatum,
    ).middel


def _wijzig(client, middel):
    return client.post(
        reverse("gebruikers:type_wijzigen", args=[middel.persoon.pk]),
        {"type": "belastingdienst", "abonnement_jaren": "1", "bevestigd": "on"},
    )


def test_r23_a_wettelijk_vertegenwoordiger_in_the_register_gets_the_belastingdienst_type(
    beheerder_client,
    organisatie,
    register,
    tarieven,  # noqa: F811
):
    middel = _eh3(organisatie, "Maria", "Santos", dt.date(1979, 3, 14))

    assert _wijzig(beheerder_client, middel).status_code == 302

    middel.refresh_from_db()
    assert middel.type == Middel.Type.BELASTINGDIENST


def test_r23_someone_not_in_the_register_is_refused_in_place(
    beheerder_client,
    organisatie,
    register,
    tarieven,  # noqa: F811
):
    middel = _eh3(organisatie, "Karel", "Klaassen", dt.date(1980, 1, 1))

    response = _wijzig(beheerder_client, middel)

    assert response.status_code == 200
    assert "wettelijk vertegenwoordiger" in response.content.decode()
    middel.refresh_from_db()
    assert middel.type == Middel.Type.REGULIER
