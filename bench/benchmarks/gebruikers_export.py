"""The .xlsx and .csv download of the gebruikers overview for 100,000 people, against bare writers.

The real side is the download view through Django's test client (signed in as the beheerder), its streamed
body consumed chunk by chunk as a browser would, never joined in memory. The baseline fetches the same
columns with one raw query and writes them with a bare write-only openpyxl workbook into a BytesIO / a bare
csv.writer into a StringIO. Peak memory shows whether the export streams: it must not grow like the file.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile

from django.db import connection
from openpyxl import Workbook

from bench.benchmarks.gebruikers_overzicht import (
    _q,
    ingelogde_client,
    maak_organisatie_met_personen,
    zichtbaar_aantal,
)
from bench.registry import Benchmark, BenchmarkError, benchmark
from gebruikers.models import Koppeling, Middel, Persoon

FULL_ROWS = 100_000

EXPORT_SQL = """
SELECT p.id, p.voornamen, p.tussenvoegsel, p.achternaam, p.email, k.rol, m.status,
       m.activeren_tot, m.niveau, m.tweede_factor, p.mobiel
FROM {koppeling} k
JOIN {middel} m ON m.id = k.middel_id
JOIN {persoon} p ON p.id = m.persoon_id
WHERE k.organisatie_id = %s AND k.status <> %s AND m.status NOT IN (%s, %s)
ORDER BY p.achternaam, p.voornamen, k.id
"""
KOP = ["ID", "Naam", "E-mailadres", "Rol", "Status", "Activatie einddatum", "Niveau", "Tweede factor"]


def _ruwe_rijen(organisatie_id: int):
    sql = EXPORT_SQL.format(
        koppeling=_q(Koppeling._meta.db_table), middel=_q(Middel._meta.db_table), persoon=_q(Persoon._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [organisatie_id, Koppeling.Status.BEEINDIGD, Middel.Status.AFGEKEURD, Middel.Status.BEEINDIGD]
        )
        while chunk := cursor.fetchmany(2_000):
            for pk, voornamen, tussenvoegsel, achternaam, email, rol, status, tot, niveau, factor, mobiel in chunk:
                yield (
                    pk,
                    f"{voornamen} {tussenvoegsel} {achternaam}",
                    email,
                    rol,
                    status,
                    tot,
                    niveau,
                    f"{factor} {mobiel}",
                )


class _GebruikersExport(Benchmark):
    formaat = ""

    def skip_reason(self) -> str | None:
        from django.urls import NoReverseMatch, reverse

        try:
            reverse("gebruikers:download")
        except NoReverseMatch:
            return "the gebruikers download does not exist yet"
        return None

    def prepare(self) -> None:
        from django.urls import reverse

        self.organisatie, beheerder = maak_organisatie_met_personen(self.rows)
        self.expected = zichtbaar_aantal(self.organisatie)
        self.client = ingelogde_client(beheerder)
        self.url = reverse("gebruikers:download")
        with connection.cursor() as cursor:
            for model in (Persoon, Middel, Koppeling):
                cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")

    def download(self, bestand) -> None:
        """GET the download and write its streamed body into `bestand`, chunk by chunk."""
        response = self.client.get(self.url, {"formaat": self.formaat})
        if response.status_code != 200 or not response.streaming:
            raise BenchmarkError(f"the download answered {response.status_code} (streaming: {response.streaming})")
        try:
            for chunk in response.streaming_content:
                bestand.write(chunk)
        finally:
            response.close()


@benchmark(name="gebruikers_export_xlsx", rows=FULL_ROWS)
class GebruikersExportXlsx(_GebruikersExport):
    """.xlsx download of 100,000 people vs a bare write-only openpyxl workbook over a raw query."""

    formaat = "xlsx"

    def run(self):
        bestand = tempfile.TemporaryFile()  # noqa: SIM115 - handed to check, which closes it
        self.download(bestand)
        return bestand

    def baseline(self):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Gebruikers")
        sheet.append(KOP)
        for rij in _ruwe_rijen(self.organisatie.pk):
            sheet.append(rij)
        bestand = io.BytesIO()
        workbook.save(bestand)
        return bestand

    def check(self, result, *, baseline: bool) -> None:
        # Count the <row> elements of the sheet instead of loading 100,000 rows into openpyxl (not timed).
        try:
            result.seek(0)
            with zipfile.ZipFile(result) as archief:
                naam = next(n for n in archief.namelist() if n.startswith("xl/worksheets/sheet"))
                rijen = archief.read(naam).count(b"<row ")
        finally:
            result.close()
        if rijen != self.expected + 1:
            side = "baseline" if baseline else "download"
            raise BenchmarkError(f"the {side} has {rijen - 1} rows, expected {self.expected}")


class _Regels:
    """A file-like sink that counts lines and keeps nothing (the baseline writes to a StringIO instead)."""

    def __init__(self) -> None:
        self.regels = 0
        self.eerste = b""

    def write(self, chunk: bytes) -> None:
        if not self.eerste:
            self.eerste = chunk[:3]
        self.regels += chunk.count(b"\r\n")


@benchmark(name="gebruikers_export_csv", rows=FULL_ROWS)
class GebruikersExportCsv(_GebruikersExport):
    """.csv download of 100,000 people vs a bare csv.writer over a raw query."""

    formaat = "csv"

    def run(self) -> int:
        sink = _Regels()
        self.download(sink)
        if sink.eerste != b"\xef\xbb\xbf":
            raise BenchmarkError("the .csv does not start with the UTF-8 BOM")
        return sink.regels

    def baseline(self) -> int:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(KOP)
        writer.writerows(_ruwe_rijen(self.organisatie.pk))
        return buffer.getvalue().count("\r\n")

    def check(self, result, *, baseline: bool) -> None:
        if result != self.expected + 1:
            side = "baseline" if baseline else "download"
            raise BenchmarkError(f"the {side} has {result - 1} rows, expected {self.expected}")
