"""Predicates of Instellingen → Algemeen and Organisaties (R51, R53): pure reads on loaded values.

The screen asks them to show the potlood or the route to the wijzigingsformulier; the services in
`organisaties.services` ask the same ones to refuse.
"""

from django.utils.translation import gettext_lazy as _

from common.niveau import Niveau
from organisaties.models import Organisatie

GEEN_VESTIGINGSNUMMER = _("Deze organisatie is niet met een vestigingsnummer geregistreerd.")
REGISTER_ONBEKEND = _(
    "Het Handelsregister kon niet worden geraadpleegd. Probeer het later opnieuw of gebruik het wijzigingsformulier."
)
MEERDERE_VESTIGINGEN = _(
    "Bij de KvK zijn meerdere vestigingen onder dit KvK-nummer geregistreerd. Gebruik hiervoor het wijzigingsformulier."
)
KVK_AL_IN_GEBRUIK = _(
    "Dit KvK-nummer is zonder vestigingsnummer al als organisatie geregistreerd. Gebruik hiervoor het "
    "wijzigingsformulier."
)


def vestigingsnummer_weigering(organisatie: Organisatie, *, aantal_vestigingen: int | None, kvk_al_bezet: bool):
    """R51: why the vestigingsnummer cannot be removed here (a lazy text), or None when it can.

    `aantal_vestigingen`: how many vestigingen the Handelsregister shows for the KvK-nummer (None: unknown);
    `kvk_al_bezet`: another organisation on the platform already has the bare 8-digit KvK-nummer."""
    if not organisatie.vestigingsnummer:
        return GEEN_VESTIGINGSNUMMER
    if aantal_vestigingen is None:
        return REGISTER_ONBEKEND
    if aantal_vestigingen > 1:
        return MEERDERE_VESTIGINGEN
    if kvk_al_bezet:
        return KVK_AL_IN_GEBRUIK
    return None


def wijzigingsformulier_nodig(organisatie: Organisatie, *, aantal_vestigingen: int | None) -> bool:
    """§2.4.2: several vestigingen under one KvK-nummer go by the wijzigingsformulier."""
    return bool(organisatie.vestigingsnummer) and (aantal_vestigingen or 0) > 1


# --- R53: adding an organisation ----------------------------------------------------------------------------------

NIVEAUS_NIEUWE_ORGANISATIE = (Niveau.EH2_PLUS, Niveau.EH3)  # the manual's two choices (§3.3)


def kiesbare_niveaus(eigen_niveau: int | None) -> list[int]:
    """The niveaus offered for a new organisation: EH2+ and EH3, up to the beheerder's own middel (the koppeling
    is made with that middel, so it cannot be linked above its own niveau)."""
    return [n for n in NIVEAUS_NIEUWE_ORGANISATIE if eigen_niveau is not None and n <= eigen_niveau]
