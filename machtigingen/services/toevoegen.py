"""R23, R30, R31, R33, R36, R39: adding machtigingen per user (in bulk: services/bulk.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.locks import vergrendel
from common.weergave import datum
from gebruikers.models import Middel
from machtigingen.models import Machtiging, Status
from machtigingen.selectors import (
    ScopeSleutel,
    ids_van,
    middel_gekoppeld_aan,
    scopes_filter,
    scopes_oplossen,
)
from machtigingen.selectors_toevoegen import BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST, belastingdienst_sleutels
from machtigingen.services._common import (
    GEEN_GEBRUIKER,
    GEEN_MACHTIGING,
    NIET_ACTIEF,
    _audit,
    _beheerder_middel,
    _controleer_einddatum,
    _controleer_niveau,
    _controleer_scopes,
    _meld_wijziging,
    _staat,
    einddatum_voor_keuze,
)
from organisaties.models import Organisatie


@transaction.atomic
def machtiging_toevoegen(
    *,
    actor,
    organisatie: Organisatie,
    middelen: Iterable,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
) -> list[Machtiging]:
    """Give each of `middelen` each chosen scope (diensten × users; per user it is one middel), from today
    until `eindigt_op` (default 5 years; a date or a quick choice "5", "3", "1", R33). All or nothing: one refused pair refuses the whole action.

    R30 every middel is Actief and linked (actief) to the organisation; R31 its niveau reaches every chosen
    scope; R23 an EH3 Belastingdienstmiddel gets only the Belastingdienst's diensten; R39 the actor grants
    nothing above the own niveau; withdrawn diensten cannot be granted.
    R36 a pair that is already running gets the new end date instead of a duplicate (that is how the rubriek
    extends or ends machtigingen together). `middelen`, `diensten` and `dienstverleners` take instances or ids.
    Returns the new and the updated machtigingen.
    """
    # The one lock order (common.locks): the organisation first, the middelen below, then their machtigingen.
    vergrendel(organisaties=[organisatie], beheerders=False)
    beheerder_middel = _beheerder_middel(actor, organisatie.pk)
    vandaag_ = vandaag()
    eindigt_op = plus_jaren(vandaag_, MAX_JAREN) if eindigt_op is None else einddatum_voor_keuze(eindigt_op)
    _controleer_einddatum(eindigt_op, vandaag_)

    scopes = scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    if not scopes:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    middel_ids = ids_van(middelen)
    if not middel_ids:
        raise DomainError(GEEN_GEBRUIKER, code="geen_gebruiker")
    _controleer_scopes(scopes, beheerder_middel.niveau)

    # Locking the middelen (by pk, level 3 of common.locks) serialises concurrent additions for the same people,
    # so R36 cannot be raced into duplicates.
    gekozen = list(
        Middel.objects.select_for_update(of=("self",), no_key=True)
        .filter(
            middel_gekoppeld_aan(organisatie),
            pk__in=middel_ids,
            status=Middel.Status.ACTIEF,
        )
        .select_related("persoon")
        .order_by("pk")
    )
    if len(gekozen) != len(middel_ids):
        raise DomainError(NIET_ACTIEF, rule="R30")
    for middel in gekozen:
        for scope in scopes:
            _controleer_niveau(middel.niveau, scope)
    # R23: an EH3 Belastingdienstmiddel only for the Belastingdienst's diensten (read only when one is chosen).
    if any(m.type == Middel.Type.BELASTINGDIENST for m in gekozen):
        belastingdienst = belastingdienst_sleutels(scopes)
        if any(s.sleutel not in belastingdienst for s in scopes):
            raise DomainError(BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST, rule="R23")

    bestaand = list(
        Machtiging.objects.select_for_update()
        .filter(
            scopes_filter([s.sleutel for s in scopes]),
            organisatie=organisatie,
            middel_id__in=middel_ids,
            status=Status.ACTIEF,
        )
        .order_by("pk")
    )
    audit: list[dict] = []
    # Past its end date but not yet flipped by the job: it has ended, so it is closed and replaced.
    verouderd = [m for m in bestaand if m.eindigt_op <= vandaag_]
    if verouderd:
        Machtiging.objects.filter(pk__in=[m.pk for m in verouderd]).update(status=Status.VERLOPEN)
        for m in verouderd:
            voor = _staat(m)
            m.status = Status.VERLOPEN
            audit.append(
                _audit(
                    m,
                    actie=Actie.MACHTIGING_VERLOPEN,
                    omschrijving=gettext("Machtiging verlopen"),
                    voor=voor,
                    na=_staat(m),
                )
            )
    lopend = {(m.middel_id, ScopeSleutel.van(m)): m for m in bestaand if m.eindigt_op > vandaag_}
    namen = {s.sleutel: s.naam for s in scopes}
    personen = {m.pk: m.persoon for m in gekozen}

    if lopend:
        Machtiging.objects.filter(pk__in=[m.pk for m in lopend.values()]).update(
            eindigt_op=eindigt_op, termijn_begint_op=vandaag_
        )
    for (middel_id, sleutel), m in lopend.items():
        voor = _staat(m)
        m.eindigt_op, m.termijn_begint_op = eindigt_op, vandaag_
        omschrijving = gettext("Einddatum machtiging %(scope)s van %(persoon)s gewijzigd naar %(datum)s") % {
            "scope": namen[sleutel],
            "persoon": personen[middel_id].naam,
            "datum": datum(eindigt_op),
        }
        audit.append(
            _audit(m, actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD, omschrijving=omschrijving, voor=voor, na=_staat(m))
        )

    nieuw = Machtiging.objects.bulk_create(
        [
            Machtiging(
                middel=middel,
                organisatie=organisatie,
                begint_op=vandaag_,
                eindigt_op=eindigt_op,
                termijn_begint_op=vandaag_,
                status=Status.ACTIEF,
                **scope.sleutel.velden(),
            )
            for middel in gekozen
            for scope in scopes
            if (middel.pk, scope.sleutel) not in lopend
        ]
    )
    for m in nieuw:
        omschrijving = gettext("Machtiging %(scope)s toegevoegd aan %(persoon)s, geldig tot %(datum)s") % {
            "scope": namen[ScopeSleutel.van(m)],
            "persoon": personen[m.middel_id].naam,
            "datum": datum(eindigt_op),
        }
        audit.append(_audit(m, actie=Actie.MACHTIGING_TOEGEVOEGD, omschrijving=omschrijving, voor=None, na=_staat(m)))

    audit_bulk(audit, actor=actor)
    _meld_wijziging(((m.persoon_id, organisatie.pk) for m in gekozen), Actie.MACHTIGING_TOEGEVOEGD)
    return [*nieuw, *lopend.values()]
