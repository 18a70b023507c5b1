"""What the contract of a new organisation says (§3.3): built from the aanvraag as it was sent, so the PDF
shows exactly what was requested and accepted, whenever it is downloaded again."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from common.weergave import euro
from facturatie.models import Tarief
from facturatie.services import INCASSANT, INCASSANT_ID
from gebruikers.models import Aanvraag
from organisaties.models import Organisatie


def contract_context(aanvraag: Aanvraag) -> dict:
    g = aanvraag.gegevens or {}
    kosten = g.get("kosten") or {"regels": [], "totaal": "0"}
    regels = [
        {
            "aantal": r["aantal"],
            "omschrijving": str(Tarief.Code(r["code"]).label) if r["code"] in Tarief.Code.values else r["omschrijving"],
            "bedrag": euro(r["bedrag"]),
            "periode": str(Tarief.Periode(r["periode"]).label),
        }
        for r in kosten["regels"]
    ]
    facturatie = g.get("facturatie") or {}
    betaalwijze = facturatie.get("betaalwijze", "")
    vertegenwoordigers = [
        {
            "naam": v["naam"],
            "geboortedatum": dt.date.fromisoformat(v["geboortedatum"]) if v.get("geboortedatum") else None,
        }
        for v in g.get("vertegenwoordigers") or []
    ]
    beheerder = g.get("beheerder") or {}
    return {
        "titel": _("Contract eHerkenning – %(naam)s") % {"naam": g.get("naam", aanvraag.organisatie.naam)},
        "aanvraag": aanvraag,
        "organisatie": aanvraag.organisatie,
        "naam": g.get("naam", aanvraag.organisatie.naam),
        "kvk_nummer": g.get("kvk_nummer", aanvraag.organisatie.kvk_nummer),
        "vestigingsnummer": g.get("vestigingsnummer", ""),
        "adres": g.get("adres", aanvraag.organisatie.adres),
        "niveau": g.get("niveau", ""),
        "abonnement_jaren": g.get("abonnement_jaren", 1),
        "regels": regels,
        "totaal": euro(kosten["totaal"]),
        "vertegenwoordigers": vertegenwoordigers,
        "beheerder_naam": " ".join(
            p for p in (beheerder.get("voornamen"), beheerder.get("tussenvoegsel"), beheerder.get("achternaam")) if p
        ),
        "beheerder_email": beheerder.get("email", ""),
        "factuur_email": facturatie.get("factuur_email", ""),
        "betaalwijze": str(Organisatie.Betaalwijze(betaalwijze).label) if betaalwijze else "",
        "incasso": betaalwijze == Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO,
        "iban": facturatie.get("iban", ""),
        "bic": facturatie.get("bic", ""),
        "machtigingskenmerk": aanvraag.organisatie.machtigingskenmerk,
        "incassant": INCASSANT,
        "incassant_id": INCASSANT_ID,
        "inkoopordernummer": facturatie.get("inkoopordernummer", ""),
        "datum": aanvraag.aangevraagd_op.date(),
    }
