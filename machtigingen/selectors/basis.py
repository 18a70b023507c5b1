"""Reads shared by every screen of machtigingen: what is running (lopend), what ends soon (R34), who can be chosen
(R31), and the scope keys.

"Lopend" (running) means: status actief, started, not past its (exclusive) end date, held by an Actief middel
that is still linked to the organisation. Revoked and expired machtigingen are never listed (R35), also in the
minutes between an end date passing and the expiry job flipping the status.

Every selector runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, Min, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from catalogus.models import Dienst, Dienstverlener
from common.dates import plus_maanden, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from machtigingen.models import Machtiging, Scope, Status

# R34: a machtiging ending within this many months is flagged, with "Verleng machtiging".
BINNENKORT_MAANDEN = 2

# R31, the manual's wording: per user (§3.9) and when choosing people in bulk (§4.2).
NIVEAU_TE_LAAG = _("Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging.")
NIVEAU_TE_LAAG_BULK = _(
    "Let op! Deze persoon heeft niet het benodigde niveau om namens uw bedrijf bij de gekozen dienst(en) in te loggen."
)
ONBEKENDE_DIENST = _("Deze dienst bestaat niet (meer) in de dienstencatalogus.")
ONBEKEND_NIVEAU = _("Onbekend niveau voor een algemene bevoegdheid.")


def _pk(value) -> int:
    return getattr(value, "pk", value)


def ids_van(values: Iterable) -> list[int]:
    """Model instances or ids, deduplicated, order kept."""
    return list(dict.fromkeys(_pk(v) for v in values))


@dataclass(frozen=True)
class ScopeSleutel:
    """What a machtiging covers, as a hashable key: one dienst, Algemene bevoegdheid N, or a dienstverlener."""

    scope: str
    dienst_id: int | None = None
    niveau: int | None = None
    dienstverlener_id: int | None = None

    @classmethod
    def van(cls, machtiging) -> ScopeSleutel:
        return cls(machtiging.scope, machtiging.dienst_id, machtiging.niveau, machtiging.dienstverlener_id)

    def q(self) -> Q:
        if self.scope == Scope.DIENST:
            return Q(scope=Scope.DIENST, dienst_id=self.dienst_id)
        if self.scope == Scope.ALGEMEEN:
            return Q(scope=Scope.ALGEMEEN, niveau=self.niveau)
        return Q(scope=Scope.DIENSTVERLENER, dienstverlener_id=self.dienstverlener_id)

    def velden(self) -> dict:
        return {
            "scope": self.scope,
            "dienst_id": self.dienst_id,
            "niveau": self.niveau,
            "dienstverlener_id": self.dienstverlener_id,
        }


@dataclass(frozen=True)
class GekozenScope:
    """A scope chosen in a form, resolved against the catalogue.

    `vereist_niveau` is what the middel needs (R31); `hoogste_niveau` is what the granting beheerder needs
    (R39). They differ only for a Dienstverlenersmachtiging: the middel needs the lowest niveau among the
    dienstverlener's diensten (below that it could use none of them; the register checks each dienst's
    niveau at login anyway), while the beheerder must reach the highest, so that nobody hands out more than
    their own niveau (R39). A dienstverlener without current diensten asks for no niveau.
    """

    sleutel: ScopeSleutel
    naam: str
    vereist_niveau: int | None
    hoogste_niveau: int | None
    ingetrokken: bool = False


def scopes_oplossen(*, diensten=(), algemene_niveaus=(), dienstverleners=()) -> list[GekozenScope]:
    """The chosen diensten, Algemene bevoegdheid niveaus and dienstverleners, read fresh from the catalogue.

    At most two queries. Unknown ids are refused.
    """
    scopes: list[GekozenScope] = []
    for niveau in dict.fromkeys(algemene_niveaus):
        try:
            niveau = Niveau(int(niveau))
        except ValueError:
            raise DomainError(ONBEKEND_NIVEAU, rule="R32") from None
        scopes.append(
            GekozenScope(
                sleutel=ScopeSleutel(Scope.ALGEMEEN, niveau=int(niveau)),
                naam=f"{Scope.ALGEMEEN.label} {niveau.label}",
                vereist_niveau=int(niveau),
                hoogste_niveau=int(niveau),
            )
        )
    dienst_ids = ids_van(diensten)
    if dienst_ids:
        gevonden = {d.pk: d for d in Dienst.objects.filter(pk__in=dienst_ids).select_related("dienstverlener")}
        if len(gevonden) != len(dienst_ids):
            raise DomainError(ONBEKENDE_DIENST, rule="R70")
        for pk in dienst_ids:
            dienst = gevonden[pk]
            scopes.append(
                GekozenScope(
                    sleutel=ScopeSleutel(Scope.DIENST, dienst_id=pk),
                    naam=f"{dienst.dienstverlener} – {dienst}",
                    vereist_niveau=dienst.niveau,
                    hoogste_niveau=dienst.niveau,
                    ingetrokken=dienst.ingetrokken,
                )
            )
    verlener_ids = ids_van(dienstverleners)
    if verlener_ids:
        lopend = Q(diensten__ingetrokken=False)
        gevonden = {
            v.pk: v
            for v in Dienstverlener.objects.filter(pk__in=verlener_ids).annotate(
                laagste=Min("diensten__niveau", filter=lopend), hoogste=Max("diensten__niveau", filter=lopend)
            )
        }
        if len(gevonden) != len(verlener_ids):
            raise DomainError(ONBEKENDE_DIENST, rule="R70")
        for pk in verlener_ids:
            verlener = gevonden[pk]
            scopes.append(
                GekozenScope(
                    sleutel=ScopeSleutel(Scope.DIENSTVERLENER, dienstverlener_id=pk),
                    naam=f"{Scope.DIENSTVERLENER.label} {verlener}",
                    vereist_niveau=verlener.laagste,
                    hoogste_niveau=verlener.hoogste,
                    ingetrokken=verlener.ingetrokken,
                )
            )
    return scopes


def vereist_niveau(scopes: Iterable[GekozenScope]) -> int | None:
    """R31 in bulk: the highest niveau among the chosen scopes decides who can be chosen."""
    niveaus = [s.vereist_niveau for s in scopes if s.vereist_niveau is not None]
    return max(niveaus) if niveaus else None


def machtiging_middel_gekoppeld() -> Exists:
    """For a Machtiging queryset: its middel still has an actief koppeling to its organisation."""
    return Exists(
        Koppeling.objects.filter(
            middel=OuterRef("middel"), organisatie=OuterRef("organisatie"), status=Koppeling.Status.ACTIEF
        )
    )


def middel_gekoppeld_aan(organisatie) -> Exists:
    """For a Middel queryset: the middel has an actief koppeling to this organisation (R30, "actieve gebruikers")."""
    return Exists(
        Koppeling.objects.filter(middel=OuterRef("pk"), organisatie=organisatie, status=Koppeling.Status.ACTIEF)
    )


def eindigt_binnenkort(op: dt.date) -> ExpressionWrapper:
    """R34 as an annotation: the machtiging ends within BINNENKORT_MAANDEN of `op`."""
    return ExpressionWrapper(Q(eindigt_op__lte=plus_maanden(op, BINNENKORT_MAANDEN)), output_field=BooleanField())


def lopende_machtigingen(organisatie, *, op: dt.date | None = None) -> QuerySet[Machtiging]:
    """The machtigingen that are in force for this organisation on `op` (default today); unannotated."""
    op = op or vandaag()
    return Machtiging.objects.filter(
        machtiging_middel_gekoppeld(),
        organisatie=organisatie,
        status=Status.ACTIEF,
        begint_op__lte=op,
        eindigt_op__gt=op,
        middel__status=Middel.Status.ACTIEF,
    )


def machtigingen_van_middel(organisatie, middel, *, op: dt.date | None = None) -> list[Machtiging]:
    """The user detail (R63): the middel's lopende machtigingen at this organisation, flagged when they end
    within 2 months (R34). Algemene bevoegdheid first, then diensten by dienstverlener and name, then
    Dienstverlenersmachtigingen. One query."""
    op = op or vandaag()
    return list(
        lopende_machtigingen(organisatie, op=op)
        .filter(middel=middel)
        .select_related("dienst__dienstverlener", "dienstverlener")
        .annotate(eindigt_binnenkort=eindigt_binnenkort(op))
        .order_by("scope", "niveau", "dienst__dienstverlener__naam", "dienst__naam", "dienstverlener__naam", "pk")
    )


def kiesbare_middelen(organisatie, diensten=(), *, algemene_niveaus=(), dienstverleners=()) -> list[Middel]:
    """R30/R31 in bulk: the organisation's Actief users, each with `kiesbaar` (its niveau reaches the highest
    niveau among the chosen scopes) and `persoon` loaded. Users below it are shown but cannot be chosen; the
    screen shows NIVEAU_TE_LAAG_BULK next to them. At most three queries."""
    niveau = vereist_niveau(
        scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    )
    kiesbaar = Value(True) if niveau is None else ExpressionWrapper(Q(niveau__gte=niveau), output_field=BooleanField())
    return list(
        Middel.objects.filter(
            Exists(
                Koppeling.objects.filter(middel=OuterRef("pk"), organisatie=organisatie, status=Koppeling.Status.ACTIEF)
            ),
            status=Middel.Status.ACTIEF,
        )
        .select_related("persoon")
        .annotate(kiesbaar=kiesbaar)
        .order_by("persoon__achternaam", "persoon__voornamen", "pk")
    )


def kiesbare_diensten(*, middel_niveau: int | None = None, beheerder_niveau: int) -> QuerySet[Dienst]:
    """The catalogue as the "Voeg machtiging toe" screen lists it: diensten that are not withdrawn, each with
    `kiesbaar` (R31: at or below the user's niveau, when a user is given; R39: at or below the beheerder's
    own niveau). A lazy queryset, so the screen can search and page it."""
    grens = beheerder_niveau if middel_niveau is None else min(middel_niveau, beheerder_niveau)
    return (
        Dienst.objects.filter(ingetrokken=False)
        .select_related("dienstverlener")
        .annotate(kiesbaar=ExpressionWrapper(Q(niveau__lte=grens), output_field=BooleanField()))
        .order_by("dienstverlener__naam", "naam", "pk")
    )


def kiesbare_algemene_bevoegdheden(*, middel_niveau: int | None = None, beheerder_niveau: int) -> list[dict]:
    """Algemene bevoegdheid niveau 1 .. 4 as §3.9 shows them, each with `kiesbaar` (R31, R39) and, for a user
    below it, the manual's warning. No queries."""
    keuzes = []
    for niveau in Niveau:
        te_laag = middel_niveau is not None and niveau > middel_niveau
        keuzes.append(
            {
                "niveau": niveau,
                "sleutel": ScopeSleutel(Scope.ALGEMEEN, niveau=int(niveau)),
                "naam": f"{Scope.ALGEMEEN.label} {niveau.label}",
                "kiesbaar": not te_laag and niveau <= beheerder_niveau,
                "melding": NIVEAU_TE_LAAG if te_laag else "",
            }
        )
    return keuzes


def scopes_filter(sleutels: Iterable[ScopeSleutel]) -> Q:
    """One Q matching any of the keys; grouped per kind so many diensten become one IN (...)."""
    # Read three times below: a generator would be used up by the first pass.
    sleutels = list(sleutels)
    dienst_ids = [s.dienst_id for s in sleutels if s.scope == Scope.DIENST]
    niveaus = [s.niveau for s in sleutels if s.scope == Scope.ALGEMEEN]
    verlener_ids = [s.dienstverlener_id for s in sleutels if s.scope == Scope.DIENSTVERLENER]
    delen = []
    if dienst_ids:
        delen.append(Q(scope=Scope.DIENST, dienst_id__in=dienst_ids))
    if niveaus:
        delen.append(Q(scope=Scope.ALGEMEEN, niveau__in=niveaus))
    if verlener_ids:
        delen.append(Q(scope=Scope.DIENSTVERLENER, dienstverlener_id__in=verlener_ids))
    return reduce(or_, delen) if delen else Q(pk__in=[])
