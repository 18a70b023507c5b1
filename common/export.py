"""CSV downloads, once: the formula-injection guard and a streamed, line-by-line CSV response.

Used by the gebruikers overview download (R61) and the support audit export (R74).
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

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
