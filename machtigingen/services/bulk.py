"""+ Voeg toe in the rubriek Machtigingen (§4.2, §4.4, §4.5): diensten × people at once, with one end date.

One step, all or nothing (R36): every chosen pair is checked first (R23, R30, R31) and one refused pair
refuses the whole step with the reason per pair, nothing written. Pairs already running get the new end date
(that is how machtigingen are changed, extended and ended together); the others are added. Per person one audit
entry for what was added and one for what got the new end date, each with every machtiging's before and after
(R74: who, when, organisation, what, before and after; the Logboek shows the person's line with a field per
machtiging, and finds it by the person's name); and ONE message per person for the whole step (R37), written as
its context and rendered at delivery (berichten.outbox.plaats_in_bulk).

Set-based: a fixed number of queries however many pairs (the INSERTs are batched by the database driver's
limits only), and no model instance per pair or per machtiging: 10,000 pairs are plain tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext, gettext_lazy, ngettext

from audit.services import audit_bulk
from berichten.meldingen.machtigingen import Wijziging, meld_machtigingen_bulk
from common.dates import vandaag
from common.errors import DomainError
from common.locks import vergrendel
from common.weergave import datum
from gebruikers.models import Koppeling, Middel, Persoon
from machtigingen import rules
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.selectors import (
    NIVEAU_TE_LAAG_BULK,
    GekozenScope,
    ScopeSleutel,
    ids_van,
    scopes_filter,
    scopes_oplossen,
)
from machtigingen.selectors_toevoegen import (
    BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST,
    WEIGERING_BELASTINGDIENST,
    WEIGERING_NIET_ACTIEF,
    belastingdienst_sleutels,
    paar_weigering,
)
from machtigingen.services._common import (
    GEEN_GEBRUIKER,
    GEEN_MACHTIGING,
    NIET_ACTIEF,
    _beheerder_middel,
    _controleer_einddatum,
    _controleer_scopes,
    einddatum_voor_keuze,
)
from machtigingen.services.bulk_audit import _STAAT_VELDEN, _AuditRegels, _verouderd_sluiten
from machtigingen.services.bulk_invoegen import _rauw, als_tekst, machtigingen_invoegen
from organisaties.models import Organisatie

# The refusing rule → the words shown per refused pair.
REDENEN = {
    WEIGERING_NIET_ACTIEF: NIET_ACTIEF,
    rules.WEIGERING_NIVEAU_TE_LAAG: NIVEAU_TE_LAAG_BULK,
    WEIGERING_BELASTINGDIENST: BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST,
}
STAP_GEWEIGERD = gettext_lazy(
    "Er is niets toegevoegd of gewijzigd: niet elke gekozen persoon kan elke gekozen machtiging krijgen."
)


@dataclass(frozen=True)
class PaarWeigering:
    middel_id: int
    sleutel: ScopeSleutel
    persoon: str
    scope: str
    rule: str

    @property
    def reden(self) -> str:
        return str(REDENEN[self.rule])


class BulkGeweigerd(DomainError):
    """The whole step is refused: `weigeringen` says per pair why."""

    def __init__(self, weigeringen: list[PaarWeigering]):
        super().__init__(STAP_GEWEIGERD, rule=weigeringen[0].rule, code="paren_geweigerd")
        self.weigeringen = weigeringen


@dataclass
class BulkPlan:
    """What the step will do: the chosen scopes and people, the pairs that are new and those that get the new
    end date, and the refused pairs. Read by the summary and by the service."""

    scopes: list[GekozenScope]
    middelen: list[Middel]
    eindigt_op: dt.date
    belastingdienst: frozenset[ScopeSleutel]
    # (middel id, scope key) → the running machtiging's values
    lopend: dict[tuple[int, ScopeSleutel], dict] = field(default_factory=dict)
    verouderd: list[dict] = field(default_factory=list)
    weigeringen: list[PaarWeigering] = field(default_factory=list)

    @property
    def aantal_paren(self) -> int:
        return len(self.scopes) * len(self.middelen)

    @property
    def aantal_gewijzigd(self) -> int:
        return len(self.lopend)

    @property
    def aantal_nieuw(self) -> int:
        return self.aantal_paren - self.aantal_gewijzigd

    def keuzes(self) -> dict:
        """The chosen scopes as the service takes them."""
        sleutels = [s.sleutel for s in self.scopes]
        return {
            "diensten": [s.dienst_id for s in sleutels if s.scope == Scope.DIENST],
            "algemene_niveaus": [s.niveau for s in sleutels if s.scope == Scope.ALGEMEEN],
            "dienstverleners": [s.dienstverlener_id for s in sleutels if s.scope == Scope.DIENSTVERLENER],
        }

    def regels(self) -> list[tuple[Middel, list[dict]]]:
        """The summary per person: per chosen scope whether it is new, gets the new end date (and what it was),
        or is refused and why."""
        geweigerd = {(w.middel_id, w.sleutel): w for w in self.weigeringen}
        regels = []
        for middel in self.middelen:
            cellen = []
            for scope in self.scopes:
                paar = (middel.pk, scope.sleutel)
                weigering = geweigerd.get(paar)
                bestaand = self.lopend.get(paar)
                cellen.append(
                    {
                        "scope": scope,
                        "weigering": weigering.reden if weigering else "",
                        "was": bestaand["eindigt_op"] if bestaand else None,
                    }
                )
            regels.append((middel, cellen))
        return regels


def einddatum_bepalen(keuze: str | int | dt.date) -> dt.date:
    """R33/R73: the end date of a quick choice ("5", "3", "1") or of one's own, refused unless it lies between
    tomorrow and 5 years ahead."""
    eindigt_op = einddatum_voor_keuze(keuze)
    _controleer_einddatum(eindigt_op, vandaag())
    return eindigt_op


def _stap_controleren(
    *, middelen, beheerder_niveau: int, diensten, algemene_niveaus, dienstverleners, eindigt_op
) -> tuple[dt.date, list[GekozenScope], list[int]]:
    """What refuses the whole step (DomainError): the end date (R33, R73), no scope or person, a scope above the
    beheerder's niveau (R39) or withdrawn (R70). The end date, the scopes and the middel ids."""
    eindigt_op = einddatum_bepalen("5" if eindigt_op is None else eindigt_op)
    scopes = scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    if not scopes:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    middel_ids = ids_van(middelen)
    if not middel_ids:
        raise DomainError(GEEN_GEBRUIKER, code="geen_gebruiker")
    _controleer_scopes(scopes, beheerder_niveau)
    return eindigt_op, scopes, middel_ids


def _gekozen_qs(organisatie, middel_ids: list[int], *, lock: bool):
    """The chosen people who ever were of this organisation, with whether they are linked now, in name order.
    The organisation's koppelingen as one uncorrelated subquery each: per person it would scan them all."""
    rijen = Middel.objects.filter(
        pk__in=middel_ids, id__in=Koppeling.objects.filter(organisatie=organisatie).values("middel_id")
    )
    if lock:
        # Locking the people serialises concurrent steps for them, so R36 cannot be raced into duplicates. The
        # service locked them already, in pk order (common.locks); this re-lock in name order is then a no-op.
        rijen = rijen.select_for_update(of=("self",), no_key=True)
    gekoppeld = Koppeling.objects.filter(organisatie=organisatie, status=Koppeling.Status.ACTIEF)
    return rijen.annotate(
        gekoppeld=ExpressionWrapper(Q(pk__in=gekoppeld.values("middel_id")), output_field=BooleanField())
    ).order_by("persoon__achternaam", "persoon__voornamen", "pk")


def _paar_weigeringen(staat: tuple, scopes: list[GekozenScope], belastingdienst, hoogste: int | None):
    """R23, R30, R31 for one person and every chosen scope: the refused pairs. Most people pass every pair, which
    one look at the highest niveau asked tells; only the others are checked pair by pair."""
    status, type_, niveau, gekoppeld = staat
    if (
        status == Middel.Status.ACTIEF
        and gekoppeld
        and type_ != Middel.Type.BELASTINGDIENST
        and rules.niveau_volstaat(niveau, hoogste)
    ):
        return []
    weigeringen = []
    for scope in scopes:
        weigering = paar_weigering(
            middel_status=status,
            middel_type=type_,
            middel_niveau=niveau,
            gekoppeld=gekoppeld,
            scope=scope,
            belastingdienst=scope.sleutel in belastingdienst,
        )
        if weigering:
            weigeringen.append((scope, weigering))
    return weigeringen


def _hoogste_vereist(scopes: list[GekozenScope]) -> int | None:
    return max((s.vereist_niveau for s in scopes if s.vereist_niveau is not None), default=None)


def _bestaand_qs(organisatie, middel_ids: list[int], scopes: list[GekozenScope], *, lock: bool):
    bestaand = Machtiging.objects.filter(
        scopes_filter([s.sleutel for s in scopes]),
        organisatie=organisatie,
        middel_id__in=middel_ids,
        status=Status.ACTIEF,
    )
    return bestaand.select_for_update() if lock else bestaand


def bulk_plan(
    *,
    organisatie: Organisatie,
    middelen: Iterable,
    beheerder_niveau: int,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
    lock: bool = False,
) -> BulkPlan:
    """Check every pair and find the running ones, without writing (the summary of step 4). Refuses
    (DomainError) what concerns the whole step: no scope or person, an end date outside tomorrow … 5 years (R33,
    R73), a scope above the beheerder's niveau (R39) or withdrawn (R70), a person who is not of this
    organisation. Refused pairs are collected in `weigeringen`. `lock`: lock the people and the running
    machtigingen."""
    vandaag_ = vandaag()
    eindigt_op, scopes, middel_ids = _stap_controleren(
        middelen=middelen,
        beheerder_niveau=beheerder_niveau,
        diensten=diensten,
        algemene_niveaus=algemene_niveaus,
        dienstverleners=dienstverleners,
        eindigt_op=eindigt_op,
    )
    gekozen = list(_gekozen_qs(organisatie, middel_ids, lock=lock).select_related("persoon"))
    # Someone who never was of this organisation is not named: answered as a person who cannot be chosen.
    if len(gekozen) != len(middel_ids):
        raise DomainError(NIET_ACTIEF, rule="R30")

    plan = BulkPlan(
        scopes=scopes, middelen=gekozen, eindigt_op=eindigt_op, belastingdienst=belastingdienst_sleutels(scopes)
    )
    hoogste = _hoogste_vereist(scopes)
    for middel in gekozen:
        staat = (middel.status, middel.type, middel.niveau, middel.gekoppeld)
        for scope, weigering in _paar_weigeringen(staat, scopes, plan.belastingdienst, hoogste):
            plan.weigeringen.append(
                PaarWeigering(
                    middel_id=middel.pk,
                    sleutel=scope.sleutel,
                    persoon=middel.persoon.naam,
                    scope=scope.naam,
                    rule=weigering,
                )
            )

    bestaand = _bestaand_qs(organisatie, middel_ids, scopes, lock=lock)
    for rij in bestaand.order_by("pk").values(*_STAAT_VELDEN):
        sleutel = ScopeSleutel(rij["scope"], rij["dienst_id"], rij["niveau"], rij["dienstverlener_id"])
        if rij["eindigt_op"] > vandaag_:
            plan.lopend[(rij["middel_id"], sleutel)] = rij
        else:
            # Past its end date but not yet flipped by the job: it has ended, so it is closed and replaced.
            plan.verouderd.append(rij)
    return plan


@dataclass(frozen=True)
class BulkResultaat:
    nieuw: int
    gewijzigd: int
    personen: int
    eindigt_op: dt.date

    @property
    def bevestiging(self) -> str:
        """The confirmation on screen (R74)."""
        delen = []
        if self.nieuw:
            delen.append(
                ngettext("%(n)d machtiging toegevoegd", "%(n)d machtigingen toegevoegd", self.nieuw) % {"n": self.nieuw}
            )
        if self.gewijzigd:
            delen.append(
                ngettext(
                    "van %(n)d machtiging de einddatum gewijzigd",
                    "van %(n)d machtigingen de einddatum gewijzigd",
                    self.gewijzigd,
                )
                % {"n": self.gewijzigd}
            )
        return gettext("Gelukt: %(wat)s, geldig tot %(datum)s, voor %(personen)s.") % {
            "wat": gettext(" en ").join(delen),
            "datum": datum(self.eindigt_op),
            "personen": ngettext("%(n)d persoon", "%(n)d personen", self.personen) % {"n": self.personen},
        }


# What the service reads of the chosen people: the pair checks and, for the person, what the audit line and the
# message need (Persoon instances with only these fields).
_PERSOON_VELDEN = ("id", "voornamen", "tussenvoegsel", "achternaam", "email", "taal")
_GEKOZEN_VELDEN = ("pk", "status", "type", "niveau", "gekoppeld") + tuple(f"persoon__{v}" for v in _PERSOON_VELDEN)
_BESTAAND_VELDEN = ("pk", "middel_id", "scope", "dienst_id", "niveau", "dienstverlener_id")


@transaction.atomic
def machtigingen_bulk_toevoegen(
    *,
    actor,
    organisatie: Organisatie,
    middelen: Iterable,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
) -> BulkResultaat:
    """§4.2/§4.4/§4.5: give every one of `middelen` every chosen scope until `eindigt_op` (a date, or the quick
    choice "5", "3", "1"; default 5 years). Pairs already running get the new end date (R36). All or nothing:
    raises BulkGeweigerd with the reason per refused pair, or DomainError for the whole step.

    The same checks as `bulk_plan`, but reading plain values: a step of 10,000 pairs makes no model instance per
    pair (nor per machtiging), and writes one audit line per person and kind of change (R74) and one message
    per person (R37), rendered at delivery."""
    # The one lock order (common.locks): the organisation, then the people by pk (not in the name order below).
    vergrendel(organisaties=[organisatie], beheerders=False)
    beheerder_middel = _beheerder_middel(actor, organisatie.pk)
    vergrendel(middelen=ids_van(middelen))
    eindigt_op, scopes, middel_ids = _stap_controleren(
        middelen=middelen,
        beheerder_niveau=beheerder_middel.niveau,
        diensten=diensten,
        algemene_niveaus=algemene_niveaus,
        dienstverleners=dienstverleners,
        eindigt_op=eindigt_op,
    )
    gekozen = list(_gekozen_qs(organisatie, middel_ids, lock=True).values_list(*_GEKOZEN_VELDEN))
    if len(gekozen) != len(middel_ids):
        raise DomainError(NIET_ACTIEF, rule="R30")
    belastingdienst = belastingdienst_sleutels(scopes)
    hoogste = _hoogste_vereist(scopes)
    db = Middel.objects.db
    personen: dict[int, Persoon] = {}  # middel id → its person, in name order
    weigeringen = []
    for middel_id, *staat_en_persoon in gekozen:
        staat, persoon_waarden = staat_en_persoon[:4], staat_en_persoon[4:]
        persoon = personen[middel_id] = Persoon.from_db(db, _PERSOON_VELDEN, persoon_waarden)
        for scope, weigering in _paar_weigeringen(staat, scopes, belastingdienst, hoogste):
            weigeringen.append(
                PaarWeigering(
                    middel_id=middel_id, sleutel=scope.sleutel, persoon=persoon.naam, scope=scope.naam, rule=weigering
                )
            )
    if weigeringen:
        raise BulkGeweigerd(weigeringen)

    vandaag_ = vandaag()
    bestaand = _bestaand_qs(organisatie, middel_ids, scopes, lock=True)
    # Per middel: scope key (scope, dienst, niveau, dienstverlener) → (pk, eindigt_op, termijn_begint_op) of the
    # running ones, dates as ISO text.
    lopend: dict[int, dict[tuple, tuple]] = {middel_id: {} for middel_id in personen}
    verouderd: list[int] = []
    heden = vandaag_.isoformat()
    for pk, middel_id, scope, dienst_id, niveau, verlener_id, eind, termijn in _rauw(
        bestaand.values_list(*_BESTAAND_VELDEN, als_tekst("eindigt_op"), als_tekst("termijn_begint_op"))
    ):
        if eind > heden:
            lopend[middel_id][(scope, dienst_id, niveau, verlener_id)] = (pk, eind, termijn)
        else:
            # Past its end date but not yet flipped by the job: it has ended, so it is closed and replaced.
            verouderd.append(pk)
    aantal_gewijzigd = sum(map(len, lopend.values()))
    audit: list[dict] = []
    if verouderd:
        _verouderd_sluiten(organisatie, verouderd, audit)

    if aantal_gewijzigd:
        # The same rows as read above (locked, and the people are locked): by the predicate, not 5,000 ids.
        gewijzigd = bestaand.filter(eindigt_op__gt=vandaag_).update(eindigt_op=eindigt_op, termijn_begint_op=vandaag_)
        if gewijzigd != aantal_gewijzigd:
            raise RuntimeError(f"{gewijzigd} machtigingen given the new end date, {aantal_gewijzigd} expected")

    # Plain values per pair, and one Wijziging per kind and scope shared by everyone: 10,000 pairs then leave few
    # objects for the garbage collector to trace (a full collection costs more than the whole INSERT).
    namen = [(_sleutel_tuple(s), s) for s in scopes]
    toegevoegd = {middel_id: [s for sleutel, s in namen if sleutel not in lopend[middel_id]] for middel_id in personen}
    aantal_nieuw = machtigingen_invoegen(
        organisatie.pk,
        [(middel_id, s.sleutel) for middel_id, lijst in toegevoegd.items() for s in lijst],
        begint_op=vandaag_,
        eindigt_op=eindigt_op,
    )

    datum_tekst = datum(eindigt_op)
    regel_toegevoegd = {s.naam: Wijziging("toegevoegd", s.naam, datum_tekst) for s in scopes}
    regel_einddatum = {s.naam: Wijziging("einddatum", s.naam, datum_tekst) for s in scopes}
    naam_van = {sleutel: s.naam for sleutel, s in namen}
    audit_regels = _AuditRegels(organisatie.pk, datum_tekst, eindigt_op, vandaag_)
    # A person has one middel (Middel.persoon is one-to-one): per middel is per person.
    wijzigingen: dict[Persoon, list[Wijziging]] = {}
    for middel_id, persoon in personen.items():
        nieuwe_namen = [s.naam for s in toegevoegd[middel_id]]
        verlengd = [
            (pk, naam_van[sleutel], eind, termijn) for sleutel, (pk, eind, termijn) in lopend[middel_id].items()
        ]
        wijzigingen[persoon] = [regel_einddatum[v[1]] for v in verlengd] + [regel_toegevoegd[n] for n in nieuwe_namen]
        audit += audit_regels.persoon(middel_id, persoon.naam, nieuwe_namen, verlengd)

    audit_bulk(audit, actor=actor)
    # R37: one message per person for the whole step, listing what changed for them.
    meld_machtigingen_bulk(organisatie=organisatie, wijzigingen=wijzigingen)
    return BulkResultaat(nieuw=aantal_nieuw, gewijzigd=aantal_gewijzigd, personen=len(gekozen), eindigt_op=eindigt_op)


def _sleutel_tuple(scope: GekozenScope) -> tuple:
    """The scope key as the columns read it: (scope, dienst id, niveau, dienstverlener id)."""
    s = scope.sleutel
    return (s.scope, s.dienst_id, s.niveau, s.dienstverlener_id)
