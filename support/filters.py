"""Admin list filters that stay fast whatever the number of rows or organisations."""

import datetime as dt

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisatieZoekFilter(admin.SimpleListFilter):
    """Filter by organisation through a text box (KvK-nummer, id or part of the name) instead of a list of
    every organisation, which would be one link per organisation on every page load."""

    title = _("organisatie")
    parameter_name = "organisatie"
    template = "admin/support/input_filter.html"
    # The path from the listed model to its organisation.
    veld = "organisatie"
    label = _("KvK-nummer of naam")

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        waarde = (self.value() or "").strip()
        if not waarde:
            return queryset
        if waarde.isdigit() and len(waarde) == 8:
            return queryset.filter(**{f"{self.veld}__kvk_nummer": waarde})
        if waarde.isdigit():
            return queryset.filter(Q(**{f"{self.veld}_id": int(waarde)}) | Q(**{f"{self.veld}__kvk_nummer": waarde}))
        return queryset.filter(**{f"{self.veld}__naam__icontains": waarde})

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Alle"),
            "parameter": self.parameter_name,
            "label": self.label,
            "value": self.value() or "",
            "verborgen": [(k, v) for k, v in changelist.params.items() if k != self.parameter_name],
        }


def organisatie_filter(pad: str, titel=None):
    """An `OrganisatieZoekFilter` for another path, e.g. `organisatie_filter("verlener")`."""
    return type(
        f"OrganisatieZoekFilter_{pad}",
        (OrganisatieZoekFilter,),
        {"veld": pad, "parameter_name": pad, "title": titel or OrganisatieZoekFilter.title},
    )


class LeeftijdFilter(admin.SimpleListFilter):
    """How long ago something was requested: < 1 dag, 1–7 dagen, > 7 dagen."""

    title = _("leeftijd")
    parameter_name = "leeftijd"
    veld = "aangevraagd_op"

    def lookups(self, request, model_admin):
        return [
            ("nieuw", _("< 1 dag")),
            ("week", _("1–7 dagen")),
            ("ouder", _("> 7 dagen")),
        ]

    def queryset(self, request, queryset):
        nu = timezone.now()
        dag, week = nu - dt.timedelta(days=1), nu - dt.timedelta(days=7)
        waarde = self.value()
        if waarde == "nieuw":
            return queryset.filter(**{f"{self.veld}__gt": dag})
        if waarde == "week":
            return queryset.filter(**{f"{self.veld}__lte": dag, f"{self.veld}__gte": week})
        if waarde == "ouder":
            return queryset.filter(**{f"{self.veld}__lt": week})
        return queryset


class DienstverlenerZoekFilter(OrganisatieZoekFilter):
    """Filter diensten by dienstverlener through a text box (OIN or part of the name)."""

    title = _("dienstverlener")
    parameter_name = "dienstverlener"
    label = _("OIN of naam")

    def queryset(self, request, queryset):
        waarde = (self.value() or "").strip()
        if not waarde:
            return queryset
        if waarde.isdigit():
            return queryset.filter(dienstverlener__oin=waarde)
        return queryset.filter(dienstverlener__naam__icontains=waarde)
