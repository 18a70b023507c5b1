"""The Machtigingenregister (R71, R72, R32, R70): may this middel act for this organisatie at this dienst now?

One decision function answers with a clear yes (and the path that permits it) or no (and every reason why).
The register is read-only and decides at query time from the stored facts, so:

- an Algemene bevoegdheid niveau N covers every dienst with niveau <= N, and a Dienstverlenersmachtiging every
  dienst of that dienstverlener, including diensten a later catalogue import adds (R32, R70);
- validity is checked on dates, not only on status, because the expiry jobs may lag behind the calendar:
  a (keten)machtiging is valid on days begint_op <= dag < eindigt_op with status actief;
- a koppeling with a planned termination (`opzeggen_per`) no longer counts from that date on.

Ketenmachtigingen (R72) have exactly one intermediair: person G of intermediair A acts for client B when B's
ketenmachtiging to A covers the dienst and is valid, the dienst allows intermediation, and G's middel is Actief,
regular, EH3 or higher, at least the dienst niveau, has an actief koppeling at A, and is linked to that
ketenmachtiging. A's own ketenmachtigingen are never followed further (no chains of chains).

Every decision, single or batch, takes a constant number of queries (see `beslis_batch`).
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalogus.models import Dienst
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging, Scope, Status

# The Belastingdienst's OIN (Organisatie-identificatienummer) as it appears as ServiceProviderID in the
# Dienstencatalogus. An EH3 Belastingdienstmiddel logs in only at diensten of this dienstverlener (R23).
# Overridable with the setting BELASTINGDIENST_OIN (e.g. for the test edition of the catalogue).
BELASTINGDIENST_OIN = "00000001003214345000"

# Ketenmachtigingen need a regular middel at EH3 or higher at the intermediair (R44, R72).
KETEN_MINIMUM_NIVEAU = Niveau.EH3


def belastingdienst_oin() -> str:
    return getattr(settings, "BELASTINGDIENST_OIN", BELASTINGDIENST_OIN)


class PadSoort(StrEnum):
    DIRECT = "direct"
    ALGEMENE_BEVOEGDHEID = "algemene_bevoegdheid"
    DIENSTVERLENERSMACHTIGING = "dienstverlenersmachtiging"
    KETENMACHTIGING = "ketenmachtiging"


class RedenCode(StrEnum):
    MIDDEL_ONBEKEND = "middel_onbekend"
    MIDDEL_NIET_ACTIEF = "middel_niet_actief"
    DIENST_ONBEKEND = "dienst_onbekend"
    DIENST_INGETROKKEN = "dienst_ingetrokken"
    NIVEAU_TE_LAAG = "niveau_te_laag"
    BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER = "belastingdienstmiddel_andere_dienstverlener"
    GEEN_KOPPELING = "geen_koppeling"
    KOPPELING_NIET_ACTIEF = "koppeling_niet_actief"
    GEEN_MACHTIGING = "geen_machtiging"
    MACHTIGING_NOG_NIET_GELDIG = "machtiging_nog_niet_geldig"
    MACHTIGING_VERLOPEN = "machtiging_verlopen"
    MACHTIGING_INGETROKKEN = "machtiging_ingetrokken"
    KETEN_DEKT_DIENST_NIET = "ketenmachtiging_dekt_dienst_niet"
    KETEN_NOG_NIET_GELDIG = "ketenmachtiging_nog_niet_geldig"
    KETEN_VERLOPEN = "ketenmachtiging_verlopen"
    KETEN_INGETROKKEN = "ketenmachtiging_ingetrokken"
    KETEN_GEEN_INTERMEDIATIE = "dienst_niet_via_intermediair"
    KETEN_MIDDEL_NIET_GEKOPPELD = "ketenmachtiging_middel_niet_gekoppeld"
    KETEN_GEEN_KOPPELING_INTERMEDIAIR = "ketenmachtiging_geen_koppeling_intermediair"
    KETEN_MIDDEL_NIET_REGULIER = "ketenmachtiging_middel_niet_regulier"
    KETEN_NIVEAU_TE_LAAG = "ketenmachtiging_niveau_te_laag"


REDEN_TEKSTEN: dict[RedenCode, Promise] = {
    RedenCode.MIDDEL_ONBEKEND: _("Deze persoon heeft geen eHerkenningsmiddel."),
    RedenCode.MIDDEL_NIET_ACTIEF: _("Het eHerkenningsmiddel is niet actief."),
    RedenCode.DIENST_ONBEKEND: _("Deze dienst staat niet in de dienstencatalogus."),
    RedenCode.DIENST_INGETROKKEN: _("Deze dienst is uit de dienstencatalogus ingetrokken."),
    RedenCode.NIVEAU_TE_LAAG: _("Het niveau van het eHerkenningsmiddel is lager dan de dienst vereist."),
    RedenCode.BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER: _(
        "Met een EH3 Belastingdienstmiddel logt u alleen in bij diensten van de Belastingdienst."
    ),
    RedenCode.GEEN_KOPPELING: _("Het eHerkenningsmiddel is niet gekoppeld aan deze organisatie."),
    RedenCode.KOPPELING_NIET_ACTIEF: _(
        "De koppeling van het eHerkenningsmiddel aan deze organisatie is beëindigd of nog niet actief."
    ),
    RedenCode.GEEN_MACHTIGING: _("Er is geen machtiging voor deze dienst."),
    RedenCode.MACHTIGING_NOG_NIET_GELDIG: _("De machtiging voor deze dienst is nog niet ingegaan."),
    RedenCode.MACHTIGING_VERLOPEN: _("De machtiging voor deze dienst is verlopen."),
    RedenCode.MACHTIGING_INGETROKKEN: _("De machtiging voor deze dienst is ingetrokken."),
    RedenCode.KETEN_DEKT_DIENST_NIET: _("De ketenmachtiging geldt niet voor deze dienst."),
    RedenCode.KETEN_NOG_NIET_GELDIG: _("De ketenmachtiging is nog niet ingegaan."),
    RedenCode.KETEN_VERLOPEN: _("De ketenmachtiging is verlopen."),
    RedenCode.KETEN_INGETROKKEN: _("De ketenmachtiging is ingetrokken."),
    RedenCode.KETEN_GEEN_INTERMEDIATIE: _("Deze dienst kan niet via een intermediair worden gebruikt."),
    RedenCode.KETEN_MIDDEL_NIET_GEKOPPELD: _(
        "Het eHerkenningsmiddel is door de beheerder van de intermediair niet aan de ketenmachtiging gekoppeld."
    ),
    RedenCode.KETEN_GEEN_KOPPELING_INTERMEDIAIR: _(
        "Het eHerkenningsmiddel heeft geen actieve koppeling bij de intermediair."
    ),
    RedenCode.KETEN_MIDDEL_NIET_REGULIER: _(
        "Voor ketenmachtigingen is een regulier eHerkenningsmiddel nodig, geen Belastingdienstmiddel."
    ),
    RedenCode.KETEN_NIVEAU_TE_LAAG: _("Voor ketenmachtigingen is een eHerkenningsmiddel op niveau EH3 of hoger nodig."),
}


@dataclass(frozen=True)
class Reden:
    code: RedenCode
    tekst: Promise | str

    @classmethod
    def van(cls, code: RedenCode) -> "Reden":
        return cls(code=code, tekst=REDEN_TEKSTEN[code])


@dataclass(frozen=True)
class Pad:
    """How the register permits: which machtiging or ketenmachtiging, with which scope, valid until when."""

    soort: PadSoort
    scope: str
    eindigt_op: dt.date
    machtiging_id: int | None = None
    ketenmachtiging_id: int | None = None
    intermediair_id: int | None = None


@dataclass(frozen=True)
class Beslissing:
    toegestaan: bool
    pad: Pad | None
    redenen: tuple[Reden, ...]
    middel_id: int | None
    organisatie_id: int
    dienst_id: int | None
    service_uuid: uuid.UUID | None
    dag: dt.date

    def as_authzen(self) -> dict:
        """The decision in the shape of an OpenID AuthZEN evaluation response."""
        context: dict = {"dag": self.dag.isoformat()}
        if self.pad is not None:
            context["pad"] = {
                "soort": str(self.pad.soort),
                "scope": self.pad.scope,
                "eindigt_op": self.pad.eindigt_op.isoformat(),
                "machtiging_id": self.pad.machtiging_id,
                "ketenmachtiging_id": self.pad.ketenmachtiging_id,
                "intermediair_id": self.pad.intermediair_id,
            }
        if self.redenen:
            context["reason_user"] = [{"code": str(r.code), "nl": str(r.tekst)} for r in self.redenen]
        return {"decision": self.toegestaan, "context": context}


@dataclass(frozen=True)
class Vraag:
    """One question for the batch: a middel (or the persoon holding it), the organisatie, the dienst."""

    organisatie: object
    dienst: object
    middel: object = None
    persoon: object = None


# ---------------------------------------------------------------------------------------------- public API


def beslis(*, middel=None, persoon=None, organisatie, dienst, moment=None) -> Beslissing:
    """May this middel (or the middel of this persoon) act for this organisatie at this dienst at this moment?

    `middel`, `persoon`, `organisatie` are instances or primary keys; `dienst` is a Dienst, its pk or its
    ServiceUUID; `moment` a datetime or date (default now). Six queries at most, whatever the data.
    """
    return beslis_batch([Vraag(middel=middel, persoon=persoon, organisatie=organisatie, dienst=dienst)], moment=moment)[
        0
    ]


def beslis_voor_diensten(
    *, middel=None, persoon=None, organisatie, diensten: Iterable | None = None, moment=None
) -> list[Beslissing]:
    """The decision for many diensten at once (every dienst in the catalogue when `diensten` is None)."""
    if diensten is None:
        diensten = list(Dienst.objects.select_related("dienstverlener").order_by("pk"))
    vragen = [Vraag(middel=middel, persoon=persoon, organisatie=organisatie, dienst=d) for d in diensten]
    return beslis_batch(vragen, moment=moment)


def beslis_batch(vragen: Sequence[Vraag], *, moment=None) -> list[Beslissing]:
    """Decide many questions in a constant number of queries (six), answers in the order asked.

    The facts are loaded once for all middelen, organisaties and diensten in the batch, then each question
    is decided in Python. Middel and dienst are always reloaded, so a stale instance never decides.
    """
    dag = _dag(moment)
    if not vragen:
        return []
    feiten = _Feiten.laad(vragen, dag)
    return [feiten.beslis(vraag) for vraag in vragen]


# ---------------------------------------------------------------------------------------------- internals


def _dag(moment) -> dt.date:
    if moment is None:
        return timezone.localdate()
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def _pk(value) -> int | None:
    if value is None:
        return None
    return getattr(value, "pk", value)


def _dienst_sleutel(value) -> tuple[str, object]:
    if isinstance(value, Dienst):
        return ("pk", value.pk)
    if isinstance(value, uuid.UUID):
        return ("uuid", value)
    if isinstance(value, str):
        return ("uuid", uuid.UUID(value))
    return ("pk", value)


def _geldig(status: str, begint_op: dt.date, eindigt_op: dt.date, dag: dt.date) -> bool:
    return status == Status.ACTIEF and begint_op <= dag < eindigt_op


def _ongeldig_reden(status: str, begint_op: dt.date, eindigt_op: dt.date, dag: dt.date, keten: bool) -> RedenCode:
    # Revoked wins over expired: it is the more telling reason for the beheerder.
    if status == Status.INGETROKKEN:
        return RedenCode.KETEN_INGETROKKEN if keten else RedenCode.MACHTIGING_INGETROKKEN
    if status == Status.VERLOPEN or dag >= eindigt_op:
        return RedenCode.KETEN_VERLOPEN if keten else RedenCode.MACHTIGING_VERLOPEN
    return RedenCode.KETEN_NOG_NIET_GELDIG if keten else RedenCode.MACHTIGING_NOG_NIET_GELDIG


def _dekt(scope: str, dienst_id, niveau, dienstverlener_id, dienst: Dienst) -> bool:
    if scope == Scope.DIENST:
        return dienst_id == dienst.pk
    if scope == Scope.ALGEMEEN:
        return niveau is not None and dienst.niveau <= niveau
    return dienstverlener_id == dienst.dienstverlener_id


def _scope_filter(diensten: Iterable[Dienst]) -> Q:
    diensten = list(diensten)
    if not diensten:
        return Q(pk__in=[])
    return (
        Q(scope=Scope.DIENST, dienst_id__in={d.pk for d in diensten})
        | Q(scope=Scope.ALGEMEEN, niveau__gte=min(d.niveau for d in diensten))
        | Q(scope=Scope.DIENSTVERLENER, dienstverlener_id__in={d.dienstverlener_id for d in diensten})
    )


_DIRECT_VOORRANG = {Scope.DIENST: 0, Scope.DIENSTVERLENER: 1, Scope.ALGEMEEN: 2}
_PAD_SOORT = {
    Scope.DIENST: PadSoort.DIRECT,
    Scope.ALGEMEEN: PadSoort.ALGEMENE_BEVOEGDHEID,
    Scope.DIENSTVERLENER: PadSoort.DIENSTVERLENERSMACHTIGING,
}


@dataclass
class _Feiten:
    dag: dt.date
    middel_per_pk: dict = field(default_factory=dict)
    middel_per_persoon: dict = field(default_factory=dict)
    dienst_per_pk: dict = field(default_factory=dict)
    dienst_per_uuid: dict = field(default_factory=dict)
    # (middel_id, organisatie_id) -> list of (status, opzeggen_per)
    koppelingen: dict = field(default_factory=lambda: defaultdict(list))
    # (middel_id, organisatie_id) -> list of machtiging tuples
    machtigingen: dict = field(default_factory=lambda: defaultdict(list))
    # verlener_id -> list of ketenmachtiging tuples
    keten: dict = field(default_factory=lambda: defaultdict(list))
    # set of (ketenmachtiging_id, middel_id)
    keten_links: set = field(default_factory=set)

    @classmethod
    def laad(cls, vragen: Sequence[Vraag], dag: dt.date) -> "_Feiten":
        f = cls(dag=dag)
        middel_pks = {_pk(v.middel) for v in vragen if v.middel is not None}
        persoon_pks = {_pk(v.persoon) for v in vragen if v.middel is None and v.persoon is not None}
        org_pks = {_pk(v.organisatie) for v in vragen}
        dienst_pks, dienst_uuids = set(), set()
        for v in vragen:
            soort, sleutel = _dienst_sleutel(v.dienst)
            (dienst_pks if soort == "pk" else dienst_uuids).add(sleutel)

        # 1. middelen, fresh from the database
        for m in Middel.objects.filter(Q(pk__in=middel_pks) | Q(persoon_id__in=persoon_pks)).only(
            "pk", "persoon_id", "status", "niveau", "type"
        ):
            f.middel_per_pk[m.pk] = m
            f.middel_per_persoon[m.persoon_id] = m
        # 2. diensten with their dienstverlener
        for d in Dienst.objects.filter(Q(pk__in=dienst_pks) | Q(service_uuid__in=dienst_uuids)).select_related(
            "dienstverlener"
        ):
            f.dienst_per_pk[d.pk] = d
            f.dienst_per_uuid[d.service_uuid] = d
        mids = set(f.middel_per_pk)
        scope_q = _scope_filter(f.dienst_per_pk.values())

        # 3. every koppeling of these middelen: direct paths need one at the organisatie, chains one at A
        koppeling_orgs = set()
        for middel_id, org_id, status, opzeggen_per in Koppeling.objects.filter(middel_id__in=mids).values_list(
            "middel_id", "organisatie_id", "status", "opzeggen_per"
        ):
            f.koppelingen[(middel_id, org_id)].append((status, opzeggen_per))
            koppeling_orgs.add(org_id)
        # 4. machtigingen (any status: the expired and revoked ones give the reason) that may cover a dienst
        for row in (
            Machtiging.objects.filter(middel_id__in=mids, organisatie_id__in=org_pks)
            .filter(scope_q)
            .values_list(
                "pk",
                "middel_id",
                "organisatie_id",
                "scope",
                "dienst_id",
                "niveau",
                "dienstverlener_id",
                "status",
                "begint_op",
                "eindigt_op",
            )
        ):
            f.machtigingen[(row[1], row[2])].append(row)
        # 5. which ketenmachtigingen of these verleners are linked to these middelen
        f.keten_links = set(
            KetenmachtigingMiddel.objects.filter(
                middel_id__in=mids, ketenmachtiging__verlener_id__in=org_pks
            ).values_list("ketenmachtiging_id", "middel_id")
        )
        # 6. the ketenmachtigingen relevant to the batch: linked to a middel, or to an intermediair where one
        #    of the middelen has a koppeling (those explain why a chain does not apply). Not narrowed by the
        #    diensten asked, so a batch gives the same reasons as single questions.
        linked_ids = {k for k, _m in f.keten_links}
        for row in (
            Ketenmachtiging.objects.filter(verlener_id__in=org_pks)
            .filter(Q(pk__in=linked_ids) | Q(intermediair_id__in=koppeling_orgs))
            .values_list(
                "pk",
                "verlener_id",
                "intermediair_id",
                "scope",
                "dienst_id",
                "niveau",
                "dienstverlener_id",
                "status",
                "begint_op",
                "eindigt_op",
            )
            .order_by("pk")
        ):
            f.keten[row[1]].append(row)
        return f

    # -- helpers over the loaded facts

    def _middel(self, vraag: Vraag):
        if vraag.middel is not None:
            return self.middel_per_pk.get(_pk(vraag.middel))
        if vraag.persoon is not None:
            return self.middel_per_persoon.get(_pk(vraag.persoon))
        return None

    def _dienst(self, vraag: Vraag):
        soort, sleutel = _dienst_sleutel(vraag.dienst)
        return (self.dienst_per_pk if soort == "pk" else self.dienst_per_uuid).get(sleutel)

    def koppeling_actief(self, middel_id: int, org_id: int) -> bool:
        return any(
            status == Koppeling.Status.ACTIEF and (opzeggen_per is None or self.dag < opzeggen_per)
            for status, opzeggen_per in self.koppelingen.get((middel_id, org_id), ())
        )

    # -- the decision

    def beslis(self, vraag: Vraag) -> Beslissing:
        org_id = _pk(vraag.organisatie)
        middel = self._middel(vraag)
        dienst = self._dienst(vraag)
        uitkomst = dict(
            middel_id=middel.pk if middel else None,
            organisatie_id=org_id,
            dienst_id=dienst.pk if dienst else None,
            service_uuid=dienst.service_uuid if dienst else None,
            dag=self.dag,
        )

        def nee(codes: list[RedenCode]) -> Beslissing:
            uniek = list(dict.fromkeys(codes))
            return Beslissing(toegestaan=False, pad=None, redenen=tuple(Reden.van(c) for c in uniek), **uitkomst)

        # Conditions every path shares (R23, R30, R31, R70).
        algemeen: list[RedenCode] = []
        if middel is None:
            algemeen.append(RedenCode.MIDDEL_ONBEKEND)
        if dienst is None:
            algemeen.append(RedenCode.DIENST_ONBEKEND)
        if algemeen:
            return nee(algemeen)
        if middel.status != Middel.Status.ACTIEF:
            algemeen.append(RedenCode.MIDDEL_NIET_ACTIEF)
        if dienst.ingetrokken or dienst.dienstverlener.ingetrokken:
            algemeen.append(RedenCode.DIENST_INGETROKKEN)
        if middel.niveau < dienst.niveau:
            algemeen.append(RedenCode.NIVEAU_TE_LAAG)
        if middel.type == Middel.Type.BELASTINGDIENST and dienst.dienstverlener.oin != belastingdienst_oin():
            algemeen.append(RedenCode.BELASTINGDIENSTMIDDEL_ANDERE_DIENSTVERLENER)
        if algemeen:
            return nee(algemeen)

        keten_redenen: list[RedenCode] = []
        pad, direct_redenen = self._direct(middel, org_id, dienst)
        if pad is None:
            pad, keten_redenen = self._keten(middel, org_id, dienst)
        if pad is not None:
            return Beslissing(toegestaan=True, pad=pad, redenen=(), **uitkomst)
        return nee(direct_redenen + keten_redenen)

    def _direct(self, middel, org_id: int, dienst: Dienst) -> tuple[Pad | None, list[RedenCode]]:
        if not self.koppeling_actief(middel.pk, org_id):
            if self.koppelingen.get((middel.pk, org_id)):
                return None, [RedenCode.KOPPELING_NIET_ACTIEF]
            return None, [RedenCode.GEEN_KOPPELING]
        dekkend = [
            row
            for row in self.machtigingen.get((middel.pk, org_id), ())
            if _dekt(row[3], row[4], row[5], row[6], dienst)
        ]
        geldig = [row for row in dekkend if _geldig(row[7], row[8], row[9], self.dag)]
        if geldig:
            beste = min(geldig, key=lambda row: (_DIRECT_VOORRANG[row[3]], row[0]))
            return Pad(soort=_PAD_SOORT[beste[3]], scope=beste[3], eindigt_op=beste[9], machtiging_id=beste[0]), []
        if dekkend:
            return None, [_ongeldig_reden(row[7], row[8], row[9], self.dag, keten=False) for row in dekkend]
        return None, [RedenCode.GEEN_MACHTIGING]

    def _keten(self, middel, org_id: int, dienst: Dienst) -> tuple[Pad | None, list[RedenCode]]:
        # Candidates: ketenmachtigingen of this client linked to the middel, or issued to an organisation where
        # the middel has a koppeling. Without candidates there is no chain to explain.
        kandidaten = [
            row
            for row in self.keten.get(org_id, ())
            if (row[0], middel.pk) in self.keten_links or (middel.pk, row[2]) in self.koppelingen
        ]
        if not kandidaten:
            return None, []
        dekkend = [row for row in kandidaten if _dekt(row[3], row[4], row[5], row[6], dienst)]
        if not dekkend:
            return None, [RedenCode.KETEN_DEKT_DIENST_NIET]
        # What rules out every chain for this middel and dienst, whichever ketenmachtiging.
        redenen: list[RedenCode] = []
        if dienst.intermediatie == Dienst.Intermediatie.GEEN:
            redenen.append(RedenCode.KETEN_GEEN_INTERMEDIATIE)
        if middel.type != Middel.Type.REGULIER:
            redenen.append(RedenCode.KETEN_MIDDEL_NIET_REGULIER)
        if middel.niveau < KETEN_MINIMUM_NIVEAU:
            redenen.append(RedenCode.KETEN_NIVEAU_TE_LAAG)
        algemeen_uitgesloten = bool(redenen)
        for row in dekkend:
            fouten: list[RedenCode] = []
            if not _geldig(row[7], row[8], row[9], self.dag):
                fouten.append(_ongeldig_reden(row[7], row[8], row[9], self.dag, keten=True))
            if (row[0], middel.pk) not in self.keten_links:
                fouten.append(RedenCode.KETEN_MIDDEL_NIET_GEKOPPELD)
            if not self.koppeling_actief(middel.pk, row[2]):
                fouten.append(RedenCode.KETEN_GEEN_KOPPELING_INTERMEDIAIR)
            if not fouten and not algemeen_uitgesloten:
                pad = Pad(
                    soort=PadSoort.KETENMACHTIGING,
                    scope=row[3],
                    eindigt_op=row[9],
                    ketenmachtiging_id=row[0],
                    intermediair_id=row[2],
                )
                return pad, []
            redenen.extend(fouten)
        return None, redenen
