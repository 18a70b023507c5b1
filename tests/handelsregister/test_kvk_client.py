"""The KvK API client against a local server that answers in the documented shapes (conftest.FakeKvkApi)."""

import socket

import pytest

from handelsregister import clients
from handelsregister.clients import KvkHandelsregister
from handelsregister.errors import (
    HandelsregisterConfiguratieFout,
    HandelsregisterNietBereikbaar,
    OngeldigeWaarde,
    OrganisatieNietGevonden,
)
from handelsregister.records import Adres

NIET_BEREIKBAAR = "Het Handelsregister is op dit moment niet bereikbaar. Probeer het later opnieuw."


def test_r50_profile_from_basisprofiel_and_zoeken(kvk_api):
    profiel = kvk_api.client().zoek_op_kvk_nummer("12345678")
    assert (profiel.naam, profiel.statutaire_naam, profiel.kvk_nummer, profiel.rsin) == (
        "Santos B.V.",
        "Santos B.V.",
        "12345678",
        "851234562",
    )
    assert profiel.uitgebreide_rechtsvorm == "Besloten Vennootschap"
    assert profiel.adres == Adres(straat="Keizersgracht", huisnummer="62", postcode="1015 CS", plaats="Amsterdam")
    assert [v.vestigingsnummer for v in profiel.vestigingen] == ["000012345678", "000012345686", "000012345694"]
    assert profiel.vestigingen[2].adres.huisletter == "B"


def test_requests_use_the_documented_paths_and_the_apikey_header(kvk_api):
    kvk_api.client().zoek_op_kvk_nummer("12345678")
    assert [(path, query.get("kvkNummer")) for path, query, _key in kvk_api.requests] == [
        ("/api/v1/basisprofielen/12345678", None),
        ("/api/v2/zoeken", "12345678"),
    ]
    assert kvk_api.requests[0][1] == {"geoData": "false"}
    assert {key for _path, _query, key in kvk_api.requests} == {"test-api-key"}


def test_wettelijk_vertegenwoordigers_are_not_in_the_kvk_api(kvk_api):
    assert kvk_api.client().zoek_op_kvk_nummer("65688708").wettelijk_vertegenwoordigers == []


def test_r53_lookup_by_vestigingsnummer(kvk_api):
    profiel = kvk_api.client().zoek_op_vestigingsnummer("000012345686")
    assert profiel.kvk_nummer == "12345678"
    assert profiel.vestiging.eerste_handelsnaam == "Santos Logistiek"
    assert profiel.adres.plaats == "Maasvlakte Rotterdam"
    assert kvk_api.requests[0][1]["vestigingsnummer"] == "000012345686"


def test_r40_intermediair_lookup_gives_name_and_address(kvk_api):
    profiel = kvk_api.client().opzoeken("24444001")
    assert profiel.naam == "Connected Information Systems B.V."
    assert str(profiel.adres) == "Weena 327, 3013 AL Rotterdam"


def test_zoeken_reads_binnenlands_and_buitenlands_adres(kvk_api):
    resultaten = kvk_api.client().zoeken(kvk_nummer="65688708")
    adressen = {r.type: r.adres for r in resultaten}
    assert adressen["rechtspersoon"] == Adres(
        straat="Sommerrogata 13-15", plaats="0255 Oslo", land="Noorwegen", buitenlands=True
    )
    assert adressen["hoofdvestiging"] == Adres(straat="Weena", huisnummer="327", postcode="3013 AL", plaats="Rotterdam")


def test_zoeken_by_naam(kvk_api):
    resultaten = kvk_api.client().zoeken(naam="Accountants Vries")
    assert [r.vestigingsnummer for r in resultaten] == ["000044556677", "000044556685"]
    assert kvk_api.requests[0][1]["naam"] == "Accountants Vries"


def test_zoeken_follows_pages(kvk_api, monkeypatch):
    monkeypatch.setattr(clients, "RESULTATEN_PER_PAGINA", 2)
    resultaten = kvk_api.client().zoeken(kvk_nummer="68727720")
    assert [r.vestigingsnummer for r in resultaten] == ["000037143557", "000037143565", "000037143573"]
    assert [q["pagina"] for _p, q, _k in kvk_api.requests] == ["1", "2"]


def test_zoeken_404_means_no_results(kvk_api):
    assert kvk_api.client().zoeken(naam="bestaat niet") == []


def test_basisprofiel_404_is_not_found(kvk_api):
    with pytest.raises(OrganisatieNietGevonden) as exc:
        kvk_api.client().zoek_op_kvk_nummer("11111111")
    assert str(exc.value) == "Geen organisatie gevonden met KvK-nummer 11111111."


def test_unknown_vestigingsnummer_is_not_found(kvk_api):
    with pytest.raises(OrganisatieNietGevonden, match="000011111111"):
        kvk_api.client().zoek_op_vestigingsnummer("000011111111")


def test_bad_input_never_reaches_the_api(kvk_api):
    with pytest.raises(OngeldigeWaarde):
        kvk_api.client().zoek_op_kvk_nummer("1234")
    with pytest.raises(OngeldigeWaarde):
        kvk_api.client().zoek_op_vestigingsnummer("12345678")
    assert kvk_api.requests == []


def test_server_error_is_niet_bereikbaar(kvk_api):
    kvk_api.modus = "500"
    with pytest.raises(HandelsregisterNietBereikbaar) as exc:
        kvk_api.client().zoek_op_kvk_nummer("12345678")
    assert str(exc.value) == NIET_BEREIKBAAR


def test_slow_answer_beyond_the_timeout_is_niet_bereikbaar(kvk_api):
    kvk_api.modus = "slow"
    kvk_api.vertraging = 1.0
    with pytest.raises(HandelsregisterNietBereikbaar, match="niet bereikbaar"):
        kvk_api.client(timeout=0.1).zoek_op_kvk_nummer("12345678")


def test_slow_answer_within_the_timeout_is_fine(kvk_api):
    kvk_api.modus = "slow"
    kvk_api.vertraging = 0.05
    assert kvk_api.client(timeout=2).zoek_op_kvk_nummer("12345678").naam == "Santos B.V."


def test_malformed_json_is_niet_bereikbaar(kvk_api):
    kvk_api.modus = "malformed"
    with pytest.raises(HandelsregisterNietBereikbaar):
        kvk_api.client().zoek_op_kvk_nummer("12345678")


def test_answer_of_the_wrong_shape_is_niet_bereikbaar(kvk_api):
    kvk_api.modus = "wrong_shape"
    with pytest.raises(HandelsregisterNietBereikbaar):
        kvk_api.client().zoeken(naam="Santos")
    with pytest.raises(HandelsregisterNietBereikbaar):
        kvk_api.client().zoek_op_kvk_nummer("12345678")


@pytest.mark.parametrize("modus,api_key", [("401", "test-api-key"), (None, "verkeerde-sleutel")])
def test_refused_key_is_a_configuration_error(kvk_api, modus, api_key):
    kvk_api.modus = modus
    with pytest.raises(HandelsregisterConfiguratieFout, match="niet goed ingesteld"):
        kvk_api.client(api_key=api_key).zoek_op_kvk_nummer("12345678")


def test_refused_connection_is_niet_bereikbaar():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on the port any more.
    client = KvkHandelsregister(base_url=f"http://127.0.0.1:{port}", api_key="x", timeout=1)
    with pytest.raises(HandelsregisterNietBereikbaar):
        client.zoek_op_kvk_nummer("12345678")


def test_only_http_base_urls_are_accepted():
    with pytest.raises(ValueError, match="http"):
        KvkHandelsregister(base_url="file:///etc", api_key="x", timeout=1)


def test_failures_are_logged_without_the_key(kvk_api, caplog):
    kvk_api.modus = "500"
    with pytest.raises(HandelsregisterNietBereikbaar):
        kvk_api.client().zoek_op_kvk_nummer("12345678")
    assert "HTTP 500" in caplog.text
    assert "test-api-key" not in caplog.text
