"""Importing a first edition of a large Dienstencatalogus, against a bare bulk_create of the same rows."""

from __future__ import annotations

from django.db import connection, transaction

from audit.models import AuditEntry
from bench.registry import Benchmark, BenchmarkError, benchmark
from catalogus.models import CatalogusImport, Dienst, Dienstverlener

DIENSTEN_PER_DIENSTVERLENER = 25


@benchmark(name="import_dienstencatalogus", rows=5_000)
class ImportDienstencatalogus(Benchmark):
    """catalogus.importer.catalogus_import of a synthetic XML file vs bulk_create from pre-parsed dicts."""

    def skip_reason(self) -> str | None:
        try:
            from catalogus.generate import generate_catalogus  # noqa: F401
            from catalogus.importer import catalogus_import, parse_catalogus  # noqa: F401
        except ImportError as exc:
            return f"the catalogue importer or generator is not there yet ({exc})"
        return None

    def prepare(self) -> None:
        from catalogus.generate import generate_catalogus
        from catalogus.importer import parse_catalogus

        self.dienstverleners = max(1, self.rows // DIENSTEN_PER_DIENSTVERLENER)
        self.inhoud = generate_catalogus(diensten=self.rows, dienstverleners=self.dienstverleners, seed=1).encode()
        # The baseline starts from what the parser gives: plain dicts, ready for the models.
        catalogus = parse_catalogus(self.inhoud)
        self.verlener_dicts = [
            {"oin": d.oin, "naam": d.naam, "naam_en": d.naam_en, "is_public": d.is_public}
            for d in catalogus.dienstverleners
        ]
        self.dienst_dicts = [
            (
                d.oin,
                {
                    "service_uuid": d.service_uuid,
                    "naam": d.naam,
                    "naam_en": d.naam_en,
                    "omschrijving": d.omschrijving,
                    "omschrijving_en": d.omschrijving_en,
                    "url": d.url,
                    "niveau": int(d.niveau),
                    "intermediatie": d.intermediatie,
                    "is_public": d.is_public,
                },
            )
            for d in catalogus.diensten
        ]
        if len(self.dienst_dicts) != self.rows:
            raise BenchmarkError(f"the generator made {len(self.dienst_dicts)} diensten, not {self.rows}")

    def run(self) -> int:
        from catalogus.importer import catalogus_import

        return len(catalogus_import(inhoud=self.inhoud, bron="bench.xml").toegevoegd)

    @transaction.atomic
    def baseline(self) -> int:
        verleners = Dienstverlener.objects.bulk_create([Dienstverlener(**d) for d in self.verlener_dicts])
        ids = {v.oin: v.pk for v in verleners}
        diensten = [Dienst(dienstverlener_id=ids[oin], **d) for oin, d in self.dienst_dicts]
        return len(Dienst.objects.bulk_create(diensten))

    def check(self, result, *, baseline: bool) -> None:
        stored = Dienst.objects.count()
        if result != self.rows or stored != self.rows:
            side = "baseline" if baseline else "import"
            raise BenchmarkError(f"the {side} reported {result} diensten and stored {stored}, expected {self.rows}")

    def teardown(self) -> None:
        # Every call starts from an empty catalogue. Raw DELETEs: AuditEntry refuses ORM deletes (R74).
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (Dienst, Dienstverlener, CatalogusImport, AuditEntry):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
