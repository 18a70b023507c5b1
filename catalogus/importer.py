"""Importing the eToegang Dienstencatalogus (R70, FORMATS.md "eToegang Dienstencatalogus").

Two steps: `parse_catalogus` (in `catalogus.parser`) turns the XML into plain records (and refuses a malformed file with a Dutch
message saying what is wrong and where); `catalogus_import` applies those records to the database in one
transaction with a handful of bulk statements, whatever the size of the catalogue.

Diensten are keyed by ServiceUUID. A dienst missing from a new edition is withdrawn, never deleted:
machtigingen keep pointing at it. The file's XML-DSig signature is not verified here; the file comes from
the network's own distribution point.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from catalogus.models import CatalogusImport, CatalogusRegel, Dienst, Dienstverlener
from catalogus.parser import (
    CatalogusOngeldig,
    DienstGegevens,
    DienstverlenerGegevens,
    interpoleer,
    ongeldig,
    parse_catalogus,
)

__all__ = ["CatalogusOngeldig", "ImportResultaat", "catalogus_import", "catalogus_import_bestand", "parse_catalogus"]


# The fields an edition sets; compared to decide between "changed" and "unchanged".
REGEL_VELDEN = (
    "dienstverlener",
    "naam",
    "naam_en",
    "omschrijving",
    "omschrijving_en",
    "url",
    "niveau",
    "intermediatie",
    "is_public",
)
DIENST_VELDEN = ("dienstverlener_id", *REGEL_VELDEN[1:], "ingetrokken")
DIENSTVERLENER_VELDEN = ("naam", "naam_en", "is_public", "ingetrokken")

# Above this many UUIDs per kind the audit entry keeps only the first ones (the counts stay exact).
AUDIT_MAX_UUIDS = 200
# Rows per UPDATE ... WHERE id IN (...), well under SQLite's 999 parameters.
IN_CHUNK = 500
# Rows per INSERT (SQLite lowers this further to stay under its parameter limit).
BATCH = 1000


@dataclass
class ImportResultaat:
    """What an import did, counted over the edition's ServiceDefinitions (withdrawn: those it no longer has)."""

    toegevoegd: list[uuid.UUID] = field(default_factory=list)
    gewijzigd: list[uuid.UUID] = field(default_factory=list)
    ingetrokken: list[uuid.UUID] = field(default_factory=list)
    ongewijzigd: int = 0
    catalogus_import: CatalogusImport | None = None

    @property
    def samenvatting(self) -> str:
        """The command's last line; English, fixed, for scripts that read it."""
        return (
            f"added {len(self.toegevoegd)}, changed {len(self.gewijzigd)}, "
            f"withdrawn {len(self.ingetrokken)}, unchanged {self.ongewijzigd}"
        )


def catalogus_import_bestand(*, pad: str | Path, actor=None) -> ImportResultaat:
    """Import the catalogue in the file at `pad` (see `catalogus_import`)."""
    pad = Path(pad)
    try:
        inhoud = pad.read_bytes()
    except OSError as exc:
        raise ongeldig(
            _("Het bestand %(pad)s kan niet worden gelezen: %(fout)s."), pad=pad, fout=exc.strerror
        ) from None
    return catalogus_import(inhoud=inhoud, bron=str(pad), actor=actor)


@transaction.atomic
def catalogus_import(*, inhoud: bytes, bron: str, actor=None) -> ImportResultaat:
    """Apply one edition of the Dienstencatalogus: add, update in place, withdraw, bring back (R70).

    Idempotent: importing the same edition again changes nothing but the import log. The statement count
    depends on the number of batches, not of diensten.
    """
    catalogus = parse_catalogus(inhoud)
    nu = timezone.now()

    dienstverlener_ids = _dienstverleners_bijwerken(catalogus.dienstverleners)
    resultaat = _diensten_bijwerken(catalogus.diensten, dienstverlener_ids, nu)

    resultaat.catalogus_import = CatalogusImport.objects.create(
        bron=bron[-300:],
        catalogus_id=catalogus.catalogus_id,
        versie=catalogus.versie,
        schema=catalogus.namespace,
        uitgegeven_op=catalogus.uitgegeven_op,
        toegevoegd=len(resultaat.toegevoegd),
        gewijzigd=len(resultaat.gewijzigd),
        ingetrokken=len(resultaat.ingetrokken),
        ongewijzigd=resultaat.ongewijzigd,
    )
    audit_log(
        actor=actor,
        organisatie=None,
        actie=Actie.CATALOGUS_GEIMPORTEERD,
        omschrijving=interpoleer(
            _(
                "Dienstencatalogus %(bron)s geïmporteerd: %(toegevoegd)d toegevoegd, %(gewijzigd)d gewijzigd, "
                "%(ingetrokken)d ingetrokken, %(ongewijzigd)d ongewijzigd."
            ),
            {
                "bron": Path(bron).name,
                "toegevoegd": len(resultaat.toegevoegd),
                "gewijzigd": len(resultaat.gewijzigd),
                "ingetrokken": len(resultaat.ingetrokken),
                "ongewijzigd": resultaat.ongewijzigd,
            },
        ),
        object=resultaat.catalogus_import,
        na={
            "bron": bron,
            "catalogus_id": catalogus.catalogus_id,
            "versie": catalogus.versie,
            "schema": catalogus.namespace,
            "toegevoegd": len(resultaat.toegevoegd),
            "gewijzigd": len(resultaat.gewijzigd),
            "ingetrokken": len(resultaat.ingetrokken),
            "ongewijzigd": resultaat.ongewijzigd,
            "toegevoegd_uuids": [str(u) for u in resultaat.toegevoegd[:AUDIT_MAX_UUIDS]],
            "gewijzigd_uuids": [str(u) for u in resultaat.gewijzigd[:AUDIT_MAX_UUIDS]],
            "ingetrokken_uuids": [str(u) for u in resultaat.ingetrokken[:AUDIT_MAX_UUIDS]],
        },
    )
    return resultaat


def _dienstverleners_bijwerken(gegevens: Sequence[DienstverlenerGegevens]) -> dict[str, int]:
    """Create, update and withdraw dienstverleners; returns the id per OIN for the diensten' foreign key."""
    bestaand = {d.oin: d for d in Dienstverlener.objects.order_by()}
    nieuw: list[Dienstverlener] = []
    gewijzigd: list[Dienstverlener] = []
    for g in gegevens:
        dienstverlener = bestaand.get(g.oin)
        waarden = {"naam": g.naam, "naam_en": g.naam_en, "is_public": g.is_public, "ingetrokken": False}
        if dienstverlener is None:
            nieuw.append(Dienstverlener(oin=g.oin, **waarden))
        elif _bijwerken(dienstverlener, waarden):
            gewijzigd.append(dienstverlener)

    in_editie = {g.oin for g in gegevens}
    for oin, dienstverlener in bestaand.items():
        if oin not in in_editie and not dienstverlener.ingetrokken:
            dienstverlener.ingetrokken = True
            gewijzigd.append(dienstverlener)

    if nieuw:
        Dienstverlener.objects.bulk_create(nieuw, batch_size=BATCH)
    if gewijzigd:
        # A few hundred rows at most, and rarely changed: bulk_update is fine here.
        Dienstverlener.objects.bulk_update(gewijzigd, DIENSTVERLENER_VELDEN, batch_size=BATCH)

    ids = {d.oin: d.pk for d in [*bestaand.values(), *nieuw]}
    if None in ids.values():  # a backend that does not return ids from a bulk insert
        ids = dict(Dienstverlener.objects.order_by().values_list("oin", "pk"))
    return ids


def _diensten_bijwerken(
    gegevens: Sequence[DienstGegevens], dienstverlener_ids: dict[str, int], nu: datetime
) -> ImportResultaat:
    """Compare the edition with the stored diensten in memory, then write the differences in bulk."""
    resultaat = ImportResultaat()
    bestaand = {d.service_uuid: d for d in Dienst.objects.order_by().only("service_uuid", *DIENST_VELDEN)}
    nieuw: list[Dienst] = []
    gewijzigd: list[CatalogusRegel] = []
    run = uuid.uuid4()

    for g in gegevens:
        waarden = {
            "dienstverlener_id": dienstverlener_ids[g.oin],
            "naam": g.naam,
            "naam_en": g.naam_en,
            "omschrijving": g.omschrijving,
            "omschrijving_en": g.omschrijving_en,
            "url": g.url,
            "niveau": int(g.niveau),
            "intermediatie": g.intermediatie,
            "is_public": g.is_public,
        }
        dienst = bestaand.get(g.service_uuid)
        if dienst is None:
            nieuw.append(Dienst(service_uuid=g.service_uuid, **waarden))
            resultaat.toegevoegd.append(g.service_uuid)
        elif dienst.ingetrokken or any(getattr(dienst, k) != v for k, v in waarden.items()):
            # Also a withdrawn dienst that is back in this edition: it is no longer withdrawn.
            gewijzigd.append(CatalogusRegel(run=run, service_uuid=g.service_uuid, **waarden))
            resultaat.gewijzigd.append(g.service_uuid)
        else:
            resultaat.ongewijzigd += 1

    in_editie = {g.service_uuid for g in gegevens}
    in_te_trekken = [d for u, d in bestaand.items() if u not in in_editie and not d.ingetrokken]
    resultaat.ingetrokken = [d.service_uuid for d in in_te_trekken]

    if nieuw:
        Dienst.objects.bulk_create(nieuw, batch_size=BATCH)
    if gewijzigd:
        _wijzigingen_toepassen(gewijzigd, run, nu)
    ids = [d.pk for d in in_te_trekken]
    for start in range(0, len(ids), IN_CHUNK):
        Dienst.objects.filter(pk__in=ids[start : start + IN_CHUNK]).update(
            ingetrokken=True, ingetrokken_op=nu, bijgewerkt_op=nu
        )
    return resultaat


def _wijzigingen_toepassen(regels: list[CatalogusRegel], run: uuid.UUID, nu: datetime) -> None:
    """One UPDATE for all changed diensten, each field taken from its scratch row by ServiceUUID."""
    CatalogusRegel.objects.bulk_create(regels, batch_size=BATCH)
    regel = CatalogusRegel.objects.filter(run=run, service_uuid=OuterRef("service_uuid"))
    Dienst.objects.filter(Exists(regel)).update(
        **{veld: Subquery(regel.values(veld)[:1]) for veld in REGEL_VELDEN},
        ingetrokken=False,
        ingetrokken_op=None,
        bijgewerkt_op=nu,
    )
    CatalogusRegel.objects.filter(run=run).delete()


def _bijwerken(obj, waarden: dict) -> bool:
    """Set the values that differ on `obj`; True when anything changed."""
    veranderd = False
    for naam, waarde in waarden.items():
        if getattr(obj, naam) != waarde:
            setattr(obj, naam, waarde)
            veranderd = True
    return veranderd
