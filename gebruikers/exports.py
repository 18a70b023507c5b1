"""The download of the gebruikers overview as .xlsx and .csv (R61, §2.1).

Both formats stream: the rows come from the database through `.iterator()` (one query, a bounded number of
rows in memory at a time), the .xlsx is built by a write-only openpyxl workbook in a temporary file and sent
in chunks, the .csv is produced line by line while the response is sent.

The rows are the ones the overview shows (`gebruikers.selectors.overzicht_koppelingen`): the same filters,
the same search, the same order, read as plain tuples rather than the overview's dataclasses, so 100,000
rows stream.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import export
from common.dates import vandaag
from common.export import formule_veilig as beveilig  # noqa: F401 - the name the export tests use
from common.niveau import Niveau
from common.weergave import naam_kort, telefoon
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import overzicht_koppelingen, weergave_status
from organisaties.models import Organisatie

# §2.1: "ID, Naam, E-mailadres, Rol, Status, Activatie einddatum, Niveau en eventueel een tweede factor
# OTP- of SMS nummer".
KOLOMMEN = (
    _("ID"),
    _("Naam"),
    _("E-mailadres"),
    _("Rol"),
    _("Status"),
    _("Activatie einddatum"),
    _("Niveau"),
    _("Tweede factor"),
)
XLSX_CONTENT_TYPE = export.XLSX_CONTENT_TYPE
# Dutch Excel reads ';' as the list separator.
CSV_SCHEIDINGSTEKEN = ";"
ITERATOR_CHUNK = 2_000
CSV_REGELS_PER_CHUNK = 500

_VELDEN = (
    "middel__persoon_id",
    "middel__persoon__voornamen",
    "middel__persoon__tussenvoegsel",
    "middel__persoon__achternaam",
    "middel__persoon__email",
    "middel__persoon__mobiel",
    "rol",
    "status",
    "middel__status",
    "middel__activeren_tot",
    "middel__activatie_verlopen_op",
    "middel__niveau",
    "middel__tweede_factor",
)


def tweede_factor_tekst(tweede_factor: str, mobiel: str) -> str:
    """'SMS 0612345678', 'OTP' or '' (§3.5, §3.6). No OTP serial number is stored, so OTP stands alone."""
    if tweede_factor == Middel.TweedeFactor.SMS:
        return f"{gettext('SMS')} {telefoon(mobiel)}".strip()
    if tweede_factor == Middel.TweedeFactor.OTP:
        return gettext("OTP")
    return ""


def export_koppelingen(*, organisatie: Organisatie, zoek: str = "") -> QuerySet:
    """The overview's koppelingen (the selector's filters, search and order), as tuples."""
    return overzicht_koppelingen(organisatie=organisatie, zoek=zoek).values_list(*_VELDEN)


def export_rijen(*, organisatie: Organisatie, zoek: str = "") -> Iterator[tuple]:
    """One tuple per person in the order of KOLOMMEN; dates stay dates, the writers format them."""
    rollen = {k: str(v) for k, v in Koppeling.Rol.choices}
    statussen = {k: str(v) for k, v in Middel.Status.choices}
    niveaus = {n.value: n.label for n in Niveau}
    sms, otp = gettext("SMS"), gettext("OTP")
    for (
        persoon_id,
        voornamen,
        tussenvoegsel,
        achternaam,
        email,
        mobiel,
        rol,
        koppeling_status,
        middel_status,
        activeren_tot,
        verlopen_op,
        niveau,
        factor,
    ) in export_koppelingen(organisatie=organisatie, zoek=zoek).iterator(chunk_size=ITERATOR_CHUNK):
        status = statussen.get(weergave_status(koppeling_status, middel_status), middel_status)
        if middel_status == Middel.Status.WACHTEN_OP_ACTIVATIE:
            activatie_einde = activeren_tot
        elif middel_status == Middel.Status.ACTIVATIE_VERLOPEN:
            activatie_einde = verlopen_op
        else:
            activatie_einde = None
        if factor == Middel.TweedeFactor.SMS:
            tweede_factor = f"{sms} {telefoon(mobiel)}".rstrip()
        elif factor == Middel.TweedeFactor.OTP:
            tweede_factor = otp
        else:
            tweede_factor = ""
        yield (
            persoon_id,
            naam_kort(voornamen, tussenvoegsel, achternaam),
            email,
            rollen.get(rol, rol),
            status,
            activatie_einde,
            niveaus.get(niveau, str(niveau)),
            tweede_factor,
        )


def bestandsnaam(organisatie: Organisatie, formaat: str, *, op: dt.date | None = None) -> str:
    return f"gebruikers-{organisatie.kvk_nummer}-{(op or vandaag()).isoformat()}.{formaat}"


def kopregel() -> list[str]:
    return [str(kolom) for kolom in KOLOMMEN]


def schrijf_xlsx(rijen: Iterable[tuple], bestand: IO[bytes]) -> int:
    return export.schrijf_xlsx(kopregel(), rijen, bestand, titel=gettext("Gebruikers"))


def xlsx_bestand(rijen: Iterable[tuple]) -> IO[bytes]:
    return export.xlsx_bestand(kopregel(), rijen, titel=gettext("Gebruikers"))


def csv_chunks(rijen: Iterable[tuple], *, per_chunk: int = CSV_REGELS_PER_CHUNK) -> Iterator[bytes]:
    """UTF-8 with BOM, ';'-separated, every cell guarded against formula injection; a few hundred lines a chunk."""
    return export.csv_chunks(kopregel(), rijen, scheiding=CSV_SCHEIDINGSTEKEN, bom=True, per_chunk=per_chunk)
