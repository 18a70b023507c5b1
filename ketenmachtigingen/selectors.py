"""Reading ketenmachtigingen: what an organisation gave (R41), received (R42), and what a middel holds."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from common.dates import vandaag
from facturatie.models import Tarief
from gebruikers.models import Middel
from machtigingen.models import Status
from organisaties.models import Organisatie

from .models import Ketenmachtiging, KetenmachtigingMiddel, KetenModule, Uitnodiging


@dataclass
class IntermediairGroep:
    """One intermediair in the *afgegeven* overview, with the ketenmachtigingen it holds and their end dates."""

    intermediair: Organisatie
    ketenmachtigingen: list[Ketenmachtiging] = field(default_factory=list)

    @property
    def aantal(self) -> int:
        return len(self.ketenmachtigingen)

    @property
    def eerste_einddatum(self) -> dt.date | None:
        return min((k.eindigt_op for k in self.ketenmachtigingen), default=None)


def lopend_op(dag: dt.date) -> Q:
    """Ketenmachtigingen running on `dag`. Dates decide, not only the status: the expiry job may lag behind."""
    return Q(status=Status.ACTIEF, begint_op__lte=dag, eindigt_op__gt=dag)


def afgegeven_per_intermediair(verlener: Organisatie, *, dag: dt.date | None = None) -> list[IntermediairGroep]:
    """The verlener's running ketenmachtigingen grouped by intermediair (R41), in one query."""
    dag = dag or vandaag()
    groepen: dict[int, IntermediairGroep] = {}
    for k in (
        Ketenmachtiging.objects.filter(lopend_op(dag), verlener=verlener)
        .select_related("intermediair", "dienst__dienstverlener", "dienstverlener")
        .order_by("intermediair__naam", "intermediair_id", "scope", "pk")
    ):
        groepen.setdefault(k.intermediair_id, IntermediairGroep(intermediair=k.intermediair)).ketenmachtigingen.append(
            k
        )
    return list(groepen.values())


def afgegeven_aan(
    verlener: Organisatie, intermediair_id: int, *, dag: dt.date | None = None
) -> IntermediairGroep | None:
    """One intermediair's detail in the verlener's overview; None when it holds nothing from this verlener."""
    dag = dag or vandaag()
    rijen = list(
        Ketenmachtiging.objects.filter(lopend_op(dag), verlener=verlener, intermediair_id=intermediair_id)
        .select_related("intermediair", "dienst__dienstverlener", "dienstverlener")
        .order_by("scope", "pk")
    )
    if not rijen:
        return None
    return IntermediairGroep(intermediair=rijen[0].intermediair, ketenmachtigingen=rijen)


def ontvangen_ketenmachtigingen(intermediair: Organisatie, *, dag: dt.date | None = None) -> list[Ketenmachtiging]:
    """What the intermediair received and may link to its middelen (R42, R44): visible as soon as issued."""
    dag = dag or vandaag()
    return list(
        Ketenmachtiging.objects.filter(lopend_op(dag), intermediair=intermediair)
        .select_related("verlener", "dienst__dienstverlener", "dienstverlener")
        .prefetch_related(
            Prefetch(
                "koppelingen",
                queryset=KetenmachtigingMiddel.objects.select_related("middel__persoon").order_by("pk"),
            )
        )
        .order_by("verlener__naam", "verlener_id", "pk")
    )


def middel_ketenmachtigingen(middel: Middel, *, dag: dt.date | None = None) -> list[Ketenmachtiging]:
    """The running ketenmachtigingen linked to a middel, for the profile page (R1)."""
    dag = dag or vandaag()
    return list(
        Ketenmachtiging.objects.filter(lopend_op(dag), koppelingen__middel=middel)
        .select_related("verlener", "intermediair", "dienst__dienstverlener", "dienstverlener")
        .order_by("verlener__naam", "pk")
        .distinct()
    )


def ketenmodule_van(organisatie: Organisatie) -> KetenModule | None:
    return KetenModule.objects.filter(organisatie=organisatie).first()


def open_uitnodigingen(intermediair: Organisatie) -> list[Uitnodiging]:
    return list(
        Uitnodiging.objects.filter(intermediair=intermediair, status=Uitnodiging.Status.OPEN)
        .select_related("dienst", "dienstverlener")
        .order_by("-aangemaakt_op")
    )


def ketenmachtiging_kosten_per_jaar() -> Decimal | None:
    """The yearly cost per intermediair (R40), from the tariff table support staff edit."""
    tarief = Tarief.objects.filter(code=Tarief.Code.KETENMACHTIGING, periode=Tarief.Periode.JAAR).first()
    return tarief.bedrag if tarief else None


def is_nieuwe_intermediair(verlener: Organisatie, intermediair_kvk: str) -> bool:
    """Whether issuing to this KvK-nummer costs the yearly amount: no running ketenmachtiging to it yet."""
    return not Ketenmachtiging.objects.filter(
        lopend_op(vandaag()), verlener=verlener, intermediair__kvk_nummer=intermediair_kvk
    ).exists()
