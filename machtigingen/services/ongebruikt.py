"""R76 Laatst gebruikt: a machtiging unused for 24 months ends (the trust framework's rule), after an e-mail
warning to the person and the beheerders two months before; a use in between resets the clock.

The clock runs from the last use (`laatst_gebruikt_op`, written by the register API) or, never used, from the day
the machtiging began (`begint_op`: extending a machtiging is not a use). The daily job:

- warns once per period without use, at 22 months, announcing the end 2 months later (the warning's
  HerinneringVerstuurd keeps that date; a later use starts a new period, which gets its own warning);
- ends, through `machtigingen_beeindigen` (audit, R37 message), those unused for 24 months whose warning for this
  period announced a day that has come. A machtiging never warned is warned first and ends 2 months later, so
  nobody loses a machtiging without notice (e.g. on the job's first run or after it was down).

Machtigingen that end by their own end date before the announced day are not warned: they expire anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from berichten.meldingen.herinneringen import ongebruikte_machtigingen_waarschuwen
from berichten.models import HerinneringVerstuurd, Soort
from common.dates import plus_maanden, vandaag
from machtigingen.models import Machtiging, Status
from machtigingen.services.beeindigen import machtigingen_beeindigen

ONGEBRUIKT_MAANDEN = 24
WAARSCHUWING_VOORAF_MAANDEN = 2


@dataclass(frozen=True)
class OngebruiktUitkomst:
    gewaarschuwd: int  # machtigingen warned in this run
    beeindigd: int  # machtigingen ended in this run


def ongebruikt_sinds(machtiging: Machtiging) -> dt.date:
    """The day the machtiging's clock without use started."""
    return machtiging.laatst_gebruikt_op or machtiging.begint_op


def eindigt_door_ongebruik_op(machtiging: Machtiging) -> dt.date:
    """The first day the machtiging counts as unused for 24 months (unless used before)."""
    return plus_maanden(ongebruikt_sinds(machtiging), ONGEBRUIKT_MAANDEN)


@transaction.atomic
def ongebruikte_machtigingen_afhandelen(*, peildatum: dt.date | None = None) -> OngebruiktUitkomst:
    """The daily R76 job (see the module): first end what is due, then warn. Idempotent: a second run on the same
    day warns and ends nothing. A constant number of queries however many machtigingen."""
    dag = peildatum or vandaag()
    aangekondigd = plus_maanden(dag, WAARSCHUWING_VOORAF_MAANDEN)
    grens = plus_maanden(dag, -(ONGEBRUIKT_MAANDEN - WAARSCHUWING_VOORAF_MAANDEN))
    # Active, still running, and unused for at least 22 months; only those need a look.
    basis = (
        Machtiging.objects.filter(status=Status.ACTIEF, eindigt_op__gt=dag)
        .annotate(sinds=Coalesce("laatst_gebruikt_op", "begint_op"))
        .filter(sinds__lte=grens)
    )
    gewaarschuwd_op: dict[int, list[dt.date]] = {}
    for object_id, datum in HerinneringVerstuurd.objects.filter(
        soort=Soort.MACHTIGING_ONGEBRUIKT, object_id__in=basis.values("pk")
    ).values_list("object_id", "datum"):
        gewaarschuwd_op.setdefault(object_id, []).append(datum)
    kandidaten = (
        # Two runs at once: each skips the rows the other is handling (PostgreSQL; SQLite serialises writers).
        basis.select_for_update(skip_locked=True, of=("self",))
        .select_related("middel__persoon", "organisatie", "dienst", "dienstverlener")
        .order_by("pk")
    )
    te_beeindigen, te_waarschuwen = [], []
    for m in kandidaten:
        einde = eindigt_door_ongebruik_op(m)
        # A warning of this period announced a day on or after its end; one of an earlier period, before it.
        deze_periode = [d for d in gewaarschuwd_op.get(m.pk, ()) if d >= einde]
        if deze_periode:
            if einde <= dag and min(deze_periode) <= dag:
                te_beeindigen.append(m.pk)
        elif m.eindigt_op > aangekondigd:
            te_waarschuwen.append(m)
    beeindigd = []
    if te_beeindigen:
        beeindigd = machtigingen_beeindigen(
            Machtiging.objects.filter(pk__in=te_beeindigen),
            door=None,
            reden=gettext("%(maanden)s maanden niet gebruikt") % {"maanden": ONGEBRUIKT_MAANDEN},
        )
    ongebruikte_machtigingen_waarschuwen(te_waarschuwen, einddatum=aangekondigd)
    return OngebruiktUitkomst(gewaarschuwd=len(te_waarschuwen), beeindigd=len(beeindigd))
