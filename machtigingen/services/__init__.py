"""Writes for machtigingen (R30–R39, R73, R74): adding per user and in bulk, changing the end date, verlengen,
ending (intrekken, and every other service that ends machtigingen), and the expiry job.

Every service checks that the actor is a beheerder of the organisation (R4), audits each change with before
and after (R74), and tells each affected person once per action and organisation that their machtigingen
changed (R37). End dates are exclusive: a machtiging is valid on days begint_op <= d < eindigt_op.
"""

from machtigingen.services._common import (
    BOVEN_EIGEN_NIVEAU,
    DIENST_INGETROKKEN,
    EINDDATUM_TE_LAAT,
    EINDDATUM_TE_VROEG,
    GEEN_GEBRUIKER,
    GEEN_MACHTIGING,
    MACHTIGING_NIET_ACTIEF,
    MACHTIGING_NIET_GEVONDEN,
    NIET_ACTIEF,
    NIET_BEHEERDER,
    ONBEKENDE_KEUZE,
    SNELKEUZES,
    einddatum_voor_keuze,
)
from machtigingen.services.beeindigen import machtiging_intrekken, machtigingen_beeindigen
from machtigingen.services.bulk import machtigingen_bulk_toevoegen as machtigingen_bulk_toevoegen
from machtigingen.services.einddatum import (
    machtiging_verlengen,
    machtiging_wijzig_einddatum,
    machtigingen_wijzig_einddatum,
)
from machtigingen.services.ongebruikt import ongebruikte_machtigingen_afhandelen as ongebruikte_machtigingen_afhandelen
from machtigingen.services.toevoegen import machtiging_toevoegen
from machtigingen.services.verloop import verloop_machtigingen

__all__ = [
    "BOVEN_EIGEN_NIVEAU",
    "DIENST_INGETROKKEN",
    "EINDDATUM_TE_LAAT",
    "EINDDATUM_TE_VROEG",
    "GEEN_GEBRUIKER",
    "GEEN_MACHTIGING",
    "MACHTIGING_NIET_ACTIEF",
    "MACHTIGING_NIET_GEVONDEN",
    "NIET_ACTIEF",
    "NIET_BEHEERDER",
    "ONBEKENDE_KEUZE",
    "SNELKEUZES",
    "einddatum_voor_keuze",
    "machtiging_intrekken",
    "machtiging_toevoegen",
    "machtiging_verlengen",
    "machtiging_wijzig_einddatum",
    "machtigingen_beeindigen",
    "machtigingen_wijzig_einddatum",
    "verloop_machtigingen",
]
