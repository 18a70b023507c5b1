"""Reads of the rubriek Machtigingen (§4.1, §4.3, R38): per scope how many users hold it, its holders, one running
machtiging of the organisation, and the rows of the download (§2.1).

The overview, its search and the download share one ordering and one search, so what is downloaded is what is
shown. Every selector runs a fixed number of queries (one for the direct machtigingen, one for those held through
a group), whatever the number of diensten, groups or people.

R24: a person holds a scope directly or as a current member of a group that holds it, when it counts for them
(R23, R30, R31, as `groepen.rules.dekking` decides it; here the same rule in SQL). Each person counts once per
line; the group rows leave out members who hold the scope directly as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation

from catalogus.models import Dienst
from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from common.weergave import naam_kort
from gebruikers.models import Koppeling, Middel
from groepen.models import GroepMachtiging
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.register_feiten import belastingdienst_oin
from machtigingen.selectors.basis import (
    BINNENKORT_MAANDEN,
    ScopeSleutel,
    eindigt_binnenkort,
    lopende_machtigingen,
)

ZOEK_MAX = 100

# The manual's grouping (§4.1): Algemene bevoegdheid first, then per dienstverlener (by name) its
# Dienstverlenersmachtiging followed by its diensten (by name).
_SOORT_VOLGORDE = Case(
    When(scope=Scope.ALGEMEEN, then=Value(0)),
    When(scope=Scope.DIENSTVERLENER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_VERLENER_NAAM = Coalesce("dienst__dienstverlener__naam", "dienstverlener__naam")
OVERZICHT_VOLGORDE = (
    Case(When(scope=Scope.ALGEMEEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
    "niveau",
    _VERLENER_NAAM,
    _SOORT_VOLGORDE,
    "dienst__naam",
    "dienst_id",
    "dienstverlener_id",
)
HOUDER_VOLGORDE = ("middel__persoon__achternaam", "middel__persoon__voornamen", "pk")


@dataclass(frozen=True)
class OverzichtRegel:
    """One line of the rubriek Machtigingen (R38): a scope and how many users hold it."""

    sleutel: ScopeSleutel
    dienst_naam: str
    dienst_naam_en: str
    dienst_niveau: int | None
    dienstverlener_naam: str
    dienstverlener_naam_en: str
    aantal: int
    aantal_binnenkort: int
    # The dienstverlener the line is grouped under (None for Algemene bevoegdheid).
    verlener_id: int | None = None
    # Of `aantal`, the people who hold it only through a group (R24).
    via_groep: int = 0

    @property
    def scope(self) -> str:
        return self.sleutel.scope

    @property
    def naam(self) -> str:
        engels = translation.get_language() == "en"
        if self.scope == Scope.ALGEMEEN:
            return f"{Scope.ALGEMEEN.label} {Niveau(self.sleutel.niveau).label}"
        verlener = (engels and self.dienstverlener_naam_en) or self.dienstverlener_naam
        if self.scope == Scope.DIENSTVERLENER:
            return f"{Scope.DIENSTVERLENER.label} {verlener}"
        return (engels and self.dienst_naam_en) or self.dienst_naam

    @property
    def dienstverlener(self) -> str:
        engels = translation.get_language() == "en"
        return (engels and self.dienstverlener_naam_en) or self.dienstverlener_naam

    @property
    def niveau(self) -> int | None:
        return self.sleutel.niveau if self.scope == Scope.ALGEMEEN else self.dienst_niveau


def zoekterm(waarde: str | None) -> str:
    """The search term as the screens take it: trimmed and bounded."""
    return (waarde or "").strip()[:ZOEK_MAX]


def _zoek_q(organisatie, zoek: str, op: dt.date) -> Q:
    """The scopes a search (loep, §2.1) finds: by dienst or dienstverlener name (Dutch or English), by the name of
    the kind (Algemene bevoegdheid EH3, Dienstverlenersmachtiging), or by a holder's name or e-mail address. A
    condition on the scope, never on the row, so a found scope still counts all its holders."""
    q = (
        Q(dienst__naam__icontains=zoek)
        | Q(dienst__naam_en__icontains=zoek)
        | Q(dienst__dienstverlener__naam__icontains=zoek)
        | Q(dienst__dienstverlener__naam_en__icontains=zoek)
        | Q(dienstverlener__naam__icontains=zoek)
        | Q(dienstverlener__naam_en__icontains=zoek)
    )
    term = zoek.casefold()
    niveaus = [int(n) for n in Niveau if term in f"{Scope.ALGEMEEN.label} {n.label}".casefold()]
    if niveaus:
        q |= Q(scope=Scope.ALGEMEEN, niveau__in=niveaus)
    if term in str(Scope.DIENSTVERLENER.label).casefold():
        q |= Q(scope=Scope.DIENSTVERLENER)
    houders = lopende_machtigingen(organisatie, op=op).filter(
        Q(middel__persoon__voornamen__icontains=zoek)
        | Q(middel__persoon__achternaam__icontains=zoek)
        | Q(middel__persoon__email__icontains=zoek)
    )
    persoon = _LID + "middel__persoon__"
    # Members it counts for only (R23, R30, R31), the same member as the name: one .filter() call.
    groep_houders = _lopende_groep_machtigingen(organisatie, op).filter(
        Q(**{f"{persoon}voornamen__icontains": zoek})
        | Q(**{f"{persoon}achternaam__icontains": zoek})
        | Q(**{f"{persoon}email__icontains": zoek}),
        _lid_telt(),
    )
    # Uncorrelated subqueries: still one query for the whole overview.
    for rijen in (houders, groep_houders):
        q |= Q(scope=Scope.DIENST, dienst_id__in=rijen.filter(scope=Scope.DIENST).values("dienst_id"))
        q |= Q(scope=Scope.ALGEMEEN, niveau__in=rijen.filter(scope=Scope.ALGEMEEN).values("niveau"))
        q |= Q(
            scope=Scope.DIENSTVERLENER,
            dienstverlener_id__in=rijen.filter(scope=Scope.DIENSTVERLENER).values("dienstverlener_id"),
        )
    return q


# --- held through a group (R24) ------------------------------------------------------------------------------
# GroepMachtiging joined to its group's members: one row per (group machtiging, member). Every condition on the
# member goes into ONE .filter() call, so that they all apply to the same member (one join).
_LID = "groep__leden__koppeling__"
_LID_MIDDEL = _LID + "middel__"


def _lopende_groep_machtigingen(organisatie, op: dt.date) -> QuerySet[GroepMachtiging]:
    """The group machtigingen in force at the organisation on `op`, of groups not deleted."""
    return GroepMachtiging.objects.filter(
        groep__organisatie=organisatie,
        groep__opgeheven_op__isnull=True,
        status=Status.ACTIEF,
        begint_op__lte=op,
        eindigt_op__gt=op,
    )


def _lid_telt() -> Q:
    """groepen.rules.dekking in SQL: the member's middel and koppeling are Actief (R30), the middel reaches the
    niveau (R31: the dienst's, the Algemene bevoegdheid's, the lowest of the dienstverlener's current diensten),
    and an EH3 Belastingdienstmiddel counts only for the Belastingdienst or an Algemene bevoegdheid (R23)."""
    laagste = Coalesce(
        Subquery(
            Dienst.objects.filter(dienstverlener=OuterRef("dienstverlener_id"), ingetrokken=False)
            .order_by("niveau")
            .values("niveau")[:1]
        ),
        Value(0),
    )
    niveau = f"{_LID_MIDDEL}niveau__gte"
    oin = belastingdienst_oin()
    return (
        Q(**{f"{_LID}status": Koppeling.Status.ACTIEF, f"{_LID_MIDDEL}status": Middel.Status.ACTIEF})
        & (
            Q(scope=Scope.DIENST, **{niveau: F("dienst__niveau")})
            | Q(scope=Scope.ALGEMEEN, **{niveau: F("niveau")})
            | Q(scope=Scope.DIENSTVERLENER, **{niveau: laagste})
        )
        & (
            ~Q(**{f"{_LID_MIDDEL}type": Middel.Type.BELASTINGDIENST})
            | Q(scope=Scope.ALGEMEEN)
            | Q(dienst__dienstverlener__oin=oin)
            | Q(dienstverlener__oin=oin)
        )
    )


def _groep_houders(organisatie, *, op: dt.date, zoek: str = "", sleutel: ScopeSleutel | None = None) -> QuerySet:
    """The (group machtiging, member) rows of members it counts for (R23, R30, R31) who do not hold the same scope
    directly (they are counted there), narrowed as `_gezocht` narrows the direct ones."""
    rijen = _lopende_groep_machtigingen(organisatie, op)
    if sleutel is not None:
        rijen = rijen.filter(sleutel.q())
    zoek = zoekterm(zoek)
    if zoek:
        rijen = rijen.filter(_zoek_q(organisatie, zoek, op))
    direct = lopende_machtigingen(organisatie, op=op).filter(
        Q(scope=Scope.DIENST, dienst_id=OuterRef("dienst_id"))
        | Q(scope=Scope.ALGEMEEN, niveau=OuterRef("niveau"))
        | Q(scope=Scope.DIENSTVERLENER, dienstverlener_id=OuterRef("dienstverlener_id")),
        middel_id=OuterRef(f"{_LID}middel_id"),
        scope=OuterRef("scope"),
    )
    return rijen.filter(_lid_telt(), ~Exists(direct))


def _gezocht(organisatie, *, op: dt.date, zoek: str = "", sleutel: ScopeSleutel | None = None) -> QuerySet:
    machtigingen = lopende_machtigingen(organisatie, op=op)
    if sleutel is not None:
        machtigingen = machtigingen.filter(sleutel.q())
    zoek = zoekterm(zoek)
    if zoek:
        machtigingen = machtigingen.filter(_zoek_q(organisatie, zoek, op))
    return machtigingen


def machtigingen_overzicht(
    organisatie, *, op: dt.date | None = None, zoek: str = "", sleutel: ScopeSleutel | None = None
) -> list[OverzichtRegel]:
    """R38: per dienst, Algemene bevoegdheid and Dienstverlenersmachtiging, how many users hold it and how
    many of those end within 2 months (R34), in the manual's grouping; narrowed by a search (`zoek`) or to one
    scope (`sleutel`). Two aggregate queries: the direct machtigingen, and the people holding a scope only
    through a group (R24), added to its line."""
    op = op or vandaag()
    binnenkort = plus_maanden(op, BINNENKORT_MAANDEN)
    direct = (
        _gezocht(organisatie, op=op, zoek=zoek, sleutel=sleutel)
        .values(*_REGEL_VELDEN)
        .annotate(
            aantal=Count("middel", distinct=True),
            aantal_binnenkort=Count("pk", filter=Q(eindigt_op__lte=binnenkort)),
        )
        .order_by(*OVERZICHT_VOLGORDE)
    )
    regels = {regel.sleutel: regel for regel in map(_regel, direct)}
    # R24: the people who hold a scope only through a group (each once, whatever the number of groups).
    via_groep = (
        _groep_houders(organisatie, op=op, zoek=zoek, sleutel=sleutel)
        .values(*_REGEL_VELDEN)
        .annotate(
            aantal=Count(f"{_LID}middel", distinct=True),
            aantal_binnenkort=Count(f"{_LID}middel", distinct=True, filter=Q(eindigt_op__lte=binnenkort)),
        )
        .order_by()
    )
    extra = False
    for regel in map(_regel, via_groep):
        bestaand = regels.get(regel.sleutel)
        if bestaand is None:
            regels[regel.sleutel], extra = replace(regel, via_groep=regel.aantal), True
        else:
            regels[regel.sleutel] = replace(
                bestaand,
                aantal=bestaand.aantal + regel.aantal,
                aantal_binnenkort=bestaand.aantal_binnenkort + regel.aantal_binnenkort,
                via_groep=regel.aantal,
            )
    uit = list(regels.values())
    # A line held only through groups is placed by the overview's order (the direct ones come ordered already).
    return sorted(uit, key=_volgorde) if extra else uit


_REGEL_VELDEN = (
    "scope",
    "dienst_id",
    "niveau",
    "dienstverlener_id",
    "dienst__naam",
    "dienst__naam_en",
    "dienst__niveau",
    "dienst__dienstverlener_id",
    "dienst__dienstverlener__naam",
    "dienst__dienstverlener__naam_en",
    "dienstverlener__naam",
    "dienstverlener__naam_en",
)


def _regel(r: dict) -> OverzichtRegel:
    return OverzichtRegel(
        sleutel=ScopeSleutel(r["scope"], r["dienst_id"], r["niveau"], r["dienstverlener_id"]),
        dienst_naam=r["dienst__naam"] or "",
        dienst_naam_en=r["dienst__naam_en"] or "",
        dienst_niveau=r["dienst__niveau"],
        dienstverlener_naam=r["dienst__dienstverlener__naam"] or r["dienstverlener__naam"] or "",
        dienstverlener_naam_en=r["dienst__dienstverlener__naam_en"] or r["dienstverlener__naam_en"] or "",
        aantal=r["aantal"],
        aantal_binnenkort=r["aantal_binnenkort"],
        verlener_id=r["dienst__dienstverlener_id"] or r["dienstverlener_id"],
    )


def _volgorde(regel: OverzichtRegel) -> tuple:
    """OVERZICHT_VOLGORDE in Python."""
    s = regel.sleutel
    algemeen = s.scope == Scope.ALGEMEEN
    return (
        0 if algemeen else 1,
        s.niveau or 0,
        "" if algemeen else regel.dienstverlener_naam,
        {Scope.ALGEMEEN: 0, Scope.DIENSTVERLENER: 1}.get(s.scope, 2),
        regel.dienst_naam,
        s.dienst_id or 0,
        s.dienstverlener_id or 0,
    )


def overzicht_regel(organisatie, sleutel: ScopeSleutel, *, op: dt.date | None = None) -> OverzichtRegel | None:
    """The overview's line of one scope, or None when nobody at the organisation holds it. One query."""
    regels = machtigingen_overzicht(organisatie, op=op, sleutel=sleutel)
    return regels[0] if regels else None


def machtiging_houders(organisatie, sleutel: ScopeSleutel, *, op: dt.date | None = None) -> list[Machtiging]:
    """R38 detail: the users holding this scope, with their middel (niveau), start and end, flagged when the
    machtiging ends within 2 months (R34). Ordered by name. One query."""
    op = op or vandaag()
    return list(
        lopende_machtigingen(organisatie, op=op)
        .filter(sleutel.q())
        .select_related("middel__persoon")
        .annotate(eindigt_binnenkort=eindigt_binnenkort(op))
        .order_by(*HOUDER_VOLGORDE)
    )


@dataclass
class GroepHouder:
    """A person holding a scope only through one or more groups (R24), as the details of a line show them: the
    edit actions are on the group's page."""

    middel_id: int
    naam: str
    niveau: int
    eindigt_op: dt.date
    eindigt_binnenkort: bool
    # (groep id, naam), by name
    groepen: list[tuple[int, str]] = field(default_factory=list)


def groep_houders(organisatie, sleutel: ScopeSleutel, *, op: dt.date | None = None) -> list[GroepHouder]:
    """R38 detail with R24: the people who hold this scope only through a group it counts for them in (R23, R30,
    R31), each once with the groups, by name. One query."""
    op = op or vandaag()
    persoon = f"{_LID_MIDDEL}persoon__"
    rijen = (
        _groep_houders(organisatie, op=op, sleutel=sleutel)
        .values_list(
            f"{_LID}middel_id",
            f"{persoon}voornamen",
            f"{persoon}tussenvoegsel",
            f"{persoon}achternaam",
            f"{_LID_MIDDEL}niveau",
            "eindigt_op",
            "groep_id",
            "groep__naam",
        )
        .order_by(f"{persoon}achternaam", f"{persoon}voornamen", f"{_LID}middel_id", "groep__naam", "groep_id")
    )
    houders: dict[int, GroepHouder] = {}
    for middel_id, voornamen, tussenvoegsel, achternaam, niveau, eindigt_op, groep_id, groep_naam in rijen:
        houder = houders.get(middel_id)
        if houder is None:
            houder = houders[middel_id] = GroepHouder(
                middel_id=middel_id,
                naam=naam_kort(voornamen, tussenvoegsel, achternaam),
                niveau=niveau,
                eindigt_op=eindigt_op,
                eindigt_binnenkort=False,
            )
        # Through several groups: held until the latest of their end dates.
        houder.eindigt_op = max(houder.eindigt_op, eindigt_op)
        houder.eindigt_binnenkort = houder.eindigt_op <= plus_maanden(op, BINNENKORT_MAANDEN)
        houder.groepen.append((groep_id, groep_naam))
    return list(houders.values())


def lopende_machtiging(organisatie, machtiging_id: int, *, op: dt.date | None = None) -> Machtiging | None:
    """One running machtiging of this organisation with its person and scope loaded; None for a revoked, expired,
    foreign or missing one (the screens answer 404). One query."""
    op = op or vandaag()
    return (
        lopende_machtigingen(organisatie, op=op)
        .filter(pk=machtiging_id)
        .select_related("middel__persoon", "dienst__dienstverlener", "dienstverlener")
        .annotate(eindigt_binnenkort=eindigt_binnenkort(op))
        .first()
    )


# The download's columns, read as tuples (no model instances per row), so a large organisation streams.
EXPORT_VELDEN = (
    "scope",
    "niveau",
    "dienst__naam",
    "dienst__naam_en",
    "dienst__niveau",
    "dienst__dienstverlener__naam",
    "dienst__dienstverlener__naam_en",
    "dienstverlener__naam",
    "dienstverlener__naam_en",
    "middel__persoon_id",
    "middel__persoon__voornamen",
    "middel__persoon__tussenvoegsel",
    "middel__persoon__achternaam",
    "middel__persoon__email",
    "middel__niveau",
    "begint_op",
    "eindigt_op",
)


def machtigingen_export(organisatie, *, zoek: str = "", op: dt.date | None = None) -> QuerySet:
    """The download (§2.1): one tuple of EXPORT_VELDEN per (machtiging, person), for the scopes the overview shows
    with the same search, in the overview's order and then by name. A lazy queryset, for `.iterator()`."""
    op = op or vandaag()
    return (
        _gezocht(organisatie, op=op, zoek=zoek)
        .order_by(*OVERZICHT_VOLGORDE, *HOUDER_VOLGORDE)
        .values_list(*EXPORT_VELDEN)
    )


def _via_groep_veld(veld: str) -> str:
    """An EXPORT_VELDEN path as seen from a group machtiging (the person is the member)."""
    return veld.replace("middel__", _LID_MIDDEL, 1) if veld.startswith("middel__") else veld


def machtigingen_export_via_groep(organisatie, *, zoek: str = "", op: dt.date | None = None) -> QuerySet:
    """R24 in the download: one tuple of EXPORT_VELDEN plus the group's name per (group machtiging, member) for
    the members it counts for who do not hold the scope directly, with the overview's search, in its order and
    then by name. A lazy queryset, for `.iterator()`."""
    op = op or vandaag()
    persoon = f"{_LID_MIDDEL}persoon__"
    return (
        _groep_houders(organisatie, op=op, zoek=zoek)
        .order_by(*OVERZICHT_VOLGORDE, f"{persoon}achternaam", f"{persoon}voornamen", "groep__naam", "pk")
        .values_list(*map(_via_groep_veld, EXPORT_VELDEN), "groep__naam")
    )
