"""Scheduled work of ketenmachtigingen: set-based, idempotent, audited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk
from common.dates import vandaag
from common.weergave import datum
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from ketenmachtigingen.services.koppelingen import keten_koppelingen_opschonen, koppelingen_beeindigen
from machtigingen.models import Status


@transaction.atomic
def ketenmachtigingen_verlopen(*, dag: dt.date | None = None) -> int:
    """Mark ketenmachtigingen whose end date has passed as verlopen and end their links: set-based,
    idempotent, audited. Also sweeps links whose middel or koppeling ended (`keten_koppelingen_opschonen`)."""
    dag = dag or vandaag()
    # The daily run also ends the links of middelen and koppelingen that ended elsewhere (R46).
    keten_koppelingen_opschonen(dag=dag)
    te_laat = Ketenmachtiging.objects.filter(status=Status.ACTIEF, eindigt_op__lte=dag)
    rijen = list(te_laat.select_for_update().values_list("pk", "verlener_id", "intermediair_id", "eindigt_op"))
    if not rijen:
        return 0
    Ketenmachtiging.objects.filter(pk__in=[r[0] for r in rijen], status=Status.ACTIEF).update(status=Status.VERLOPEN)
    # R46: every link to an ended ketenmachtiging ends with it.
    koppelingen_beeindigen(ketenmachtiging_ids=[r[0] for r in rijen], reden=_("ketenmachtiging verlopen"))
    audit_bulk(
        {
            # Both organisations keep the change in their audit trail (R74).
            "organisaties": (verlener_id, intermediair_id),
            "actie": Actie.KETENMACHTIGING_VERLOPEN,
            "omschrijving": _("Ketenmachtiging verlopen op %(datum)s") % {"datum": datum(eindigt_op)},
            "object_type": "Ketenmachtiging",
            "object_id": pk,
            "voor": {"status": Status.ACTIEF},
            "na": {"status": Status.VERLOPEN},
        }
        for pk, verlener_id, intermediair_id, eindigt_op in rijen
    )
    return len(rijen)


@transaction.atomic
def uitnodigingen_verlopen(*, moment: dt.datetime | None = None) -> int:
    """Close open invitations past their expiry: set-based, idempotent, audited."""
    moment = moment or timezone.now()
    rijen = list(
        Uitnodiging.objects.select_for_update()
        .filter(status=Uitnodiging.Status.OPEN, verloopt_op__lte=moment)
        .values_list("pk", "intermediair_id", "kvk_nummer")
    )
    if not rijen:
        return 0
    Uitnodiging.objects.filter(pk__in=[r[0] for r in rijen], status=Uitnodiging.Status.OPEN).update(
        status=Uitnodiging.Status.VERLOPEN
    )
    audit_bulk(
        {
            "organisatie_id": intermediair_id,
            "actie": Actie.UITNODIGING_VERLOPEN,
            "omschrijving": _("Uitnodiging voor KvK %(kvk)s verlopen") % {"kvk": kvk},
            "object_type": "Uitnodiging",
            "object_id": pk,
            "voor": {"status": Uitnodiging.Status.OPEN},
            "na": {"status": Uitnodiging.Status.VERLOPEN},
        }
        for pk, intermediair_id, kvk in rijen
    )
    return len(rijen)
