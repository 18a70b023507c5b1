"""The download of the rubriek Machtigingen as .xlsx and .csv (§2.1): one row per (machtiging, person) with the
dienstverlener, the dienst, its niveau, the person, and the start and end date; the scopes the overview shows, with
its search and in its order. After them the people who hold a scope through a group (R24), with the group's name
in the column "Via groep" (empty for a machtiging of one's own).

Both formats stream: the rows come from one query through `.iterator()`, the .xlsx is built by a write-only
openpyxl workbook in a temporary file and sent in chunks, the .csv is produced line by line while it is sent. Every
text cell is guarded against formula injection (`common.export`; in the .xlsx a text starting with '=' is typed as
text, so it stays what it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import IO

from django.http import FileResponse, Http404
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from beheer.decorators import beheerder_required
from common import export
from common.dates import vandaag
from common.niveau import Niveau
from common.weergave import naam_kort
from machtigingen.models import Scope
from machtigingen.selectors import machtigingen_export, machtigingen_export_via_groep, zoekterm

FORMATEN = ("xlsx", "csv")
KOLOMMEN = (
    _("Dienstverlener"),
    _("Dienst"),
    _("Niveau"),
    _("ID"),
    _("Naam"),
    _("E-mailadres"),
    _("Niveau gebruiker"),
    _("Machtiging sinds"),
    _("Machtiging tot"),
    _("Via groep"),
)
XLSX_CONTENT_TYPE = export.XLSX_CONTENT_TYPE
# Dutch Excel reads ';' as the list separator.
CSV_SCHEIDINGSTEKEN = ";"
ITERATOR_CHUNK = 2_000
CSV_REGELS_PER_CHUNK = 500


def kopregel() -> list[str]:
    return [str(kolom) for kolom in KOLOMMEN]


def export_rijen(organisatie, *, zoek: str = "") -> Iterator[tuple]:
    """One tuple per (machtiging, person) in the order of KOLOMMEN; dates stay dates, the writers format them.
    The machtiging's end date is exclusive in the database and shown as such everywhere (as on screen)."""
    direct = ((*rij, "") for rij in machtigingen_export(organisatie, zoek=zoek).iterator(chunk_size=ITERATOR_CHUNK))
    via_groep = machtigingen_export_via_groep(organisatie, zoek=zoek).iterator(chunk_size=ITERATOR_CHUNK)
    yield from _rijen(direct)
    yield from _rijen(via_groep)


def _rijen(tuples: Iterable[tuple]) -> Iterator[tuple]:
    engels = translation.get_language() == "en"
    niveaus = {n.value: n.label for n in Niveau}
    algemeen, verlenersmachtiging = str(Scope.ALGEMEEN.label), str(Scope.DIENSTVERLENER.label)
    for (
        scope,
        niveau,
        dienst,
        dienst_en,
        dienst_niveau,
        verlener,
        verlener_en,
        eigen_verlener,
        eigen_verlener_en,
        persoon_id,
        voornamen,
        tussenvoegsel,
        achternaam,
        email,
        middel_niveau,
        begint_op,
        eindigt_op,
        groep,
    ) in tuples:
        if scope == Scope.ALGEMEEN:
            verlener_naam, dienst_naam, scope_niveau = algemeen, f"{algemeen} {niveaus.get(niveau, '')}", niveau
        elif scope == Scope.DIENSTVERLENER:
            verlener_naam = (engels and eigen_verlener_en) or eigen_verlener
            dienst_naam, scope_niveau = verlenersmachtiging, None
        else:
            verlener_naam = (engels and verlener_en) or verlener
            dienst_naam, scope_niveau = (engels and dienst_en) or dienst, dienst_niveau
        yield (
            verlener_naam or "",
            dienst_naam or "",
            niveaus.get(scope_niveau, ""),
            persoon_id,
            naam_kort(voornamen, tussenvoegsel, achternaam),
            email,
            niveaus.get(middel_niveau, ""),
            begint_op,
            eindigt_op,
            groep,
        )


def bestandsnaam(organisatie, formaat: str, *, op: dt.date | None = None) -> str:
    return f"machtigingen-{organisatie.kvk_nummer}-{(op or vandaag()).isoformat()}.{formaat}"


def xlsx_bestand(rijen: Iterable[tuple]) -> IO[bytes]:
    return export.xlsx_bestand(kopregel(), rijen, titel=gettext("Machtigingen"))


@require_GET
@beheerder_required
def download(request):
    formaat = request.GET.get("formaat", "xlsx")
    if formaat not in FORMATEN:
        raise Http404
    organisatie = request.beheer.organisatie
    rijen = export_rijen(organisatie, zoek=zoekterm(request.GET.get("q")))
    naam = bestandsnaam(organisatie, formaat)
    if formaat == "xlsx":
        response = FileResponse(xlsx_bestand(rijen), as_attachment=True, filename=naam, content_type=XLSX_CONTENT_TYPE)
    else:
        chunks = export.csv_chunks(
            kopregel(), rijen, scheiding=CSV_SCHEIDINGSTEKEN, bom=True, per_chunk=CSV_REGELS_PER_CHUNK
        )
        response = export.csv_response(chunks, bestandsnaam=naam)
    response["Cache-Control"] = "no-store"
    return response
