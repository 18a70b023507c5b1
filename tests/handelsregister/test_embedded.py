"""The embedded register: look-ups by KvK-nummer and vestigingsnummer, Zoeken, and its refusals."""

import datetime as dt

import pytest

from handelsregister.embedded import EmbeddedHandelsregister
from handelsregister.errors import OngeldigeWaarde, OrganisatieNietGevonden
from handelsregister.records import Adres

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(geladen_register):
    return EmbeddedHandelsregister()


def test_r50_bedrijfsgegevens_naam_kvk_rsin_adres(register):
    profiel = register.zoek_op_kvk_nummer("12345678")
    assert profiel.naam == "Santos B.V."
    assert profiel.statutaire_naam == "Santos B.V."
    assert profiel.kvk_nummer == "12345678"
    assert profiel.rsin == "851234562"
    assert profiel.rechtsvorm == "BeslotenVennootschap"
    assert profiel.uitgebreide_rechtsvorm == "Besloten Vennootschap"
    assert profiel.adres == Adres(straat="Keizersgracht", huisnummer="62", postcode="1015 CS", plaats="Amsterdam")
    assert str(profiel.adres) == "Keizersgracht 62, 1015 CS Amsterdam"
    assert profiel.vestiging is None and profiel.vestigingsnummer == ""


def test_r53_lookup_lists_vestigingen_hoofdvestiging_first(register):
    profiel = register.zoek_op_kvk_nummer("12345678")
    assert [(v.vestigingsnummer, v.eerste_handelsnaam, v.soort) for v in profiel.vestigingen] == [
        ("000012345678", "Santos B.V.", "hoofdvestiging"),
        ("000012345686", "Santos Logistiek", "nevenvestiging"),
        ("000012345694", "Santos Winkel Haarlem", "nevenvestiging"),
    ]
    assert profiel.hoofdvestiging.adres.plaats == "Amsterdam"
    assert profiel.vestigingen[2].adres.straatregel == "Grote Houtstraat 88B"


def test_r53_lookup_by_vestigingsnummer_gives_that_vestigings_address(register):
    profiel = register.zoek_op_vestigingsnummer("000012345694")
    assert profiel.kvk_nummer == "12345678"
    assert profiel.vestigingsnummer == "000012345694"
    assert profiel.vestiging.eerste_handelsnaam == "Santos Winkel Haarlem"
    assert profiel.adres.plaats == "Haarlem"
    assert len(profiel.vestigingen) == 3


@pytest.mark.parametrize("nummer,kvk", [("65688708", "65688708"), ("0000 3344 5566", "65688708")])
def test_r53_opzoeken_takes_kvk_or_vestigingsnummer(register, nummer, kvk):
    assert register.opzoeken(nummer).kvk_nummer == kvk


def test_r53_wettelijk_vertegenwoordigers_to_choose_who_signs(register):
    profiel = register.zoek_op_kvk_nummer("65688708")
    assert [(w.naam, w.geboortedatum) for w in profiel.wettelijk_vertegenwoordigers] == [
        ("Annalisa van der Ducharme", dt.date(1988, 6, 18)),
        ("Cristobal Muench", dt.date(1972, 4, 4)),
    ]
    assert all(w.bevoegdheid for w in profiel.wettelijk_vertegenwoordigers)


def test_r40_intermediair_lookup_gives_name_and_address(register):
    profiel = register.zoek_op_kvk_nummer("24444001")
    assert profiel.naam == "Connected Information Systems B.V."
    assert profiel.adres.straatregel == "Weena 327"
    assert profiel.adres.plaatsregel == "3013 AL Rotterdam"


def test_lookup_runs_two_queries(register, django_assert_num_queries):
    with django_assert_num_queries(2):  # the inschrijving, its vertegenwoordigers
        register.zoek_op_kvk_nummer("61902834")
    with django_assert_num_queries(2):
        register.zoek_op_vestigingsnummer("000031245689")


@pytest.mark.parametrize(
    "kvk,rechtsvorm,heeft_rsin",
    [
        ("69599084", "Eenmanszaak", False),
        ("68750110", "BeslotenVennootschap", True),
        ("90001354", "BeslotenVennootschap", True),
        ("68727720", "NaamlozeVennootschap", True),
        ("69599068", "Stichting", True),
        ("90000749", "VerenigingVanEigenaars", True),
    ],
)
def test_kvk_test_numbers_are_present(register, kvk, rechtsvorm, heeft_rsin):
    profiel = register.zoek_op_kvk_nummer(kvk)
    assert profiel.rechtsvorm == rechtsvorm
    assert bool(profiel.rsin) is heeft_rsin


def test_vve_without_vestiging_uses_the_owners_address(register):
    profiel = register.zoek_op_kvk_nummer("90000749")
    assert profiel.vestigingen == []
    assert str(profiel.adres) == "Prinsengracht 263, 1016 GV Amsterdam"


def test_afgeschermd_address_is_empty_not_an_error(register):
    profiel = register.zoek_op_kvk_nummer("90001354")
    assert str(profiel.adres) == ""
    assert profiel.vestigingen[0].vestigingsnummer == "990000541921"


def test_foreign_owner_in_zoeken_is_a_buitenlands_adres(register):
    rechtspersoon = next(r for r in register.zoeken(kvk_nummer="65688708") if r.type == "rechtspersoon")
    assert rechtspersoon.vestigingsnummer == ""
    assert rechtspersoon.adres.buitenlands
    assert str(rechtspersoon.adres) == "Sommerrogata 13-15, 0255 Oslo, Noorwegen"


def test_zoeken_by_naam_returns_each_matching_vestiging(register):
    resultaten = register.zoeken(naam="salarisadministratie")
    assert {(r.kvk_nummer, r.vestigingsnummer) for r in resultaten} == {
        ("61902834", "000031245697"),  # only this vestiging of Bakker & Jansen carries the word
        ("80544371", "000052771036"),  # the whole inschrijving is named so
    }


def test_zoeken_criteria_combine(register):
    assert [r.vestigingsnummer for r in register.zoeken(kvk_nummer="47474747", naam="drachten")] == ["000044556685"]
    assert register.zoeken(kvk_nummer="47474747", vestigingsnummer="000012345678") == []
    assert [r.naam for r in register.zoeken(vestigingsnummer="000012345686")] == ["Santos Logistiek"]


def test_zoeken_without_match_is_empty(register):
    assert register.zoeken(naam="bestaat niet") == []
    assert register.zoeken(kvk_nummer="11111111") == []


def test_zoeken_needs_a_criterion(register):
    with pytest.raises(OngeldigeWaarde, match="om te zoeken"):
        register.zoeken(naam="   ")


def test_not_found_by_kvk_nummer(register):
    with pytest.raises(OrganisatieNietGevonden) as exc:
        register.zoek_op_kvk_nummer("11111111")
    assert str(exc.value) == "Geen organisatie gevonden met KvK-nummer 11111111."


def test_not_found_by_vestigingsnummer(register):
    with pytest.raises(OrganisatieNietGevonden, match="vestigingsnummer 000011111111"):
        register.zoek_op_vestigingsnummer("000011111111")


@pytest.mark.parametrize("method,value", [("zoek_op_kvk_nummer", "1234567"), ("zoek_op_vestigingsnummer", "12345678")])
def test_bad_input_is_refused_before_any_query(register, django_assert_num_queries, method, value):
    with django_assert_num_queries(0), pytest.raises(OngeldigeWaarde):
        getattr(register, method)(value)


def test_r53_opzoeken_refuses_other_lengths(register):
    with pytest.raises(OngeldigeWaarde) as exc:
        register.opzoeken("123456789")
    assert exc.value.rule == "R53"
    assert "8 cijfers" in str(exc.value) and "12 cijfers" in str(exc.value)


def test_empty_register_finds_nothing(db):
    with pytest.raises(OrganisatieNietGevonden):
        EmbeddedHandelsregister().zoek_op_kvk_nummer("12345678")
