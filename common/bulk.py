"""Many rows of one table written in one statement, without a model instance per row: the bulk steps (+ Voeg toe's
machtigingen, their audit entries and messages) and the register's decision log.

On PostgreSQL by COPY: a row then costs the server a few microseconds, where an INSERT per row (executemany)
costs it a bind and an execution each, several times more. Elsewhere by one executemany INSERT, which on SQLite,
in-process, is already the cheapest. Either way the statement passes the connection's execute wrappers (the
generations of common.generaties see the write) and is counted as one query where queries are logged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: Sequence[Sequence], *, defaults_for_the_rest: bool = False
) -> int:
    """Write `rows`, tuples of values in the order of `fields` (model field names, foreign keys as ids), ready for
    the database: dates and moments adapted (`connection.ops.adapt_*`), JSON as its text (`JsonPerObject`). With
    `defaults_for_the_rest`, every other column gets its field's default. Returns how many."""
    if not rows:
        return 0
    opts, qn = model._meta, connection.ops.quote_name
    if defaults_for_the_rest:
        rest = [f for f in opts.concrete_fields if not f.primary_key and f.name not in fields]
        standaard = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        fields = (*fields, *(f.name for f in rest))
        rows = [(*row, *standaard) for row in rows]
    kolommen = ", ".join(qn(opts.get_field(naam).column) for naam in fields)
    tabel = qn(opts.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Through the execute wrappers as Django's own execute goes (a private method, but the one place
            # wrappers are applied): COPY has no DB-API call of its own.
            sql = f"COPY {tabel} ({kolommen}) FROM STDIN"
            cursor._execute_with_wrappers(sql, rows, many=True, executor=_copy)
        else:
            sql = f"INSERT INTO {tabel} ({kolommen}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            cursor.executemany(sql, rows)
    return len(rows)


def _copy(sql: str, rows, _many, context) -> None:
    """COPY's text format: the server reads every value as its column's type (the JSON columns from their text)."""
    db = context["connection"]
    begin = time.perf_counter()
    with db.wrap_database_errors, context["cursor"].cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    if db.queries_logged:  # counted like any statement (debug, query-count tests)
        db.queries_log.append({"sql": f"{len(rows)} rows: {sql}", "time": f"{time.perf_counter() - begin:.3f}"})


class JsonPerObject:
    """The JSON text of a value as a JSONField stores it (None is SQL NULL), written out once per object: the rows
    of a bulk step share objects (everyone given the same diensten, the answers the API kept). By identity, so
    each object is held while the memo lives and its id cannot be reused."""

    def __init__(self) -> None:
        self._gezien: dict[int, tuple[object, str]] = {}

    def __call__(self, waarde) -> str | None:
        if waarde is None:
            return None
        gezien = self._gezien.get(id(waarde))
        if gezien is None:
            gezien = self._gezien[id(waarde)] = (waarde, json.dumps(waarde))
        return gezien[1]
