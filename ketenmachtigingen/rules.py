"""Rules of ketenmachtigingen used both by the services (to refuse) and by the Machtigingenregister (to decide)."""

import datetime as dt

from common.niveau import Niveau
from machtigingen.models import Status

# Ketenmachtigingen need a regular middel at EH3 or higher at the intermediair (R44, R72).
KETEN_MINIMUM_NIVEAU = Niveau.EH3


def is_lopend(ketenmachtiging, dag: dt.date) -> bool:
    """Valid on `dag` (R73): actief and begint_op <= dag < eindigt_op; see `selectors.lopend_op` for querysets."""
    return ketenmachtiging.status == Status.ACTIEF and ketenmachtiging.begint_op <= dag < ketenmachtiging.eindigt_op
