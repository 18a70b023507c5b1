"""Wat mag deze persoon? (screen) and the API's resource search agree, on a random population (issue #13):
both are the same function, and this keeps them so."""

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from common.niveau import Niveau
from tests.api.conftest import machtiging
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory

pytestmark = pytest.mark.django_db

NIVEAUS = [Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH4]
RIJ = re.compile(
    r'<li class="bm-machtiging" data-toegestaan="ja">.*?<span class="bm-machtiging__dienst">([^<]+)</span>', re.S
)


def _bevolking(organisatie, seed: int):
    """People of random niveau, diensten of random niveau at three dienstverleners, and random machtigingen
    (per dienst, Algemene bevoegdheid, Dienstverlenersmachtiging), some ended or not yet begun."""
    rng = random.Random(seed)
    vandaag = timezone.localdate()
    verleners = [DienstverlenerFactory(naam=f"Verlener {seed}-{i}") for i in range(3)]
    diensten = [
        DienstFactory(dienstverlener=rng.choice(verleners), naam=f"Dienst {seed}-{i}", niveau=rng.choice(NIVEAUS))
        for i in range(12)
    ]
    middelen = [
        KoppelingFactory(organisatie=organisatie, middel__niveau=rng.choice(NIVEAUS[1:])).middel for _ in range(5)
    ]
    for middel in middelen:
        for _ in range(rng.randint(0, 4)):
            begint = vandaag - dt.timedelta(days=rng.choice([-5, 10, 400]))
            eindigt = begint + dt.timedelta(days=rng.choice([3, 30, 365]))
            soort = rng.choice(["dienst", "niveau", "dienstverlener"])
            scope = {
                "dienst": {"dienst": rng.choice(diensten)},
                "niveau": {"niveau": rng.choice(NIVEAUS)},
                "dienstverlener": {"dienstverlener": rng.choice(verleners)},
            }[soort]
            machtiging(middel, organisatie, begint_op=begint, eindigt_op=eindigt, **scope)
    return middelen, {str(d.service_uuid): d.naam for d in diensten}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_screen_and_api_give_the_same_diensten_for_every_person(beheerder_client, api, organisatie, seed):
    middelen, naam_van = _bevolking(organisatie, seed)
    ja_in_totaal = 0
    for middel in middelen:
        html = beheerder_client.get(f"/beheer/gebruikers/{middel.persoon_id}/wat-mag/").content.decode()
        op_scherm = set(RIJ.findall(html))
        antwoord = api.post(
            "/access/v1/search/resource",
            {
                "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id)},
                "resource": {"type": "dienst", "properties": {"kvk_nummer": organisatie.kvk_nummer}},
                "action": {"name": "inloggen"},
            },
        )
        assert antwoord.status_code == 200
        via_api = {naam_van[r["id"]] for r in antwoord.json()["results"] if r["id"] in naam_van}
        assert op_scherm == via_api, (middel, op_scherm, via_api)
        ja_in_totaal += len(via_api)
        # And each yes of the search is a yes of a single evaluation.
        for r in antwoord.json()["results"]:
            vraag = {
                "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id)},
                "resource": {"type": "dienst", "id": r["id"], "properties": {"kvk_nummer": organisatie.kvk_nummer}},
                "action": {"name": "inloggen"},
            }
            assert api.evaluatie(vraag).json()["decision"] is True
    # The population is not trivial: somebody may use something (and, with 12 diensten, not everything).
    assert 0 < ja_in_totaal < len(middelen) * len(naam_van)
