"""Reads for the own profile pages (R1, R60)."""

from dataclasses import dataclass, field

from gebruikers.models import Koppeling, Middel
from groepen.selectors_leden import groepsmachtigingen_van_leden
from inloggen.models import LoginPoging
from ketenmachtigingen.selectors import middel_ketenmachtigingen
from machtigingen.selectors import machtigingen_van_middel


def inloghistorie(persoon):
    """The person's own log-ins and failed attempts, most recent first (paginate the result)."""
    return (
        LoginPoging.objects.filter(persoon=persoon)
        .only("tijdstip", "ip_adres", "uitkomst")
        .order_by("-tijdstip", "-pk")
    )


@dataclass(frozen=True)
class OrganisatieMachtigingen:
    organisatie: object
    rol: str
    machtigingen: list
    via_groep: list = field(default_factory=list)


def eigen_machtigingen(middel: Middel) -> tuple[list[OrganisatieMachtigingen], list]:
    """R1: the machtigingen of the own middel per linked organisation, and the ketenmachtigingen linked to it.

    One query for the koppelingen, one per linked organisation (a person has few), one for the machtigingen held
    through a group (R24, `via_groep`: "via groep X"), one for ketenmachtigingen.
    """
    koppelingen = list(
        Koppeling.objects.filter(middel=middel, status=Koppeling.Status.ACTIEF)
        .select_related("organisatie", "middel")
        .order_by("organisatie__naam", "pk")
    )
    via_groep: dict[int, list] = {}
    for regel in groepsmachtigingen_van_leden(koppelingen):
        via_groep.setdefault(regel.organisatie_id, []).append(regel)
    per_organisatie = [
        OrganisatieMachtigingen(
            organisatie=k.organisatie,
            rol=k.get_rol_display(),
            machtigingen=machtigingen_van_middel(k.organisatie, middel),
            via_groep=via_groep.get(k.organisatie_id, []),
        )
        for k in koppelingen
    ]
    return per_organisatie, middel_ketenmachtigingen(middel)
