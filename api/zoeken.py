"""The AuthZEN searches: the same decision as the evaluation, asked the other way.

Each search takes the candidates that could possibly be permitted (every middel with a koppeling at the
organisation or linked to one of its ketenmachtigingen; every dienst in the catalogue), then decides them with
`beslis_vraagstukken`, exactly the function the evaluation uses, so a search never disagrees with an evaluation.
Paging runs over the candidates in a fixed order: the token is the position of the next candidate.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from api.beslissen import ACTIE, RESOURCE_TYPE, SUBJECT_TYPE, Antwoord, als_uuid, beslis_vraagstukken
from api.protocol import Entiteit, Vraagstuk, maak_token
from catalogus.models import Dienst
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen.models import KetenmachtigingMiddel
from organisaties.models import Organisatie


@dataclass(frozen=True)
class Pagina:
    resultaten: list[tuple[str, Antwoord]]  # (the found id, its answer)
    next_token: str


LEEG = Pagina(resultaten=[], next_token="")


def _organisatie_ids(resource: Entiteit) -> list[int]:
    kvk = resource.properties.get("kvk_nummer")
    if not isinstance(kvk, str):
        return []
    return list(Organisatie.objects.filter(kvk_nummer=kvk.strip()).values_list("pk", flat=True))


def _pagineer(
    kandidaten: list[str], vraag_voor: Callable[[str], Vraagstuk], *, offset: int, limiet: int | None
) -> Pagina:
    """Decide candidates from `offset` in chunks until a page of permitted ones is full."""
    limiet = min(limiet or settings.API_SEARCH_PAGE_SIZE, settings.API_SEARCH_PAGE_SIZE)
    gevonden: list[tuple[str, Antwoord]] = []
    positie = offset
    stuk = max(limiet * 2, 200)
    while positie < len(kandidaten) and len(gevonden) < limiet:
        deel = kandidaten[positie : positie + stuk]
        antwoorden = beslis_vraagstukken([vraag_voor(k) for k in deel])
        for i, (kandidaat, antwoord) in enumerate(zip(deel, antwoorden, strict=True)):
            if antwoord.toegestaan:
                gevonden.append((kandidaat, antwoord))
                if len(gevonden) == limiet:
                    positie += i + 1
                    break
        else:
            positie += len(deel)
    volgende = maak_token(positie) if positie < len(kandidaten) else ""
    return Pagina(resultaten=gevonden, next_token=volgende)


def zoek_subjecten(resource: Entiteit, actie: str, moment, *, offset=0, limiet=None) -> Pagina:
    """Which middelen may do `actie` for this organisation at this dienst at this moment."""
    if resource.type != RESOURCE_TYPE or actie != ACTIE or als_uuid(resource.id) is None:
        return LEEG
    org_ids = _organisatie_ids(resource)
    if not org_ids:
        return LEEG
    middel_ids = set(Koppeling.objects.filter(organisatie_id__in=org_ids).values_list("middel_id", flat=True))
    middel_ids |= set(
        KetenmachtigingMiddel.objects.filter(ketenmachtiging__verlener_id__in=org_ids).values_list(
            "middel_id", flat=True
        )
    )
    kandidaten = [
        str(u) for u in Middel.objects.filter(pk__in=middel_ids).order_by("pk").values_list("publieke_id", flat=True)
    ]

    def vraag(publieke_id: str) -> Vraagstuk:
        return Vraagstuk(
            subject=Entiteit(type=SUBJECT_TYPE, id=publieke_id), resource=resource, actie=actie, moment=moment
        )

    return _pagineer(kandidaten, vraag, offset=offset, limiet=limiet)


def _dienst_kandidaten(zoekterm: str = "", *, ook_ingetrokken: bool = False) -> list[str]:
    diensten = Dienst.objects.all()
    if not ook_ingetrokken:
        diensten = diensten.filter(ingetrokken=False, dienstverlener__ingetrokken=False)
    if zoekterm:
        diensten = diensten.filter(Q(naam__icontains=zoekterm) | Q(dienstverlener__naam__icontains=zoekterm))
    return [str(u) for u in diensten.order_by("pk").values_list("service_uuid", flat=True)]


def _dienst_vraag(subject: Entiteit, resource: Entiteit, actie: str, moment) -> Callable[[str], Vraagstuk]:
    def vraag(service_uuid: str) -> Vraagstuk:
        return Vraagstuk(
            subject=subject,
            resource=Entiteit(type=RESOURCE_TYPE, id=service_uuid, properties=resource.properties),
            actie=actie,
            moment=moment,
        )

    return vraag


def zoek_resources(
    subject: Entiteit, resource: Entiteit, actie: str, moment, *, offset=0, limiet=None, zoekterm: str = ""
) -> Pagina:
    """Which diensten this middel may use for this organisation (`resource.properties`) at this moment,
    optionally only those whose name or dienstverlener matches `zoekterm`."""
    if subject.type != SUBJECT_TYPE or resource.type != RESOURCE_TYPE or actie != ACTIE:
        return LEEG
    if als_uuid(subject.id) is None or not Middel.objects.filter(publieke_id=als_uuid(subject.id)).exists():
        return LEEG
    if not _organisatie_ids(resource):
        return LEEG
    kandidaten = _dienst_kandidaten(zoekterm)
    return _pagineer(kandidaten, _dienst_vraag(subject, resource, actie, moment), offset=offset, limiet=limiet)


# -- "Wat mag deze persoon?" in the Beheermodule: the resource search for a middel at the beheerder's organisation


def _entiteiten(middel, organisatie) -> tuple[Entiteit, Entiteit]:
    properties = {"kvk_nummer": organisatie.kvk_nummer}
    if organisatie.vestigingsnummer:
        properties["vestigingsnummer"] = organisatie.vestigingsnummer
    return (
        Entiteit(type=SUBJECT_TYPE, id=str(middel.publieke_id)),
        Entiteit(type=RESOURCE_TYPE, id=None, properties=properties),
    )


def wat_mag(middel, organisatie, *, moment=None, zoekterm: str = "", limiet: int | None = None) -> Pagina:
    """Every dienst the middel may use for the organisation at `moment` (default now): the resource search."""
    subject, resource = _entiteiten(middel, organisatie)
    return zoek_resources(subject, resource, ACTIE, moment or timezone.now(), limiet=limiet, zoekterm=zoekterm)


def waarom(middel, organisatie, *, zoekterm: str, moment=None, limiet: int = 50) -> list[tuple[str, Antwoord]]:
    """For the diensten matching `zoekterm` (withdrawn ones too): the decision, yes with its path or no with why.
    The evaluation's own function, so the screen and the API never disagree."""
    subject, resource = _entiteiten(middel, organisatie)
    kandidaten = _dienst_kandidaten(zoekterm, ook_ingetrokken=True)[:limiet]
    vraag = _dienst_vraag(subject, resource, ACTIE, moment or timezone.now())
    return list(zip(kandidaten, beslis_vraagstukken([vraag(k) for k in kandidaten]), strict=True))


def zoek_acties(subject: Entiteit, resource: Entiteit, moment) -> Pagina:
    """Which actions this middel may take at this dienst for this organisation: `inloggen`, or none."""
    (antwoord,) = beslis_vraagstukken([Vraagstuk(subject=subject, resource=resource, actie=ACTIE, moment=moment)])
    return Pagina(resultaten=[(ACTIE, antwoord)] if antwoord.toegestaan else [], next_token="")
