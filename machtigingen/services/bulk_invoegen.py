"""The set-based write of + Voeg toe (machtigingen_bulk_toevoegen): the new machtigingen as plain tuples with
executemany, not model instances (the step's audit entries go the same way, through audit.services.audit_bulk)."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from machtigingen.models import Machtiging, Status
from machtigingen.selectors import ScopeSleutel

# 10,000 pairs are 5,000 new machtigingen: written with executemany over plain tuples instead of model instances
# (as the expiry job does, services/verloop.py), which is most of the step's time.

BATCH = 2_000


def machtigingen_invoegen(
    organisatie_id: int, paren: list[tuple[int, ScopeSleutel]], *, begint_op: dt.date, eindigt_op: dt.date
) -> int:
    """INSERT the new machtigingen (R33: from today, the current term too); returns how many. Their ids are not
    read back: the step's audit names each by person and scope (R74), which is one running machtiging."""
    if not paren:
        return 0
    ops, qn = connection.ops, connection.ops.quote_name
    opts = Machtiging._meta
    velden = [opts.get_field(naam) for naam in _INVOEG_VELDEN]
    kolommen = ", ".join(qn(f.column) for f in velden)
    sql = f"INSERT INTO {qn(opts.db_table)} ({kolommen}) VALUES ({', '.join(['%s'] * len(velden))})"  # noqa: S608
    vast = (
        organisatie_id,
        ops.adapt_datefield_value(begint_op),
        ops.adapt_datefield_value(eindigt_op),
        ops.adapt_datefield_value(begint_op),
        Status.ACTIEF,
        ops.adapt_datetimefield_value(timezone.now()),
    )
    rijen = [(middel_id, s.scope, s.dienst_id, s.niveau, s.dienstverlener_id, *vast) for middel_id, s in paren]
    with connection.cursor() as cursor:
        for start in range(0, len(rijen), BATCH):
            cursor.executemany(sql, rijen[start : start + BATCH])
    return len(rijen)


_INVOEG_VELDEN = (
    "middel",
    "scope",
    "dienst",
    "niveau",
    "dienstverlener",
    "organisatie",
    "begint_op",
    "eindigt_op",
    "termijn_begint_op",
    "status",
    "aangemaakt_op",
)


def _rauw(qs):
    """The rows of a values_list queryset as the database driver returns them, without Django's converters per
    value (dates stay ISO text on SQLite): the step reads thousands."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _iso_tekst(waarde) -> str | None:
    """A date from `_rauw` as ISO text: SQLite gives the text already, PostgreSQL a date."""
    return waarde if waarde is None or isinstance(waarde, str) else waarde.isoformat()
