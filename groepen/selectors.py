"""Reads for Groepen (R24), each in a fixed number of queries, scoped to one organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext, ngettext

from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from groepen import rules
from groepen.models import Groep, GroepLid, GroepMachtiging
from machtigingen.models import Scope, Status
from machtigingen.register import belastingdienst_oin
from machtigingen.selectors import BINNENKORT_MAANDEN, lopende_machtigingen


@dataclass(frozen=True)
class KiesbareGroep:
    """A group as *Kies gebruikers* offers it: `leden` are the middel ids of its Actief members (R30)."""

    pk: int
    naam: str
    leden: list[int] = field(default_factory=list)


def groepen_van(organisatie):
    """The organisation's existing groups (the scoped queryset every view starts from)."""
    return Groep.objects.bestaand().filter(organisatie=organisatie)


def huidige_leden(groep_or_groepen=None):
    """Memberships that count: the koppeling is still running (a person who left drops out at once)."""
    qs = GroepLid.objects.filter(koppeling__in=Koppeling.objects.lopend())
    if groep_or_groepen is not None:
        qs = (
            qs.filter(groep=groep_or_groepen)
            if isinstance(groep_or_groepen, Groep)
            else qs.filter(groep__in=groep_or_groepen)
        )
    return qs


def kiesbare_groepen(organisatie) -> list[KiesbareGroep]:
    """The organisation's groups by name, each with the middel ids of its members whose middel and koppeling are
    Actief (the only ones who can get machtigingen, R30). Two queries, whatever the number of groups or members."""
    groepen = list(groepen_van(organisatie).order_by(Lower("naam"), "pk").values_list("pk", "naam"))
    leden: dict[int, list[int]] = defaultdict(list)
    for groep_id, middel_id in (
        GroepLid.objects.filter(
            groep__in=[pk for pk, _naam in groepen],
            koppeling__status=Koppeling.Status.ACTIEF,
            koppeling__middel__status=Middel.Status.ACTIEF,
        )
        .order_by("koppeling__middel__persoon__achternaam", "koppeling__middel__persoon__voornamen", "pk")
        .values_list("groep_id", "koppeling__middel_id")
    ):
        leden[groep_id].append(middel_id)
    return [KiesbareGroep(pk=pk, naam=naam, leden=leden[pk]) for pk, naam in groepen]


@dataclass
class GroepDekking:
    """A group as *Kies gebruikers* and the wizard's summary show it under the chosen scopes (R24): its current
    members and, per rule (R30, R31, R23), how many of them the machtiging would not count for."""

    pk: int
    naam: str
    aantal_leden: int = 0
    niet_gedekt: dict[str, int] = field(default_factory=dict)

    @property
    def aantal_niet_gedekt(self) -> int:
        return sum(self.niet_gedekt.values())

    @property
    def omschrijving(self) -> str:
        """ "3 leden, 1 niet gedekt (niveau)": the summary's words for the group."""
        tekst = ngettext("%(n)d lid", "%(n)d leden", self.aantal_leden) % {"n": self.aantal_leden}
        if self.niet_gedekt:
            tekst += ", " + gettext("%(n)d niet gedekt (%(redenen)s)") % {
                "n": self.aantal_niet_gedekt,
                "redenen": self.redenen,
            }
        return tekst

    @property
    def redenen(self) -> str:
        return ", ".join(str(rules.DEKKING_KORT[code]) for code in sorted(self.niet_gedekt))


def groepen_dekking(organisatie, scopes, *, belastingdienst=frozenset(), ids=None) -> list[GroepDekking]:
    """The organisation's groups (only those of `ids` when given) by name, each with its current members counted
    and those for whom a machtiging of the chosen `scopes` (GekozenScope) would not count, as the group's page and
    the register decide (rules.dekking). `belastingdienst`: the keys of the scopes of the Belastingdienst (R23).
    Two queries, whatever the number of groups or members."""
    qs = groepen_van(organisatie)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    groepen = {
        pk: GroepDekking(pk=pk, naam=naam) for pk, naam in qs.order_by(Lower("naam"), "pk").values_list("pk", "naam")
    }
    if not groepen:
        return []
    for lid in huidige_leden(list(groepen)).select_related("koppeling__middel"):
        groep = groepen[lid.groep_id]
        groep.aantal_leden += 1
        for scope in scopes:
            code = rules.dekking(
                middel=lid.koppeling.middel,
                koppeling=lid.koppeling,
                scope=scope.sleutel.scope,
                vereist_niveau=scope.vereist_niveau,
                bij_belastingdienst=scope.sleutel in belastingdienst,
            )
            if not rules.telt(code):
                groep.niet_gedekt[code] = groep.niet_gedekt.get(code, 0) + 1
                break
    return list(groepen.values())


def overzicht(organisatie, *, zoek: str = "", op=None) -> list[Groep]:
    """The overview: every group by name with `aantal_leden` (current members) and `aantal_machtigingen` (group
    machtigingen in force). One query, whatever the number of groups."""
    op = op or vandaag()
    qs = groepen_van(organisatie)
    if zoek:
        qs = qs.filter(naam__icontains=zoek)
    return list(
        qs.annotate(
            aantal_leden=Count(
                "leden",
                filter=Q(leden__koppeling__status__in=[Koppeling.Status.AANGEVRAAGD, Koppeling.Status.ACTIEF]),
                distinct=True,
            ),
            aantal_machtigingen=Count(
                "machtigingen",
                filter=Q(
                    machtigingen__status=Status.ACTIEF,
                    machtigingen__begint_op__lte=op,
                    machtigingen__eindigt_op__gt=op,
                ),
                distinct=True,
            ),
        ).order_by(Lower("naam"), "pk")
    )


# --- a group's page -----------------------------------------------------------------------------------------


@dataclass
class LidDekking:
    """One member under one group machtiging: whether it counts for them and, if not, why (R23, R30, R31)."""

    code: str | None

    @property
    def telt(self) -> bool:
        return rules.telt(self.code)

    @property
    def tekst(self):
        return rules.DEKKING_TEKSTEN.get(self.code, "")


@dataclass
class GroepLidRegel:
    lid: GroepLid
    koppeling: Koppeling
    middel: Middel
    persoon: object
    dekking: list[LidDekking] = field(default_factory=list)

    @property
    def niveau_badge(self) -> str:
        return Niveau(self.middel.niveau).badge

    @property
    def actief(self) -> bool:
        return self.middel.status == Middel.Status.ACTIEF and self.koppeling.status == Koppeling.Status.ACTIEF


@dataclass
class GroepMachtigingRegel:
    machtiging: GroepMachtiging
    naam: str
    vereist_niveau: int | None
    bij_belastingdienst: bool
    eindigt_binnenkort: bool
    aantal_gedekt: int = 0
    niet_gedekt: list[tuple[GroepLidRegel, LidDekking]] = field(default_factory=list)

    @property
    def niveau_badge(self) -> str:
        return Niveau(self.vereist_niveau).badge if self.vereist_niveau else ""

    @property
    def verleng_query(self) -> str:
        """R34: the query that opens *Voeg machtiging toe* with this scope chosen (adding it again extends it,
        R36)."""
        m = self.machtiging
        if m.scope == Scope.DIENST:
            return f"dienst={m.dienst_id}"
        if m.scope == Scope.ALGEMEEN:
            return f"algemeen={m.niveau}"
        return f"dienstverlener={m.dienstverlener_id}"


@dataclass
class GemeenschappelijkeMachtiging:
    """A machtiging every member holds of their own (direct, not through this group)."""

    naam: str
    eindigt_op: object


@dataclass
class GroepDetails:
    groep: Groep
    leden: list[GroepLidRegel]
    machtigingen: list[GroepMachtigingRegel]
    gemeenschappelijk: list[GemeenschappelijkeMachtiging]


def scope_naam(m) -> str:
    if m.scope == Scope.DIENST:
        return f"{m.dienst.dienstverlener} – {m.dienst}"
    return m.scope_omschrijving


def lopende_groep_machtigingen(groep, *, op=None):
    """The group's machtigingen in force on `op` (default today): status actief and within their dates."""
    op = op or vandaag()
    return GroepMachtiging.objects.filter(groep=groep, status=Status.ACTIEF, begint_op__lte=op, eindigt_op__gt=op)


def groep_details(organisatie, groep_id: int, *, op=None, gemeenschappelijk: bool = True) -> GroepDetails:
    """A group's page: its current members (by name), its running machtigingen each with who it does not count
    for and why (R23, R30, R31, as the register decides), and the machtigingen all members hold themselves.
    Four queries, whatever the number of members and machtigingen. Foreign or deleted → Groep.DoesNotExist."""
    op = op or vandaag()
    groep = groepen_van(organisatie).get(pk=groep_id)
    leden = [
        GroepLidRegel(
            lid=lid, koppeling=lid.koppeling, middel=lid.koppeling.middel, persoon=lid.koppeling.middel.persoon
        )
        for lid in huidige_leden(groep)
        .select_related("koppeling__middel__persoon")
        .order_by("koppeling__middel__persoon__achternaam", "koppeling__middel__persoon__voornamen", "pk")
    ]
    bd_oin = belastingdienst_oin()
    machtigingen = []
    for m in (
        lopende_groep_machtigingen(groep, op=op)
        .select_related("dienst__dienstverlener", "dienstverlener")
        .annotate(
            laagste=Min("dienstverlener__diensten__niveau", filter=Q(dienstverlener__diensten__ingetrokken=False))
        )
        .order_by("scope", "niveau", "dienst__dienstverlener__naam", "dienst__naam", "dienstverlener__naam", "pk")
    ):
        if m.scope == Scope.DIENST:
            vereist, verlener = m.dienst.niveau, m.dienst.dienstverlener
        elif m.scope == Scope.ALGEMEEN:
            vereist, verlener = m.niveau, None
        else:
            vereist, verlener = m.laagste, m.dienstverlener
        machtigingen.append(
            GroepMachtigingRegel(
                machtiging=m,
                naam=scope_naam(m),
                vereist_niveau=vereist,
                bij_belastingdienst=verlener is not None and verlener.oin == bd_oin,
                eindigt_binnenkort=m.eindigt_op <= plus_maanden(op, BINNENKORT_MAANDEN),
            )
        )
    for regel in leden:
        for mr in machtigingen:
            d = LidDekking(
                rules.dekking(
                    middel=regel.middel,
                    koppeling=regel.koppeling,
                    scope=mr.machtiging.scope,
                    vereist_niveau=mr.vereist_niveau,
                    bij_belastingdienst=mr.bij_belastingdienst,
                )
            )
            regel.dekking.append(d)
            if d.code is None:
                mr.aantal_gedekt += 1
            else:
                mr.niet_gedekt.append((regel, d))
    return GroepDetails(
        groep=groep,
        leden=leden,
        machtigingen=machtigingen,
        gemeenschappelijk=_gemeenschappelijk(organisatie, leden, op) if gemeenschappelijk else [],
    )


def _gemeenschappelijk(organisatie, leden: list[GroepLidRegel], op) -> list[GemeenschappelijkeMachtiging]:
    """The scopes every member holds as an own machtiging (one aggregate query; none without members)."""
    middel_ids = {regel.middel.pk for regel in leden}
    if not middel_ids:
        return []
    rijen = (
        lopende_machtigingen(organisatie, op=op)
        .filter(middel_id__in=middel_ids)
        .values(
            "scope",
            "dienst_id",
            "niveau",
            "dienstverlener_id",
            "dienst__naam",
            "dienst__dienstverlener__naam",
            "dienstverlener__naam",
        )
        .annotate(aantal=Count("middel", distinct=True), eerste_einde=Min("eindigt_op"))
        .filter(aantal=len(middel_ids))
        .order_by("scope", "niveau", "dienst__dienstverlener__naam", "dienst__naam", "dienstverlener__naam")
    )
    uit = []
    for r in rijen:
        if r["scope"] == Scope.DIENST:
            naam = f"{r['dienst__dienstverlener__naam']} – {r['dienst__naam']}"
        elif r["scope"] == Scope.ALGEMEEN:
            naam = f"{Scope.ALGEMEEN.label} {Niveau(r['niveau']).label}"
        else:
            naam = f"{Scope.DIENSTVERLENER.label} {r['dienstverlener__naam']}"
        uit.append(GemeenschappelijkeMachtiging(naam=naam, eindigt_op=r["eerste_einde"]))
    return uit


def kandidaat_leden(organisatie, groep, *, zoek: str = "", limiet: int = 100):
    """The people who can join the group (R24: a running koppeling, middel not ended or rejected), not yet
    members, by name, searchable; at most `limiet` (+1 to tell there are more). One query."""
    qs = (
        Koppeling.objects.lopend()
        .filter(organisatie=organisatie)
        .exclude(middel__status__in=[Middel.Status.BEEINDIGD, Middel.Status.AFGEKEURD])
        .exclude(pk__in=GroepLid.objects.filter(groep=groep).values("koppeling_id"))
        .select_related("middel__persoon")
        .order_by("middel__persoon__achternaam", "middel__persoon__voornamen", "pk")
    )
    if zoek:
        qs = qs.filter(
            Q(middel__persoon__achternaam__icontains=zoek)
            | Q(middel__persoon__voornamen__icontains=zoek)
            | Q(middel__persoon__email__icontains=zoek)
        )
    return list(qs[: limiet + 1])


# --- for other screens (a person's details, the own profile) ------------------------------------------------
