"""The nightly expiry job over a large register, against the one UPDATE it boils down to."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.db import connection, transaction

from audit.models import AuditEntry
from bench.data import insert_rows, maak_wereld, scaled
from bench.registry import Benchmark, BenchmarkError, benchmark
from common.dates import vandaag
from common.niveau import Niveau
from machtigingen.models import Machtiging, Scope, Status

FULL_ROWS = 1_000_000
# Shares of all machtigingen: active but past their end date (what the job flips), expired long ago,
# revoked (some past their end date too: the job must leave them alone); the rest runs into the future.
DUE = 0.30
OLD_EXPIRED = 0.05
REVOKED = 0.05
# Rows the job flips end within this many days before `op`; rows expired long ago ended before that.
DUE_WINDOW_DAYS = 365

FIELDS = (
    "middel",
    "organisatie",
    "scope",
    "dienst",
    "niveau",
    "dienstverlener",
    "begint_op",
    "eindigt_op",
    "status",
    "ingetrokken_op",
    "aangemaakt_op",
)


def _table() -> str:
    return connection.ops.quote_name(Machtiging._meta.db_table)


def _date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


@benchmark(name="verloop_machtigingen", rows=FULL_ROWS)
class VerloopMachtigingen(Benchmark):
    """machtigingen.services.verloop_machtigingen vs a raw UPDATE of the same rows."""

    def skip_reason(self) -> str | None:
        try:
            from machtigingen.services import verloop_machtigingen  # noqa: F401
        except ImportError:
            return "machtigingen.services.verloop_machtigingen does not exist yet"
        return None

    def prepare(self) -> None:
        self.op = vandaag()
        wereld = maak_wereld(
            organisaties=scaled(1_000, self.rows, FULL_ROWS, minimum=2),
            # About 250 machtigingen per middel at every scale, with more diensten than that to choose from.
            middelen=max(scaled(4_000, self.rows, FULL_ROWS, minimum=5), -(-self.rows // 250)),
            dienstverleners=scaled(50, self.rows, FULL_ROWS, minimum=10),
            diensten=scaled(2_000, self.rows, FULL_ROWS, minimum=300),
        )
        self.expected = 0
        self.old_expired = 0
        insert_rows(Machtiging, FIELDS, self._machtigingen(wereld, random.Random(1)))
        with connection.cursor() as cursor:
            # Planner statistics, as a long-running database would have them.
            cursor.execute(f"ANALYZE {_table()}")

    def _machtigingen(self, wereld, rng: random.Random) -> Iterator[tuple]:
        op = self.op
        koppelingen, diensten, verleners = wereld.koppelingen, wereld.diensten, wereld.dienstverlener_ids
        niveaus = (Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH3)
        n = len(koppelingen)
        # Per koppeling, how many machtigingen of each scope it has so far. Taking the next dienst, niveau or
        # dienstverlener in turn keeps the lopende ones unique (the model's UniqueConstraints); once a
        # koppeling has used them all, further rows repeat one and are history (ingetrokken).
        per_dienst, per_niveau, per_verlener = [0] * n, [0] * n, [0] * n
        terms = (365, 3 * 365, 5 * 365)
        for i in range(self.rows):
            k = i % n
            middel_id, organisatie_id, _niveau = koppelingen[k]
            s = rng.random()
            if s < 0.97:
                used, per_dienst[k] = per_dienst[k], per_dienst[k] + 1
                target = (Scope.DIENST, diensten[(k * 37 + used) % len(diensten)][0], None, None)
                repeats = used >= len(diensten)
            elif s < 0.995:
                used, per_verlener[k] = per_verlener[k], per_verlener[k] + 1
                target = (Scope.DIENSTVERLENER, None, None, verleners[(k + used) % len(verleners)])
                repeats = used >= len(verleners)
            else:
                used, per_niveau[k] = per_niveau[k], per_niveau[k] + 1
                target = (Scope.ALGEMEEN, None, niveaus[used % len(niveaus)], None)
                repeats = used >= len(niveaus)

            u = rng.random()
            status = Status.ACTIEF
            if repeats or DUE + OLD_EXPIRED <= u < DUE + OLD_EXPIRED + REVOKED:
                status = Status.INGETROKKEN
                eindigt_op = op + dt.timedelta(days=rng.randint(-DUE_WINDOW_DAYS, 5 * 365))
            elif u < DUE:
                # One in a hundred ends exactly on `op`: the end date is exclusive, so it is due today.
                days = 0 if self.expected % 100 == 0 else rng.randint(1, DUE_WINDOW_DAYS - 1)
                eindigt_op = op - dt.timedelta(days=days)
                self.expected += 1
            elif u < DUE + OLD_EXPIRED:
                status = Status.VERLOPEN
                eindigt_op = op - dt.timedelta(days=rng.randint(DUE_WINDOW_DAYS + 30, 5 * 365))
                self.old_expired += 1
            else:
                eindigt_op = op + dt.timedelta(days=rng.randint(1, 5 * 365))
            # Started in the past, for a term of 1, 3 or 5 years (at most 5: R73).
            term = rng.choice([t for t in terms if eindigt_op - dt.timedelta(days=t) <= op])
            begint_op = eindigt_op - dt.timedelta(days=term)
            aangemaakt_op = dt.datetime.combine(begint_op, dt.time(9), tzinfo=dt.UTC)
            ingetrokken_op = aangemaakt_op + dt.timedelta(days=1) if status == Status.INGETROKKEN else None
            yield (middel_id, organisatie_id, *target, begint_op, eindigt_op, status, ingetrokken_op, aangemaakt_op)

    def run(self) -> int:
        from machtigingen.services import verloop_machtigingen

        return verloop_machtigingen(op=self.op)

    @transaction.atomic
    def baseline(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table()} SET status = %s WHERE status = %s AND eindigt_op <= %s",
                [Status.VERLOPEN, Status.ACTIEF, _date(self.op)],
            )
            return cursor.rowcount

    def check(self, result, *, baseline: bool) -> None:
        if result != self.expected:
            raise BenchmarkError(
                f"{'baseline' if baseline else 'job'} reported {result} rows, expected {self.expected}"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status, COUNT(*) FROM {_table()} WHERE eindigt_op <= %s GROUP BY status", [_date(self.op)]
            )
            counts = dict(cursor.fetchall())
        if counts.get(Status.ACTIEF, 0) or counts.get(Status.VERLOPEN, 0) != self.expected + self.old_expired:
            raise BenchmarkError(f"after the {'baseline' if baseline else 'job'} the statuses are {counts}")

    def teardown(self) -> None:
        # Back to the prepared state: only the rows that ended within the window were flipped.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table()} SET status = %s WHERE status = %s AND eindigt_op > %s",
                [Status.ACTIEF, Status.VERLOPEN, _date(self.op - dt.timedelta(days=DUE_WINDOW_DAYS))],
            )
            # AuditEntry refuses deletes through the ORM (R74); this is a throw-away benchmark database.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(AuditEntry._meta.db_table)}")
