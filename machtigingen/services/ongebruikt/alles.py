"""The daily R76 job for all three kinds at once (see the package): a person's own machtigingen, group
machtigingen and ketenmachtigingen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from common.dates import vandaag
from machtigingen.services.ongebruikt._klok import OngebruiktUitkomst
from machtigingen.services.ongebruikt.groep import ongebruikte_groepsmachtigingen_afhandelen
from machtigingen.services.ongebruikt.keten import ongebruikte_ketenmachtigingen_afhandelen
from machtigingen.services.ongebruikt.persoonlijk import ongebruikte_machtigingen_afhandelen


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
    dag = peildatum or vandaag()  # one day for all three, also when the run spans midnight
    return OngebruiktAllesUitkomst(
        machtigingen=ongebruikte_machtigingen_afhandelen(peildatum=dag),
        groepsmachtigingen=ongebruikte_groepsmachtigingen_afhandelen(peildatum=dag),
        ketenmachtigingen=ongebruikte_ketenmachtigingen_afhandelen(peildatum=dag),
    )
