"""Checks for the identifiers used across the product (FORMATS.md, "Identifiers and their checks").

Each `valideer_*` takes what a person typed, returns the normalised value and raises `OngeldigeWaarde`
(a `DomainError`) with a Dutch message when it is not valid.
"""

import re

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum import bic, iban
from stdnum.exceptions import ValidationError
from stdnum.nl import bsn, postcode

from .errors import OngeldigeWaarde

# Spaces, dots and dashes are how people group digits; anything else is a typo we do not guess at.
# Digits are matched as [0-9]: `\d` would also accept other scripts' digits, which no register has.
_SEPARATORS = re.compile(r"[\s.\-]")


def compact_nummer(value: str | int | None) -> str:
    return _SEPARATORS.sub("", str(value if value is not None else ""))


def valideer_kvk_nummer(value: str | int | None) -> str:
    """Exactly 8 digits; the KvK-nummer has no check digit, so a leading zero must be typed."""
    nummer = compact_nummer(value)
    if not re.fullmatch(r"[0-9]{8}", nummer):
        raise OngeldigeWaarde(_("Een KvK-nummer bestaat uit precies 8 cijfers."), code="kvk_nummer_ongeldig")
    return nummer


def valideer_vestigingsnummer(value: str | None) -> str:
    """Exactly 12 digits, kept as text: the leading zeros are part of the number."""
    nummer = compact_nummer(value)
    if not re.fullmatch(r"[0-9]{12}", nummer):
        raise OngeldigeWaarde(
            _("Een vestigingsnummer bestaat uit precies 12 cijfers."), code="vestigingsnummer_ongeldig"
        )
    return nummer


def valideer_rsin(value: str | None) -> str:
    """9 digits passing the 11-proef. The length is checked first: `bsn.compact` would pad a short number."""
    nummer = compact_nummer(value)
    if not re.fullmatch(r"[0-9]{9}", nummer) or not bsn.is_valid(nummer):
        raise OngeldigeWaarde(
            _("Een RSIN bestaat uit 9 cijfers en moet voldoen aan de elfproef."), code="rsin_ongeldig"
        )
    return nummer


def valideer_postcode(value: str | None) -> str:
    """A Dutch postcode, returned as `1234 AB`."""
    try:
        return postcode.validate(str(value or ""))
    except ValidationError:
        raise OngeldigeWaarde(
            _("Vul een geldige Nederlandse postcode in, bijvoorbeeld 1234 AB."), code="postcode_ongeldig"
        ) from None


def valideer_mobiel_nummer(value: str | None) -> str:
    """A Dutch mobile number (06… or +316…), returned in E.164 (+316…), the form the SMS gateway takes."""
    melding = _("Vul een geldig Nederlands mobiel nummer in, bijvoorbeeld 06 12345678.")
    try:
        nummer = phonenumbers.parse(str(value or ""), "NL")
    except phonenumbers.NumberParseException:
        raise OngeldigeWaarde(melding, code="mobiel_nummer_ongeldig") from None
    national = phonenumbers.national_significant_number(nummer)
    # phonenumbers also calls 097 (machine-to-machine) numbers mobile; those cannot receive our SMS codes.
    if (
        nummer.country_code != 31
        or not phonenumbers.is_valid_number(nummer)
        or phonenumbers.number_type(nummer) != phonenumbers.PhoneNumberType.MOBILE
        or not re.fullmatch(r"6[0-9]{8}", national)
    ):
        raise OngeldigeWaarde(melding, code="mobiel_nummer_ongeldig")
    return phonenumbers.format_number(nummer, phonenumbers.PhoneNumberFormat.E164)


def valideer_iban(value: str | None) -> str:
    """An IBAN passing mod-97, returned compact and upper case (NL91ABNA0417164300)."""
    try:
        return iban.validate(str(value or ""))
    except ValidationError:
        raise OngeldigeWaarde(
            _("Vul een geldig IBAN in, bijvoorbeeld NL91 ABNA 0417 1643 00."), code="iban_ongeldig"
        ) from None


def valideer_bic(value: str | None) -> str:
    """A BIC (8 or 11 characters), returned compact and upper case."""
    try:
        return bic.validate(str(value or ""))
    except ValidationError:
        raise OngeldigeWaarde(_("Vul een geldige BIC in, bijvoorbeeld ABNANL2A."), code="bic_ongeldig") from None
