"""Organisations for support staff: a read-only list; their data changes through the Beheermodule's services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisaties.models import Organisatie
from support.adminbasis import AlleenLezenAdmin


@admin.register(Organisatie)
class OrganisatieAdmin(AlleenLezenAdmin):
    list_display = ["naam", "kvk_nummer", "vestigingsnummer", "plaats", "status", "aangemaakt_op"]
    list_filter = ["status", "betaalwijze", "facturatiewijze"]
    search_fields = ["naam", "kvk_nummer", "vestigingsnummer", "rsin", "klantnummer"]
    ordering = ["naam", "pk"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["naam", "kvk_nummer", "vestigingsnummer", "rsin", "status", "opgezegd_op"]}),
        (_("Adres"), {"fields": ["straat", "huisnummer", "postcode", "plaats", "land", "telefoon"]}),
        (
            _("Facturatie"),
            {
                "fields": [
                    "klantnummer",
                    "betaalwijze",
                    "iban",
                    "bic",
                    "machtigingskenmerk",
                    "facturatiewijze",
                    "factuur_email",
                    "inkoopordernummer",
                ]
            },
        ),
        (None, {"fields": ["aangemaakt_op"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
