"""+ Voeg toe in the rubriek Machtigingen (§4.2, §4.4): 500 people × 20 diensten = 10,000 pairs, half of them
new and half already running (R36: they get the new end date), against a raw bulk INSERT of the new rows (COPY on
PostgreSQL, the cheapest there) and one UPDATE of the existing ones.

The real step also checks every pair (R23, R30, R31), writes one audit entry per person and kind of change (R74)
and one outbox message per person (R37, its context: rendered at delivery), all in its transaction; the baseline
writes only the machtigingen (machtigingen_bulk_volledig's baseline writes the rest too). Both sides run
inside a transaction that teardown rolls back, so every call starts from the prepared state and the outbox's
after-commit delivery (asynchronous in production) is not part of either.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from bench.copy import copy_rows
from bench.data import insert_rows
from bench.registry import Benchmark, BenchmarkError, benchmark
from berichten.models import Bericht
from catalogus.models import Dienst, Dienstverlener
from common import bulk
from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel, Persoon
from machtigingen.models import Machtiging, Scope, Status
from organisaties.models import Organisatie

FULL_ROWS = 10_000
DIENSTEN = 20
# Per person, this many of the diensten are already running (half of the pairs).
BESTAAND = DIENSTEN // 2

VELDEN = (
    "middel",
    "organisatie",
    "scope",
    "dienst",
    "begint_op",
    "eindigt_op",
    "termijn_begint_op",
    "status",
    "aangemaakt_op",
)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@benchmark(name="machtigingen_bulk", rows=FULL_ROWS)
class MachtigingenBulk(Benchmark):
    """machtigingen_bulk_toevoegen for 500 people × 20 diensten (half existing) vs raw INSERT + UPDATE."""

    def skip_reason(self) -> str | None:
        try:
            from machtigingen.services import machtigingen_bulk_toevoegen  # noqa: F401
        except ImportError:
            return "machtigingen.services.machtigingen_bulk_toevoegen does not exist yet"
        return None

    def prepare(self) -> None:
        personen = max(2, self.rows // DIENSTEN)
        self.vandaag = vandaag()
        self.eindigt_op = plus_jaren(self.vandaag, 3)
        self.organisatie = Organisatie.objects.create(
            naam="Bench Machtigingen B.V.", kvk_nummer="31000002", straat="Stationsplein", huisnummer="1"
        )
        mensen = Persoon.objects.bulk_create(
            [
                Persoon(
                    username=f"bench-bulk-{i}",
                    password="!",
                    voornamen="Sanne",
                    achternaam=f"Veenstra{i}",
                    email=f"bulk{i}@bench.example",
                )
                for i in range(personen + 1)
            ]
        )
        middelen = Middel.objects.bulk_create(
            [
                Middel(persoon=p, niveau=Niveau.EH4 if i == 0 else Niveau.EH3, status=Middel.Status.ACTIEF)
                for i, p in enumerate(mensen)
            ]
        )
        Koppeling.objects.bulk_create(
            [
                Koppeling(
                    middel=m,
                    organisatie=self.organisatie,
                    rol=Koppeling.Rol.BEHEERDER if i == 0 else Koppeling.Rol.GEBRUIKER,
                    status=Koppeling.Status.ACTIEF,
                    abonnement_start=self.vandaag,
                )
                for i, m in enumerate(middelen)
            ]
        )
        self.beheerder = mensen[0]
        self.middel_ids = [m.pk for m in middelen[1:]]
        verlener = Dienstverlener.objects.create(oin="00000000000000000777", naam="Gemeente Bench")
        self.dienst_ids = [
            d.pk
            for d in Dienst.objects.bulk_create(
                [
                    Dienst(
                        service_uuid=f"00000000-0000-4000-8000-{i:012d}",
                        dienstverlener=verlener,
                        naam=f"Dienst {i}",
                        niveau=Niveau.EH2 if i % 2 else Niveau.EH3,
                    )
                    for i in range(DIENSTEN)
                ]
            )
        ]
        begint = self.vandaag - dt.timedelta(days=200)
        nu = timezone.now()
        insert_rows(
            Machtiging,
            VELDEN,
            (
                (
                    m,
                    self.organisatie.pk,
                    Scope.DIENST,
                    d,
                    begint,
                    begint + dt.timedelta(days=365),
                    begint,
                    Status.ACTIEF,
                    nu,
                )
                for m in self.middel_ids
                for d in self.dienst_ids[:BESTAAND]
            ),
        )
        self.paren = len(self.middel_ids) * DIENSTEN
        self.bestaand = len(self.middel_ids) * BESTAAND
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_q(Machtiging._meta.db_table)}")

    def setup(self) -> None:
        self.transactie = transaction.atomic()
        self.transactie.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.transactie.__exit__(None, None, None)

    def run(self) -> tuple[int, int]:
        from machtigingen.services import machtigingen_bulk_toevoegen

        resultaat = machtigingen_bulk_toevoegen(
            actor=self.beheerder,
            organisatie=self.organisatie,
            middelen=self.middel_ids,
            diensten=self.dienst_ids,
            eindigt_op=self.eindigt_op,
        )
        return resultaat.nieuw, resultaat.gewijzigd

    def baseline(self) -> tuple[int, int]:
        tabel = _q(Machtiging._meta.db_table)
        datum = connection.ops.adapt_datefield_value
        with connection.cursor() as cursor:
            ids = ", ".join(str(pk) for pk in self.dienst_ids[:BESTAAND])
            cursor.execute(
                f"UPDATE {tabel} SET eindigt_op = %s, termijn_begint_op = %s "  # noqa: S608 -- ids are ints
                f"WHERE organisatie_id = %s AND status = %s AND scope = %s AND dienst_id IN ({ids})",
                [datum(self.eindigt_op), datum(self.vandaag), self.organisatie.pk, Status.ACTIEF, Scope.DIENST],
            )
            gewijzigd = cursor.rowcount
        nu = timezone.now()
        # The cheapest bulk INSERT the database has: COPY on PostgreSQL (several times an executemany's speed there).
        invoegen = copy_rows if connection.vendor == "postgresql" else insert_rows
        nieuw = invoegen(
            Machtiging,
            VELDEN,
            (
                (
                    m,
                    self.organisatie.pk,
                    Scope.DIENST,
                    d,
                    self.vandaag,
                    self.eindigt_op,
                    self.vandaag,
                    Status.ACTIEF,
                    nu,
                )
                for m in self.middel_ids
                for d in self.dienst_ids[BESTAAND:]
            ),
        )
        return nieuw, gewijzigd

    def check(self, result, *, baseline: bool) -> None:
        verwacht = (self.paren - self.bestaand, self.bestaand)
        if tuple(result) != verwacht:
            raise BenchmarkError(f"{'baseline' if baseline else 'step'} reported {result}, expected {verwacht}")
        lopend = Machtiging.objects.filter(organisatie=self.organisatie, eindigt_op=self.eindigt_op).count()
        if lopend != self.paren:
            raise BenchmarkError(f"{lopend} machtigingen end on the new date, expected {self.paren}")


@benchmark(name="machtigingen_bulk_volledig", rows=FULL_ROWS)
class MachtigingenBulkVolledig(MachtigingenBulk):
    """The same step vs the least that writes what the step writes: the machtigingen, and raw the same audit rows
    (R74: one per person and kind of change, before and after per machtiging) and messages (R37: one per person,
    its context as JSON). Its ratio is the step's own overhead; its baseline over machtigingen_bulk's is the share
    of what R74 and R37 cost on this database."""

    def baseline(self) -> tuple[int, int]:
        tabel = _q(Machtiging._meta.db_table)
        with connection.cursor() as cursor:
            # The before of the audit: the running machtigingen, read as the step reads them.
            cursor.execute(
                f"SELECT id, middel_id, dienst_id, CAST(eindigt_op AS text), CAST(termijn_begint_op AS text) "  # noqa: S608
                f"FROM {tabel} WHERE organisatie_id = %s AND status = %s",
                [self.organisatie.pk, Status.ACTIEF],
            )
            lopend: dict[int, list] = {}
            for pk, middel_id, dienst_id, eind, termijn in cursor.fetchall():
                lopend.setdefault(middel_id, []).append((pk, dienst_id, eind, termijn))
        resultaat = super().baseline()
        nu = timezone.now()
        eind, heden = self.eindigt_op.isoformat(), self.vandaag.isoformat()
        nieuw = {f"Dienst {d}": {"begint_op": heden, "eindigt_op": eind} for d in self.dienst_ids[BESTAAND:]}
        nieuw_json = json.dumps(nieuw)
        audit = []
        for m in self.middel_ids:
            voor = {
                f"Dienst {d}": {"machtiging": pk, "eindigt_op": e, "termijn_begint_op": t} for pk, d, e, t in lopend[m]
            }
            na = {
                f"Dienst {d}": {"machtiging": pk, "eindigt_op": eind, "termijn_begint_op": heden}
                for pk, d, *_ in lopend[m]
            }
            audit.append(
                (
                    nu,
                    self.beheerder.pk,
                    "J. Bakker",
                    self.organisatie.pk,
                    "machtiging.toegevoegd",
                    f"{BESTAAND} machtigingen toegevoegd aan {m}",
                    "Middel",
                    str(m),
                    None,
                    nieuw_json,
                )
            )
            audit.append(
                (
                    nu,
                    self.beheerder.pk,
                    "J. Bakker",
                    self.organisatie.pk,
                    "machtiging.einddatum_gewijzigd",
                    f"Einddatum van {BESTAAND} machtigingen van {m} gewijzigd",
                    "Middel",
                    str(m),
                    json.dumps(voor),
                    json.dumps(na),
                )
            )
        _raw_insert(AuditEntry, AUDIT_VELDEN, audit)
        regels = [["einddatum", f"Dienst {d}", eind] for d in self.dienst_ids[:BESTAAND]]
        regels += [["toegevoegd", f"Dienst {d}", eind] for d in self.dienst_ids[BESTAAND:]]
        berichten = [
            (
                Bericht.Kanaal.EMAIL,
                "machtigingen_gewijzigd",
                f"bulk{i}@bench.example",
                None,
                self.organisatie.pk,
                "nl",
                json.dumps(
                    {
                        "persoon": {"$model": "gebruikers.persoon", "pk": m},
                        "organisatie": {"$model": "organisaties.organisatie", "pk": self.organisatie.pk},
                        "wijzigingen": {"$objs": "berichten.meldingen.machtigingen:Wijziging", "w": regels},
                    }
                ),
                uuid.uuid4().hex,
                nu,
            )
            for i, m in enumerate(self.middel_ids)
        ]
        _raw_insert(Bericht, BERICHT_VELDEN, berichten, vast=True)
        return resultaat


AUDIT_VELDEN = ("moment", "actor", "actor_label", "organisatie", "actie", "omschrijving", "object_type")
AUDIT_VELDEN += ("object_id", "voor", "na")
BERICHT_VELDEN = ("kanaal", "soort", "ontvanger", "persoon", "organisatie", "taal", "context", "sleutel")
BERICHT_VELDEN += ("aangemaakt_op",)


def _raw_insert(model, velden, rijen, *, vast=False) -> None:
    """Ready rows (JSON already text) in one statement, the cheapest the database has (COPY on PostgreSQL); with
    `vast`, every other column gets its default."""
    datum = connection.ops.adapt_datetimefield_value
    rijen = [tuple(datum(w) if isinstance(w, dt.datetime) else w for w in r) for r in rijen]
    bulk.insert_rows(model, velden, rijen, defaults_for_the_rest=vast)
