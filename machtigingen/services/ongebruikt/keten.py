"""R76 for ketenmachtigingen (R72): a ketenmachtiging no intermediair's middel used for 24 months ends.

It has no person of its own: the warning goes to the beheerders of the verlener, who gave it and can extend or
revoke it, and of the intermediair, whose people lose it. Ending is revoking (ingetrokken) as the verlener's
revoke does (`ketenmachtigingen.services.ketenmachtiging_intrekken`, `intermediair_verwijderen`): audited for both
organisations (R74), every link of the intermediair's middelen ended with it (`koppelingen_beeindigen`, R46).
Set-based: one UPDATE, one audit INSERT, one links pass, whatever the number.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen.herinneringen import ongebruikte_ketenmachtigingen_waarschuwen
from berichten.models import Soort
from common.dates import vandaag
from ketenmachtigingen.models import Ketenmachtiging
from ketenmachtigingen.services._common import snapshot
from ketenmachtigingen.services.koppelingen import koppelingen_beeindigen
from machtigingen.models import Status
from machtigingen.services.ongebruikt._klok import (
    ONGEBRUIKT_MAANDEN,
    OngebruiktUitkomst,
    Peil,
    basis,
    gewaarschuwd_op,
    verdeel,
    vergrendeld,
)


def _beeindigen(ketenmachtigingen: list[Ketenmachtiging]) -> list[Ketenmachtiging]:
    if not ketenmachtigingen:
        return []
    nu = timezone.now()
    pks = [k.pk for k in ketenmachtigingen]
    Ketenmachtiging.objects.filter(pk__in=pks, status=Status.ACTIEF).update(
        status=Status.INGETROKKEN, ingetrokken_op=nu
    )
    reden = gettext("%(maanden)s maanden niet gebruikt") % {"maanden": ONGEBRUIKT_MAANDEN}
    audit = []
    for k in ketenmachtigingen:
        voor = snapshot(k)
        k.status, k.ingetrokken_op = Status.INGETROKKEN, nu
        omschrijving = gettext("Ketenmachtiging %(scope)s van %(verlener)s aan %(intermediair)s ingetrokken") % {
            "scope": k.scope_omschrijving,
            "verlener": k.verlener.naam,
            "intermediair": k.intermediair.naam,
        }
        audit.append(
            {
                # Both organisations keep the change in their audit trail (R74).
                "organisaties": (k.verlener_id, k.intermediair_id),
                "actie": Actie.KETENMACHTIGING_INGETROKKEN,
                "omschrijving": f"{omschrijving}: {reden}",
                "object_type": "Ketenmachtiging",
                "object_id": k.pk,
                "voor": voor,
                "na": {**snapshot(k), "ingetrokken_op": nu.isoformat()},
            }
        )
    audit_bulk(audit, actor=None)
    # R46: every link of the intermediair's middelen to them ends at once.
    koppelingen_beeindigen(ketenmachtiging_ids=pks, reden=reden)
    return ketenmachtigingen


@transaction.atomic
def ongebruikte_ketenmachtigingen_afhandelen(*, peildatum: dt.date | None = None) -> OngebruiktUitkomst:
    """The daily R76 job for ketenmachtigingen: first end what is due, then warn the beheerders of both sides.
    Idempotent per day; a constant number of queries however many ketenmachtigingen."""
    peil = Peil.op(peildatum or vandaag())
    rijen = basis(Ketenmachtiging.objects.all(), peil)
    gewaarschuwd = gewaarschuwd_op(Soort.KETENMACHTIGING_ONGEBRUIKT, rijen)
    kandidaten = (
        vergrendeld(rijen)
        .select_related("verlener", "intermediair", "dienst__dienstverlener", "dienstverlener")
        .order_by("pk")
    )
    te_beeindigen, te_waarschuwen = verdeel(kandidaten, gewaarschuwd, peil)
    beeindigd = _beeindigen(te_beeindigen)
    ongebruikte_ketenmachtigingen_waarschuwen(te_waarschuwen, einddatum=peil.aangekondigd)
    return OngebruiktUitkomst(gewaarschuwd=len(te_waarschuwen), beeindigd=len(beeindigd))
