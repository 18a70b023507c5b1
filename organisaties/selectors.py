"""Reads for Instellingen → Algemeen and Organisaties (R50, R51, R53)."""

from dataclasses import dataclass

from gebruikers.models import Aanvraag, Koppeling
from handelsregister.backend import get_handelsregister
from handelsregister.errors import HandelsregisterFout
from organisaties.models import Organisatie


def aantal_vestigingen(organisatie: Organisatie) -> int | None:
    """How many vestigingen the Handelsregister shows under the organisation's KvK-nummer (§2.4.2);
    None when the register does not know it or cannot answer now."""
    try:
        return len(get_handelsregister().zoek_op_kvk_nummer(organisatie.kvk_nummer).vestigingen)
    except HandelsregisterFout:
        return None


def kvk_zonder_vestiging_bezet(organisatie: Organisatie) -> bool:
    """Another organisation on the platform already has this bare 8-digit KvK-nummer (one query)."""
    return (
        Organisatie.objects.filter(kvk_nummer=organisatie.kvk_nummer, vestigingsnummer="")
        .exclude(pk=organisatie.pk)
        .exists()
    )


@dataclass(frozen=True)
class OrganisatieRegel:
    organisatie: Organisatie
    status: str  # display text: Actief / Wachten op goedkeuring
    aanvraag_id: int | None = None


def organisaties_van(persoon, beheerd: list[Organisatie]) -> list[OrganisatieRegel]:
    """Instellingen → Organisaties: the organisations the person manages (`beheerd`, already loaded by the
    middleware) and those they asked to add that wait for support (one query)."""
    regels = [OrganisatieRegel(o, str(Organisatie.Status.ACTIEF.label)) for o in beheerd]
    open_aanvragen = (
        Aanvraag.objects.filter(
            soort=Aanvraag.Soort.NIEUWE_ORGANISATIE,
            status=Aanvraag.Status.IN_BEHANDELING,
            aangevraagd_door=persoon,
        )
        .select_related("organisatie")
        .order_by("aangevraagd_op", "pk")
    )
    regels += [OrganisatieRegel(a.organisatie, str(Organisatie.Status.AANGEVRAAGD.label), a.pk) for a in open_aanvragen]
    return regels


def beheert_kvk(persoon, kvk_nummer: str) -> bool:
    """R53: the person already has a running koppeling as beheerder to an organisation with this KvK-nummer
    (any vestiging), active or still waiting for approval."""
    return (
        Koppeling.objects.lopend()
        .filter(middel__persoon=persoon, rol=Koppeling.Rol.BEHEERDER, organisatie__kvk_nummer=kvk_nummer)
        .exists()
    )


def eigen_nieuwe_organisatie_aanvraag(persoon, aanvraag_id: int) -> Aanvraag:
    """The person's own Organisatie toevoegen aanvraag; any other id raises Aanvraag.DoesNotExist (→ 404)."""
    return Aanvraag.objects.select_related("organisatie").get(
        pk=aanvraag_id, soort=Aanvraag.Soort.NIEUWE_ORGANISATIE, aangevraagd_door=persoon
    )
