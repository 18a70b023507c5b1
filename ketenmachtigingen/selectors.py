"""Reading ketenmachtigingen: what an organisation gave (R41), received (R42), and what a middel holds."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q

from common.dates import vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Status
from organisaties.models import Organisatie

from .models import GevraagdeScope, Ketenmachtiging, KetenmachtigingMiddel, KetenModule, Uitnodiging


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
    """The running ketenmachtigingen linked to a middel, for the profile page (R1): only while the middel is
    Actief and its koppeling at the intermediair runs, as the Machtigingenregister decides (R46, R72)."""
    dag = dag or vandaag()
    if middel is None or middel.status != Middel.Status.ACTIEF:
        return []
    return list(
        Ketenmachtiging.objects.filter(lopend_op(dag), koppelingen__middel=middel)
        .filter(Exists(_koppeling_loopt(dag, middel_ref=middel.pk, intermediair_ref=OuterRef("intermediair_id"))))
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


# --- Van relaties: the intermediair's side (K2) -------------------------------------------------------------


def _koppeling_loopt(dag: dt.date, *, middel_ref, intermediair_ref):
    """A running koppeling of the middel at the intermediair (R44, R72), for Exists()."""
    return Koppeling.objects.filter(
        middel_id=middel_ref, organisatie_id=intermediair_ref, status=Koppeling.Status.ACTIEF
    ).filter(Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=dag))


def levende_koppelingen(dag: dt.date):
    """Links that still count: middel Actief with a running koppeling at the intermediair (R46)."""
    return KetenmachtigingMiddel.objects.filter(middel__status=Middel.Status.ACTIEF).filter(
        Exists(
            _koppeling_loopt(
                dag, middel_ref=OuterRef("middel_id"), intermediair_ref=OuterRef("ketenmachtiging__intermediair_id")
            )
        )
    )


@dataclass
class RelatieGroep:
    """One relation (verlener) in the *ontvangen* overview, with what it gave the intermediair."""

    verlener: Organisatie
    ketenmachtigingen: list[Ketenmachtiging] = field(default_factory=list)


def ontvangen_per_relatie(intermediair: Organisatie, *, dag: dt.date | None = None) -> list[RelatieGroep]:
    """R44: the running received ketenmachtigingen per relation, each with its live links, in two queries."""
    dag = dag or vandaag()
    groepen: dict[int, RelatieGroep] = {}
    for k in (
        Ketenmachtiging.objects.filter(lopend_op(dag), intermediair=intermediair)
        .select_related("verlener", "dienst__dienstverlener", "dienstverlener")
        .prefetch_related(
            Prefetch(
                "koppelingen",
                queryset=levende_koppelingen(dag)
                .select_related("middel__persoon")
                .order_by("middel__persoon__achternaam", "pk"),
                to_attr="levende_koppelingen",
            )
        )
        .order_by("verlener__naam", "verlener_id", "pk")
    ):
        groepen.setdefault(k.verlener_id, RelatieGroep(verlener=k.verlener)).ketenmachtigingen.append(k)
    return list(groepen.values())


def ontvangen_ketenmachtiging(intermediair: Organisatie, pk: int) -> Ketenmachtiging | None:
    """One received ketenmachtiging of this intermediair (any state), or None: foreign ids answer 404."""
    return Ketenmachtiging.objects.filter(intermediair=intermediair, pk=pk).select_related("verlener").first()


def keten_middelen(intermediair: Organisatie, *, dag: dt.date | None = None):
    """The middelen the intermediair's beheerder may link (R44, R23): regular, EH3 or higher, Actief, with a
    running koppeling here. A queryset, so a form can validate a choice against it."""
    dag = dag or vandaag()
    return (
        Middel.objects.filter(status=Middel.Status.ACTIEF, type=Middel.Type.REGULIER, niveau__gte=Niveau.EH3)
        .filter(Exists(_koppeling_loopt(dag, middel_ref=OuterRef("pk"), intermediair_ref=intermediair.pk)))
        .select_related("persoon")
        .order_by("persoon__achternaam", "persoon__voornamen", "pk")
    )


def uitnodigingen_van(intermediair: Organisatie) -> list[Uitnodiging]:
    """Every invitation of the intermediair with what it asks, newest first, in two queries (R47)."""
    return list(
        Uitnodiging.objects.filter(intermediair=intermediair)
        .prefetch_related(
            Prefetch(
                "gevraagd", queryset=GevraagdeScope.objects.select_related("dienst__dienstverlener", "dienstverlener")
            )
        )
        .order_by("-aangemaakt_op", "-pk")
    )


def uitnodiging_van(intermediair: Organisatie, pk: int) -> Uitnodiging | None:
    return Uitnodiging.objects.filter(intermediair=intermediair, pk=pk).first()


def uitnodiging_gevraagd(uitnodiging: Uitnodiging) -> list[GevraagdeScope]:
    return list(uitnodiging.gevraagd.select_related("dienst__dienstverlener", "dienstverlener"))
