"""How values are written on screen and in messages, once: phone numbers, dates, amounts, masked numbers.

The templates use these through `{% load weergave %}` (common/templatetags/weergave.py).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.utils.formats import number_format

DATUM_FORMAAT = "%d-%m-%Y"


def telefoon(nummer: str | None) -> str:
    """A phone number as the manual writes it: Dutch numbers nationally ('0641556520'), others
    internationally ('+32 470 12 34 56'); what cannot be parsed is shown as stored."""
    nummer = (nummer or "").strip()
    if not nummer:
        return ""
    try:
        ontleed = phonenumbers.parse(nummer, "NL")
    except phonenumbers.NumberParseException:
        return nummer
    if ontleed.country_code == 31:
        return "0" + phonenumbers.national_significant_number(ontleed)
    return phonenumbers.format_number(ontleed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def maskeer(nummer: str | None) -> str:
    """Only the last two digits visible ('••••••••20'), for a number shown to someone who may not know it."""
    nummer = telefoon(nummer).replace(" ", "")
    zichtbaar = nummer[-2:] if len(nummer) > 4 else ""
    return "•" * (len(nummer) - len(zichtbaar)) + zichtbaar


def maskeer_email(email: str | None) -> str:
    """The first letter and the domain visible ('n••••••••••@domein.nl'), for an address sent elsewhere."""
    lokaal, _at, domein = (email or "").partition("@")
    return f"{lokaal[:1]}{'•' * max(len(lokaal) - 1, 3)}@{domein}"


def datum(waarde: dt.date | dt.datetime | str | None) -> str:
    """'01-12-2026', the manual's date format; '' for no date."""
    if not waarde:
        return ""
    if isinstance(waarde, str):
        try:
            waarde = dt.date.fromisoformat(waarde[:10])
        except ValueError:
            return waarde
    return waarde.strftime(DATUM_FORMAAT)


def euro(bedrag: Decimal | float | str | None) -> str:
    """An amount as the person's language writes it: '€ 1.041,00' in Dutch, '€ 1,041.00' in English, the sign
    joined to it by a non-breaking space (a line never ends in a lone €); '' for no amount. Also takes the text
    of an amount kept in JSON ('41.00')."""
    if bedrag is None or bedrag == "":
        return ""
    try:
        waarde = Decimal(str(bedrag))
    except InvalidOperation:
        return str(bedrag)
    return "€\u00a0" + number_format(waarde, 2, use_l10n=True, force_grouping=True)


def naam_kort(voornamen: str, tussenvoegsel: str, achternaam: str) -> str:
    """The manual's short form, as `Persoon.naam` gives it: 'K. Bulters', 'P. de Jong'."""
    voorletters = "".join(f"{deel[0].upper()}." for deel in voornamen.split() if deel)
    return " ".join(p for p in (voorletters, tussenvoegsel, achternaam) if p)
