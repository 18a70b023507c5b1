"""The R76 clock shared by machtigingen, group machtigingen and ketenmachtigingen: which rows need a look today,
which warnings they already had, and which of them to warn or to end.

The clock runs from the last use (`laatst_gebruikt_op`, written by the register API) or, never used, from the day
the row began (`begint_op`: extending is not a use). A warning's HerinneringVerstuurd keeps the end day it
announced (its `datum`); a warning of the current period announced a day on or after the period's 24 months, one
of an earlier period (before a use reset the clock) a day before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from berichten.models import HerinneringVerstuurd
from common.dates import plus_maanden
from machtigingen.models import Status

ONGEBRUIKT_MAANDEN = 24
WAARSCHUWING_VOORAF_MAANDEN = 2


@dataclass(frozen=True)
class OngebruiktUitkomst:
    gewaarschuwd: int  # rows warned in this run
    beeindigd: int  # rows ended in this run


@dataclass(frozen=True)
class Peil:
    """One run's days: today, the end day a warning today announces, and the last start of a 22-month period."""

    dag: dt.date
    aangekondigd: dt.date
    grens: dt.date

    @classmethod
    def op(cls, dag: dt.date) -> Peil:
        return cls(
            dag=dag,
            aangekondigd=plus_maanden(dag, WAARSCHUWING_VOORAF_MAANDEN),
            grens=plus_maanden(dag, -(ONGEBRUIKT_MAANDEN - WAARSCHUWING_VOORAF_MAANDEN)),
        )


def ongebruikt_sinds(obj) -> dt.date:
    """The day the clock without use started (a Machtiging, GroepMachtiging or Ketenmachtiging)."""
    return obj.laatst_gebruikt_op or obj.begint_op


def eindigt_door_ongebruik_op(obj) -> dt.date:
    """The first day it counts as unused for 24 months (unless used before)."""
    return plus_maanden(ongebruikt_sinds(obj), ONGEBRUIKT_MAANDEN)


def basis(qs: QuerySet, peil: Peil) -> QuerySet:
    """Active, still running, and unused for at least 22 months: only those need a look."""
    return (
        qs.filter(status=Status.ACTIEF, eindigt_op__gt=peil.dag)
        .annotate(sinds=Coalesce("laatst_gebruikt_op", "begint_op"))
        .filter(sinds__lte=peil.grens)
    )


def gewaarschuwd_op(soort: str, rijen: QuerySet) -> dict[int, list[dt.date]]:
    """The end days announced to each of `rijen` so far (one query)."""
    uit: dict[int, list[dt.date]] = {}
    for object_id, datum in HerinneringVerstuurd.objects.filter(
        soort=soort, object_id__in=rijen.values("pk")
    ).values_list("object_id", "datum"):
        uit.setdefault(object_id, []).append(datum)
    return uit


def vergrendeld(qs: QuerySet) -> QuerySet:
    # Two runs at once: each skips the rows the other is handling (PostgreSQL; SQLite serialises writers).
    return qs.select_for_update(skip_locked=True, of=("self",))


def verdeel(kandidaten, gewaarschuwd: dict[int, list[dt.date]], peil: Peil) -> tuple[list, list]:
    """(to end, to warn) among the candidates. Ends those unused for 24 months whose warning of this period
    announced a day that has come; warns, once per period, those not warned in it yet, unless they end by their
    own end date before the announced day (they expire anyway). One never warned is warned first and ends two
    months later, so nothing ends without notice (e.g. on the job's first run or after it was down)."""
    te_beeindigen, te_waarschuwen = [], []
    for obj in kandidaten:
        einde = eindigt_door_ongebruik_op(obj)
        deze_periode = [d for d in gewaarschuwd.get(obj.pk, ()) if d >= einde]
        if deze_periode:
            if einde <= peil.dag and min(deze_periode) <= peil.dag:
                te_beeindigen.append(obj)
        elif obj.eindigt_op > peil.aangekondigd:
            te_waarschuwen.append(obj)
    return te_beeindigen, te_waarschuwen
