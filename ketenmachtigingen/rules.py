"""Rules of ketenmachtigingen used both by the services (to refuse) and by the Machtigingenregister (to decide)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.niveau import Niveau
from machtigingen.models import Status

# Ketenmachtigingen need a regular middel at EH3 or higher at the intermediair (R44, R72).
KETEN_MINIMUM_NIVEAU = Niveau.EH3


def is_lopend(ketenmachtiging, dag: dt.date) -> bool:
    """Valid on `dag` (R73): actief and begint_op <= dag < eindigt_op; see `selectors.lopend_op` for querysets."""
    return ketenmachtiging.status == Status.ACTIEF and ketenmachtiging.begint_op <= dag < ketenmachtiging.eindigt_op


# --- Afgeven (K1): who may issue, extend or add to ketenmachtigingen (R40, R23) ---------------------------------

AFGEVEN_NIET_MOGELIJK = _(
    "Om een ketenmachtiging af te geven heeft u een actief, regulier eHerkenningsmiddel op niveau EH3 of hoger nodig."
)
AFGEVEN_BELASTINGDIENST = _("Een EH3 Belastingdienstmiddel kan niet worden gebruikt voor ketenmachtigingen.")


def afgeven_weigering(middel) -> DomainError | None:
    """Why the beheerder with this middel may not issue (or extend) ketenmachtigingen, or None when they may.

    R40: a regular, Actief middel at EH3 or higher; R23: never a Belastingdienst middel. No queries, so the
    screen asks it to show or hide "+ Voeg toe" and the service asks it to refuse."""
    from gebruikers.models import Middel  # gebruikers imports the register, which imports these rules

    if middel is not None and middel.type == Middel.Type.BELASTINGDIENST:
        return DomainError(AFGEVEN_BELASTINGDIENST, rule="R23")
    if middel is None or middel.status != Middel.Status.ACTIEF or middel.niveau < KETEN_MINIMUM_NIVEAU:
        return DomainError(AFGEVEN_NIET_MOGELIJK, rule="R40")
    return None


def mag_afgeven(middel) -> bool:
    return afgeven_weigering(middel) is None


# --- Van relaties: invitations and received ketenmachtigingen (K2) ------------------------------------------


def mag_uitnodiging_intrekken(uitnodiging) -> bool:
    """Only an open invitation (not yet answered, not expired) can be withdrawn (R47)."""
    return uitnodiging.is_open


def mag_uitnodiging_opnieuw_versturen(uitnodiging) -> bool:
    """Resend (a new link and term) while unanswered: open, expired or locked (R47)."""
    return uitnodiging.status in ("open", "verlopen", "vergrendeld")


def mag_intermediair_intrekken(ketenmachtiging, dag: dt.date) -> bool:
    """The intermediair revokes only what it asked for through an invitation, while it runs (R45)."""
    return ketenmachtiging.aangevraagd_door == "intermediair" and is_lopend(ketenmachtiging, dag)


EIGEN_ORGANISATIE = _("U kunt geen ketenmachtiging aan uw eigen organisatie afgeven.")


def is_eigen_organisatie(verlener, kvk_nummer: str) -> bool:
    """R40: a ketenmachtiging goes to another organisation, never to the verlener itself."""
    return kvk_nummer == verlener.kvk_nummer
