"""R76 Laatst gebruikt: a machtiging unused for 24 months ends (the trust framework's rule), after an e-mail
warning two months before; a use in between resets the clock. For a person's own machtigingen (`persoonlijk`:
the person and the beheerders are warned), group machtigingen (`groep`: the beheerders; the members are told when
it ends) and ketenmachtigingen (`keten`: the beheerders of the verlener and of the intermediair).

The daily job, per kind (`_klok`):

- warns once per period without use, at 22 months, announcing the end 2 months later (the warning's
  HerinneringVerstuurd keeps that date; a later use starts a new period, which gets its own warning);
- ends those unused for 24 months whose warning for this period announced a day that has come. One never warned
  is warned first and ends 2 months later, so nothing ends without notice (e.g. on the job's first run or after
  it was down).

Those that end by their own end date before the announced day are not warned: they expire anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from common.dates import vandaag
from machtigingen.services.ongebruikt._klok import (
    ONGEBRUIKT_MAANDEN,
    WAARSCHUWING_VOORAF_MAANDEN,
    OngebruiktUitkomst,
    eindigt_door_ongebruik_op,
    ongebruikt_sinds,
)
from machtigingen.services.ongebruikt.persoonlijk import ongebruikte_machtigingen_afhandelen

__all__ = [
    "ONGEBRUIKT_MAANDEN",
    "WAARSCHUWING_VOORAF_MAANDEN",
    "OngebruiktAllesUitkomst",
    "OngebruiktUitkomst",
    "eindigt_door_ongebruik_op",
    "ongebruikt_afhandelen",
    "ongebruikt_sinds",
    "ongebruikte_machtigingen_afhandelen",
]


@dataclass(frozen=True)
class OngebruiktAllesUitkomst:
    machtigingen: OngebruiktUitkomst
    groepsmachtigingen: OngebruiktUitkomst
    ketenmachtigingen: OngebruiktUitkomst

    @property
    def gewaarschuwd(self) -> int:
        return (
            self.machtigingen.gewaarschuwd + self.groepsmachtigingen.gewaarschuwd + self.ketenmachtigingen.gewaarschuwd
        )

    @property
    def beeindigd(self) -> int:
        return self.machtigingen.beeindigd + self.groepsmachtigingen.beeindigd + self.ketenmachtigingen.beeindigd


def ongebruikt_afhandelen(*, peildatum: dt.date | None = None) -> OngebruiktAllesUitkomst:
    """The daily R76 job for all three kinds, each in its own transaction (a failure in one leaves the others'
    work done; every part is idempotent, so a retry only does what is left)."""
    # Imported here: this package loads half-way through machtigingen.services, and these two load
    # groepen.services and ketenmachtigingen.services, which import machtigingen.services in turn.
    from machtigingen.services.ongebruikt.groep import ongebruikte_groepsmachtigingen_afhandelen
    from machtigingen.services.ongebruikt.keten import ongebruikte_ketenmachtigingen_afhandelen

    dag = peildatum or vandaag()  # one day for all three, also when the run spans midnight
    return OngebruiktAllesUitkomst(
        machtigingen=ongebruikte_machtigingen_afhandelen(peildatum=dag),
        groepsmachtigingen=ongebruikte_groepsmachtigingen_afhandelen(peildatum=dag),
        ketenmachtigingen=ongebruikte_ketenmachtigingen_afhandelen(peildatum=dag),
    )
