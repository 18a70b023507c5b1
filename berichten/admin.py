"""Support staff see every message's state and can send again; developers read the SMS store."""

import re

from django.contrib import admin, messages
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from berichten.models import Bericht, SmsBericht
from berichten.services import bericht_opnieuw_versturen
from common.errors import DomainError

LINK = re.compile(r"https?://\S+")


@admin.register(Bericht)
class BerichtAdmin(admin.ModelAdmin):
    list_display = [
        "aangemaakt_op",
        "status",
        "kanaal",
        "soort",
        "ontvanger",
        "pogingen",
        "fout",
        "verzonden_op",
    ]
    list_filter = ["status", "kanaal", "soort", "taal"]
    search_fields = ["ontvanger", "onderwerp"]
    date_hierarchy = "aangemaakt_op"
    actions = ["opnieuw_versturen"]
    list_per_page = 50
    # The organisation filter and raw ids keep the changelist free of per-row queries.
    raw_id_fields = ["persoon", "organisatie", "opnieuw_van"]

    # The text is shown without its links: an activation or invitation link is a key to someone's account.
    VERBORGEN = {"tekst", "html"}

    def get_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.VERBORGEN] + ["tekst_zonder_links"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("tekst"))
    def tekst_zonder_links(self, obj: Bericht) -> str:
        return LINK.sub("[link]", obj.tekst)

    @admin.display(description=_("laatste fout"))
    def fout(self, obj: Bericht) -> str:
        return truncatechars(obj.laatste_fout, 80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing is allowed; nothing is edited by hand (the readonly form has no save button).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Opnieuw versturen"), permissions=["view"])
    def opnieuw_versturen(self, request, queryset):
        gelukt = 0
        for bericht in queryset.order_by("pk"):
            try:
                bericht_opnieuw_versturen(bericht=bericht, door=request.user)
            except DomainError as exc:
                self.message_user(request, f"{bericht.ontvanger}: {exc}", messages.WARNING)
            else:
                gelukt += 1
        if gelukt:
            self.message_user(
                request,
                ngettext("%(n)d bericht wordt opnieuw verstuurd.", "%(n)d berichten worden opnieuw verstuurd.", gelukt)
                % {"n": gelukt},
                messages.SUCCESS,
            )


@admin.register(SmsBericht)
class SmsBerichtAdmin(admin.ModelAdmin):
    list_display = ["verzonden_op", "nummer", "tekst", "afzender"]
    search_fields = ["nummer", "tekst"]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
