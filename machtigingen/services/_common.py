"""Shared by the machtigingen services: refusal texts, the actor check (R4), end-date and
scope checks (R31, R33, R39, R73), the audit snapshot (R74) and the R37 hook.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from berichten.meldingen import meld_machtigingen_gewijzigd_per_organisatie
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from gebruikers.models import Middel
from gebruikers.rules import beheer_koppeling
from machtigingen import rules
from machtigingen.models import Machtiging, Scope
from machtigingen.rules import BOVEN_EIGEN_NIVEAU  # defined with its rule; re-exported by the services
from machtigingen.selectors import (
    NIVEAU_TE_LAAG,
    GekozenScope,
    ScopeSleutel,
    scopes_oplossen,
)

logger = logging.getLogger(__name__)


NIET_BEHEERDER = _("Alleen een beheerder van deze organisatie kan machtigingen beheren.")
NIET_ACTIEF = _("Alleen actieve gebruikers kunnen een machtiging krijgen.")
DIENST_INGETROKKEN = _("Deze dienst is ingetrokken en kan niet meer worden toegekend.")
EINDDATUM_TE_VROEG = _("De einddatum kan op zijn vroegst de volgende dag zijn.")
EINDDATUM_TE_LAAT = _("De einddatum van een machtiging kan maximaal 5 jaar vooruit worden gezet.")
GEEN_MACHTIGING = _("Kies ten minste één machtiging.")
GEEN_GEBRUIKER = _("Kies ten minste één gebruiker.")
MACHTIGING_NIET_GEVONDEN = _("Deze machtiging bestaat niet.")
MACHTIGING_NIET_ACTIEF = _("Deze machtiging is niet meer actief.")
ONBEKENDE_KEUZE = _("Kies 5 jaar, 3 jaar, 1 jaar of bepaal zelf de datum.")


# R33's quick choices, in years; 5 is the default ("meest gekozen").
SNELKEUZES = {"5": 5, "3": 3, "1": 1}


def _meld_wijziging(paren: Iterable[tuple[int, int]], actie: Actie) -> None:
    """R37: the hook that tells each person, with ONE e-mail per organisation per action, that their machtigingen
    changed. `paren` are the affected (persoon id, organisatie id) pairs.

    Called exactly once per action, inside the action's transaction, so the outbox rows are written atomically
    with the change and sent after commit; a constant number of queries however many persons and organisations.
    """
    paren = frozenset(paren)
    logger.info("machtigingen gewijzigd (%s) voor %d persoon/personen", actie, len({p for p, _o in paren}))
    if paren:
        meld_machtigingen_gewijzigd_per_organisatie(paren=paren, actie=actie)


def _beheerder_middel(actor, organisatie_id: int) -> Middel:
    """R4: the actor's own middel, when the actor is a beheerder of this organisation (actief koppeling, Actief
    regular middel at EH2+ or higher, organisation not terminated). Its niveau bounds what it grants (R39)."""
    if getattr(actor, "pk", None) is None:
        raise DomainError(NIET_BEHEERDER, rule="R4")
    koppeling = beheer_koppeling(actor, organisatie_id)
    if koppeling is None:
        raise DomainError(NIET_BEHEERDER, rule="R4")
    return koppeling.middel


def einddatum_voor_keuze(keuze: str | int | dt.date, *, vanaf: dt.date | None = None) -> dt.date:
    """R33's choice as a date: "5", "3" or "1" jaar counted from `vanaf` (default today), or a date of one's own
    (returned as is; `_controleer_einddatum` checks it)."""
    if isinstance(keuze, dt.datetime):
        return timezone.localdate(keuze) if timezone.is_aware(keuze) else keuze.date()
    if isinstance(keuze, dt.date):
        return keuze
    jaren = SNELKEUZES.get(str(keuze).strip())
    if jaren is None:
        raise DomainError(ONBEKENDE_KEUZE, rule="R33")
    return plus_jaren(vanaf or vandaag(), jaren)


def _controleer_einddatum(eindigt_op: dt.date, vandaag_: dt.date) -> None:
    """R33/R73: the end date is at the earliest tomorrow and at most 5 years ahead."""
    if eindigt_op <= vandaag_:
        raise DomainError(EINDDATUM_TE_VROEG, rule="R33")
    if eindigt_op > plus_jaren(vandaag_, MAX_JAREN):
        raise DomainError(EINDDATUM_TE_LAAT, rule="R73")


def _controleer_scopes(scopes: Iterable[GekozenScope], beheerder_niveau: int) -> None:
    for scope in scopes:
        if scope.ingetrokken:
            raise DomainError(DIENST_INGETROKKEN, rule="R70")
        if not rules.binnen_eigen_niveau(scope.hoogste_niveau, beheerder_niveau):
            raise DomainError(BOVEN_EIGEN_NIVEAU, rule="R39")


def _controleer_niveau(middel_niveau: int, scope: GekozenScope) -> None:
    if not rules.niveau_volstaat(middel_niveau, scope.vereist_niveau):
        raise DomainError(NIVEAU_TE_LAAG, rule="R31")


def _iso(datum: dt.date | dt.datetime | None) -> str | None:
    return datum.isoformat() if datum else None


def _staat(m: Machtiging) -> dict:
    """What the audit trail keeps of a machtiging, before and after a change."""
    return {
        "middel": m.middel_id,
        "scope": m.scope,
        "dienst": m.dienst_id,
        "niveau": m.niveau,
        "dienstverlener": m.dienstverlener_id,
        "status": m.status,
        "begint_op": _iso(m.begint_op),
        "eindigt_op": _iso(m.eindigt_op),
        "termijn_begint_op": _iso(m.termijn_begint_op),
        "ingetrokken_op": _iso(m.ingetrokken_op),
    }


def _audit(m: Machtiging, *, actie: Actie, omschrijving: str, voor: dict | None, na: dict | None) -> dict:
    return {
        "organisatie_id": m.organisatie_id,
        "actie": actie,
        "omschrijving": omschrijving,
        "object_type": Machtiging.__name__,
        "object_id": m.pk,
        "voor": voor,
        "na": na,
    }


def _scope_sleutels_oplossen(sleutels: Iterable[ScopeSleutel]) -> dict[ScopeSleutel, GekozenScope]:
    sleutels = set(sleutels)
    scopes = scopes_oplossen(
        diensten=[s.dienst_id for s in sleutels if s.scope == Scope.DIENST],
        algemene_niveaus=[s.niveau for s in sleutels if s.scope == Scope.ALGEMEEN],
        dienstverleners=[s.dienstverlener_id for s in sleutels if s.scope == Scope.DIENSTVERLENER],
    )
    return {s.sleutel: s for s in scopes}
