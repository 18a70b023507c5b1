"""PostgreSQL COPY for the biggest benchmark tables: a million rows load in seconds instead of minutes.

Like `bench.data.insert_rows`, columns come from the models' metadata, so they never drift from the schema.
PostgreSQL only (psycopg 3's `cursor.copy`); elsewhere use `insert_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Model


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows given as tuples in the order of `fields` (model field names; foreign keys as ids)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("copy_rows needs PostgreSQL; use bench.data.insert_rows elsewhere")
    opts = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(opts.get_field(name).column) for name in fields)
    count = 0
    sql = f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
