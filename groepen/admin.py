"""Groepen for support staff: read-only lists (changes go through the Beheermodule, R24)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from groepen.models import Groep, GroepMachtiging
from support.adminbasis import AlleenLezenAdmin
from support.filters import OrganisatieZoekFilter


@admin.register(Groep)
class GroepAdmin(AlleenLezenAdmin):
    list_display = ["naam", "organisatie", "aangemaakt_op", "opgeheven_op"]
    list_filter = [OrganisatieZoekFilter]
    search_fields = ["naam", "organisatie__naam", "organisatie__kvk_nummer"]
    list_select_related = ["organisatie"]
    ordering = ["organisatie__naam", "naam", "pk"]
    list_per_page = 100
    fields = ["organisatie", "naam", "aangemaakt_op", "opgeheven_op"]
    readonly_fields = fields


@admin.register(GroepMachtiging)
class GroepMachtigingAdmin(AlleenLezenAdmin):
    list_display = ["groep", "reikwijdte", "begint_op", "eindigt_op", "status"]
    list_filter = ["status", "scope"]
    search_fields = ["groep__naam", "groep__organisatie__naam", "dienst__naam"]
    list_select_related = ["groep", "dienst", "dienstverlener"]
    ordering = ["-aangemaakt_op", "-pk"]
    list_per_page = 100
    fields = [
        "groep",
        "scope",
        "dienst",
        "niveau",
        "dienstverlener",
        "begint_op",
        "termijn_begint_op",
        "eindigt_op",
        "status",
        "ingetrokken_op",
        "aangemaakt_op",
    ]
    readonly_fields = fields

    @admin.display(description=_("reikwijdte"))
    def reikwijdte(self, obj):
        return obj.scope_omschrijving
