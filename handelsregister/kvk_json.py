"""Reading the KvK API answers (Zoeken v2, Basisprofiel v1) into the plain values of `records`.

Both registers use it: the KvK client on what the API sends, the embedded register on the same answers
stored in its tables. A shape we cannot read raises `OngeldigAntwoord`; the client turns that into "niet
bereikbaar", the loader into a refusal of the file.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.nl import postcode as nl_postcode

from .records import Adres, Organisatieprofiel, Vestiging, WettelijkVertegenwoordiger, Zoekresultaat

VESTIGING_TYPES = {"hoofdvestiging", "nevenvestiging"}


class OngeldigAntwoord(ValueError):
    """An answer that does not have the documented shape."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise OngeldigAntwoord(f"expected text, got {type(value).__name__}")
    return str(value).strip()


def _mapping(value: Any, what: str) -> Mapping:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise OngeldigAntwoord(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise OngeldigAntwoord(f"{what} is not a list")
    return value


def _postcode(value: Any) -> str:
    raw = _text(value)
    try:
        return nl_postcode.validate(raw)
    except ValidationError:
        return raw  # shown as given rather than dropped: the register is the authority on it


def _binnenlands(data: Mapping) -> Adres:
    return Adres(
        straat=_text(data.get("straatnaam")),
        huisnummer=_text(data.get("huisnummer")),
        huisletter=_text(data.get("huisletter")),
        huisnummertoevoeging=_text(data.get("huisnummerToevoeging")),
        postcode=_postcode(data.get("postcode")),
        plaats=_text(data.get("plaats")),
        land=_text(data.get("land")) or "Nederland",
    )


def _buitenlands(data: Mapping) -> Adres:
    return Adres(
        straat=_text(data.get("straatHuisnummer")),
        plaats=_text(data.get("postcodeWoonplaats")),
        land=_text(data.get("land")),
        buitenlands=True,
    )


def adres_uit_zoekresultaat(adres: Any) -> Adres:
    """Zoeken v2 wraps the address as {binnenlandsAdres: {...}} or {buitenlandsAdres: {...}}."""
    adres = _mapping(adres, "adres")
    if "binnenlandsAdres" in adres:
        return _binnenlands(_mapping(adres["binnenlandsAdres"], "binnenlandsAdres"))
    if "buitenlandsAdres" in adres:
        return _buitenlands(_mapping(adres["buitenlandsAdres"], "buitenlandsAdres"))
    return Adres()


def adres_uit_adressen(adressen: Any) -> Adres:
    """Basisprofiel lists typed addresses; the bezoekadres is the one shown, the postadres the fallback."""
    items = [_mapping(a, "adres") for a in _list(adressen, "adressen")]
    if not items:
        return Adres()
    gekozen = next((a for a in items if a.get("type") == "bezoekadres"), items[0])
    if gekozen.get("straatHuisnummer") or gekozen.get("postcodeWoonplaats"):
        return _buitenlands(gekozen)
    return _binnenlands(gekozen)


def zoekresultaat(item: Any) -> Zoekresultaat:
    item = _mapping(item, "resultaat")
    kvk_nummer = _text(item.get("kvkNummer"))
    if not kvk_nummer:
        raise OngeldigAntwoord("resultaat without kvkNummer")
    return Zoekresultaat(
        kvk_nummer=kvk_nummer,
        vestigingsnummer=_text(item.get("vestigingsnummer")),
        naam=_text(item.get("naam")),
        adres=adres_uit_zoekresultaat(item.get("adres")),
        type=_text(item.get("type")),
    )


def zoekresultaten(antwoord: Any) -> list[Zoekresultaat]:
    return [zoekresultaat(r) for r in _list(_mapping(antwoord, "antwoord").get("resultaten"), "resultaten")]


def vertegenwoordiger(item: Any) -> WettelijkVertegenwoordiger:
    """Our own shape (the KvK API has none): {naam, geboortedatum "YYYY-MM-DD", bevoegdheid}."""
    item = _mapping(item, "wettelijkVertegenwoordiger")
    naam = _text(item.get("naam"))
    if not naam:
        raise OngeldigAntwoord("wettelijkVertegenwoordiger without naam")
    geboortedatum = _text(item.get("geboortedatum"))
    try:
        geboren = date.fromisoformat(geboortedatum) if geboortedatum else None
    except ValueError:
        raise OngeldigAntwoord(f"geboortedatum {geboortedatum!r} is not YYYY-MM-DD") from None
    return WettelijkVertegenwoordiger(naam=naam, geboortedatum=geboren, bevoegdheid=_text(item.get("bevoegdheid")))


def _vestigingen(hoofdvestiging: Mapping, resultaten: Iterable[Zoekresultaat]) -> list[Vestiging]:
    gevonden: dict[str, Vestiging] = {}
    for r in resultaten:
        if r.vestigingsnummer and r.type in VESTIGING_TYPES:
            gevonden[r.vestigingsnummer] = Vestiging(
                vestigingsnummer=r.vestigingsnummer,
                eerste_handelsnaam=r.naam,
                adres=r.adres,
                is_hoofdvestiging=r.type == "hoofdvestiging",
            )
    # The Basisprofiel's hoofdvestiging is the more complete record (house letter, addition), so it wins.
    nummer = _text(hoofdvestiging.get("vestigingsnummer"))
    if nummer:
        gevonden[nummer] = Vestiging(
            vestigingsnummer=nummer,
            eerste_handelsnaam=_text(hoofdvestiging.get("eersteHandelsnaam")),
            adres=adres_uit_adressen(hoofdvestiging.get("adressen")),
            is_hoofdvestiging=True,
        )
    return sorted(gevonden.values(), key=lambda v: (not v.is_hoofdvestiging, v.vestigingsnummer))


def organisatieprofiel(
    basisprofiel: Any,
    resultaten: Iterable[Zoekresultaat] = (),
    vertegenwoordigers: Iterable[WettelijkVertegenwoordiger] = (),
    *,
    vestigingsnummer: str = "",
) -> Organisatieprofiel:
    basisprofiel = _mapping(basisprofiel, "basisprofiel")
    kvk_nummer = _text(basisprofiel.get("kvkNummer"))
    naam = _text(basisprofiel.get("naam"))
    if not kvk_nummer or not naam:
        raise OngeldigAntwoord("basisprofiel without kvkNummer or naam")
    embedded = _mapping(basisprofiel.get("_embedded"), "_embedded")
    hoofdvestiging = _mapping(embedded.get("hoofdvestiging"), "hoofdvestiging")
    eigenaar = _mapping(embedded.get("eigenaar"), "eigenaar")

    vestigingen = _vestigingen(hoofdvestiging, resultaten)
    gekozen = next((v for v in vestigingen if v.vestigingsnummer == vestigingsnummer), None)
    if vestigingsnummer and gekozen is None:
        raise OngeldigAntwoord(f"vestiging {vestigingsnummer} not among the vestigingen of {kvk_nummer}")
    hoofd = next((v for v in vestigingen if v.is_hoofdvestiging), None)
    # Without a hoofdvestiging (a rechtspersoon without one, e.g. some foundations) the owner's address is used.
    adres = (gekozen or hoofd).adres if (gekozen or hoofd) else adres_uit_adressen(eigenaar.get("adressen"))

    return Organisatieprofiel(
        kvk_nummer=kvk_nummer,
        naam=naam,
        statutaire_naam=_text(basisprofiel.get("statutaireNaam")),
        rsin=_text(eigenaar.get("rsin")),
        rechtsvorm=_text(eigenaar.get("rechtsvorm")),
        uitgebreide_rechtsvorm=_text(eigenaar.get("uitgebreideRechtsvorm")),
        adres=adres,
        vestigingen=vestigingen,
        wettelijk_vertegenwoordigers=list(vertegenwoordigers),
        vestiging=gekozen,
    )
