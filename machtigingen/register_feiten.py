"""The core of the Machtigingenregister: load the facts of a batch of questions in six queries, then decide
each question in Python (R71, R72, R32, R70, R23, R24, R73, R75). See `machtigingen.register` for the rules.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.conf import settings
from django.utils import timezone

from catalogus.models import INTERMEDIATIE_MET_GOEDKEURING, Dienst
from catalogus.rules import via_intermediair_toegestaan
from common.dates import MAX_JAREN, plus_jaren
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen.models import termijn_begin
from ketenmachtigingen.rules import KETEN_MINIMUM_NIVEAU
from machtigingen import register_sql
from machtigingen.models import Scope, Status
from machtigingen.register_uitkomst import Beslissing, Pad, PadSoort, Reden, RedenCode, Vraag

# The Belastingdienst's OIN (Organisatie-identificatienummer) as it appears as ServiceProviderID in the
# Dienstencatalogus. An EH3 Belastingdienstmiddel logs in only at diensten of this dienstverlener (R23).
# Overridable with the setting BELASTINGDIENST_OIN (e.g. for the test edition of the catalogue).
BELASTINGDIENST_OIN = "00000001003214345000"


def belastingdienst_oin() -> str:
    return getattr(settings, "BELASTINGDIENST_OIN", BELASTINGDIENST_OIN)


@dataclass(frozen=True, slots=True)
class MiddelFeit:
    """What the decision reads of a middel (as `register_sql.middelen` gives it)."""

    pk: int
    persoon_id: int
    status: str
    niveau: int
    type: str


@dataclass(frozen=True, slots=True)
class DienstFeit:
    """What the decision reads of a dienst and its dienstverlener (as `register_sql.diensten` gives it)."""

    pk: int
    service_uuid: uuid.UUID
    niveau: int
    intermediatie: str
    ingetrokken: bool
    dienstverlener_id: int
    dienstverlener_ingetrokken: bool
    oin: str

    @property
    def goedkeuring_nodig(self) -> bool:
        return self.intermediatie in INTERMEDIATIE_MET_GOEDKEURING


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


def _afgetopt(eindigt_op: dt.date, termijn_start: dt.date) -> dt.date:
    """R73 in the decision itself: never honoured past the term start + 5 years, whatever the stored end."""
    return min(eindigt_op, plus_jaren(termijn_start, MAX_JAREN))


def _eigen_dan_groep_op_id(row) -> tuple[bool, int]:
    # Own machtigingen and group machtigingen number apart: their ids may be equal.
    return row[10] is not None, row[0]


def _dekt(scope: str, dienst_id, niveau, dienstverlener_id, dienst: DienstFeit) -> bool:
    if scope == Scope.DIENST:
        return dienst_id == dienst.pk
    if scope == Scope.ALGEMEEN:
        return niveau is not None and dienst.niveau <= niveau
    return dienstverlener_id == dienst.dienstverlener_id


# The values under which some intermediair may use a dienst (R75); any other, unknown ones included, never.
_MOGELIJK_VIA_INTERMEDIAIR = frozenset(
    {
        Dienst.Intermediatie.ALGEMEEN,
        Dienst.Intermediatie.ALLEEN_DIENSTVERLENER,
        Dienst.Intermediatie.NA_GOEDKEURING,
    }
)

_DIRECT_VOORRANG = {Scope.DIENST: 0, Scope.DIENSTVERLENER: 1, Scope.ALGEMEEN: 2}
_PAD_SOORT = {
    Scope.DIENST: PadSoort.DIRECT,
    Scope.ALGEMEEN: PadSoort.ALGEMENE_BEVOEGDHEID,
    Scope.DIENSTVERLENER: PadSoort.DIENSTVERLENERSMACHTIGING,
}


@dataclass
class Feiten:
    """The facts of one batch, loaded once (`laad`), and the decision per question (`beslis`)."""

    dag: dt.date
    middel_per_pk: dict = field(default_factory=dict)
    middel_per_persoon: dict = field(default_factory=dict)
    dienst_per_pk: dict = field(default_factory=dict)
    dienst_per_uuid: dict = field(default_factory=dict)
    # (middel_id, organisatie_id) -> list of (status, opzeggen_per)
    koppelingen: dict = field(default_factory=lambda: defaultdict(list))
    # (middel_id, organisatie_id) -> list of machtiging tuples: the own ones and the groups' (R24, last column);
    # eindigt_op (index 9) capped at the term start + 5 years (R73)
    machtigingen: dict = field(default_factory=lambda: defaultdict(list))
    # verlener_id -> list of ketenmachtiging tuples, eindigt_op (index 9) capped as above
    keten: dict = field(default_factory=lambda: defaultdict(list))
    # R75: set of (intermediair_id, dienst_id) the dienstverlener approved, for diensten that need it
    goedkeuringen: set = field(default_factory=set)
    # set of (ketenmachtiging_id, middel_id)
    keten_links: set = field(default_factory=set)

    @classmethod
    def laad(cls, vragen: Sequence[Vraag], dag: dt.date) -> "Feiten":
        f = cls(dag=dag)
        # A MiddelFeit was loaded by the register's own query moments ago (the API's, by public id): taken as it
        # is. A model instance or a pk is loaded afresh, so a stale instance never decides.
        for v in vragen:
            if isinstance(v.middel, MiddelFeit):
                f.middel_per_pk[v.middel.pk] = v.middel
                f.middel_per_persoon[v.middel.persoon_id] = v.middel
        middel_pks = {_pk(v.middel) for v in vragen if v.middel is not None and not isinstance(v.middel, MiddelFeit)}
        persoon_pks = {_pk(v.persoon) for v in vragen if v.middel is None and v.persoon is not None}
        org_pks = {_pk(v.organisatie) for v in vragen}
        dienst_pks, dienst_uuids = set(), set()
        for v in vragen:
            soort, sleutel = _dienst_sleutel(v.dienst)
            (dienst_pks if soort == "pk" else dienst_uuids).add(sleutel)

        # 1. middelen, fresh from the database
        for row in register_sql.middelen(middel_pks, persoon_pks):
            m = MiddelFeit(*row)
            f.middel_per_pk[m.pk] = m
            f.middel_per_persoon[m.persoon_id] = m
        # 2. diensten with their dienstverlener
        for row in register_sql.diensten(dienst_pks, dienst_uuids):
            d = DienstFeit(*row)
            f.dienst_per_pk[d.pk] = d
            f.dienst_per_uuid[d.service_uuid] = d
        mids = set(f.middel_per_pk)

        # 3. every koppeling of these middelen: direct paths need one at the organisatie, chains one at A
        koppeling_orgs = set()
        for middel_id, org_id, status, opzeggen_per in register_sql.koppelingen(mids):
            f.koppelingen[(middel_id, org_id)].append((status, opzeggen_per))
            koppeling_orgs.add(org_id)
        # 4. machtigingen (any status: the expired and revoked ones give the reason) that may cover a dienst,
        #    the middel's own and, in the same query, those of the groups it is a current member of at the
        #    organisation (R24); the last column is the group (None for an own machtiging).
        for row in register_sql.machtigingen(mids, org_pks, f.dienst_per_pk.values()):
            termijn_start = row[10] or row[8]  # as the machtiging's own R73 constraint counts
            f.machtigingen[(row[1], row[2])].append((*row[:9], _afgetopt(row[9], termijn_start), row[11]))
        # 5. which ketenmachtigingen of these verleners are linked to these middelen
        f.keten_links = set(register_sql.keten_links(mids, org_pks))
        # 6. the ketenmachtigingen relevant to the batch: linked to a middel, or to an intermediair where one
        #    of the middelen has a koppeling (those explain why a chain does not apply). Not narrowed by the
        #    diensten asked, so a batch gives the same reasons as single questions. In the same query a row per
        #    approval of the intermediair valid on the day for the diensten of the batch that need one (R75).
        einde_dag = timezone.make_aware(dt.datetime.combine(dag + dt.timedelta(days=1), dt.time.min))
        gezien = set()
        for row in register_sql.ketenmachtigingen(
            org_pks,
            {k for k, _m in f.keten_links},
            koppeling_orgs,
            goedkeuring_diensten=sorted(d.pk for d in f.dienst_per_pk.values() if d.goedkeuring_nodig),
            einde_dag=einde_dag,
        ):
            if row[11] is not None:
                f.goedkeuringen.add((row[2], row[11]))
            if row[0] in gezien:
                continue
            gezien.add(row[0])
            f.keten[row[1]].append((*row[:9], _afgetopt(row[9], termijn_begin(row[8], row[10]))))
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
        if dienst.ingetrokken or dienst.dienstverlener_ingetrokken:
            algemeen.append(RedenCode.DIENST_INGETROKKEN)
        if middel.niveau < dienst.niveau:
            algemeen.append(RedenCode.NIVEAU_TE_LAAG)
        if middel.type == Middel.Type.BELASTINGDIENST and dienst.oin != belastingdienst_oin():
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

    def _direct(self, middel, org_id: int, dienst: DienstFeit) -> tuple[Pad | None, list[RedenCode]]:
        if not self.koppeling_actief(middel.pk, org_id):
            if self.koppelingen.get((middel.pk, org_id)):
                return None, [RedenCode.KOPPELING_NIET_ACTIEF]
            return None, [RedenCode.GEEN_KOPPELING]
        # By id: the rows come in the database's order, which a single question and a batch need not share, and the
        # same question must give the same reasons in the same order.
        dekkend = sorted(
            (
                row
                for row in self.machtigingen.get((middel.pk, org_id), ())
                if _dekt(row[3], row[4], row[5], row[6], dienst)
            ),
            key=_eigen_dan_groep_op_id,
        )
        geldig = [row for row in dekkend if _geldig(row[7], row[8], row[9], self.dag)]
        if geldig:
            # An own machtiging before a group's (R24): it is the more specific path for the beheerder.
            beste = min(geldig, key=lambda row: (row[10] is not None, _DIRECT_VOORRANG[row[3]], row[0]))
            if beste[10] is not None:
                pad = Pad(
                    soort=PadSoort.GROEP,
                    scope=beste[3],
                    eindigt_op=beste[9],
                    groep_id=beste[10],
                    groep_machtiging_id=beste[0],
                )
                return pad, []
            return Pad(soort=_PAD_SOORT[beste[3]], scope=beste[3], eindigt_op=beste[9], machtiging_id=beste[0]), []
        if dekkend:
            return None, [_ongeldig_reden(row[7], row[8], row[9], self.dag, keten=False) for row in dekkend]
        return None, [RedenCode.GEEN_MACHTIGING]

    def _keten(self, middel, org_id: int, dienst: DienstFeit) -> tuple[Pad | None, list[RedenCode]]:
        # Candidates: ketenmachtigingen of this client linked to the middel, or issued to an organisation where
        # the middel has a koppeling. Without candidates there is no chain to explain.
        kandidaten = [
            row
            for row in self.keten.get(org_id, ())
            if (row[0], middel.pk) in self.keten_links or (middel.pk, row[2]) in self.koppelingen
        ]
        if not kandidaten:
            return None, []
        dekkend = sorted(
            (row for row in kandidaten if _dekt(row[3], row[4], row[5], row[6], dienst)), key=itemgetter(0)
        )
        if not dekkend:
            return None, [RedenCode.KETEN_DEKT_DIENST_NIET]
        # What rules out every chain for this middel and dienst, whichever ketenmachtiging.
        redenen: list[RedenCode] = []
        if dienst.intermediatie not in _MOGELIJK_VIA_INTERMEDIAIR:
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
            # R75: the approval is of this ketenmachtiging's intermediair (deny by default).
            if not algemeen_uitgesloten and not via_intermediair_toegestaan(
                dienst.intermediatie, goedgekeurd=(row[2], dienst.pk) in self.goedkeuringen
            ):
                fouten.append(RedenCode.KETEN_INTERMEDIAIR_NIET_GOEDGEKEURD)
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
