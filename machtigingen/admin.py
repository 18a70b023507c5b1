"""Machtigingen for support staff: a read-only list (changes go through the Beheermodule, R30–R39)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from machtigingen.models import Machtiging
from support.adminbasis import AlleenLezenAdmin
from support.filters import OrganisatieZoekFilter

SCOPE_VELDEN = ["scope", "dienst", "niveau", "dienstverlener", "begint_op", "termijn_begint_op", "eindigt_op"]


@admin.register(Machtiging)
class MachtigingAdmin(AlleenLezenAdmin):
    list_display = ["persoon", "organisatie_kvk", "reikwijdte", "begint_op", "eindigt_op", "status"]
    list_filter = ["status", "scope", "niveau", OrganisatieZoekFilter]
    search_fields = [
        "middel__persoon__voornamen",
        "middel__persoon__achternaam",
        "middel__persoon__email",
        "organisatie__naam",
        "organisatie__kvk_nummer",
        "dienst__naam",
    ]
    list_select_related = ["middel__persoon", "organisatie", "dienst", "dienstverlener"]
    ordering = ["-aangemaakt_op", "-pk"]
    list_per_page = 100
    show_full_result_count = False
    fields = ["middel", "organisatie", *SCOPE_VELDEN, "status", "ingetrokken_op", "aangemaakt_op"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("middel__persoon", "organisatie", "dienst", "dienstverlener")
        )

    @admin.display(description=_("persoon"), ordering="middel__persoon__achternaam")
    def persoon(self, obj):
        return obj.middel.persoon.volledige_naam

    @admin.display(description=_("organisatie"), ordering="organisatie__naam")
    def organisatie_kvk(self, obj):
        return f"{obj.organisatie.naam} ({obj.organisatie.kvk_nummer})"

    @admin.display(description=_("reikwijdte"))
    def reikwijdte(self, obj):
        return obj.scope_omschrijving
