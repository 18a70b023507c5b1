"""Staff-only view: the audit trail as CSV (R74), with the changelist's filters and search applied."""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from support.views._common import vereis


class _Echo:
    def write(self, value):
        return value


_FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def csv_veilig(waarde) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    tekst = "" if waarde is None else str(waarde)
    return "'" + tekst if tekst.startswith(_FORMULE_TEKENS) else tekst


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
        csv_veilig(timezone.localtime(e.moment).strftime("%d-%m-%Y %H:%M:%S")),
        csv_veilig(e.actor_label),
        csv_veilig(e.organisatie.naam if e.organisatie else ""),
        csv_veilig(e.organisatie.kvk_nummer if e.organisatie else ""),
        csv_veilig(e.actie),
        csv_veilig(e.omschrijving),
        csv_veilig(f"{e.object_type} {e.object_id}".strip()),
        csv_veilig(json.dumps(e.voor, ensure_ascii=False) if e.voor is not None else ""),
        csv_veilig(json.dumps(e.na, ensure_ascii=False) if e.na is not None else ""),
    ]


def audit_export(request, *, model_admin):
    """The audit trail as CSV, with the changelist's filters and search applied; `?scheiding=;` for Dutch Excel."""
    vereis(request, "audit.view_auditentry")
    params = request.GET.copy()
    scheiding = ";" if params.pop("scheiding", [","])[-1] == ";" else ","
    request.GET = params
    changelist = model_admin.get_changelist_instance(request)
    queryset = changelist.get_queryset(request).select_related("organisatie").order_by("-moment", "-id")
    writer = csv.writer(_Echo(), delimiter=scheiding)

    def rijen():
        yield writer.writerow(_kop())
        for e in queryset.iterator(chunk_size=2000):
            yield writer.writerow(_rij(e))

    response = StreamingHttpResponse(rijen(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audittrail-{timezone.localdate():%Y%m%d}.csv"'
    return response
