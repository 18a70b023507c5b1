"""HANDELSREGISTER_BACKEND chooses the register behind `get_handelsregister()`."""

import pytest

from handelsregister.backend import get_handelsregister
from handelsregister.clients import KvkHandelsregister
from handelsregister.embedded import EmbeddedHandelsregister


def test_embedded_is_the_default(settings):
    assert settings.HANDELSREGISTER_BACKEND == "embedded"
    assert isinstance(get_handelsregister(), EmbeddedHandelsregister)


def test_kvk_setting_selects_the_client_with_its_settings(settings):
    settings.HANDELSREGISTER_BACKEND = "kvk"
    settings.KVK_API_BASE_URL = "https://api.kvk.nl/test/"
    settings.KVK_API_KEY = "sleutel"
    settings.KVK_API_TIMEOUT = 3.5
    register = get_handelsregister()
    assert isinstance(register, KvkHandelsregister)
    assert (register.base_url, register.api_key, register.timeout) == ("https://api.kvk.nl/test", "sleutel", 3.5)


@pytest.mark.django_db
def test_the_setting_decides_who_answers(settings, kvk_api, geladen_register):
    # Only the embedded register has vertegenwoordigers, so the answer shows which register gave it.
    assert get_handelsregister().zoek_op_kvk_nummer("65688708").wettelijk_vertegenwoordigers
    assert kvk_api.requests == []

    settings.HANDELSREGISTER_BACKEND = "kvk"
    settings.KVK_API_BASE_URL = kvk_api.base_url
    settings.KVK_API_KEY = "test-api-key"
    profiel = get_handelsregister().zoek_op_kvk_nummer("65688708")
    assert profiel.naam == "Signicat AS"
    assert profiel.wettelijk_vertegenwoordigers == []
    assert kvk_api.requests
