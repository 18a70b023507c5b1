"""The set-based write of + Voeg toe (machtigingen_bulk_toevoegen): the new machtigingen as plain tuples in one
statement (common.bulk: COPY on PostgreSQL), not model instances; the step's audit entries and messages go the
same way (audit.services.audit_bulk, berichten.outbox.plaats_in_bulk)."""

import datetime as dt

from django.db import connection
from django.db.models import CharField, Func
from django.utils import timezone

from common.bulk import insert_rows
from machtigingen.models import Machtiging, Status
from machtigingen.selectors import ScopeSleutel


def machtigingen_invoegen(
    organisatie_id: int, paren: list[tuple[int, ScopeSleutel]], *, begint_op: dt.date, eindigt_op: dt.date
) -> int:
    """INSERT the new machtigingen (R33: from today, the current term too); returns how many. Their ids are not
    read back: the step's audit names each by person and scope (R74), which is one running machtiging."""
    ops = connection.ops
    vast = (
        organisatie_id,
        ops.adapt_datefield_value(begint_op),
        ops.adapt_datefield_value(eindigt_op),
        ops.adapt_datefield_value(begint_op),
        Status.ACTIEF,
        ops.adapt_datetimefield_value(timezone.now()),
    )
    rijen = [(middel_id, s.scope, s.dienst_id, s.niveau, s.dienstverlener_id, *vast) for middel_id, s in paren]
    return insert_rows(Machtiging, _INVOEG_VELDEN, rijen)


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
    value: the step reads thousands. Dates come as ISO text when selected through `als_tekst`."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class als_tekst(Func):  # noqa: N801 -- used as a function: als_tekst("eindigt_op")
    """A date column selected as its ISO text ('2026-12-02'), for `_rauw`: the driver then parses no date (on
    SQLite its converter would, per value) and the audit's before and after need the text anyway. On PostgreSQL
    by to_char, whose pattern does not depend on the connection's DateStyle."""

    template = "CAST(%(expressions)s AS text)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)
