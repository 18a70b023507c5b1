"""The tariff table (R17): support edits the amounts in the list; every change is audited (R74)."""

from django.contrib import admin, messages

from common.errors import DomainError
from facturatie.models import Tarief
from support.forms import TariefForm
from support.services import tarief_opslaan


@admin.register(Tarief)
class TariefAdmin(admin.ModelAdmin):
    form = TariefForm
    list_display = ["code", "periode", "bedrag"]
    list_editable = ["bedrag"]
    list_filter = ["periode"]
    search_fields = ["code"]
    ordering = ["code", "periode"]

    def get_changelist_form(self, request, **kwargs):
        # The same Decimal validation (two decimals, not negative) in the list as on the detail page.
        kwargs.setdefault("form", TariefForm)
        return super().get_changelist_form(request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Which product and period a row prices is fixed; only its amount changes.
        return ["code", "periode"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        try:
            tarief_opslaan(door=request.user, tarief=obj)
        except DomainError as exc:
            # The form validates the same limits; this only shows a rule the form does not know.
            messages.error(request, str(exc))

    def has_add_permission(self, request):
        # Every product has its rows from the data migration; new products come with code, not by hand.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Prices in use must not disappear: the cost calculation would fail for that product.
        return False

    def get_actions(self, request):
        acties = super().get_actions(request)
        acties.pop("delete_selected", None)
        return acties
