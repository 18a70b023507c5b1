"""R76 for a person's own machtigingen: warned to the person and the beheerders, ended through
`machtigingen_beeindigen` (audit, R37 message)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from berichten.meldingen.herinneringen import ongebruikte_machtigingen_waarschuwen
from berichten.models import Soort
from common.dates import vandaag
from machtigingen.models import Machtiging
from machtigingen.services.beeindigen import machtigingen_beeindigen
from machtigingen.services.ongebruikt._klok import (
    ONGEBRUIKT_MAANDEN,
    OngebruiktUitkomst,
    Peil,
    basis,
    gewaarschuwd_op,
    verdeel,
    vergrendeld,
)


@transaction.atomic
def ongebruikte_machtigingen_afhandelen(*, peildatum: dt.date | None = None) -> OngebruiktUitkomst:
    """The daily R76 job for machtigingen: first end what is due, then warn. Idempotent: a second run on the same
    day warns and ends nothing. A constant number of queries however many machtigingen."""
    peil = Peil.op(peildatum or vandaag())
    rijen = basis(Machtiging.objects.all(), peil)
    gewaarschuwd = gewaarschuwd_op(Soort.MACHTIGING_ONGEBRUIKT, rijen)
    kandidaten = (
        vergrendeld(rijen).select_related("middel__persoon", "organisatie", "dienst", "dienstverlener").order_by("pk")
    )
    te_beeindigen, te_waarschuwen = verdeel(kandidaten, gewaarschuwd, peil)
    beeindigd = []
    if te_beeindigen:
        beeindigd = machtigingen_beeindigen(
            Machtiging.objects.filter(pk__in=[m.pk for m in te_beeindigen]),
            door=None,
            reden=gettext("%(maanden)s maanden niet gebruikt") % {"maanden": ONGEBRUIKT_MAANDEN},
        )
    ongebruikte_machtigingen_waarschuwen(te_waarschuwen, einddatum=peil.aangekondigd)
    return OngebruiktUitkomst(gewaarschuwd=len(te_waarschuwen), beeindigd=len(beeindigd))
