"""What an aanvraag asked for (`Aanvraag.gegevens`), laid out for support staff instead of raw JSON."""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.niveau import Niveau
from common.weergave import datum, euro
from facturatie.models import Tarief
from gebruikers.models import IdDocumentType, Koppeling, Middel, Persoon
from organisaties.models import Organisatie

_IDENTIFICATIEADRES = (
    ("id_straat", gettext_lazy("Straat")),
    ("id_huisnummer", gettext_lazy("Huisnummer")),
    ("id_toevoeging", gettext_lazy("Toevoeging")),
    ("id_postcode", gettext_lazy("Postcode")),
    ("id_plaats", gettext_lazy("Plaats")),
    ("id_land", gettext_lazy("Land")),
)
# Internal references the screen does not need to show.
_INTERN = {"koppeling", "koppelingen", "ketenmodule", "vanuit"}


@dataclass
class Sectie:
    titel: str
    regels: list[tuple[str, str]] = field(default_factory=list)
    kosten: list[dict] = field(default_factory=list)
    totaal: str = ""


def _label(choices, waarde) -> str:
    try:
        return str(choices(waarde).label)
    except ValueError:
        return str(waarde)


def _ja_nee(waarde) -> str:
    return _("Ja") if waarde else _("Nee")


def gegevens_secties(gegevens: dict, organisatienamen: dict[int, str]) -> list[Sectie]:
    """Sections for the aanvraag's change view; keys this code does not know end up under Overige gegevens."""
    g = dict(gegevens or {})
    secties: list[Sectie] = []

    aanvraag = Sectie(_("Gevraagd"))
    if "van_niveau" in g:
        aanvraag.regels.append((_("Huidig niveau"), _label(Niveau, g.pop("van_niveau"))))
    if "niveau" in g:
        aanvraag.regels.append((_("Niveau"), _label(Niveau, g.pop("niveau"))))
    if "van_type" in g:
        aanvraag.regels.append((_("Huidig type"), _label(Middel.Type, g.pop("van_type"))))
    if "type" in g:
        aanvraag.regels.append((_("Type"), _label(Middel.Type, g.pop("type"))))
    if "rol" in g:
        aanvraag.regels.append((_("Rol"), _label(Koppeling.Rol, g.pop("rol"))))
    if "organisaties" in g:
        ids = g.pop("organisaties") or []
        aanvraag.regels.append((_("Organisaties"), ", ".join(organisatienamen.get(i, f"#{i}") for i in ids)))
    if "abonnement_jaren" in g:
        jaren = g.pop("abonnement_jaren")
        aanvraag.regels.append((_("Abonnement"), _("3 jaar") if jaren == 3 else _("1 jaar")))
    if "is_wettelijk_vertegenwoordiger" in g:
        aanvraag.regels.append((_("Wettelijk vertegenwoordiger"), _ja_nee(g.pop("is_wettelijk_vertegenwoordiger"))))
    if "machtigingen_ingetrokken" in g:
        aanvraag.regels.append((_("Machtigingen ingetrokken"), str(g.pop("machtigingen_ingetrokken"))))
    if "bevestigd" in g:
        aanvraag.regels.append((_("Bevestigd door de beheerder"), _ja_nee(g.pop("bevestigd"))))
    secties.append(aanvraag)

    secties += _nieuwe_organisatie_secties(g)

    persoon = g.pop("persoon", None) or {}
    if persoon or "email" in g:
        sectie = Sectie(_("Persoon"))
        for sleutel, label in (
            ("voornamen", _("Voornamen")),
            ("tussenvoegsel", _("Tussenvoegsel")),
            ("achternaam", _("Achternaam")),
        ):
            if persoon.get(sleutel):
                sectie.regels.append((label, persoon[sleutel]))
        if persoon.get("geboortedatum"):
            sectie.regels.append((_("Geboortedatum"), datum(persoon["geboortedatum"])))
        email = persoon.get("email") or g.pop("email", "")
        if email:
            sectie.regels.append((_("E-mailadres"), email))
        secties.append(sectie)

    document = g.pop("id_document", None) or {}
    if document:
        sectie = Sectie(_("Identiteitsdocument"))
        sectie.regels.append((_("Type"), _label(IdDocumentType, document.get("type", ""))))
        sectie.regels.append((_("Documentnummer"), document.get("documentnummer", "")))
        sectie.regels.append((_("Geslacht"), _label(Persoon.Geslacht, document.get("geslacht", ""))))
        sectie.regels.append((_("Geldig tot"), datum(document.get("geldigheidsdatum", ""))))
        sectie.regels.append(
            (_("Voor- en achterzijde in één bestand"), _ja_nee(document.get("voor_en_achter_in_een_bestand")))
        )
        secties.append(sectie)

    adres = g.pop("identificatieadres", None) or {}
    if any(adres.values()):
        sectie = Sectie(_("Identificatieadres"))
        sectie.regels = [
            (label, adres.get(sleutel, "")) for sleutel, label in _IDENTIFICATIEADRES if adres.get(sleutel)
        ]
        secties.append(sectie)

    if "tweede_factor" in g or "mobiel" in g:
        sectie = Sectie(_("Tweede factor"))
        sectie.regels.append((_("Tweede factor"), _label(Middel.TweedeFactor, g.pop("tweede_factor", ""))))
        if g.get("mobiel"):
            sectie.regels.append((_("Mobiel nummer"), g.pop("mobiel")))
        g.pop("mobiel", None)
        secties.append(sectie)

    kosten = g.pop("kosten", None) or {}
    if kosten or "credit" in g:
        sectie = Sectie(_("Kosten"))
        for regel in kosten.get("regels", []):
            sectie.kosten.append(
                {
                    "omschrijving": regel.get("omschrijving", regel.get("code", "")),
                    "aantal": regel.get("aantal", 1),
                    "stuksprijs": euro(regel.get("stuksprijs", "")),
                    "periode": _label(Tarief.Periode, str(regel.get("periode", ""))),
                    "bedrag": euro(regel.get("bedrag", "")),
                }
            )
        if kosten.get("totaal") is not None:
            sectie.totaal = euro(kosten["totaal"])
        if "credit" in g:
            sectie.regels.append((_("Credit"), euro(g.pop("credit"))))
        if "te_betalen" in g:
            sectie.regels.append((_("Te betalen"), euro(g.pop("te_betalen"))))
        if "kosten_geaccepteerd" in g:
            sectie.regels.append((_("Kosten geaccepteerd"), _ja_nee(g.pop("kosten_geaccepteerd"))))
        secties.append(sectie)
    g.pop("kosten_geaccepteerd", None)

    overig = {k: v for k, v in g.items() if k not in _INTERN}
    if overig:
        sectie = Sectie(_("Overige gegevens"))
        sectie.regels = [(k, json.dumps(v, ensure_ascii=False)) for k, v in overig.items()]
        secties.append(sectie)
    return [s for s in secties if s.regels or s.kosten]


def _nieuwe_organisatie_secties(g: dict) -> list[Sectie]:
    """Organisatie toevoegen (§3.3): the organisation, the signatories, the beheerder's own data and the invoicing,
    so support can check the signed contract against them. Takes its keys out of `g`."""
    if "kvk_nummer" not in g or "beheerder" not in g:
        return []
    organisatie = Sectie(_("Nieuwe organisatie"))
    for sleutel, label in (
        ("naam", _("Organisatienaam")),
        ("kvk_nummer", _("KvK-nummer")),
        ("vestigingsnummer", _("Vestigingsnummer")),
        ("adres", _("Adres")),
    ):
        if g.get(sleutel):
            organisatie.regels.append((label, g[sleutel]))
        g.pop(sleutel, None)
    namen = [
        f"{v['naam']} ({datum(v['geboortedatum'])})" if v.get("geboortedatum") else v["naam"]
        for v in g.pop("vertegenwoordigers", None) or []
    ]
    organisatie.regels.append((_("Wettelijk vertegenwoordiger(s) die tekenen"), ", ".join(namen) or _("Geen gekozen")))
    for sleutel, label in (
        ("akkoord_gegevens", _("Toestemming verwerken gegevens")),
        ("akkoord_voorwaarden", _("Akkoord algemene voorwaarden")),
    ):
        if sleutel in g:
            organisatie.regels.append((label, _ja_nee(g.pop(sleutel))))

    b = g.pop("beheerder") or {}
    beheerder = Sectie(_("Beheerder"))
    naam = " ".join(p for p in (b.get("voornamen"), b.get("tussenvoegsel"), b.get("achternaam")) if p)
    beheerder.regels = [
        (label, waarde)
        for label, waarde in (
            (_("Naam"), naam),
            (_("Geboortedatum"), datum(b.get("geboortedatum"))),
            (_("E-mailadres"), b.get("email", "")),
            (
                _("Identificatieadres"),
                " ".join(
                    p
                    for p in (
                        b.get("straat"),
                        b.get("huisnummer"),
                        b.get("toevoeging"),
                        b.get("postcode"),
                        b.get("plaats"),
                    )
                    if p
                ),
            ),
            (_("Tweede factor"), _label(Middel.TweedeFactor, b.get("tweede_factor", ""))),
            (_("Mobiel nummer"), b.get("mobiel", "")),
        )
        if waarde
    ]

    f = g.pop("facturatie", None) or {}
    facturatie = Sectie(_("Facturatie"))
    facturatie.regels = [
        (label, waarde)
        for label, waarde in (
            (_("Facturatie e-mailadres"), f.get("factuur_email", "")),
            (_("Betaalwijze"), _label(Organisatie.Betaalwijze, f["betaalwijze"]) if f.get("betaalwijze") else ""),
            (_("IBAN"), f.get("iban", "")),
            (_("BIC"), f.get("bic", "")),
            (_("Inkoopordernummer"), f.get("inkoopordernummer", "")),
        )
        if waarde
    ]
    return [organisatie, beheerder, facturatie]
