"""The Logboek's download as .xlsx and .csv (R74): the rows of the search on screen, all of them, streamed.

The entries come through `.iterator()` (a bounded number in memory); the .xlsx is a write-only openpyxl workbook
in a temporary file sent in chunks, the .csv is written line by line as it is sent. Every text cell is safe from
formula injection: the .csv through `common.export`, the .xlsx by typing such text as a string cell.
"""

import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.selectors import LogboekFilter, logboek_qs
from common import export
from common.dates import vandaag
from organisaties.models import Organisatie

KOLOMMEN = (_("Moment"), _("Door"), _("Soort wijziging"), _("Omschrijving"), _("Object"), _("Voor"), _("Na"))
FORMATEN = ("xlsx", "csv")
XLSX_CONTENT_TYPE = export.XLSX_CONTENT_TYPE
CSV_SCHEIDINGSTEKEN = ";"  # Dutch Excel's list separator
ITERATOR_CHUNK = 2_000
CSV_REGELS_PER_CHUNK = 500


def kopregel() -> list[str]:
    return [str(kolom) for kolom in KOLOMMEN]


def _json(waarde) -> str:
    return "" if waarde is None else json.dumps(waarde, ensure_ascii=False, sort_keys=True)


def export_rijen(*, organisatie: Organisatie, filter: LogboekFilter) -> Iterator[tuple]:
    """One tuple per entry in the order of KOLOMMEN; the moment in local time, without zone (as a sheet keeps it)."""
    soorten = {waarde: str(label) for waarde, label in Actie.choices}
    velden = ("moment", "actor_label", "actie", "omschrijving", "object_type", "object_id", "voor", "na")
    rijen = logboek_qs(organisatie=organisatie, filter=filter).values_list(*velden)
    for moment, door, actie, omschrijving, object_type, object_id, voor, na in rijen.iterator(
        chunk_size=ITERATOR_CHUNK
    ):
        yield (
            timezone.localtime(moment).replace(tzinfo=None),
            door,
            soorten.get(actie, actie),
            omschrijving,
            f"{object_type} {object_id}".strip(),
            _json(voor),
            _json(na),
        )


def bestandsnaam(organisatie: Organisatie, formaat: str) -> str:
    return f"logboek-{organisatie.kvk_nummer}-{vandaag().isoformat()}.{formaat}"


# --- .xlsx ---------------------------------------------------------------------------------------------------


def schrijf_xlsx(rijen: Iterable[tuple], bestand: IO[bytes]) -> int:
    return export.schrijf_xlsx(kopregel(), rijen, bestand, titel=gettext("Logboek"))


def xlsx_bestand(rijen: Iterable[tuple]) -> IO[bytes]:
    return export.xlsx_bestand(kopregel(), rijen, titel=gettext("Logboek"))


# --- .csv ----------------------------------------------------------------------------------------------------


def _csv_rijen(rijen: Iterable[tuple]) -> Iterator[tuple]:
    for moment, *rest in rijen:
        yield (moment.strftime("%d-%m-%Y %H:%M:%S"), *rest)


def csv_chunks(rijen: Iterable[tuple], *, per_chunk: int = CSV_REGELS_PER_CHUNK) -> Iterator[bytes]:
    """UTF-8 with BOM, ';'-separated, every cell guarded against formula injection."""
    return export.csv_chunks(
        kopregel(), _csv_rijen(rijen), scheiding=CSV_SCHEIDINGSTEKEN, bom=True, per_chunk=per_chunk
    )
