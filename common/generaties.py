"""Generations of data: a number per named set of tables that changes whenever one of those tables is written.

What a process keeps in memory about those tables (the register's decisions, the API clients) is valid only as
long as the generation it was computed under is still the current one. The number lives in the shared cache
(Redis in production), so every web process sees a change made by any other process or by a Celery worker.

The writes are seen where they happen: a wrapper around every database statement of every connection notices an
INSERT, UPDATE, DELETE or TRUNCATE of a watched table, whatever code issued it (the ORM, a bulk update, raw SQL).
It moves the generation on at once (so the writing transaction itself, e.g. a test, never reads an older answer)
and again after the commit (so an answer computed by another process from the data before the commit, under the
number of the first move, is not kept either). A rolled-back write only costs an extra recomputation.

Writes that do not change what is kept (the API's own bookkeeping: last use of a machtiging or a client) are
made inside `stil()`. Writes that bypass Django's connections (psql, another program) are not seen: they count
from the next write Django makes to that table, or once what was kept ages out (REGISTER_BESLISCACHE_SECONDEN);
`verhoog(naam)` announces one at once.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.backends.signals import connection_created

from common import snelle_cache

logger = logging.getLogger(__name__)

# The generations there are.
REGISTER = "register"  # the tables the Machtigingenregister's decision reads (MachtigingenConfig)
API_CLIENTS = "api-clients"  # the API's clients and their tokens (ApiConfig)

_gevolgd: dict[str, frozenset[str]] = {}
# (names, alias) -> (when read, the generations): the last read per process (`huidig`)
_gelezen: dict[tuple, tuple[float, tuple[int, ...]]] = {}
# Until when (monotonic) this process trusts no generation, after it failed to move one.
_storing_tot = 0.0
_lokaal = threading.local()


def volg(naam: str, tabellen) -> None:
    """Watch these tables (db_table names) for the generation `naam`; called from an AppConfig.ready()."""
    _gevolgd[naam] = frozenset(tabellen)
    for alias in connections:
        _installeer(connections[alias])


def _cache():
    return caches[settings.GENERATIE_CACHE]


def _sleutel(naam: str, alias: str = "default") -> str:
    # Per database: two test databases sharing one Redis do not move each other's numbers.
    return f"generatie:{naam}:{connections[alias].settings_dict['NAME']}"


def huidig(*namen: str, alias: str = "default") -> tuple[int, ...] | None:
    """The current generations; None when the shared cache cannot be read (then nothing kept may be trusted).

    Read at most every GENERATIE_MAX_LEEFTIJD seconds per process (a round trip to the shared cache costs more
    than the answer it guards): a change made by another process is seen that much later at most, a change made
    by this process at once. R77 lets a broker rely on an answer for hours; the register's own staleness stays
    within a fraction of a second."""
    sleutel = (namen, alias)
    gelezen = _gelezen.get(sleutel)
    nu = time.monotonic()
    if nu < _storing_tot:  # this process failed to announce a change of its own a moment ago
        return None
    if gelezen is not None and nu - gelezen[0] < settings.GENERATIE_MAX_LEEFTIJD:
        return gelezen[1]
    waarden = _lees(namen, alias)
    if waarden is not None:
        _gelezen[sleutel] = (nu, waarden)
    return waarden


def _lees(namen, alias: str) -> tuple[int, ...] | None:
    """In one round trip. A missing number (a fresh or restarted cache) starts at a random value, never at one a
    process may still hold answers for."""
    cache = _cache()
    sleutels = [_sleutel(n, alias) for n in namen]
    try:
        snel = snelle_cache.lees_getallen(settings.GENERATIE_CACHE, sleutels)
        if snel is not None and None not in snel:
            return tuple(snel)
        gevonden = cache.get_many(sleutels)
        for sleutel in sleutels:
            if sleutel not in gevonden:
                cache.add(sleutel, secrets.randbits(62), None)
                gevonden[sleutel] = cache.get(sleutel)
    except Exception:
        logger.warning("generations unreadable; computing without what is kept", exc_info=True)
        return None
    waarden = tuple(gevonden.get(s) for s in sleutels)
    return None if any(w is None for w in waarden) else waarden


def verhoog(naam: str, alias: str = "default") -> None:
    _gelezen.clear()  # this process sees its own change at once
    cache = _cache()
    sleutel = _sleutel(naam, alias)
    try:
        try:
            cache.incr(sleutel)
        except ValueError:  # not there (yet): any fresh random number differs from what processes hold
            cache.set(sleutel, secrets.randbits(62), None)
    except Exception:
        # The write itself goes ahead (the shared cache being down must not stop the Beheermodule), but it went
        # unannounced: this process trusts no generation for a while, and what other processes keep ages out
        # (REGISTER_BESLISCACHE_SECONDEN), so a missed change is served at most that long.
        global _storing_tot
        _storing_tot = time.monotonic() + settings.GENERATIE_STORING_SECONDEN
        logger.error("could not move generation %s", naam, exc_info=True)


@contextmanager
def stil():
    """Writes in this block do not move any generation (bookkeeping that changes nothing that is kept)."""
    vorige = getattr(_lokaal, "stil", False)
    _lokaal.stil = True
    try:
        yield
    finally:
        _lokaal.stil = vorige


_BEGIN = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|WITH)\b", re.IGNORECASE)
# The target of a write, also inside a WITH (PostgreSQL's data-modifying CTEs, e.g. the expiry job's).
_DOEL = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?(?=\s|\(|$)', re.IGNORECASE)
_NAAM = re.compile(r'"?(\w+)"?')
# PostgreSQL's COPY into a table (common.bulk); COPY … TO is a read.
_COPY = re.compile(r'\s*COPY\s+"?(\w+)"?\s*(?:\([^)]*\))?\s*FROM\b', re.IGNORECASE)


def geschreven_tabellen(sql) -> list[str]:
    """The tables a statement writes: the target of each INSERT, UPDATE and DELETE in it (a WITH included), or
    every table a TRUNCATE names, or the table a COPY … FROM fills. Nothing for a read (also not for SELECT …
    FOR UPDATE, nor COPY … TO)."""
    if not isinstance(sql, str):
        return []
    copy = _COPY.match(sql)
    if copy is not None:
        return [copy.group(1)]
    begin = _BEGIN.match(sql)
    if begin is None:
        return []
    if begin.group(1).upper() == "TRUNCATE":
        rest = re.split(r"\b(?:RESTART|CONTINUE|CASCADE|RESTRICT)\b|;", sql[begin.end() :], maxsplit=1)[0]
        return [n for n in _NAAM.findall(rest) if n.upper() != "TABLE"]
    return [t for t in _DOEL.findall(sql) if t.upper() not in ("OF", "SET")]


def _geraakt(sql: str) -> list[str]:
    tabellen = geschreven_tabellen(sql)
    if not tabellen:
        return []
    return [naam for naam, gevolgd in _gevolgd.items() if gevolgd.intersection(tabellen)]


def _wrapper(execute, sql, params, many, context):
    uitkomst = execute(sql, params, many, context)
    if _gevolgd and not getattr(_lokaal, "stil", False):
        namen = _geraakt(sql)
        if namen:
            connection = context["connection"]
            for naam in namen:
                verhoog(naam, connection.alias)
                if connection.in_atomic_block:
                    _na_commit(connection, naam)
    return uitkomst


def _na_commit(connection, naam: str) -> None:
    # Once per transaction and generation: the marker is found among the transaction's commit hooks.
    marker = _markers.setdefault((connection.alias, naam), _maak_marker(connection.alias, naam))
    if not any(hook is marker for _sids, hook, _robust in connection.run_on_commit):
        transaction.on_commit(marker, using=connection.alias, robust=True)


def _maak_marker(alias: str, naam: str):
    def na_commit():
        verhoog(naam, alias)

    return na_commit


_markers: dict[tuple[str, str], object] = {}


def _installeer(connection) -> None:
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def _bij_verbinding(sender, connection, **kwargs):
    if _gevolgd:
        _installeer(connection)


connection_created.connect(_bij_verbinding)
