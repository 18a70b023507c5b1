"""The embedded Handelsregister for support staff: read-only lists, and loading a new data file."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from handelsregister.models import Inschrijving, Vestiging, WettelijkVertegenwoordiger
from support import views
from support.adminbasis import AlleenLezenAdmin, AlleenLezenInline


class VestigingInline(AlleenLezenInline):
    model = Vestiging
    fields = ["vestigingsnummer", "eerste_handelsnaam", "is_hoofdvestiging"]
    readonly_fields = fields


class WettelijkVertegenwoordigerInline(AlleenLezenInline):
    model = WettelijkVertegenwoordiger
    fields = ["naam", "geboortedatum", "bevoegdheid"]
    readonly_fields = fields


@admin.register(Inschrijving)
class InschrijvingAdmin(AlleenLezenAdmin):
    list_display = ["naam", "kvk_nummer", "rsin", "bijgewerkt_op"]
    search_fields = ["kvk_nummer", "naam", "rsin", "vestigingen__vestigingsnummer"]
    ordering = ["naam", "pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = ["kvk_nummer", "naam", "rsin", "bijgewerkt_op", "basisprofiel_weergave", "zoekresultaten_weergave"]
    readonly_fields = fields
    inlines = [VestigingInline, WettelijkVertegenwoordigerInline]

    def get_urls(self):
        return views.admin_urls(self, [("laden/", views.handelsregister_uploaden, "laden")]) + super().get_urls()

    @admin.display(description=_("Basisprofiel (KvK API v1)"))
    def basisprofiel_weergave(self, obj):
        return format_html(
            '<pre class="support-json">{}</pre>', json.dumps(obj.basisprofiel, indent=2, ensure_ascii=False)
        )

    @admin.display(description=_("Zoeken-resultaten (KvK API v2)"))
    def zoekresultaten_weergave(self, obj):
        return format_html(
            '<pre class="support-json">{}</pre>', json.dumps(obj.zoekresultaten, indent=2, ensure_ascii=False)
        )


@admin.register(Vestiging)
class VestigingAdmin(AlleenLezenAdmin):
    list_display = ["eerste_handelsnaam", "vestigingsnummer", "is_hoofdvestiging", "kvk_nummer"]
    list_filter = ["is_hoofdvestiging"]
    search_fields = ["vestigingsnummer", "eerste_handelsnaam", "inschrijving__kvk_nummer", "inschrijving__naam"]
    list_select_related = ["inschrijving"]
    ordering = ["eerste_handelsnaam", "pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = ["inschrijving", "vestigingsnummer", "eerste_handelsnaam", "is_hoofdvestiging"]
    readonly_fields = fields

    @admin.display(description=_("KvK-nummer"), ordering="inschrijving__kvk_nummer")
    def kvk_nummer(self, obj):
        return obj.inschrijving.kvk_nummer


@admin.register(WettelijkVertegenwoordiger)
class WettelijkVertegenwoordigerAdmin(AlleenLezenAdmin):
    list_display = ["naam", "geboortedatum", "bevoegdheid", "organisatie"]
    search_fields = ["naam", "inschrijving__kvk_nummer", "inschrijving__naam"]
    list_select_related = ["inschrijving"]
    ordering = ["inschrijving__naam", "volgorde", "pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = ["inschrijving", "naam", "geboortedatum", "bevoegdheid", "volgorde"]
    readonly_fields = fields

    @admin.display(description=_("organisatie"), ordering="inschrijving__naam")
    def organisatie(self, obj):
        return f"{obj.inschrijving.naam} ({obj.inschrijving.kvk_nummer})"
