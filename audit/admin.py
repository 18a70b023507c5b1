"""The audit trail (R74), read-only for everyone, superusers included: no add, change or delete."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from support import views
from support.filters import OrganisatieZoekFilter


def _json(waarde) -> str:
    if waarde is None:
        return "–"
    return format_html('<pre class="support-json">{}</pre>', json.dumps(waarde, indent=2, ensure_ascii=False))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["moment", "actor_label", "organisatie_kvk", "actie", "omschrijving"]
    list_filter = ["actie", OrganisatieZoekFilter, ("moment", admin.DateFieldListFilter), "object_type"]
    search_fields = [
        "actor_label",
        "omschrijving",
        "actie",
        "object_id",
        "organisatie__kvk_nummer",
        "organisatie__naam",
    ]
    date_hierarchy = "moment"
    list_select_related = ["organisatie"]
    list_per_page = 100
    show_full_result_count = False
    ordering = ["-moment", "-id"]
    fields = [
        "moment",
        "actor",
        "actor_label",
        "organisatie",
        "actie",
        "omschrijving",
        "object_type",
        "object_id",
        "voor_weergave",
        "na_weergave",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisatie", "actor")

    def get_urls(self):
        return views.admin_urls(self, [("export/", views.audit_export, "export")]) + super().get_urls()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description=_("organisatie"), ordering="organisatie__naam")
    def organisatie_kvk(self, obj):
        return f"{obj.organisatie.naam} ({obj.organisatie.kvk_nummer})" if obj.organisatie else "–"

    @admin.display(description=_("voor"))
    def voor_weergave(self, obj):
        return _json(obj.voor)

    @admin.display(description=_("na"))
    def na_weergave(self, obj):
        return _json(obj.na)
