"""+ Voeg toe in the rubriek Machtigingen (§4.2, §4.4, §4.5): diensten × people at once, with one end date.

One step, all or nothing (R36): every chosen pair is checked first (R23, R30, R31) and one refused pair
refuses the whole step with the reason per pair, nothing written. Pairs already running get the new end date
(that is how machtigingen are changed, extended and ended together); the others are added. One audit row per
machtiging (R74) and ONE message per person for the whole step (R37).

Set-based: a fixed number of queries however many pairs (the INSERTs are batched by the database driver's
limits only), and no model instance for the rows that are only updated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, gettext_lazy, ngettext

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen.machtigingen import Wijziging, meld_machtigingen_bulk
from common.dates import vandaag
from common.errors import DomainError
from common.locks import vergrendel
from common.weergave import datum
from gebruikers.models import Koppeling, Middel
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
    _iso,
    einddatum_voor_keuze,
)
from machtigingen.services.bulk_invoegen import machtigingen_invoegen
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


def _gekoppeld(organisatie) -> Exists:
    return Exists(
        Koppeling.objects.filter(middel=OuterRef("pk"), organisatie=organisatie, status=Koppeling.Status.ACTIEF)
    )


_STAAT_VELDEN = (
    "pk",
    "middel_id",
    "scope",
    "dienst_id",
    "niveau",
    "dienstverlener_id",
    "status",
    "begint_op",
    "eindigt_op",
    "termijn_begint_op",
    "ingetrokken_op",
)


def _staat(rij: dict) -> dict:
    """The audit snapshot of a machtiging read as values (the same keys as services._common._staat)."""
    return {
        "middel": rij["middel_id"],
        "scope": rij["scope"],
        "dienst": rij["dienst_id"],
        "niveau": rij["niveau"],
        "dienstverlener": rij["dienstverlener_id"],
        "status": rij["status"],
        "begint_op": _iso(rij["begint_op"]),
        "eindigt_op": _iso(rij["eindigt_op"]),
        "termijn_begint_op": _iso(rij["termijn_begint_op"]),
        "ingetrokken_op": _iso(rij["ingetrokken_op"]),
    }


def einddatum_bepalen(keuze: str | int | dt.date) -> dt.date:
    """R33/R73: the end date of a quick choice ("5", "3", "1") or of one's own, refused unless it lies between
    tomorrow and 5 years ahead."""
    eindigt_op = einddatum_voor_keuze(keuze)
    _controleer_einddatum(eindigt_op, vandaag())
    return eindigt_op


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
    """Check every pair and find the running ones, without writing. Refuses (DomainError) what concerns the
    whole step: no scope or person, an end date outside tomorrow … 5 years (R33, R73), a scope above the
    beheerder's niveau (R39) or withdrawn (R70), a person who is not of this organisation. Refused pairs are
    collected in `weigeringen`. `lock`: lock the people and the running machtigingen (the service)."""
    vandaag_ = vandaag()
    eindigt_op = einddatum_bepalen("5" if eindigt_op is None else eindigt_op)
    scopes = scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    if not scopes:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    middel_ids = ids_van(middelen)
    if not middel_ids:
        raise DomainError(GEEN_GEBRUIKER, code="geen_gebruiker")
    _controleer_scopes(scopes, beheerder_niveau)

    rijen = Middel.objects.filter(
        Exists(Koppeling.objects.filter(middel=OuterRef("pk"), organisatie=organisatie)), pk__in=middel_ids
    )
    if lock:
        # Locking the people serialises concurrent steps for them, so R36 cannot be raced into duplicates. The
        # service locked them already, in pk order (common.locks); this re-lock in name order is then a no-op.
        rijen = rijen.select_for_update(of=("self",), no_key=True)
    gekozen = list(
        rijen.annotate(gekoppeld=_gekoppeld(organisatie))
        .select_related("persoon")
        .order_by("persoon__achternaam", "persoon__voornamen", "pk")
    )
    # Someone who never was of this organisation is not named: answered as a person who cannot be chosen.
    if len(gekozen) != len(middel_ids):
        raise DomainError(NIET_ACTIEF, rule="R30")

    plan = BulkPlan(
        scopes=scopes, middelen=gekozen, eindigt_op=eindigt_op, belastingdienst=belastingdienst_sleutels(scopes)
    )
    for middel in gekozen:
        for scope in scopes:
            weigering = paar_weigering(
                middel_status=middel.status,
                middel_type=middel.type,
                middel_niveau=middel.niveau,
                gekoppeld=middel.gekoppeld,
                scope=scope,
                belastingdienst=scope.sleutel in plan.belastingdienst,
            )
            if weigering:
                plan.weigeringen.append(
                    PaarWeigering(
                        middel_id=middel.pk,
                        sleutel=scope.sleutel,
                        persoon=middel.persoon.naam,
                        scope=scope.naam,
                        rule=weigering,
                    )
                )

    bestaand = Machtiging.objects.filter(
        scopes_filter([s.sleutel for s in scopes]),
        organisatie=organisatie,
        middel_id__in=middel_ids,
        status=Status.ACTIEF,
    )
    if lock:
        bestaand = bestaand.select_for_update()
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
    raises BulkGeweigerd with the reason per refused pair, or DomainError for the whole step."""
    # The one lock order (common.locks): the organisation, then the people by pk (not in the name order below).
    vergrendel(organisaties=[organisatie], beheerders=False)
    beheerder_middel = _beheerder_middel(actor, organisatie.pk)
    middelen = ids_van(middelen)
    vergrendel(middelen=middelen)
    plan = bulk_plan(
        organisatie=organisatie,
        middelen=middelen,
        beheerder_niveau=beheerder_middel.niveau,
        diensten=diensten,
        algemene_niveaus=algemene_niveaus,
        dienstverleners=dienstverleners,
        eindigt_op=eindigt_op,
        lock=True,
    )
    if plan.weigeringen:
        raise BulkGeweigerd(plan.weigeringen)
    vandaag_ = vandaag()
    eindigt_op = plan.eindigt_op
    namen = {s.sleutel: s.naam for s in plan.scopes}
    personen = {m.pk: m.persoon for m in plan.middelen}
    # Formatted once: the loops below run once per pair.
    namen_persoon = {pk: p.naam for pk, p in personen.items()}
    datum_tekst = datum(eindigt_op)
    audit: list[dict] = []
    wijzigingen: dict[int, list[Wijziging]] = defaultdict(list)

    def regel(rij: dict, actie: Actie, omschrijving: str, voor: dict | None, na: dict) -> None:
        audit.append(
            {
                "organisatie_id": organisatie.pk,
                "actie": actie,
                "omschrijving": omschrijving,
                "object_type": Machtiging.__name__,
                "object_id": rij["pk"],
                "voor": voor,
                "na": na,
            }
        )

    if plan.verouderd:
        Machtiging.objects.filter(pk__in=[r["pk"] for r in plan.verouderd]).update(status=Status.VERLOPEN)
        verlopen = gettext("Machtiging verlopen")
        for rij in plan.verouderd:
            voor = _staat(rij)
            regel(rij, Actie.MACHTIGING_VERLOPEN, verlopen, voor, {**voor, "status": Status.VERLOPEN})

    if plan.lopend:
        Machtiging.objects.filter(pk__in=[r["pk"] for r in plan.lopend.values()]).update(
            eindigt_op=eindigt_op, termijn_begint_op=vandaag_
        )
        tekst = gettext("Einddatum machtiging %(scope)s van %(persoon)s gewijzigd naar %(datum)s")
        na_velden = {"eindigt_op": _iso(eindigt_op), "termijn_begint_op": _iso(vandaag_)}
        for (middel_id, sleutel), rij in plan.lopend.items():
            voor = _staat(rij)
            omschrijving = tekst % {"scope": namen[sleutel], "persoon": namen_persoon[middel_id], "datum": datum_tekst}
            regel(rij, Actie.MACHTIGING_EINDDATUM_GEWIJZIGD, omschrijving, voor, {**voor, **na_velden})
            wijzigingen[personen[middel_id].pk].append(Wijziging.einddatum(namen[sleutel], datum_tekst))

    nieuw = machtigingen_invoegen(
        organisatie.pk,
        [
            (middel.pk, scope.sleutel)
            for middel in plan.middelen
            for scope in plan.scopes
            if (middel.pk, scope.sleutel) not in plan.lopend
        ],
        begint_op=vandaag_,
        eindigt_op=eindigt_op,
    )
    tekst = gettext("Machtiging %(scope)s toegevoegd aan %(persoon)s, geldig tot %(datum)s")
    termijn = {"begint_op": _iso(vandaag_), "eindigt_op": _iso(eindigt_op), "termijn_begint_op": _iso(vandaag_)}
    for pk, middel_id, sleutel in nieuw:
        na = {
            "middel": middel_id,
            "scope": sleutel.scope,
            "dienst": sleutel.dienst_id,
            "niveau": sleutel.niveau,
            "dienstverlener": sleutel.dienstverlener_id,
            "status": Status.ACTIEF,
            **termijn,
            "ingetrokken_op": None,
        }
        omschrijving = tekst % {"scope": namen[sleutel], "persoon": namen_persoon[middel_id], "datum": datum_tekst}
        regel({"pk": pk}, Actie.MACHTIGING_TOEGEVOEGD, omschrijving, None, na)
        wijzigingen[personen[middel_id].pk].append(Wijziging.toegevoegd(namen[sleutel], datum_tekst))

    audit_bulk(audit, actor=actor)
    # R37: one message per person for the whole step, listing what changed for them.
    meld_machtigingen_bulk(organisatie=organisatie, wijzigingen=dict(_per_persoon(plan, wijzigingen)))
    return BulkResultaat(
        nieuw=len(nieuw), gewijzigd=len(plan.lopend), personen=len(plan.middelen), eindigt_op=eindigt_op
    )


def _per_persoon(plan: BulkPlan, wijzigingen: dict[int, list[Wijziging]]):
    gezien = set()
    for middel in plan.middelen:
        persoon = middel.persoon
        if persoon.pk in gezien:
            continue
        gezien.add(persoon.pk)
        yield persoon, wijzigingen[persoon.pk]
