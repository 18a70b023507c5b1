"""R33, R34, R36, R73: changing the end date and verlengen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from common.dates import vandaag
from common.errors import DomainError
from common.weergave import datum
from machtigingen.models import Machtiging, Status
from machtigingen.selectors import (
    ScopeSleutel,
    ids_van,
    machtiging_middel_gekoppeld,
)
from machtigingen.services._common import (
    GEEN_MACHTIGING,
    MACHTIGING_NIET_ACTIEF,
    MACHTIGING_NIET_GEVONDEN,
    NIET_ACTIEF,
    _audit,
    _beheerder_middel,
    _controleer_einddatum,
    _controleer_niveau,
    _controleer_scopes,
    _meld_wijziging,
    _scope_sleutels_oplossen,
    _staat,
    einddatum_voor_keuze,
)
from organisaties.models import Organisatie


def _einddatum_zetten(
    *, actor, organisatie_id: int, machtiging_ids: list[int], eindigt_op: dt.date, actie: Actie
) -> list[Machtiging]:
    """Set one end date on running machtigingen of one organisation, in one UPDATE (R33, R36, R73).

    Moving the end date later grants more, so it is checked as adding is: R30 (the middel is still Actief and
    linked), R31, R39 and no withdrawn dienst. Shortening needs none of that: any beheerder may end sooner.
    The current term restarts today (`termijn_begint_op`), so R73 holds for the extended machtiging too.
    """
    beheerder_middel = _beheerder_middel(actor, organisatie_id)
    vandaag_ = vandaag()
    _controleer_einddatum(eindigt_op, vandaag_)
    if not machtiging_ids:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    rijen = list(
        Machtiging.objects.select_for_update(of=("self",))
        .filter(pk__in=machtiging_ids, organisatie_id=organisatie_id)
        .select_related("middel__persoon", "dienst", "dienstverlener")
        .annotate(gekoppeld=machtiging_middel_gekoppeld())
        .order_by("pk")
    )
    # A machtiging of another organisation answers as a missing one.
    if len(rijen) != len(machtiging_ids):
        raise DomainError(MACHTIGING_NIET_GEVONDEN, rule="R4")
    if any(m.status != Status.ACTIEF or m.eindigt_op <= vandaag_ for m in rijen):
        raise DomainError(MACHTIGING_NIET_ACTIEF, rule="R35")

    verlengd = [m for m in rijen if eindigt_op > m.eindigt_op]
    if verlengd:
        if any(not (m.middel.is_actief and m.gekoppeld) for m in verlengd):
            raise DomainError(NIET_ACTIEF, rule="R30")
        scopes = _scope_sleutels_oplossen(ScopeSleutel.van(m) for m in verlengd)
        _controleer_scopes(scopes.values(), beheerder_middel.niveau)
        for m in verlengd:
            _controleer_niveau(m.middel.niveau, scopes[ScopeSleutel.van(m)])

    Machtiging.objects.filter(pk__in=[m.pk for m in rijen]).update(eindigt_op=eindigt_op, termijn_begint_op=vandaag_)
    audit = []
    for m in rijen:
        voor = _staat(m)
        m.eindigt_op, m.termijn_begint_op = eindigt_op, vandaag_
        omschrijving = gettext("Einddatum machtiging %(scope)s van %(persoon)s gewijzigd naar %(datum)s") % {
            "scope": m.scope_omschrijving,
            "persoon": m.middel.persoon.naam,
            "datum": datum(eindigt_op),
        }
        audit.append(_audit(m, actie=actie, omschrijving=omschrijving, voor=voor, na=_staat(m)))
    audit_bulk(audit, actor=actor)
    _meld_wijziging(((m.middel.persoon_id, organisatie_id) for m in rijen), actie)
    return rijen


@transaction.atomic
def machtiging_wijzig_einddatum(*, actor, machtiging: Machtiging, eindigt_op: dt.date) -> Machtiging:
    """The potlood (§3.10, §3.11.1): a new end date between tomorrow and 5 years ahead; ending it sooner
    is how a machtiging is ended on a date (R33)."""
    (gewijzigd,) = _einddatum_zetten(
        actor=actor,
        organisatie_id=machtiging.organisatie_id,
        machtiging_ids=[machtiging.pk],
        eindigt_op=eindigt_op,
        actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD,
    )
    return gewijzigd


@transaction.atomic
def machtiging_verlengen(*, actor, machtiging: Machtiging, keuze: str | int | dt.date) -> Machtiging:
    """ "Verleng machtiging" (§3.10, R34): 5 jaar (meest gekozen), 3 jaar, 1 jaar, or a date of one's own.

    The years count from TODAY, not from the current end date: the manual's limit is "at most 5 years ahead",
    so "5 jaar" on a machtiging that still runs for a month gives today + 5 years, never beyond.
    """
    (gewijzigd,) = _einddatum_zetten(
        actor=actor,
        organisatie_id=machtiging.organisatie_id,
        machtiging_ids=[machtiging.pk],
        eindigt_op=einddatum_voor_keuze(keuze),
        actie=Actie.MACHTIGING_VERLENGD,
    )
    return gewijzigd


@transaction.atomic
def machtigingen_wijzig_einddatum(
    *, actor, organisatie: Organisatie, machtigingen: Iterable, eindigt_op: dt.date
) -> list[Machtiging]:
    """R36 in the rubriek (§4.4, §4.5): one end date for many machtigingen of many users at once, to extend or
    to end them together (at the earliest tomorrow). Each person gets one message for the whole action."""
    return _einddatum_zetten(
        actor=actor,
        organisatie_id=organisatie.pk,
        machtiging_ids=ids_van(machtigingen),
        eindigt_op=eindigt_op,
        actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD,
    )
