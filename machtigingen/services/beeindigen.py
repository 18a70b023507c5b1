"""R35, R37: ending machtigingen at once, the ONE way to do so (intrekken by a beheerder, and every other
service that ends them: a termination, a type change, a downgrade).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from common.dates import vandaag
from common.errors import DomainError
from machtigingen.models import Machtiging, Status
from machtigingen.services._common import (
    MACHTIGING_NIET_ACTIEF,
    MACHTIGING_NIET_GEVONDEN,
    _audit,
    _beheerder_middel,
    _meld_wijziging,
    _staat,
)


@transaction.atomic
def machtiging_intrekken(*, actor, machtiging: Machtiging) -> Machtiging:
    """R35 (§3.11.2): end a machtiging at once and for good. It is no longer listed, and the same scope can be
    added again later as a NEW machtiging (the revoked row stays, for the audit trail and the register).

    The manual's 3-second undo belongs to the screen: the screen shows "ingetrokken – ongedaan maken" and only
    calls this service when the window has passed without an undo (e.g. a delayed POST, or the view waiting
    on a second request); undo then means never calling it. Once called, nothing undoes it. Revoking at once
    is per user only; in bulk, machtigingen end by an end date (tomorrow at the earliest).
    """
    _beheerder_middel(actor, machtiging.organisatie_id)
    vandaag_ = vandaag()
    m = (
        Machtiging.objects.select_for_update(of=("self",))
        .filter(pk=machtiging.pk, organisatie_id=machtiging.organisatie_id)
        .select_related("middel__persoon", "dienst", "dienstverlener")
        .first()
    )
    if m is None:
        raise DomainError(MACHTIGING_NIET_GEVONDEN, rule="R4")
    if m.status != Status.ACTIEF or m.eindigt_op <= vandaag_:
        raise DomainError(MACHTIGING_NIET_ACTIEF, rule="R35")
    (m,) = machtigingen_beeindigen(Machtiging.objects.filter(pk=m.pk), door=actor)
    return m


def machtigingen_beeindigen(machtigingen: QuerySet[Machtiging], *, door, reden=None) -> list[Machtiging]:
    """End at once (ingetrokken) the ACTIVE machtigingen among `machtigingen`: the only way machtigingen are ended
    before their end date, whoever does it (a beheerder's intrekken, a termination now or planned, a type change,
    a downgrade). Set-based, a constant number of queries however many: one locking read, one UPDATE, one audit
    INSERT (one row per machtiging, R74), and the R37 message once per person per organisation.

    `door` is the actor (None for a job); `reden` (a translatable text) says in the audit trail why, when it is
    not the machtiging itself that was revoked. Runs in the caller's transaction. Returns the ended machtigingen.
    """
    rijen = list(
        machtigingen.filter(status=Status.ACTIEF)
        .select_for_update(of=("self",))
        .select_related("middel__persoon", "dienst", "dienstverlener")
        .order_by("pk")
    )
    if not rijen:
        return []
    nu = timezone.now()
    Machtiging.objects.filter(pk__in=[m.pk for m in rijen]).update(status=Status.INGETROKKEN, ingetrokken_op=nu)
    audit = []
    for m in rijen:
        voor = _staat(m)
        m.status, m.ingetrokken_op = Status.INGETROKKEN, nu
        omschrijving = gettext("Machtiging %(scope)s van %(persoon)s ingetrokken") % {
            "scope": m.scope_omschrijving,
            "persoon": m.middel.persoon.naam,
        }
        if reden:
            omschrijving = f"{omschrijving}: {reden}"
        audit.append(_audit(m, actie=Actie.MACHTIGING_INGETROKKEN, omschrijving=omschrijving, voor=voor, na=_staat(m)))
    audit_bulk(audit, actor=door)
    _meld_wijziging(((m.middel.persoon_id, m.organisatie_id) for m in rijen), Actie.MACHTIGING_INGETROKKEN)
    return rijen
