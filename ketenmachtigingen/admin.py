"""Ketenmachtigingen for support staff: the module requests of intermediairs (R43) with their steps
(offerte versturen, acceptatie vastleggen, inschakelen), and read-only lists of what was given."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, KetenModule, Uitnodiging
from machtigingen.admin import SCOPE_VELDEN
from support import views
from support.adminbasis import AlleenLezenAdmin, AlleenLezenInline, actie
from support.filters import LeeftijdFilter, OrganisatieZoekFilter, organisatie_filter


@admin.register(KetenModule)
class KetenModuleAdmin(admin.ModelAdmin):
    list_display = ["organisatie_kvk", "status", "spoed", "aangevraagd_op", "offerte_verstuurd_op", "ingeschakeld_op"]
    list_filter = ["status", "spoed", OrganisatieZoekFilter, LeeftijdFilter]
    search_fields = ["organisatie__naam", "organisatie__kvk_nummer"]
    list_select_related = ["organisatie"]
    ordering = ["-spoed", "aangevraagd_op", "pk"]
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/ketenmachtigingen/ketenmodule/change_form.html"
    fields = [
        "organisatie",
        "status",
        "spoed",
        "aangevraagd_op",
        "offerte_verstuurd_op",
        "geaccepteerd_op",
        "ingeschakeld_op",
        "offerte_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisatie")

    # The steps are buttons calling the services; the form itself never saves.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def get_urls(self):
        return (
            views.admin_urls(
                self,
                [
                    ("<path:object_id>/offerte-versturen/", views.ketenmodule_offerte_versturen, "offerte_versturen"),
                    ("<path:object_id>/acceptatie/", views.ketenmodule_acceptatie, "acceptatie"),
                    ("<path:object_id>/inschakelen/", views.ketenmodule_inschakelen, "inschakelen"),
                    ("<path:object_id>/offerte.pdf", views.ketenmodule_offerte_pdf, "offerte_pdf"),
                ],
            )
            + super().get_urls()
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        module = obj
        if module is not None and request.user.has_perm("ketenmachtigingen.change_ketenmodule"):
            stap = {
                KetenModule.Status.AANGEVRAAGD: actie(
                    _("Offerte versturen"),
                    reverse("admin:ketenmachtigingen_ketenmodule_offerte_versturen", args=[module.pk]),
                    primair=True,
                ),
                KetenModule.Status.OFFERTE_VERSTUURD: actie(
                    _("Acceptatie vastleggen"),
                    reverse("admin:ketenmachtigingen_ketenmodule_acceptatie", args=[module.pk]),
                    primair=True,
                    velden=[
                        ("toelichting", _("Toelichting"), _("Bijvoorbeeld: per e-mail van J. Bakker op 12-03-2026."))
                    ],
                ),
                KetenModule.Status.GEACCEPTEERD: actie(
                    _("Module inschakelen"),
                    reverse("admin:ketenmachtigingen_ketenmodule_inschakelen", args=[module.pk]),
                    primair=True,
                ),
            }.get(module.status)
            context["support_acties"] = [stap] if stap else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("organisatie"), ordering="organisatie__naam")
    def organisatie_kvk(self, obj):
        return f"{obj.organisatie.naam} ({obj.organisatie.kvk_nummer})"

    @admin.display(description=_("offerte"))
    def offerte_link(self, obj):
        label = _("Offerte (PDF)") if obj.offerte_verstuurd_op else _("Voorbeeld offerte (PDF)")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:ketenmachtigingen_ketenmodule_offerte_pdf", args=[obj.pk]), label
        )


class KetenmachtigingMiddelInline(AlleenLezenInline):
    model = KetenmachtigingMiddel
    fields = ["middel", "gekoppeld_door", "gekoppeld_op"]
    readonly_fields = fields


@admin.register(Ketenmachtiging)
class KetenmachtigingAdmin(AlleenLezenAdmin):
    list_display = ["verlener_kvk", "intermediair_kvk", "reikwijdte", "begint_op", "eindigt_op", "status"]
    list_filter = [
        "status",
        "scope",
        "aangevraagd_door",
        organisatie_filter("verlener", _("verlener")),
        organisatie_filter("intermediair", _("intermediair")),
    ]
    search_fields = ["verlener__naam", "verlener__kvk_nummer", "intermediair__naam", "intermediair__kvk_nummer"]
    list_select_related = ["verlener", "intermediair", "dienst", "dienstverlener"]
    ordering = ["-aangemaakt_op", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = [
        "verlener",
        "intermediair",
        "aangevraagd_door",
        "afgegeven_door",
        "intermediair_email",
        *(v for v in SCOPE_VELDEN if v != "termijn_begint_op"),
        "status",
        "ingetrokken_op",
        "aangemaakt_op",
    ]
    readonly_fields = fields
    inlines = [KetenmachtigingMiddelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("verlener", "intermediair", "dienst", "dienstverlener")

    @admin.display(description=_("verlener"), ordering="verlener__naam")
    def verlener_kvk(self, obj):
        return f"{obj.verlener.naam} ({obj.verlener.kvk_nummer})"

    @admin.display(description=_("intermediair"), ordering="intermediair__naam")
    def intermediair_kvk(self, obj):
        return f"{obj.intermediair.naam} ({obj.intermediair.kvk_nummer})"

    @admin.display(description=_("reikwijdte"))
    def reikwijdte(self, obj):
        return obj.scope_omschrijving


@admin.register(Uitnodiging)
class UitnodigingAdmin(AlleenLezenAdmin):
    list_display = ["intermediair", "kvk_nummer", "naam", "email", "status", "aangemaakt_op", "verloopt_op"]
    list_filter = ["status", "scope", organisatie_filter("intermediair", _("intermediair"))]
    search_fields = ["kvk_nummer", "naam", "email", "intermediair__naam", "intermediair__kvk_nummer"]
    list_select_related = ["intermediair"]
    ordering = ["-aangemaakt_op", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    # The token hash stays out of the screen: it is the key to the invitation.
    fields = [
        "intermediair",
        "uitgenodigd_door",
        "kvk_nummer",
        "naam",
        "email",
        "scope",
        "dienst",
        "niveau",
        "dienstverlener",
        "looptijd_jaren",
        "status",
        "aangemaakt_op",
        "verloopt_op",
        "geaccepteerd_op",
        "ketenmachtiging",
    ]
    readonly_fields = fields
