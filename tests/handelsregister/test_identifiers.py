import pytest

from common.errors import DomainError
from handelsregister.errors import OngeldigeWaarde
from handelsregister.identifiers import (
    valideer_bic,
    valideer_iban,
    valideer_kvk_nummer,
    valideer_mobiel_nummer,
    valideer_postcode,
    valideer_rsin,
    valideer_vestigingsnummer,
)


@pytest.mark.parametrize("value", ["12345678", " 1234 5678 ", "01234567", "1234.5678"])
def test_kvk_nummer_accepts_8_digits(value):
    assert valideer_kvk_nummer(value) == value.replace(" ", "").replace(".", "")


@pytest.mark.parametrize("value", ["", None, "1234567", "123456789", "1234567a", "000012345678", "１２３４５６７８"])
def test_kvk_nummer_refuses_anything_but_8_digits(value):
    with pytest.raises(OngeldigeWaarde, match="precies 8 cijfers"):
        valideer_kvk_nummer(value)


def test_identifier_errors_are_domain_errors():
    with pytest.raises(DomainError):
        valideer_kvk_nummer("x")


def test_vestigingsnummer_keeps_leading_zeros_as_text():
    assert valideer_vestigingsnummer("000012345678") == "000012345678"
    assert valideer_vestigingsnummer("0000 1234 5678") == "000012345678"


@pytest.mark.parametrize("value", ["12345678", "12345678901", "1234567890123", 12345678901, "00001234567x"])
def test_vestigingsnummer_refuses_anything_but_12_digits(value):
    with pytest.raises(OngeldigeWaarde, match="precies 12 cijfers"):
        valideer_vestigingsnummer(value)


def test_rsin_accepts_9_digits_passing_the_11_proef():
    # 8*9+5*8+7*7+5*6+8*5+7*4+5*3+2*2 = 278 = 25*11 + 3, so 3 is the check digit.
    assert valideer_rsin("857587523") == "857587523"


@pytest.mark.parametrize(
    "value",
    [
        "857587524",  # wrong check digit
        "12345",  # too short
        "0857587523",  # too long
        "",
    ],
)
def test_rsin_refuses_bad_length_or_11_proef(value):
    with pytest.raises(OngeldigeWaarde, match="elfproef"):
        valideer_rsin(value)


def test_rsin_length_checked_before_stdnum_pads():
    # stdnum pads "103" to 000000103, which passes the 11-proef; typed short it is still not an RSIN.
    from stdnum.nl import bsn

    assert bsn.is_valid("103")
    with pytest.raises(OngeldigeWaarde):
        valideer_rsin("103")


@pytest.mark.parametrize("value,expected", [("3013AL", "3013 AL"), ("3013 al", "3013 AL"), (" 1015cs ", "1015 CS")])
def test_r15_postcode_normalised(value, expected):
    assert valideer_postcode(value) == expected


@pytest.mark.parametrize("value", ["0123 AB", "1234 SA", "1234 SD", "1234 SS", "123 AB", "1234", "B-1000", ""])
def test_r15_postcode_refused(value):
    with pytest.raises(OngeldigeWaarde, match="postcode"):
        valideer_postcode(value)


@pytest.mark.parametrize("value", ["0612345678", "06 12345678", "06-12 34 56 78", "+31612345678", "0031612345678"])
def test_mobiel_nummer_returns_e164(value):
    assert valideer_mobiel_nummer(value) == "+31612345678"


@pytest.mark.parametrize(
    "value",
    [
        "0201234567",  # landline
        "+32470123456",  # Belgian mobile
        "097012345678",  # Dutch machine-to-machine, "mobile" to phonenumbers
        "0612345",  # too short
        "geen nummer",
        "",
    ],
)
def test_mobiel_nummer_refused(value):
    with pytest.raises(OngeldigeWaarde, match="mobiel nummer"):
        valideer_mobiel_nummer(value)


def test_r52_iban_normalised():
    assert valideer_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"


@pytest.mark.parametrize("value", ["NL91ABNA0417164301", "NL91ABNA041716430", "", "12345"])
def test_r52_iban_refused(value):
    with pytest.raises(OngeldigeWaarde, match="IBAN"):
        valideer_iban(value)


def test_r52_bic_normalised():
    assert valideer_bic("abnanl2a") == "ABNANL2A"
    assert valideer_bic("INGBNL2AXXX") == "INGBNL2AXXX"


@pytest.mark.parametrize("value", ["ABNA", "1BNANL2A", "ABNANL2AX", ""])
def test_r52_bic_refused(value):
    with pytest.raises(OngeldigeWaarde, match="BIC"):
        valideer_bic(value)
