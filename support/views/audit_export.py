"""Staff-only view: the audit trail as CSV (R74), with the changelist's filters and search applied."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from common.export import csv_chunks, csv_response
from support.views._common import vereis


def _kop() -> list[str]:
    return [
        str(kop)
        for kop in (
            _("moment"),
            _("door"),
            _("organisatie"),
            _("KvK-nummer"),
            _("actie"),
            _("omschrijving"),
            _("object"),
            _("voor"),
            _("na"),
        )
    ]


def _rij(e) -> list[str]:
    return [
        timezone.localtime(e.moment).strftime("%d-%m-%Y %H:%M:%S"),
        e.actor_label,
        e.organisatie.naam if e.organisatie else "",
        e.organisatie.kvk_nummer if e.organisatie else "",
        e.actie,
        e.omschrijving,
        f"{e.object_type} {e.object_id}".strip(),
        json.dumps(e.voor, ensure_ascii=False) if e.voor is not None else "",
        json.dumps(e.na, ensure_ascii=False) if e.na is not None else "",
    ]


def audit_export(request, *, model_admin):
    """The audit trail as CSV, with the changelist's filters and search applied; `?scheiding=;` for Dutch Excel."""
    vereis(request, "audit.view_auditentry")
    params = request.GET.copy()
    scheiding = ";" if params.pop("scheiding", [","])[-1] == ";" else ","
    request.GET = params
    changelist = model_admin.get_changelist_instance(request)
    queryset = changelist.get_queryset(request).select_related("organisatie").order_by("-moment", "-id")
    rijen = (_rij(e) for e in queryset.iterator(chunk_size=2000))
    return csv_response(
        csv_chunks(_kop(), rijen, scheiding=scheiding),
        bestandsnaam=f"audittrail-{timezone.localdate():%Y%m%d}.csv",
    )
