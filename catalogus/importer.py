"""Importing the eToegang Dienstencatalogus (R70, FORMATS.md "eToegang Dienstencatalogus").

Two steps: `parse_catalogus` turns the XML into plain records (and refuses a malformed file with a Dutch
message saying what is wrong and where); `catalogus_import` applies those records to the database in one
transaction with a handful of bulk statements, whatever the size of the catalogue.

Diensten are keyed by ServiceUUID. A dienst missing from a new edition is withdrawn, never deleted:
machtigingen keep pointing at it. The file's XML-DSig signature is not verified here; the file comes from
the network's own distribution point.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from audit.services import audit_log
from catalogus.models import CatalogusImport, CatalogusRegel, Dienst, Dienstverlener
from catalogus.xmlnames import NAMESPACES, NS_SAML2, XML_LANG
from common.errors import DomainError
from common.niveau import Niveau

OIN_PATTERN = re.compile(r"^\d{20}$")
MAX_NAAM = 64
MAX_OMSCHRIJVING = 1024
MAX_URL = 500

# From least to most permissive; with several ServiceInstances of one definition the most permissive wins.
INTERMEDIATIE_VOLGORDE = (
    Dienst.Intermediatie.GEEN,
    Dienst.Intermediatie.ALLEEN_DIENSTVERLENER,
    Dienst.Intermediatie.NA_GOEDKEURING,
    Dienst.Intermediatie.ALGEMEEN,
)

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


class CatalogusOngeldig(DomainError):
    """The file is not a Dienstencatalogus this importer can take; nothing has been changed."""

    def __init__(self, message) -> None:
        super().__init__(message, rule="R70", code="catalogus_ongeldig")


_interpoleer = lazy(lambda template, params: str(template) % params, str)


def _fout(template, **params) -> CatalogusOngeldig:
    # Stays lazy, so the message renders in the language active where it is shown.
    return CatalogusOngeldig(_interpoleer(template, params))


# --- Parsing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DienstverlenerGegevens:
    oin: str
    naam: str
    naam_en: str
    is_public: bool


@dataclass(frozen=True)
class DienstGegevens:
    service_uuid: uuid.UUID
    oin: str
    naam: str
    naam_en: str
    omschrijving: str
    omschrijving_en: str
    url: str
    niveau: Niveau
    intermediatie: str
    is_public: bool


@dataclass(frozen=True)
class CatalogusGegevens:
    namespace: str
    catalogus_id: str
    versie: str
    uitgegeven_op: datetime | None
    dienstverleners: Sequence[DienstverlenerGegevens]
    diensten: Sequence[DienstGegevens]


def parse_catalogus(inhoud: bytes) -> CatalogusGegevens:
    """Read a Dienstencatalogus (1.13 or 1.11 namespace). Raises CatalogusOngeldig on any defect."""
    try:
        root = SafeET.fromstring(inhoud)
    except ParseError as exc:
        raise _fout(_("Het bestand is geen geldige XML: %(fout)s."), fout=exc) from None
    except DefusedXmlException:
        raise _fout(
            _("Het bestand bevat een DTD of entiteiten; die zijn in een Dienstencatalogus niet toegestaan.")
        ) from None

    ns = _namespace(root.tag)
    if ns not in NAMESPACES or root.tag != f"{{{ns}}}ServiceCatalogue":
        raise _fout(
            _(
                "Het bestand is geen Dienstencatalogus: het hoofdelement is %(tag)s, verwacht esc:ServiceCatalogue in namespace %(ns)s."
            ),
            tag=root.tag,
            ns=" of ".join(NAMESPACES),
        )
    esc = _Names(ns)

    providers = root.findall(esc.ServiceProvider)
    if not providers:
        # An empty edition would withdraw every dienst; far more likely a broken file than a real catalogue.
        raise _fout(_("De Dienstencatalogus bevat geen enkele esc:ServiceProvider."))

    dienstverleners: list[DienstverlenerGegevens] = []
    definities: list[tuple[_Definitie, str]] = []
    instanties: dict[uuid.UUID, list[str]] = {}
    gezien_oin: set[str] = set()
    gezien_uuid: dict[uuid.UUID, object] = {}

    for nr, provider in enumerate(providers, start=1):
        dienstverlener = _parse_provider(provider, nr, esc)
        if dienstverlener.oin in gezien_oin:
            raise _fout(
                _("ServiceProviderID %(oin)s komt meer dan eens voor in de Dienstencatalogus."), oin=dienstverlener.oin
            )
        gezien_oin.add(dienstverlener.oin)
        dienstverleners.append(dienstverlener)
        waar = _interpoleer(
            _("dienstverlener %(oin)s (%(naam)s)"), {"oin": dienstverlener.oin, "naam": dienstverlener.naam}
        )

        for dnr, definitie_el in enumerate(provider.findall(esc.ServiceDefinition), start=1):
            definitie = _parse_definitie(definitie_el, dnr, waar, esc)
            if definitie.service_uuid in gezien_uuid:
                raise _fout(
                    _("ServiceUUID %(uuid)s komt meer dan eens voor: bij %(eerste)s en bij %(tweede)s."),
                    uuid=definitie.service_uuid,
                    eerste=gezien_uuid[definitie.service_uuid],
                    tweede=waar,
                )
            gezien_uuid[definitie.service_uuid] = waar
            definities.append((definitie, dienstverlener.oin))

        for inr, instantie in enumerate(provider.findall(esc.ServiceInstance), start=1):
            definitie_uuid, intermediatie = _parse_instantie(instantie, inr, waar, esc)
            if definitie_uuid is not None:
                instanties.setdefault(definitie_uuid, []).append(intermediatie)

    diensten = [
        DienstGegevens(
            service_uuid=d.service_uuid,
            oin=oin,
            naam=d.naam,
            naam_en=d.naam_en,
            omschrijving=d.omschrijving,
            omschrijving_en=d.omschrijving_en,
            url=d.url,
            niveau=d.niveau,
            intermediatie=_meest_ruim(instanties.get(d.service_uuid, ())),
            is_public=d.is_public,
        )
        for d, oin in definities
    ]
    return CatalogusGegevens(
        namespace=ns,
        catalogus_id=root.get("ID", "")[:200],
        versie=(root.get(esc.attr("Version")) or "")[:200],
        uitgegeven_op=_datetime(root.get(esc.attr("IssueInstant"))),
        dienstverleners=dienstverleners,
        diensten=diensten,
    )


class _Names:
    """Qualified tag and attribute names for one namespace version."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def __getattr__(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def attr(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"


@dataclass(frozen=True)
class _Definitie:
    service_uuid: uuid.UUID
    naam: str
    naam_en: str
    omschrijving: str
    omschrijving_en: str
    url: str
    niveau: Niveau
    is_public: bool


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _text(el: Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _per_taal(elements: Iterable[Element]) -> dict[str, str]:
    """The first non-empty text per language ("nl", "en", ... ; "" when xml:lang is missing), in file order."""
    teksten: dict[str, str] = {}
    for el in elements:
        tekst = _text(el)
        if tekst:
            taal = (el.get(XML_LANG) or "").split("-", 1)[0].lower()
            teksten.setdefault(taal, tekst)
    return teksten


def _nl_anders_eerste(teksten: dict[str, str]) -> str:
    return teksten.get("nl") or next(iter(teksten.values()), "")


def _boolean(value: str | None, attribuut: str, waar) -> bool:
    if value is None:
        return True
    value = value.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise _fout(
        _("%(attribuut)s van %(waar)s heeft de ongeldige waarde '%(waarde)s' (verwacht true of false)."),
        attribuut=attribuut,
        waar=waar,
        waarde=value,
    )


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _fout(_("esc:IssueInstant '%(waarde)s' is geen geldige datum en tijd."), waarde=value) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _max_lengte(tekst: str, maximum: int, element: str, waar) -> str:
    if len(tekst) > maximum:
        raise _fout(
            _("%(element)s van %(waar)s is %(lengte)d tekens lang; het maximum is %(maximum)d."),
            element=element,
            waar=waar,
            lengte=len(tekst),
            maximum=maximum,
        )
    return tekst


def _parse_provider(provider: Element, nr: int, esc: _Names) -> DienstverlenerGegevens:
    oin = _text(provider.find(esc.ServiceProviderID))
    if not OIN_PATTERN.match(oin):
        raise _fout(
            _(
                "ServiceProvider nummer %(nr)d heeft geen geldige esc:ServiceProviderID (OIN van 20 cijfers): '%(oin)s'."
            ),
            nr=nr,
            oin=oin,
        )
    waar = _interpoleer(_("dienstverlener %(oin)s"), {"oin": oin})
    namen = _per_taal(provider.findall(esc.OrganizationDisplayName))
    naam = _nl_anders_eerste(namen)
    if not naam:
        raise _fout(_("Dienstverlener %(oin)s heeft geen esc:OrganizationDisplayName."), oin=oin)
    return DienstverlenerGegevens(
        oin=oin,
        naam=_max_lengte(naam, MAX_NAAM, "esc:OrganizationDisplayName", waar),
        naam_en=_max_lengte(namen.get("en", ""), MAX_NAAM, "esc:OrganizationDisplayName", waar),
        is_public=_boolean(provider.get(esc.attr("IsPublic")), "esc:IsPublic", waar),
    )


def _parse_definitie(definitie: Element, nr: int, dienstverlener, esc: _Names) -> _Definitie:
    uuid_tekst = _text(definitie.find(esc.ServiceUUID))
    if not uuid_tekst:
        raise _fout(
            _("ServiceDefinition nummer %(nr)d van %(waar)s heeft geen esc:ServiceUUID."), nr=nr, waar=dienstverlener
        )
    try:
        service_uuid = uuid.UUID(uuid_tekst)
    except ValueError:
        raise _fout(
            _("ServiceDefinition nummer %(nr)d van %(waar)s heeft een ongeldige esc:ServiceUUID: '%(uuid)s'."),
            nr=nr,
            waar=dienstverlener,
            uuid=uuid_tekst,
        ) from None
    waar = _interpoleer(_("dienst %(uuid)s van %(waar)s"), {"uuid": service_uuid, "waar": dienstverlener})

    namen = _per_taal(definitie.findall(esc.ServiceName))
    naam = _nl_anders_eerste(namen)
    if not naam:
        raise _fout(_("De %(waar)s heeft geen esc:ServiceName."), waar=waar)
    omschrijvingen = _per_taal(definitie.findall(esc.ServiceDescription))
    urls = _per_taal(definitie.findall(esc.ServiceDescriptionURL))
    url = _nl_anders_eerste(urls)
    if url and not url.startswith(("https://", "http://")):
        raise _fout(_("esc:ServiceDescriptionURL van %(waar)s is geen http(s)-adres: '%(url)s'."), waar=waar, url=url)

    urn = _text(definitie.find(f"{{{NS_SAML2}}}AuthnContextClassRef"))
    if not urn:
        raise _fout(_("De %(waar)s heeft geen saml2:AuthnContextClassRef (betrouwbaarheidsniveau)."), waar=waar)
    try:
        niveau = Niveau.from_urn(urn)
    except ValueError:
        raise _fout(
            _("De %(waar)s heeft een onbekend betrouwbaarheidsniveau: '%(urn)s'."), waar=waar, urn=urn
        ) from None

    return _Definitie(
        service_uuid=service_uuid,
        naam=_max_lengte(naam, MAX_NAAM, "esc:ServiceName", waar),
        naam_en=_max_lengte(namen.get("en", ""), MAX_NAAM, "esc:ServiceName", waar),
        omschrijving=_max_lengte(_nl_anders_eerste(omschrijvingen), MAX_OMSCHRIJVING, "esc:ServiceDescription", waar),
        omschrijving_en=_max_lengte(omschrijvingen.get("en", ""), MAX_OMSCHRIJVING, "esc:ServiceDescription", waar),
        url=_max_lengte(url, MAX_URL, "esc:ServiceDescriptionURL", waar),
        niveau=niveau,
        is_public=_boolean(definitie.get(esc.attr("IsPublic")), "esc:IsPublic", waar),
    )


def _parse_instantie(instantie: Element, nr: int, dienstverlener, esc: _Names) -> tuple[uuid.UUID | None, str]:
    waar = _interpoleer(_("ServiceInstance nummer %(nr)d van %(waar)s"), {"nr": nr, "waar": dienstverlener})
    verwijzing = _text(instantie.find(esc.InstanceOfService))
    definitie_uuid = None
    if verwijzing:
        try:
            definitie_uuid = uuid.UUID(verwijzing)
        except ValueError:
            raise _fout(
                _("esc:InstanceOfService van %(waar)s is geen geldige UUID: '%(uuid)s'."), waar=waar, uuid=verwijzing
            ) from None

    intermediatie = Dienst.Intermediatie.GEEN.value
    element = instantie.find(esc.ServiceIntermediation)
    if element is not None:
        # A local attribute: unqualified, unlike esc:IsPublic.
        intermediatie = (element.get("intermediationAllowed") or intermediatie).strip()
        if intermediatie not in Dienst.Intermediatie.values:
            raise _fout(
                _(
                    "esc:ServiceIntermediation van %(waar)s heeft een onbekende waarde voor intermediationAllowed: '%(waarde)s'."
                ),
                waar=waar,
                waarde=intermediatie,
            )
    return definitie_uuid, intermediatie


def _meest_ruim(waarden: Iterable[str]) -> str:
    return max(waarden, key=INTERMEDIATIE_VOLGORDE.index, default=Dienst.Intermediatie.GEEN.value)


# --- Applying an edition ------------------------------------------------------------------------------


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
        raise _fout(_("Het bestand %(pad)s kan niet worden gelezen: %(fout)s."), pad=pad, fout=exc.strerror) from None
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
        actie="catalogus_import",
        omschrijving=_interpoleer(
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
