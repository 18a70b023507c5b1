"""Periodic set-based jobs: expired activations (§3.5.3) and planned terminations that are due (R19)."""

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen import meld_opzegging_niet_uitgevoerd
from common.dates import vandaag
from common.locks import vergrendel
from common.weergave import datum
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import VERBORGEN_STATUSSEN
from gebruikers.services._common import BEHEERDER, _middelen_beeindigen
from machtigingen.models import Machtiging
from machtigingen.services import machtigingen_beeindigen
from organisaties.models import Organisatie

logger = logging.getLogger(__name__)


def _koppelingen_per_middel(middel_ids) -> dict[int, list[int]]:
    per_middel: dict[int, list[int]] = defaultdict(list)
    for middel_id, org_id in (
        Koppeling.objects.lopend().filter(middel_id__in=middel_ids).values_list("middel_id", "organisatie_id")
    ):
        per_middel[middel_id].append(org_id)
    return per_middel


@transaction.atomic
def activaties_verlopen(*, peildatum: dt.date | None = None) -> int:
    """Job (§3.5.3): Wachten op activatie whose term has passed → Activatie verlopen. Set-based, idempotent.

    activeren_tot is exclusive, so on that day the activation has expired; activatie_verlopen_op = activeren_tot.
    A constant number of queries whatever the number of middelen.
    """
    dag = peildatum or vandaag()
    te_laat = Middel.objects.filter(status=Middel.Status.WACHTEN_OP_ACTIVATIE, activeren_tot__lte=dag)
    rijen = list(te_laat.select_for_update().values_list("pk", "activeren_tot"))
    if not rijen:
        return 0
    ids = [pk for pk, _tot in rijen]
    aantal = Middel.objects.filter(pk__in=ids, status=Middel.Status.WACHTEN_OP_ACTIVATIE).update(
        status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=F("activeren_tot")
    )
    per_middel = _koppelingen_per_middel(ids)
    audit_bulk(
        {
            "organisatie_id": org_id,
            "actie": Actie.MIDDEL_ACTIVATIE_VERLOPEN,
            "omschrijving": _("Activatie verlopen op %(datum)s") % {"datum": datum(tot)},
            "object_type": "Middel",
            "object_id": pk,
            "voor": {"status": Middel.Status.WACHTEN_OP_ACTIVATIE},
            "na": {"status": Middel.Status.ACTIVATIE_VERLOPEN, "activatie_verlopen_op": tot.isoformat()},
        }
        for pk, tot in rijen
        for org_id in per_middel.get(pk) or [None]
    )
    return aantal


@transaction.atomic
def opzeggingen_uitvoeren(*, peildatum: dt.date | None = None) -> int:
    """Job: carry out planned terminations whose date has come. Set-based and idempotent; returns how many ran.

    R5 is re-checked per organisation: if a due beheerder koppeling would leave an organisation that still has
    other users without an active beheerder, those beheerder terminations are NOT carried out; the plan is
    cancelled (opzeggen_per cleared, audited, and the beheerders notified) so the job does not retry it forever.
    When nothing at all remains of an organisation, it is terminated as a whole (R20, confirmed when planned).
    """
    dag = peildatum or vandaag()
    verschuldigd = Koppeling.objects.lopend().filter(opzeggen_per__lte=dag)
    # The one lock order of the services (common.locks), before anything else: the organisaties, their
    # beheerders (R5), the middelen that may end; then the due koppelingen themselves.
    vergrendel(organisaties=verschuldigd.values("organisatie_id"), middelen=verschuldigd.values("middel_id"))
    rijen = list(
        verschuldigd.select_for_update(of=("self",), no_key=True).values(
            "pk", "middel_id", "organisatie_id", "rol", "status", "opzeggen_per", "middel__status"
        )
    )
    if not rijen:
        return 0
    blijft = (Q(koppelingen__opzeggen_per__isnull=True) | Q(koppelingen__opzeggen_per__gt=dag)) & ~Q(
        koppelingen__status=Koppeling.Status.BEEINDIGD
    )
    stand = {
        r["pk"]: r
        for r in Organisatie.objects.filter(pk__in={r["organisatie_id"] for r in rijen})
        .annotate(
            blijvende_beheerders=Count(
                "koppelingen",
                filter=blijft
                & Q(
                    koppelingen__rol=BEHEERDER,
                    koppelingen__status=Koppeling.Status.ACTIEF,
                    koppelingen__middel__status=Middel.Status.ACTIEF,
                ),
            ),
            blijvende=Count("koppelingen", filter=blijft & ~Q(koppelingen__middel__status__in=VERBORGEN_STATUSSEN)),
        )
        .values("pk", "blijvende_beheerders", "blijvende")
    }

    def telt_als_beheerder(r) -> bool:
        return (
            r["rol"] == BEHEERDER
            and r["status"] == Koppeling.Status.ACTIEF
            and r["middel__status"] == Middel.Status.ACTIEF
        )

    orgs_met_vertrekkende_beheerder = {r["organisatie_id"] for r in rijen if telt_als_beheerder(r)}
    geblokkeerd = {
        org_id
        for org_id in orgs_met_vertrekkende_beheerder
        if stand[org_id]["blijvende_beheerders"] == 0 and stand[org_id]["blijvende"] > 0
    }
    overslaan = [r for r in rijen if r["organisatie_id"] in geblokkeerd and telt_als_beheerder(r)]
    overslaan_ids = {r["pk"] for r in overslaan}
    uitvoeren = [r for r in rijen if r["pk"] not in overslaan_ids]
    uitvoeren_ids = [r["pk"] for r in uitvoeren]
    orgs_opzeggen = [org_id for org_id, s in stand.items() if s["blijvende"] == 0 and org_id not in geblokkeerd]

    Koppeling.objects.filter(pk__in=uitvoeren_ids).update(
        status=Koppeling.Status.BEEINDIGD, beeindigd_op=F("opzeggen_per"), automatische_verlenging=False
    )
    if overslaan_ids:
        Koppeling.objects.filter(pk__in=overslaan_ids).update(opzeggen_per=None, opzegmoment="")
    # R37: the persons are told, once per organisation, like any other ending of machtigingen.
    machtigingen_beeindigen(
        Machtiging.objects.filter(
            Exists(
                Koppeling.objects.filter(
                    pk__in=uitvoeren_ids, middel_id=OuterRef("middel_id"), organisatie_id=OuterRef("organisatie_id")
                )
            )
        ),
        door=None,
        reden=_("geplande opzegging uitgevoerd"),
    )
    beeindigde_middelen = set(_middelen_beeindigen({r["middel_id"] for r in uitvoeren}, dag=dag))
    if orgs_opzeggen:
        Organisatie.objects.filter(pk__in=orgs_opzeggen).exclude(status=Organisatie.Status.OPGEZEGD).update(
            status=Organisatie.Status.OPGEZEGD, opgezegd_op=dag
        )

    entries = [
        {
            "organisatie_id": r["organisatie_id"],
            "actie": Actie.KOPPELING_OPGEZEGD,
            "omschrijving": _("Geplande opzegging uitgevoerd per %(datum)s") % {"datum": datum(r["opzeggen_per"])},
            "object_type": "Koppeling",
            "object_id": r["pk"],
            "voor": {"status": r["status"], "opzeggen_per": r["opzeggen_per"].isoformat()},
            "na": {
                "status": Koppeling.Status.BEEINDIGD,
                "beeindigd_op": r["opzeggen_per"].isoformat(),
                # The middel itself ended too when this was its last koppeling (R19).
                "middel_beeindigd": r["middel_id"] in beeindigde_middelen,
            },
        }
        for r in uitvoeren
    ]
    entries += [
        {
            "organisatie_id": r["organisatie_id"],
            "actie": Actie.KOPPELING_OPZEGGING_NIET_UITGEVOERD,
            "omschrijving": _(
                "Geplande opzegging niet uitgevoerd: er dient altijd 1 beheerder actief te zijn namens het bedrijf."
            ),
            "object_type": "Koppeling",
            "object_id": r["pk"],
            "voor": {"opzeggen_per": r["opzeggen_per"].isoformat()},
            "na": {"opzeggen_per": None},
        }
        for r in overslaan
    ]
    entries += [
        {
            "organisatie_id": org_id,
            "actie": Actie.ORGANISATIE_OPGEZEGD,
            "omschrijving": _("eHerkenning voor de hele organisatie opgezegd"),
            "object_type": "Organisatie",
            "object_id": org_id,
            "na": {"status": Organisatie.Status.OPGEZEGD},
        }
        for org_id in orgs_opzeggen
    ]
    audit_bulk(entries)
    if overslaan:
        # Only reachable with data that was already inconsistent (the services refuse such a plan, R5 at every
        # date): worth a look by support, so also in the log.
        logger.warning(
            "R5: planned termination(s) not carried out, organisation would be left without a beheerder: %s",
            ", ".join(f"koppeling {r['pk']} (organisatie {r['organisatie_id']})" for r in overslaan),
        )
        meld_opzegging_niet_uitgevoerd(opzeggingen={r["pk"]: r["opzeggen_per"] for r in overslaan})
    return len(uitvoeren_ids)
