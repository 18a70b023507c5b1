"""Predicates of Groepen (R24, with R23, R30, R31 per member): pure functions on loaded values, no queries.

The services refuse with these and the screens show or grey out with the same ones, so the group's page and
the register agree on who a group machtiging counts for.
"""

from django.utils.translation import gettext_lazy as _

from gebruikers.models import Koppeling, Middel
from groepen.models import NAAM_MAX
from machtigingen.models import Scope

# Refusals (the person's language is chosen when shown).
NAAM_LEEG = _("Geef de groep een naam.")
NAAM_TE_LANG = _("De naam van een groep is hoogstens 100 tekens.")  # NAAM_MAX
NAAM_BESTAAT = _("Er is al een groep met deze naam.")
GEEN_LEDEN = _("Kies ten minste één persoon.")
GEEN_LID_MOGELIJK = _("Alleen personen van deze organisatie kunnen lid worden van een groep.")
GEEN_LID = _("Deze persoon is geen lid van deze groep.")

# Why a group machtiging does not count for a member (shown next to that member on the group's page).
NIET_ACTIEF = "R30"
NIVEAU_TE_LAAG = "R31"
BELASTINGDIENST = "R23"
# Not a refusal: an EH3 Belastingdienstmiddel uses an Algemene bevoegdheid only at the Belastingdienst (R23).
ALLEEN_BELASTINGDIENST = "R23-deels"

DEKKING_TEKSTEN = {
    NIET_ACTIEF: _("Telt niet: alleen actieve gebruikers kunnen een machtiging krijgen."),
    NIVEAU_TE_LAAG: _("Telt niet: deze persoon heeft niet het benodigde niveau voor deze machtiging."),
    BELASTINGDIENST: _(
        "Telt niet: met een EH3 Belastingdienstmiddel logt u alleen in bij diensten van de Belastingdienst."
    ),
    ALLEEN_BELASTINGDIENST: _("Telt alleen voor diensten van de Belastingdienst (EH3 Belastingdienstmiddel)."),
}


# The same, in a word (the wizard's summary: "3 leden, 1 niet gedekt (niveau)").
DEKKING_KORT = {
    NIET_ACTIEF: _("niet actief"),
    NIVEAU_TE_LAAG: _("niveau"),
    BELASTINGDIENST: _("Belastingdienstmiddel"),
}


def naam_weigering(naam: str) -> str | None:
    """The refusal for a group name (empty or too long), or None. Uniqueness is checked against the database."""
    naam = (naam or "").strip()
    if not naam:
        return NAAM_LEEG
    if len(naam) > NAAM_MAX:
        return NAAM_TE_LANG
    return None


def normaliseer_naam(naam: str) -> str:
    """Surrounding and repeated blanks are not part of a name (so they cannot make a look-alike twin)."""
    return " ".join((naam or "").split())


def kan_lid_worden(koppeling: Koppeling, organisatie_id: int) -> bool:
    """A person of this organisation whose koppeling still runs and whose middel is not ended or rejected."""
    return (
        koppeling.organisatie_id == organisatie_id
        and koppeling.status != Koppeling.Status.BEEINDIGD
        and koppeling.middel.status not in (Middel.Status.BEEINDIGD, Middel.Status.AFGEKEURD)
    )


def dekking(
    *,
    middel: Middel,
    koppeling: Koppeling,
    scope: str,
    vereist_niveau: int | None,
    bij_belastingdienst: bool,
) -> str | None:
    """Whether a group machtiging of `scope` counts for this member, as the register decides it per dienst:
    None (it counts), or the code of the rule that stops it (R30, R31, R23), or ALLEEN_BELASTINGDIENST.
    `bij_belastingdienst`: the scope's dienst or dienstverlener is the Belastingdienst."""
    if middel.status != Middel.Status.ACTIEF or koppeling.status != Koppeling.Status.ACTIEF:
        return NIET_ACTIEF
    if vereist_niveau is not None and middel.niveau < vereist_niveau:
        return NIVEAU_TE_LAAG
    if middel.type == Middel.Type.BELASTINGDIENST:
        if scope == Scope.ALGEMEEN:
            return ALLEEN_BELASTINGDIENST
        if not bij_belastingdienst:
            return BELASTINGDIENST
    return None


def telt(code: str | None) -> bool:
    """The member holds the machtiging (for some diensten at least, in the R23 case)."""
    return code is None or code == ALLEEN_BELASTINGDIENST
