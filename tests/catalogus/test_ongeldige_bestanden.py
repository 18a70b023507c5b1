"""A malformed edition is refused as a whole, with a Dutch message saying what and where (R70)."""

import uuid

import pytest

from catalogus import voorbeeld
from catalogus.importer import CatalogusOngeldig
from catalogus.xmlnames import NS_1_13
from tests.catalogus.edities import dienst, editie

A, B = uuid.UUID(int=1, version=4), uuid.UUID(int=2, version=4)
GOED = editie(dienst(A, "Eerste"), dienst(B, "Tweede"))


def vervang(oud, nieuw, xml=GOED):
    assert oud in xml, oud
    return xml.replace(oud, nieuw, 1)


ONGELDIG = {
    "geen XML": (b"dit is geen xml", "geen geldige XML"),
    "afgebroken XML": (GOED[:-40].encode(), "geen geldige XML"),
    "verkeerd hoofdelement": (
        vervang("ServiceCatalogue", "Catalogue").replace("/esc:ServiceCatalogue>", "/esc:Catalogue>"),
        "geen Dienstencatalogus",
    ),
    "onbekende namespace": (GOED.replace(NS_1_13, "urn:etoegang:1.9:service-catalog"), "geen Dienstencatalogus"),
    "geen dienstverleners": (
        GOED[: GOED.index("  <esc:ServiceProvider")] + "</esc:ServiceCatalogue>\n",
        "geen enkele esc:ServiceProvider",
    ),
    "DTD met entiteit": (
        GOED.replace(
            '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "x">]>\n'
        ),
        "DTD",
    ),
    # Found by the bad-input suite: expat's LookupError or ValueError on the declaration's encoding.
    "onbekende codering": (vervang('encoding="UTF-8"', 'encoding="xxx"'), "tekencodering"),
    "codering die geen tekst is": (vervang('encoding="UTF-8"', 'encoding="rot13"'), "tekencodering"),
    "multi-byte codering": (vervang('encoding="UTF-8"', 'encoding="shift_jis"'), "tekencodering"),
    "OIN te kort": (vervang("00000001003214345000</", "1234</"), "geen geldige esc:ServiceProviderID"),
    "geen UUID": (
        vervang(f"<esc:ServiceUUID>{A}</esc:ServiceUUID>", ""),
        "ServiceDefinition nummer 1 van dienstverlener 00000001003214345000 (Belastingdienst) heeft geen esc:ServiceUUID",
    ),
    "ongeldige UUID": (
        vervang(f"<esc:ServiceUUID>{A}<", "<esc:ServiceUUID>geen-uuid<"),
        "ongeldige esc:ServiceUUID: 'geen-uuid'",
    ),
    "dubbele UUID": (GOED.replace(str(B), str(A)), f"ServiceUUID {A} komt meer dan eens voor"),
    "onbekend niveau": (vervang("assurance-class:loa3", "assurance-class:loa9"), "onbekend betrouwbaarheidsniveau"),
    "geen niveau": (
        vervang("<saml2:AuthnContextClassRef>urn:etoegang:core:assurance-class:loa3</saml2:AuthnContextClassRef>", ""),
        "geen saml2:AuthnContextClassRef",
    ),
    "geen naam": (
        vervang('<esc:ServiceName xml:lang="nl">Eerste</esc:ServiceName>', "").replace(
            '<esc:ServiceName xml:lang="en">Eerste (EN)</esc:ServiceName>', ""
        ),
        f"dienst {A} van dienstverlener 00000001003214345000 (Belastingdienst) heeft geen esc:ServiceName",
    ),
    "naam te lang": (vervang(">Eerste<", ">" + "x" * 65 + "<"), "het maximum is 64"),
    "onbekende intermediatie": (
        vervang('intermediationAllowed="generalAvailable"', 'intermediationAllowed="altijd"'),
        "'altijd'",
    ),
    "ongeldige IsPublic": (vervang('esc:IsPublic="true"', 'esc:IsPublic="ja"'), "'ja'"),
    "ongeldige IssueInstant": (
        vervang('esc:IssueInstant="2026-01-01T00:00:00Z"', 'esc:IssueInstant="gisteren"'),
        "gisteren",
    ),
}


@pytest.mark.parametrize("inhoud, melding", ONGELDIG.values(), ids=ONGELDIG.keys())
def test_r70_malformed_file_is_refused_and_changes_nothing(importeer, momentopname, inhoud, melding):
    importeer(voorbeeld.BESTAND.read_bytes())
    voor = momentopname()

    with pytest.raises(CatalogusOngeldig) as fout:
        importeer(inhoud)

    assert melding in str(fout.value)
    assert fout.value.rule == "R70"
    assert momentopname() == voor


def test_a_defect_late_in_the_file_rolls_back_the_whole_import(importeer, momentopname):
    """Parsing finishes before any write, so even a defect in the last definition leaves no trace."""
    voor = momentopname()
    slecht = editie(*(dienst(uuid.UUID(int=n, version=4), f"Dienst {n}") for n in range(1, 50)))
    kop, _, staart = slecht.rpartition("assurance-class:loa3")
    slecht = f"{kop}assurance-class:loaX{staart}"
    assert "loaX" in slecht
    with pytest.raises(CatalogusOngeldig, match="loaX"):
        importeer(slecht)
    assert momentopname() == voor


def test_message_is_dutch_and_translatable(importeer):
    with pytest.raises(CatalogusOngeldig) as fout:
        importeer(b"<a>")
    assert str(fout.value).startswith("Het bestand is geen geldige XML")
