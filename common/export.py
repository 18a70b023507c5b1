"""Downloads, once: the formula-injection guard, a streamed line-by-line CSV response, and a write-only .xlsx
workbook in a temporary file.

Used by the downloads of the gebruikers overview (R61), rubriek Machtigingen and the Logboek (R74).
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from common.weergave import datum

# A cell starting with one of these is a formula to spreadsheet programs (CSV/formula injection).
FORMULE_BEGINTEKENS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Makes (Dutch) Excel read the file as UTF-8.
BOM = "\ufeff"


def formule_veilig(waarde):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; anything else is unchanged."""
    if isinstance(waarde, str) and waarde.startswith(FORMULE_BEGINTEKENS):
        return "'" + waarde
    return waarde


def _cel(waarde):
    # Dates as the manual writes them; every text guarded.
    return datum(waarde) if isinstance(waarde, dt.date) else formule_veilig(waarde)


class _Regel:
    """A write-only 'file' for csv.writer that hands back what was written, so lines can be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    kop: Iterable[str], rijen: Iterable[Iterable], *, scheiding: str = ";", bom: bool = False, per_chunk: int = 1
) -> Iterator[bytes]:
    """The header line, then the rows `per_chunk` lines at a time, UTF-8 encoded, every cell guarded."""
    writer = csv.writer(_Regel(), delimiter=scheiding, lineterminator="\r\n")
    yield ((BOM if bom else "") + writer.writerow(list(kop))).encode()
    regels: list[str] = []
    for rij in rijen:
        regels.append(writer.writerow([_cel(waarde) for waarde in rij]))
        if len(regels) >= per_chunk:
            yield "".join(regels).encode()
            regels.clear()
    if regels:
        yield "".join(regels).encode()


def csv_response(chunks: Iterable[bytes], *, bestandsnaam: str) -> StreamingHttpResponse:
    """The chunks streamed as a CSV attachment named `bestandsnaam`."""
    response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{bestandsnaam}"'
    return response


# --- .xlsx ---------------------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATUM_FORMAAT = "DD-MM-YYYY"
XLSX_MOMENT_FORMAAT = "DD-MM-YYYY HH:MM:SS"


def xlsx_cel(sheet, waarde):
    """A value as openpyxl should store it. Text stays text: openpyxl would store a string starting with '='
    as a formula (and '#N/A' as an error), so such text gets a cell typed as string; in a string cell '+',
    '-' and '@' are harmless, so the .xlsx keeps the data exactly as it is (unlike the .csv). Dates and
    moments get the manual's formats."""
    if isinstance(waarde, str):
        if waarde.startswith("=") or waarde in ERROR_CODES:
            cel = WriteOnlyCell(sheet, value=waarde)
            cel.data_type = "s"
            return cel
        return waarde
    if isinstance(waarde, dt.date):
        cel = WriteOnlyCell(sheet, value=waarde)
        cel.number_format = XLSX_MOMENT_FORMAAT if isinstance(waarde, dt.datetime) else XLSX_DATUM_FORMAAT
        return cel
    return waarde


def schrijf_xlsx(kop: list[str], rijen: Iterable[tuple], bestand: IO[bytes], *, titel: str) -> int:
    """Write the rows into `bestand` as a write-only workbook (rows go to disk as they come); the count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=titel)
    sheet.append(kop)
    aantal = 0
    for rij in rijen:
        sheet.append([xlsx_cel(sheet, waarde) for waarde in rij])
        aantal += 1
    workbook.save(bestand)
    return aantal


def xlsx_bestand(kop: list[str], rijen: Iterable[tuple], *, titel: str) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound, for a FileResponse to stream in blocks and close."""
    bestand = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it after sending
    try:
        schrijf_xlsx(kop, rijen, bestand, titel=titel)
        bestand.seek(0)
    except BaseException:
        bestand.close()
        raise
    return bestand
