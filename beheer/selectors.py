"""Which organisations the signed-in person may manage, and which one is chosen (R1, R4)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from gebruikers.models import Koppeling, Middel
from organisaties.models import Organisatie


@dataclass(frozen=True)
class BeheerContext:
    organisatie: Organisatie | None = None
    organisaties: list[Organisatie] = field(default_factory=list)
    middel: Middel | None = None

    @classmethod
    def empty(cls) -> "BeheerContext":
        return cls()

    @property
    def is_beheerder(self) -> bool:
        return self.organisatie is not None


def beheerbare_organisaties(persoon) -> list[Organisatie]:
    """Organisations where this person is beheerder with an Actief, regular middel at EH2+ or higher (R1, R8)."""
    beheerd = Koppeling.objects.beheer().filter(middel__persoon=persoon).values("organisatie_id")
    return list(Organisatie.objects.filter(pk__in=beheerd).order_by("naam", "pk"))


def beheer_context_for(persoon, gekozen_id) -> BeheerContext:
    organisaties = beheerbare_organisaties(persoon)
    if not organisaties:
        return BeheerContext.empty()
    gekozen = next((o for o in organisaties if o.pk == gekozen_id), organisaties[0])
    middel = Middel.objects.filter(persoon=persoon).first()
    return BeheerContext(organisatie=gekozen, organisaties=organisaties, middel=middel)


def organisatie_samenvatting(organisatie: Organisatie) -> dict:
    """Counts for the start page, in one query."""
    return Koppeling.objects.filter(organisatie=organisatie).aggregate(
        gebruikers=Count("pk", filter=~Q(status=Koppeling.Status.BEEINDIGD)),
        beheerders=Count("pk", filter=Q(status=Koppeling.Status.ACTIEF, rol=Koppeling.Rol.BEHEERDER)),
        wachtend=Count("pk", filter=Q(status=Koppeling.Status.AANGEVRAAGD)),
    )
