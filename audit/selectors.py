"""The Logboek (R74): the audit trail of ONE organisation as its beheerders read and export it.

Scoped to the organisation in every read: entries of other organisations are never returned. Paged by keyset
(moment, id), newest first, so a page is one query however long the trail, and the index
(organisatie, -moment) serves it.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEntry
from organisaties.models import Organisatie

PAGINA = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class LogboekFilter:
    persoon: str = ""
    actie: str = ""
    van: dt.date | None = None
    tot: dt.date | None = None


def _begin_van_dag(dag: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dag, dt.time.min))


def logboek_qs(*, organisatie: Organisatie, filter: LogboekFilter) -> QuerySet[AuditEntry]:
    """The organisation's entries matching the search, newest first. A period is whole days in local time."""
    qs = AuditEntry.objects.filter(organisatie=organisatie)
    if filter.persoon:
        qs = qs.filter(Q(actor_label__icontains=filter.persoon) | Q(omschrijving__icontains=filter.persoon))
    if filter.actie:
        qs = qs.filter(actie=filter.actie)
    if filter.van:
        qs = qs.filter(moment__gte=_begin_van_dag(filter.van))
    if filter.tot:
        qs = qs.filter(moment__lt=_begin_van_dag(filter.tot + dt.timedelta(days=1)))
    return qs.order_by("-moment", "-id")


# --- keyset paging ---------------------------------------------------------------------------------------------


def cursor_van(entry: AuditEntry) -> str:
    """The position after `entry`, as text for a URL: microseconds since 1970 (exact, unlike a float) and the id."""
    return f"{(entry.moment - _EPOCH) // _MICRO}-{entry.pk}"


def lees_cursor(tekst: str | None) -> tuple[dt.datetime, int] | None:
    """The position from the URL; anything unreadable is the first page."""
    try:
        micro, pk = (int(deel) for deel in (tekst or "").split("-"))
        return _EPOCH + micro * _MICRO, pk
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Wijziging:
    veld: str
    voor: str
    na: str


@dataclass(frozen=True)
class LogboekRegel:
    entry: AuditEntry
    wijzigingen: list[Wijziging]


@dataclass(frozen=True)
class LogboekPagina:
    regels: list[LogboekRegel]
    volgende: str | None  # the cursor of the next page, None on the last


def logboek_pagina(*, organisatie: Organisatie, filter: LogboekFilter, na: str | None = None) -> LogboekPagina:
    """One page of the search: one query (PAGINA + 1 rows, to know whether there is a next page)."""
    qs = logboek_qs(organisatie=organisatie, filter=filter)
    positie = lees_cursor(na)
    if positie:
        moment, pk = positie
        qs = qs.filter(Q(moment__lt=moment) | Q(moment=moment, pk__lt=pk))
    rijen = list(qs[: PAGINA + 1])
    volgende = cursor_van(rijen[PAGINA - 1]) if len(rijen) > PAGINA else None
    return LogboekPagina(
        regels=[LogboekRegel(entry=e, wijzigingen=wijzigingen(e.voor, e.na)) for e in rijen[:PAGINA]],
        volgende=volgende,
    )


# --- before and after --------------------------------------------------------------------------------------------


def waarde_tekst(waarde) -> str:
    """A stored value as one line of text: nothing is '–', lists and objects as compact JSON."""
    if waarde is None or waarde == "":
        return "–"
    if isinstance(waarde, bool):
        return gettext("ja") if waarde else gettext("nee")
    if isinstance(waarde, dict | list):
        return json.dumps(waarde, ensure_ascii=False, separators=(", ", ": "))
    return str(waarde)


def _plat(waarden: dict, voorvoegsel: str = "") -> dict:
    """Nested objects as dotted fields ('middel.status'), so a change shows at the field that changed."""
    plat = {}
    for veld, waarde in waarden.items():
        naam = f"{voorvoegsel}{veld}"
        if isinstance(waarde, dict) and waarde:
            plat.update(_plat(waarde, f"{naam}."))
        else:
            plat[naam] = waarde
    return plat


def wijzigingen(voor, na) -> list[Wijziging]:
    """What an entry changed, field by field: every field of `voor` and `na` whose value differs (all of them for
    a registration, which has no `voor`). Values that are not objects are shown as one field."""
    if voor is None and na is None:
        return []
    if not isinstance(voor, dict | None) or not isinstance(na, dict | None):
        return [Wijziging(veld="", voor=waarde_tekst(voor), na=waarde_tekst(na))]
    voor, na = _plat(voor or {}), _plat(na or {})
    velden = list(dict.fromkeys([*voor, *na]))
    return [
        Wijziging(veld=veld, voor=waarde_tekst(voor.get(veld)), na=waarde_tekst(na.get(veld)))
        for veld in velden
        if voor.get(veld) != na.get(veld)
    ]
