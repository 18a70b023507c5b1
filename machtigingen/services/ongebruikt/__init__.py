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

All three for one day: `alles.ongebruikt_afhandelen` (not imported here: the group and chain kinds use
groepen.services and ketenmachtigingen.services, which import machtigingen.services, which imports this package).
"""

from __future__ import annotations

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
    "OngebruiktUitkomst",
    "eindigt_door_ongebruik_op",
    "ongebruikt_sinds",
    "ongebruikte_machtigingen_afhandelen",
]
