"""Fixtures for organisaties and Instellingen: the embedded Handelsregister loaded from the shipped file, the tariff table, support."""

import json
from pathlib import Path

import pytest

from handelsregister.services import handelsregister_laden
from tests.gebruikers.helpers import support, tarieven  # noqa: F401

DATA_FILE = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"

DAGOBERT = ("69599084", "000038509504")  # one vestiging
DONALD = ("68750110", "000037178601")  # a nevenvestiging of two
KATRIEN = "68727720"  # three vestigingen; vertegenwoordigers Katrien Duck, Gijs Gans, Willie Wortel


@pytest.fixture
def register(db):
    return handelsregister_laden(data=json.loads(DATA_FILE.read_text(encoding="utf-8")))
