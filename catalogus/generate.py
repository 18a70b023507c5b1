"""Writing Dienstencatalogus XML: the shipped sample editions and large synthetic ones for benchmarks.

`catalogus_xml` writes the structure FORMATS.md describes (with a placeholder `ds:Signature` first in the
root, as real files have; it does not verify). `generate_catalogus` builds a reproducible catalogue of any
size from a seed, which `catalogus.importer` accepts.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from catalogus.xmlnames import NS_1_13, NS_DS, NS_MD, NS_SAML2
from common.niveau import Niveau

HERKENNINGSMAKELAAR_OIN = "00000003273229750000"

KVK_NR = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
RSIN = "urn:etoegang:1.9:EntityConcernedID:RSIN"
VESTIGINGSNR = "urn:etoegang:1.9:ServiceRestriction:Vestigingsnr"


@dataclass
class DienstSpec:
    service_uuid: uuid.UUID
    naam: str
    naam_en: str
    omschrijving: str
    omschrijving_en: str
    niveau: Niveau
    url: str = ""
    # One ServiceInstance per entry, with its intermediationAllowed; None writes no ServiceIntermediation
    # element (the default, noIntermediation). An empty list writes no instance at all.
    instanties: list[str | None] = field(default_factory=lambda: ["noIntermediation"])
    is_public: bool = True
    entity_types: Sequence[str] = (KVK_NR, RSIN)
    vestiging_toegestaan: bool = False
    gevraagde_attributen: Sequence[tuple[str, str]] = ()  # (attribute name, Dutch purpose statement)


@dataclass
class DienstverlenerSpec:
    oin: str
    naam: str
    naam_en: str = ""
    diensten: list[DienstSpec] = field(default_factory=list)
    is_public: bool = True


def catalogus_xml(
    dienstverleners: Sequence[DienstverlenerSpec],
    *,
    namespace: str = NS_1_13,
    catalogus_id: str = "_dc-productie",
    uitgegeven_op: datetime | None = None,
    versie: str | None = None,
) -> str:
    """The catalogue as XML text (UTF-8 declared)."""
    uitgegeven_op = uitgegeven_op or datetime(2026, 1, 1, tzinfo=UTC)
    versie = versie or namespace.replace("service-catalog", "service-catalogue") + ":P:1"
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<esc:ServiceCatalogue xmlns:esc="{namespace}" xmlns:ds="{NS_DS}" xmlns:saml2="{NS_SAML2}" '
        f'xmlns:md="{NS_MD}" ID={quoteattr(catalogus_id)} '
        f'esc:IssueInstant="{uitgegeven_op.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}" esc:Version={quoteattr(versie)}>\n',
        _signature(catalogus_id),
    ]
    for dienstverlener in dienstverleners:
        _provider(out, dienstverlener)
    out.append("</esc:ServiceCatalogue>\n")
    return "".join(out)


def _bool(waarde: bool) -> str:
    return "true" if waarde else "false"


def _lang(out: list[str], indent: str, tag: str, teksten: dict[str, str]) -> None:
    for taal, tekst in teksten.items():
        if tekst:
            out.append(f'{indent}<{tag} xml:lang="{taal}">{escape(tekst)}</{tag}>\n')


def _provider(out: list[str], dv: DienstverlenerSpec) -> None:
    out.append(f'  <esc:ServiceProvider esc:IsPublic="{_bool(dv.is_public)}">\n')
    out.append(f"    <esc:ServiceProviderID>{dv.oin}</esc:ServiceProviderID>\n")
    _lang(out, "    ", "esc:OrganizationDisplayName", {"nl": dv.naam, "en": dv.naam_en})
    for dienst in dv.diensten:
        _definitie(out, dienst)
    index = 0
    for dienst in dv.diensten:
        for intermediatie in dienst.instanties:
            index += 1
            _instantie(out, dv.oin, index, dienst, intermediatie)
    out.append("  </esc:ServiceProvider>\n")


def _definitie(out: list[str], d: DienstSpec) -> None:
    i = "      "
    out.append(f'    <esc:ServiceDefinition esc:IsPublic="{_bool(d.is_public)}">\n')
    out.append(f"{i}<esc:ServiceUUID>{d.service_uuid}</esc:ServiceUUID>\n")
    _lang(out, i, "esc:ServiceName", {"nl": d.naam, "en": d.naam_en})
    _lang(out, i, "esc:ServiceDescription", {"nl": d.omschrijving, "en": d.omschrijving_en})
    if d.url:
        out.append(f'{i}<esc:ServiceDescriptionURL xml:lang="nl">{escape(d.url)}</esc:ServiceDescriptionURL>\n')
    out.append(f"{i}<saml2:AuthnContextClassRef>{d.niveau.urn}</saml2:AuthnContextClassRef>\n")
    out.append(f"{i}<esc:HerkenningsmakelaarId>{HERKENNINGSMAKELAAR_OIN}</esc:HerkenningsmakelaarId>\n")
    for entity_type in d.entity_types:
        out.append(
            f'{i}<esc:EntityConcernedTypesAllowed setNumber="1">{entity_type}</esc:EntityConcernedTypesAllowed>\n'
        )
    if d.vestiging_toegestaan:
        out.append(f"{i}<esc:ServiceRestrictionsAllowed>{VESTIGINGSNR}</esc:ServiceRestrictionsAllowed>\n")
    for naam, doel in d.gevraagde_attributen:
        out.append(f'{i}<esc:RequestedAttribute Name={quoteattr(naam)} isRequired="true">\n')
        out.append(f'{i}  <esc:PurposeStatement xml:lang="nl">{escape(doel)}</esc:PurposeStatement>\n')
        out.append(f"{i}</esc:RequestedAttribute>\n")
    out.append("    </esc:ServiceDefinition>\n")


def _instantie(out: list[str], oin: str, index: int, d: DienstSpec, intermediatie: str | None) -> None:
    i = "      "
    # A stable instance UUID derived from the definition, so regenerating a file gives the same bytes.
    instantie_uuid = uuid.uuid5(d.service_uuid, f"instance-{index}")
    out.append(f'    <esc:ServiceInstance esc:IsPublic="{_bool(d.is_public)}">\n')
    out.append(f"{i}<esc:ServiceID>urn:etoegang:DV:{oin}:services:{index}</esc:ServiceID>\n")
    out.append(f"{i}<esc:ServiceUUID>{instantie_uuid}</esc:ServiceUUID>\n")
    out.append(f"{i}<esc:InstanceOfService>{d.service_uuid}</esc:InstanceOfService>\n")
    if d.url:
        out.append(f'{i}<esc:ServiceURL xml:lang="nl">{escape(d.url)}</esc:ServiceURL>\n')
        privacy = d.url.split("/", 3)[:3]
        out.append(
            f'{i}<esc:PrivacyPolicyURL xml:lang="nl">{escape("/".join(privacy))}/privacy</esc:PrivacyPolicyURL>\n'
        )
    out.append(f"{i}<esc:HerkenningsmakelaarId>{HERKENNINGSMAKELAAR_OIN}</esc:HerkenningsmakelaarId>\n")
    if intermediatie is not None:
        out.append(f'{i}<esc:ServiceIntermediation intermediationAllowed="{intermediatie}"/>\n')
    out.append("    </esc:ServiceInstance>\n")


def _signature(catalogus_id: str) -> str:
    # Shape of an enveloped XML-DSig signature; values are placeholders (the importer does not verify).
    return (
        "  <ds:Signature>\n"
        "    <ds:SignedInfo>\n"
        '      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\n'
        '      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>\n'
        f"      <ds:Reference URI={quoteattr('#' + catalogus_id)}>\n"
        "        <ds:Transforms>\n"
        '          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\n'
        '          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\n'
        "        </ds:Transforms>\n"
        '        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>\n'
        "        <ds:DigestValue>bm90LWEtcmVhbC1kaWdlc3QtdmFsdWUtMDAwMDAwMDA=</ds:DigestValue>\n"
        "      </ds:Reference>\n"
        "    </ds:SignedInfo>\n"
        "    <ds:SignatureValue>bm90LWEtcmVhbC1zaWduYXR1cmU=</ds:SignatureValue>\n"
        "    <ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90LWEtcmVhbC1jZXJ0aWZpY2F0ZQ==</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo>\n"
        "  </ds:Signature>\n"
    )


# --- Synthetic catalogues -----------------------------------------------------------------------------

_SOORTEN = ("Gemeente", "Waterschap", "Provincie", "Omgevingsdienst", "Veiligheidsregio", "Zorgverzekeraar")
_PLAATSEN = (
    "Amersfoort", "Assen", "Breda", "Delft", "Deventer", "Eindhoven", "Emmen", "Enschede", "Gouda", "Groningen",
    "Heerlen", "Hoorn", "Leeuwarden", "Lelystad", "Middelburg", "Nijmegen", "Roermond", "Tilburg", "Venlo", "Zwolle",
)  # fmt: skip
_DIENSTEN = (
    ("Omgevingsvergunning", "Environmental permit"),
    ("Evenementenvergunning", "Event permit"),
    ("Belastingzaken ondernemers", "Business taxes"),
    ("Subsidieaanvraag", "Grant application"),
    ("Parkeervergunning bedrijven", "Business parking permit"),
    ("Afvalstoffenheffing", "Waste collection levy"),
    ("Meldingen openbare ruimte", "Public space reports"),
    ("Aanbestedingen", "Tenders"),
    ("Declaraties", "Claims"),
    ("Gegevens inzien", "View records"),
)
_NIVEAUS = (Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH3, Niveau.EH3, Niveau.EH4)
_INTERMEDIATIES = ("noIntermediation", "generalAvailable", "serviceProviderOnly", "requiresApproval", None)


def generate_catalogus(*, diensten: int, dienstverleners: int, seed: int = 0, namespace: str = NS_1_13) -> str:
    """A reproducible synthetic catalogue: the same arguments always give the same XML."""
    if diensten < 0 or not 1 <= dienstverleners <= 100_000_000:
        raise ValueError("need at least one dienstverlener and a non-negative number of diensten")
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not security
    specs = []
    for nr in range(dienstverleners):
        soort, plaats = rng.choice(_SOORTEN), rng.choice(_PLAATSEN)
        specs.append(
            DienstverlenerSpec(
                # 00000001 + a 9-digit number + 000, as OINs derived from an RSIN look; unique per index.
                oin=f"00000001{800_000_000 + nr:09d}000",
                naam=f"{soort} {plaats} {nr + 1}",
                naam_en=f"{soort} {plaats} {nr + 1} (EN)" if rng.random() < 0.5 else "",
            )
        )
    for nr in range(diensten):
        dv = specs[nr % dienstverleners]
        naam, naam_en = rng.choice(_DIENSTEN)
        aantal_instanties = rng.choice((0, 1, 1, 1, 2))
        dv.diensten.append(
            DienstSpec(
                service_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                naam=f"{naam} {nr + 1}",
                naam_en=f"{naam_en} {nr + 1}",
                omschrijving=f"{naam} bij {dv.naam}: online regelen met eHerkenning.",
                omschrijving_en=f"{naam_en} at {dv.naam}: arrange online with eHerkenning.",
                niveau=rng.choice(_NIVEAUS),
                url=f"https://www.example.nl/dv{nr % dienstverleners + 1}/dienst{nr + 1}",
                instanties=[rng.choice(_INTERMEDIATIES) for _ in range(aantal_instanties)],
                is_public=rng.random() < 0.95,
            )
        )
    return catalogus_xml(
        specs,
        namespace=namespace,
        catalogus_id=f"_synthetisch-{seed}",
        uitgegeven_op=datetime(2026, 1, 1, tzinfo=UTC),
    )


def write_catalogus(
    pad: str | Path, *, diensten: int, dienstverleners: int, seed: int = 0, namespace: str = NS_1_13
) -> Path:
    pad = Path(pad)
    pad.write_text(
        generate_catalogus(diensten=diensten, dienstverleners=dienstverleners, seed=seed, namespace=namespace),
        encoding="utf-8",
    )
    return pad
