"""Reading the eToegang Dienstencatalogus (R70, FORMATS.md "eToegang Dienstencatalogus") into plain records.

`parse_catalogus` refuses a malformed file with a Dutch message saying what is wrong and where
(`CatalogusOngeldig`); `catalogus.importer` applies the records to the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from catalogus.models import Dienst
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


class CatalogusOngeldig(DomainError):
    """The file is not a Dienstencatalogus this importer can take; nothing has been changed."""

    def __init__(self, message) -> None:
        super().__init__(message, rule="R70", code="catalogus_ongeldig")


interpoleer = lazy(lambda template, params: str(template) % params, str)


def ongeldig(template, **params) -> CatalogusOngeldig:
    # Stays lazy, so the message renders in the language active where it is shown.
    return CatalogusOngeldig(interpoleer(template, params))


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
        raise ongeldig(_("Het bestand is geen geldige XML: %(fout)s."), fout=exc) from None
    except DefusedXmlException:
        raise ongeldig(
            _("Het bestand bevat een DTD of entiteiten; die zijn in een Dienstencatalogus niet toegestaan.")
        ) from None
    except (LookupError, ValueError):  # the XML declaration names an encoding Python or expat cannot read
        raise ongeldig(
            _("Het bestand noemt een tekencodering die niet gelezen kan worden; een Dienstencatalogus is UTF-8.")
        ) from None

    ns = _namespace(root.tag)
    if ns not in NAMESPACES or root.tag != f"{{{ns}}}ServiceCatalogue":
        raise ongeldig(
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
        raise ongeldig(_("De Dienstencatalogus bevat geen enkele esc:ServiceProvider."))

    dienstverleners: list[DienstverlenerGegevens] = []
    definities: list[tuple[_Definitie, str]] = []
    instanties: dict[uuid.UUID, list[str]] = {}
    gezien_oin: set[str] = set()
    gezien_uuid: dict[uuid.UUID, object] = {}

    for nr, provider in enumerate(providers, start=1):
        dienstverlener = _parse_provider(provider, nr, esc)
        if dienstverlener.oin in gezien_oin:
            raise ongeldig(
                _("ServiceProviderID %(oin)s komt meer dan eens voor in de Dienstencatalogus."), oin=dienstverlener.oin
            )
        gezien_oin.add(dienstverlener.oin)
        dienstverleners.append(dienstverlener)
        waar = interpoleer(
            _("dienstverlener %(oin)s (%(naam)s)"), {"oin": dienstverlener.oin, "naam": dienstverlener.naam}
        )

        for dnr, definitie_el in enumerate(provider.findall(esc.ServiceDefinition), start=1):
            definitie = _parse_definitie(definitie_el, dnr, waar, esc)
            if definitie.service_uuid in gezien_uuid:
                raise ongeldig(
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
    raise ongeldig(
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
        raise ongeldig(_("esc:IssueInstant '%(waarde)s' is geen geldige datum en tijd."), waarde=value) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _max_lengte(tekst: str, maximum: int, element: str, waar) -> str:
    if len(tekst) > maximum:
        raise ongeldig(
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
        raise ongeldig(
            _(
                "ServiceProvider nummer %(nr)d heeft geen geldige esc:ServiceProviderID (OIN van 20 cijfers): '%(oin)s'."
            ),
            nr=nr,
            oin=oin,
        )
    waar = interpoleer(_("dienstverlener %(oin)s"), {"oin": oin})
    namen = _per_taal(provider.findall(esc.OrganizationDisplayName))
    naam = _nl_anders_eerste(namen)
    if not naam:
        raise ongeldig(_("Dienstverlener %(oin)s heeft geen esc:OrganizationDisplayName."), oin=oin)
    return DienstverlenerGegevens(
        oin=oin,
        naam=_max_lengte(naam, MAX_NAAM, "esc:OrganizationDisplayName", waar),
        naam_en=_max_lengte(namen.get("en", ""), MAX_NAAM, "esc:OrganizationDisplayName", waar),
        is_public=_boolean(provider.get(esc.attr("IsPublic")), "esc:IsPublic", waar),
    )


def _parse_definitie(definitie: Element, nr: int, dienstverlener, esc: _Names) -> _Definitie:
    uuid_tekst = _text(definitie.find(esc.ServiceUUID))
    if not uuid_tekst:
        raise ongeldig(
            _("ServiceDefinition nummer %(nr)d van %(waar)s heeft geen esc:ServiceUUID."), nr=nr, waar=dienstverlener
        )
    try:
        service_uuid = uuid.UUID(uuid_tekst)
    except ValueError:
        raise ongeldig(
            _("ServiceDefinition nummer %(nr)d van %(waar)s heeft een ongeldige esc:ServiceUUID: '%(uuid)s'."),
            nr=nr,
            waar=dienstverlener,
            uuid=uuid_tekst,
        ) from None
    waar = interpoleer(_("dienst %(uuid)s van %(waar)s"), {"uuid": service_uuid, "waar": dienstverlener})

    namen = _per_taal(definitie.findall(esc.ServiceName))
    naam = _nl_anders_eerste(namen)
    if not naam:
        raise ongeldig(_("De %(waar)s heeft geen esc:ServiceName."), waar=waar)
    omschrijvingen = _per_taal(definitie.findall(esc.ServiceDescription))
    urls = _per_taal(definitie.findall(esc.ServiceDescriptionURL))
    url = _nl_anders_eerste(urls)
    if url and not url.startswith(("https://", "http://")):
        raise ongeldig(
            _("esc:ServiceDescriptionURL van %(waar)s is geen http(s)-adres: '%(url)s'."), waar=waar, url=url
        )

    urn = _text(definitie.find(f"{{{NS_SAML2}}}AuthnContextClassRef"))
    if not urn:
        raise ongeldig(_("De %(waar)s heeft geen saml2:AuthnContextClassRef (betrouwbaarheidsniveau)."), waar=waar)
    try:
        niveau = Niveau.from_urn(urn)
    except ValueError:
        raise ongeldig(
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
    waar = interpoleer(_("ServiceInstance nummer %(nr)d van %(waar)s"), {"nr": nr, "waar": dienstverlener})
    verwijzing = _text(instantie.find(esc.InstanceOfService))
    definitie_uuid = None
    if verwijzing:
        try:
            definitie_uuid = uuid.UUID(verwijzing)
        except ValueError:
            raise ongeldig(
                _("esc:InstanceOfService van %(waar)s is geen geldige UUID: '%(uuid)s'."), waar=waar, uuid=verwijzing
            ) from None

    intermediatie = Dienst.Intermediatie.GEEN.value
    element = instantie.find(esc.ServiceIntermediation)
    if element is not None:
        # A local attribute: unqualified, unlike esc:IsPublic.
        intermediatie = (element.get("intermediationAllowed") or intermediatie).strip()
        if intermediatie not in Dienst.Intermediatie.values:
            raise ongeldig(
                _(
                    "esc:ServiceIntermediation van %(waar)s heeft een onbekende waarde voor intermediationAllowed: '%(waarde)s'."
                ),
                waar=waar,
                waarde=intermediatie,
            )
    return definitie_uuid, intermediatie


def _meest_ruim(waarden: Iterable[str]) -> str:
    return max(waarden, key=INTERMEDIATIE_VOLGORDE.index, default=Dienst.Intermediatie.GEEN.value)
