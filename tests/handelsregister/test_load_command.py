"""`load_handelsregister`: loads the shipped file, is idempotent, updates in place, refuses a bad file whole."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit.acties import Actie
from audit.models import AuditEntry
from handelsregister.errors import OngeldigeWaarde
from handelsregister.identifiers import valideer_postcode, valideer_rsin, valideer_vestigingsnummer
from handelsregister.models import Inschrijving, Vestiging, WettelijkVertegenwoordiger
from handelsregister.services import handelsregister_laden

from .conftest import DATA_FILE

pytestmark = pytest.mark.django_db

MANUAL_ORGANISATIONS = {
    "12345678": "Santos B.V.",
    "99966564": "Ketelaar Klip",
    "65688708": "Signicat AS",
    "47474747": "Accountants Vries",
    "24444001": "Connected Information Systems B.V.",
}
KVK_TEST_NUMBERS = {"69599084", "68750110", "90001354", "68727720", "69599068", "90000749"}


def _snapshot():
    return (
        sorted(Inschrijving.objects.values_list("pk", "kvk_nummer", "naam", "rsin", "bijgewerkt_op")),
        sorted(Vestiging.objects.values_list("pk", "vestigingsnummer", "inschrijving_id", "eerste_handelsnaam")),
        sorted(WettelijkVertegenwoordiger.objects.values_list("pk", "naam", "geboortedatum")),
    )


def _write(tmp_path, data) -> str:
    path = tmp_path / "hr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_shipped_file_holds_the_test_numbers_and_the_manuals_organisations(handelsregister_data):
    namen = {o["basisprofiel"]["kvkNummer"]: o["basisprofiel"]["naam"] for o in handelsregister_data["organisaties"]}
    assert namen.keys() >= KVK_TEST_NUMBERS
    assert {k: namen[k] for k in MANUAL_ORGANISATIONS} == MANUAL_ORGANISATIONS
    intermediairs = [n for n in namen.values() if "ccountant" in n or "dministra" in n]
    assert len(intermediairs) >= 4
    # Some organisations have several vestigingen.
    assert sum(len(o["zoeken"]["resultaten"]) > 1 for o in handelsregister_data["organisaties"]) >= 4


def test_shipped_file_identifiers_are_valid(handelsregister_data):
    # The validators raise on a bad value; the counts make sure each kind was actually present and checked.
    gecontroleerd = {"rsin": 0, "vestigingsnummer": 0, "postcode": 0}
    for o in handelsregister_data["organisaties"]:
        eigenaar = o["basisprofiel"]["_embedded"]["eigenaar"]
        if "rsin" in eigenaar:
            valideer_rsin(eigenaar["rsin"])
            gecontroleerd["rsin"] += 1
        for r in o["zoeken"]["resultaten"]:
            if "vestigingsnummer" in r:
                valideer_vestigingsnummer(r["vestigingsnummer"])
                gecontroleerd["vestigingsnummer"] += 1
            if "binnenlandsAdres" in r.get("adres", {}):
                valideer_postcode(r["adres"]["binnenlandsAdres"]["postcode"])
                gecontroleerd["postcode"] += 1
    assert all(gecontroleerd.values()), gecontroleerd


def test_command_loads_the_shipped_file(capsys):
    call_command("load_handelsregister", str(DATA_FILE))
    assert "15 toegevoegd, 0 bijgewerkt, 0 ongewijzigd" in capsys.readouterr().out
    assert Inschrijving.objects.count() == 15
    santos = Inschrijving.objects.get(kvk_nummer="12345678")
    assert santos.basisprofiel["naam"] == "Santos B.V."
    assert santos.vestigingen.count() == 3
    assert santos.wettelijk_vertegenwoordigers.count() == 2


def test_command_without_path_loads_the_shipped_file():
    call_command("load_handelsregister")
    assert Inschrijving.objects.filter(kvk_nummer="65688708").exists()


def test_loading_twice_changes_nothing(capsys):
    call_command("load_handelsregister", str(DATA_FILE))
    before = _snapshot()
    audits = AuditEntry.objects.count()
    call_command("load_handelsregister", str(DATA_FILE))
    assert "0 toegevoegd, 0 bijgewerkt, 15 ongewijzigd" in capsys.readouterr().out
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits


def test_r74_loading_is_audited(handelsregister_data):
    handelsregister_laden(data=handelsregister_data)
    entry = AuditEntry.objects.get(actie=Actie.HANDELSREGISTER_GELADEN)
    assert entry.actor_label == "systeem"
    assert len(entry.na["toegevoegd"]) == 15


def test_changed_organisation_is_updated_in_place(data_kopie, handelsregister_data):
    handelsregister_laden(data=handelsregister_data)
    santos = Inschrijving.objects.get(kvk_nummer="12345678")
    logistiek_pk = Vestiging.objects.get(vestigingsnummer="000012345686").pk

    org = next(o for o in data_kopie["organisaties"] if o["basisprofiel"]["kvkNummer"] == "12345678")
    org["basisprofiel"]["naam"] = "Santos Groep B.V."
    org["zoeken"]["resultaten"] = [r for r in org["zoeken"]["resultaten"] if r["vestigingsnummer"] != "000012345694"]
    org["wettelijkVertegenwoordigers"] = org["wettelijkVertegenwoordigers"][:1]
    resultaat = handelsregister_laden(data=data_kopie)

    assert resultaat.bijgewerkt == ["12345678"] and resultaat.toegevoegd == []
    santos.refresh_from_db()
    assert santos.naam == "Santos Groep B.V."  # same row
    assert list(santos.vestigingen.values_list("vestigingsnummer", flat=True)) == ["000012345678", "000012345686"]
    assert Vestiging.objects.get(vestigingsnummer="000012345686").pk == logistiek_pk
    assert list(santos.wettelijk_vertegenwoordigers.values_list("naam", flat=True)) == ["Maria Santos"]


def test_vestiging_moving_to_another_inschrijving(data_kopie, handelsregister_data):
    handelsregister_laden(data=handelsregister_data)
    orgs = {o["basisprofiel"]["kvkNummer"]: o for o in data_kopie["organisaties"]}
    verhuisd = orgs["12345678"]["zoeken"]["resultaten"].pop()
    orgs["47474747"]["zoeken"]["resultaten"].append({**verhuisd, "kvkNummer": "47474747", "naam": "Vries Haarlem"})
    handelsregister_laden(data=data_kopie)
    vestiging = Vestiging.objects.get(vestigingsnummer=verhuisd["vestigingsnummer"])
    assert vestiging.inschrijving.kvk_nummer == "47474747"
    assert vestiging.eerste_handelsnaam == "Vries Haarlem"


@pytest.mark.parametrize(
    "breek,melding",
    [
        (lambda o: o["basisprofiel"]["_embedded"]["eigenaar"].update(rsin="851234560"), "elfproef"),
        (lambda o: o["basisprofiel"].update(kvkNummer="1234567"), "8 cijfers"),
        (lambda o: o["zoeken"]["resultaten"][1].update(vestigingsnummer="12345686"), "12 cijfers"),
        (
            lambda o: o["zoeken"]["resultaten"][1]["adres"]["binnenlandsAdres"].update(postcode="3199 SS"),
            "postcode",
        ),
        (lambda o: o["zoeken"]["resultaten"][1].update(kvkNummer="47474747"), "ander KvK-nummer"),
        (lambda o: o["wettelijkVertegenwoordigers"][0].update(geboortedatum="14-03-1979"), "geboortedatum"),
        (lambda o: o.pop("basisprofiel"), "basisprofiel"),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(data_kopie, handelsregister_data, breek, melding):
    handelsregister_laden(data=handelsregister_data)
    before = _snapshot()
    santos = next(o for o in data_kopie["organisaties"] if o["basisprofiel"]["kvkNummer"] == "12345678")
    data_kopie["organisaties"][0]["basisprofiel"]["naam"] = "Gewijzigd vóór de fout"
    breek(santos)
    with pytest.raises(OngeldigeWaarde, match=melding):
        handelsregister_laden(data=data_kopie)
    assert _snapshot() == before


def test_duplicate_kvk_nummer_in_file_is_refused(data_kopie):
    data_kopie["organisaties"].append(data_kopie["organisaties"][0])
    with pytest.raises(OngeldigeWaarde, match="al eerder"):
        handelsregister_laden(data=data_kopie)
    assert not Inschrijving.objects.exists()


def test_command_reports_bad_json(tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text("{niet: json", encoding="utf-8")
    with pytest.raises(CommandError, match="geen geldig JSON"):
        call_command("load_handelsregister", str(path))


def test_command_reports_missing_file(tmp_path):
    with pytest.raises(CommandError, match="niet lezen"):
        call_command("load_handelsregister", str(tmp_path / "bestaat-niet.json"))


def test_command_reports_a_refused_file(tmp_path):
    with pytest.raises(CommandError, match="organisaties"):
        call_command("load_handelsregister", _write(tmp_path, {"inschrijvingen": []}))
