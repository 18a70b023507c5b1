"""R76 for group machtigingen (R24): a group machtiging no member used for 24 months ends for the whole group.

Warned to the beheerders of the group's organisation only: the machtiging is the group's, which only a beheerder
manages (extends, revokes, re-adds); warning every member would invite a use only to keep it alive, and one
member's use resets the clock for all. When it ends, the members it counted for are told once, as for any group
machtiging that ends (R37). Ended set-based across groups (one UPDATE, one audit INSERT, one outbox INSERT), as
`groepen.services.groep_machtigingen_beeindigen` does for one group.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen.herinneringen import (
    ongebruikte_groepsmachtigingen_beeindigd_melden,
    ongebruikte_groepsmachtigingen_waarschuwen,
)
from berichten.models import Soort
from common.dates import vandaag
from groepen.models import GroepMachtiging
from groepen.selectors import huidige_leden
from groepen.selectors_leden import groepsmachtigingen_van_leden
from groepen.services._common import audit_regel, staat_machtiging
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


def _houders(machtigingen: list[GroepMachtiging], dag: dt.date) -> dict[tuple[int, int], tuple]:
    """(persoon, organisatie) → (persoon, organisatie, groups) for the current members each of these group
    machtigingen counts for (R23, R30, R31, as the group's page shows it). Asked while they still run; two
    queries whatever the number of groups."""
    groep_ids = {m.groep_id for m in machtigingen}
    koppelingen = {
        lid.koppeling.pk: lid.koppeling
        for lid in huidige_leden(list(groep_ids)).select_related("koppeling__middel__persoon", "koppeling__organisatie")
    }
    eindigt = {m.pk for m in machtigingen}
    houders: dict[tuple[int, int], tuple] = {}
    for regel in groepsmachtigingen_van_leden(list(koppelingen.values()), op=dag):
        # `lid_koppeling_id`: the member's koppeling the selector annotates on each of its rows.
        koppeling = koppelingen[regel.machtiging.lid_koppeling_id]
        if regel.machtiging.pk not in eindigt or not regel.dekking.telt:
            continue
        persoon = koppeling.middel.persoon
        sleutel = (persoon.pk, koppeling.organisatie_id)
        _p, _o, groepen = houders.setdefault(sleutel, (persoon, koppeling.organisatie, {}))
        groepen[regel.groep.pk] = regel.groep
    return houders


def _beeindigen(machtigingen: list[GroepMachtiging], *, dag: dt.date) -> list[GroepMachtiging]:
    """End these (locked, active) group machtigingen at once (ingetrokken): audited per machtiging (R74), the
    members they counted for told once per organisation (R37)."""
    if not machtigingen:
        return []
    houders = _houders(machtigingen, dag)
    nu = timezone.now()
    GroepMachtiging.objects.filter(pk__in=[m.pk for m in machtigingen], status=Status.ACTIEF).update(
        status=Status.INGETROKKEN, ingetrokken_op=nu
    )
    reden = gettext("%(maanden)s maanden niet gebruikt") % {"maanden": ONGEBRUIKT_MAANDEN}
    audit = []
    for m in machtigingen:
        voor = staat_machtiging(m)
        m.status, m.ingetrokken_op = Status.INGETROKKEN, nu
        omschrijving = gettext("Machtiging %(scope)s van groep %(groep)s ingetrokken") % {
            "scope": m.scope_omschrijving,
            "groep": m.groep.naam,
        }
        audit.append(
            audit_regel(
                m.groep,
                actie=Actie.GROEPSMACHTIGING_BEEINDIGD,
                omschrijving=f"{omschrijving}: {reden}",
                obj=m,
                voor=voor,
                na=staat_machtiging(m),
            )
        )
    audit_bulk(audit, actor=None)
    ongebruikte_groepsmachtigingen_beeindigd_melden(
        [(persoon, organisatie, list(groepen.values())) for persoon, organisatie, groepen in houders.values()]
    )
    return machtigingen


@transaction.atomic
def ongebruikte_groepsmachtigingen_afhandelen(*, peildatum: dt.date | None = None) -> OngebruiktUitkomst:
    """The daily R76 job for group machtigingen of groups not deleted: first end what is due, then warn the
    beheerders. Idempotent per day; a constant number of queries however many groups or machtigingen."""
    peil = Peil.op(peildatum or vandaag())
    rijen = basis(GroepMachtiging.objects.filter(groep__opgeheven_op__isnull=True), peil)
    gewaarschuwd = gewaarschuwd_op(Soort.GROEPSMACHTIGING_ONGEBRUIKT, rijen)
    kandidaten = vergrendeld(rijen).select_related("groep__organisatie", "dienst", "dienstverlener").order_by("pk")
    te_beeindigen, te_waarschuwen = verdeel(kandidaten, gewaarschuwd, peil)
    beeindigd = _beeindigen(te_beeindigen, dag=peil.dag)
    ongebruikte_groepsmachtigingen_waarschuwen(te_waarschuwen, einddatum=peil.aangekondigd)
    return OngebruiktUitkomst(gewaarschuwd=len(te_waarschuwen), beeindigd=len(beeindigd))
