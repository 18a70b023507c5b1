"""The Dienstencatalogus for support staff (R70): read-only lists, the upload of a new edition, and the register
of the dienstverleners' approvals of intermediairs (R75)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from catalogus import goedkeuringen
from catalogus.models import CatalogusImport, Dienst, Dienstverlener, IntermediairGoedkeuring
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


class IntermediairGoedkeuringForm(forms.ModelForm):
    """Support records an approval; the service's refusals are shown on the form instead of a server error."""

    class Meta:
        model = IntermediairGoedkeuring
        fields = ["dienst", "intermediair", "kenmerk"]

    def clean(self):
        data = super().clean()
        dienst, intermediair = data.get("dienst"), data.get("intermediair")
        if dienst is not None and not dienst.goedkeuring_nodig:
            self.add_error(
                "dienst",
                _("Deze dienst vraagt geen goedkeuring van intermediairs (%(waarde)s).")
                % {"waarde": dienst.get_intermediatie_display()},
            )
        elif dienst is not None and intermediair is not None and goedkeuringen.is_goedgekeurd(dienst, intermediair):
            self.add_error("intermediair", _("Deze intermediair is al goedgekeurd voor deze dienst."))
        return data


@admin.register(IntermediairGoedkeuring)
class IntermediairGoedkeuringAdmin(admin.ModelAdmin):
    """R75: the register of the dienstverleners' approvals of intermediairs; add and revoke, never edit or delete."""

    form = IntermediairGoedkeuringForm
    list_display = ["intermediair", "dienst", "dienstverlener", "goedgekeurd_op", "goedgekeurd_door", "ingetrokken_op"]
    list_filter = [("ingetrokken_op", admin.EmptyFieldListFilter), "dienst__intermediatie"]
    search_fields = [
        "intermediair__naam",
        "intermediair__kvk_nummer",
        "dienst__naam",
        "=dienst__service_uuid",
        "dienst__dienstverlener__naam",
        "kenmerk",
    ]
    list_select_related = ["intermediair", "dienst__dienstverlener", "goedgekeurd_door"]
    raw_id_fields = ["dienst", "intermediair"]
    ordering = ["-goedgekeurd_op", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    actions = ["intrekken"]
    _alle_velden = [
        "dienst",
        "intermediair",
        "kenmerk",
        "goedgekeurd_door",
        "goedgekeurd_op",
        "ingetrokken_door",
        "ingetrokken_op",
    ]

    def get_fields(self, request, obj=None):
        return self._alle_velden if obj is not None else ["dienst", "intermediair", "kenmerk"]

    def get_readonly_fields(self, request, obj=None):
        return self._alle_velden if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the history stays

    def get_actions(self, request):
        acties = super().get_actions(request)
        acties.pop("delete_selected", None)
        return acties

    @admin.display(description=_("dienstverlener"))
    def dienstverlener(self, obj):
        return obj.dienst.dienstverlener

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only once recorded
        g = goedkeuringen.goedkeuring_vastleggen(
            actor=request.user, dienst=obj.dienst, intermediair=obj.intermediair, kenmerk=obj.kenmerk
        )
        obj.pk, obj.goedgekeurd_op, obj.goedgekeurd_door = g.pk, g.goedgekeurd_op, g.goedgekeurd_door
        obj._state.adding = False

    @admin.action(description=_("Goedkeuring intrekken"), permissions=["change"])
    def intrekken(self, request, queryset):
        aantal = 0
        for g in queryset.filter(ingetrokken_op__isnull=True):
            goedkeuringen.goedkeuring_intrekken(actor=request.user, goedkeuring=g)
            aantal += 1
        self.message_user(request, _("%(aantal)d goedkeuring(en) ingetrokken.") % {"aantal": aantal}, messages.SUCCESS)
