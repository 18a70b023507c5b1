"""The Dienstencatalogus for support staff (R70): read-only lists and the upload of a new edition."""

from django.contrib import admin

from catalogus.models import CatalogusImport, Dienst, Dienstverlener
from support import views
from support.adminbasis import AlleenLezenAdmin
from support.filters import DienstverlenerZoekFilter


@admin.register(Dienstverlener)
class DienstverlenerAdmin(AlleenLezenAdmin):
    list_display = ["naam", "oin", "is_public", "ingetrokken"]
    list_filter = ["ingetrokken", "is_public"]
    search_fields = ["naam", "naam_en", "oin"]
    ordering = ["naam", "pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = ["naam", "naam_en", "oin", "is_public", "ingetrokken"]
    readonly_fields = fields


@admin.register(Dienst)
class DienstAdmin(AlleenLezenAdmin):
    list_display = ["naam", "dienstverlener", "niveau", "intermediatie", "ingetrokken", "service_uuid"]
    list_filter = [
        "ingetrokken",
        "niveau",
        "intermediatie",
        "is_public",
        # A text box instead of a link per dienstverlener: the catalogue has hundreds of them.
        DienstverlenerZoekFilter,
    ]
    search_fields = ["naam", "naam_en", "service_uuid", "dienstverlener__naam", "dienstverlener__oin"]
    list_select_related = ["dienstverlener"]
    ordering = ["dienstverlener__naam", "naam", "pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "service_uuid",
        "dienstverlener",
        "naam",
        "naam_en",
        "omschrijving",
        "omschrijving_en",
        "url",
        "niveau",
        "intermediatie",
        "is_public",
        "ingetrokken",
        "ingetrokken_op",
        "bijgewerkt_op",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dienstverlener")


@admin.register(CatalogusImport)
class CatalogusImportAdmin(AlleenLezenAdmin):
    """The history of imported editions; "Importeer nieuwe editie" runs the importer on an uploaded file."""

    list_display = ["moment", "bron", "versie", "schema", "toegevoegd", "gewijzigd", "ingetrokken", "ongewijzigd"]
    list_filter = ["schema"]
    search_fields = ["bron", "catalogus_id", "versie"]
    ordering = ["-moment", "-pk"]
    list_per_page = 50
    fields = [
        "moment",
        "bron",
        "catalogus_id",
        "versie",
        "schema",
        "uitgegeven_op",
        "toegevoegd",
        "gewijzigd",
        "ingetrokken",
        "ongewijzigd",
    ]
    readonly_fields = fields

    def get_urls(self):
        return views.admin_urls(self, [("importeren/", views.catalogus_importeren, "importeren")]) + super().get_urls()
