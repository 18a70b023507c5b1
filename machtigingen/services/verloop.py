"""The expiry job (R74): set-based, without model instances."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.models import AuditEntry
from audit.services import SYSTEEM
from common.dates import vandaag
from machtigingen.models import Machtiging, Status


def _audit_kolommen() -> str:
    velden = ("moment", "actor", "actor_label", "organisatie", "actie", "omschrijving", "object_type", "object_id")
    velden += ("voor", "na")
    return ", ".join(connection.ops.quote_name(AuditEntry._meta.get_field(v).column) for v in velden)


@transaction.atomic
def verloop_machtigingen(*, op: dt.date | None = None) -> int:
    """The expiry job: every actief machtiging whose (exclusive) end date is on or before `op` (default today)
    becomes verlopen, audited per machtiging (R74). Returns how many were flipped; running it again flips none.

    Set-based, without model instances, so memory stays flat at any size:
    - PostgreSQL: ONE statement, an UPDATE ... RETURNING feeding an INSERT ... SELECT into the audit trail, so
      exactly the flipped rows are audited even with concurrent writers;
    - SQLite: INSERT ... SELECT then the same UPDATE, in one transaction (SQLite has a single writer).
    Both use the (status, eindigt_op) index.
    """
    op = op or vandaag()
    qn = connection.ops.quote_name
    tabel = qn(Machtiging._meta.db_table)
    audit_tabel = qn(AuditEntry._meta.db_table)
    waarden = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        SYSTEEM,
        Actie.MACHTIGING_VERLOPEN,
        gettext("Machtiging verlopen: einddatum bereikt"),
        Machtiging.__name__,
        Status.ACTIEF,
        Status.VERLOPEN,
    ]
    datum = connection.ops.adapt_datefield_value(op)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                WITH verlopen AS (
                    UPDATE {tabel} SET status = %s
                    WHERE status = %s AND eindigt_op <= %s
                    RETURNING id, organisatie_id, eindigt_op
                )
                INSERT INTO {audit_tabel} ({_audit_kolommen()})
                SELECT %s::timestamptz, NULL, %s::text, organisatie_id, %s::text, %s::text, %s::text, id::text,
                       jsonb_build_object('status', %s::text, 'eindigt_op', eindigt_op),
                       jsonb_build_object('status', %s::text, 'eindigt_op', eindigt_op)
                FROM verlopen
                """,  # noqa: S608 -- only table and column names from the models' metadata are interpolated
                [Status.VERLOPEN, Status.ACTIEF, datum, *waarden],
            )
            return cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {audit_tabel} ({_audit_kolommen()})
            SELECT %s, NULL, %s, organisatie_id, %s, %s, %s, CAST(id AS TEXT),
                   json_object('status', %s, 'eindigt_op', eindigt_op),
                   json_object('status', %s, 'eindigt_op', eindigt_op)
            FROM {tabel}
            WHERE status = %s AND eindigt_op <= %s
            """,  # noqa: S608 -- only table and column names from the models' metadata are interpolated
            [*waarden, Status.ACTIEF, datum],
        )
    return Machtiging.objects.filter(status=Status.ACTIEF, eindigt_op__lte=op).update(status=Status.VERLOPEN)
