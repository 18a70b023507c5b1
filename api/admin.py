"""Support's screens for the API: clients (token shown once, revocable, last use) and the decision log (search)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api import clients, logboek
from api.models import ApiClient, Beslissing
from inloggen.sudo import vereist_recente_bevestiging_admin
from support.adminbasis import AlleenLezenAdmin


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["naam", "organisatie", "token_begin", "aangemaakt_op", "laatst_gebruikt_op", "ingetrokken_op"]
    list_filter = [("ingetrokken_op", admin.EmptyFieldListFilter)]
    search_fields = ["naam", "organisatie__naam", "organisatie__kvk_nummer", "token_begin"]
    list_select_related = ["organisatie"]
    raw_id_fields = ["organisatie"]
    fields = ["naam", "organisatie", "token_begin", "aangemaakt_op", "laatst_gebruikt_op", "ingetrokken_op"]
    readonly_fields = ["token_begin", "aangemaakt_op", "laatst_gebruikt_op", "ingetrokken_op"]
    actions = ["intrekken", "nieuw_token"]

    def has_delete_permission(self, request, obj=None):
        return False  # the decision log refers to clients: revoke instead

    # Issuing a token is sensitive: the agent confirms with their code again when the last check is old (sudo mode).
    @vereist_recente_bevestiging_admin
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, token = clients.maak_client(naam=obj.naam, organisatie=obj.organisatie, actor=request.user)
        for veld in ("pk", "token_hash", "token_begin", "aangemaakt_op"):
            setattr(obj, veld, getattr(client, veld))
        obj._state.adding = False
        self._toon_token(request, client, token)

    def _toon_token(self, request, client, token):
        messages.warning(
            request,
            _("Het token van %(naam)s, alleen nu te zien; bewaar het veilig: %(token)s")
            % {"naam": client.naam, "token": token},
        )

    @admin.action(description=_("Intrekken"), permissions=["change"])
    def intrekken(self, request, queryset):
        for client in queryset:
            clients.trek_in(client, actor=request.user)
        self.message_user(request, _("De gekozen API-clients zijn ingetrokken."), messages.SUCCESS)

    @admin.action(description=_("Nieuw token"), permissions=["change"])
    @vereist_recente_bevestiging_admin
    def nieuw_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één API-client voor een nieuw token."), messages.ERROR)
            return
        client = queryset.get()
        self._toon_token(request, client, clients.vernieuw_token(client, actor=request.user))


@admin.register(Beslissing)
class BeslissingAdmin(AlleenLezenAdmin):
    list_display = ["moment", "client", "subject_id", "resource_id", "kvk_nummer", "toegestaan", "pad_soort"]
    list_filter = ["toegestaan", "client"]
    search_fields = ["subject_id", "resource_id", "kvk_nummer", "request_id"]  # searched by logboek.zoekfilter
    date_hierarchy = "moment"
    list_select_related = ["client"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "moment",
        "client",
        "request_id",
        "subject_id",
        "resource_id",
        "kvk_nummer",
        "vestigingsnummer",
        "actie",
        "gevraagd_moment",
        "toegestaan",
        "pad",
        "redenen",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (queryset.filter(logboek.zoekfilter(term)) if term else queryset), False

    @admin.display(description=_("pad"))
    def pad_soort(self, obj):
        return (obj.pad or {}).get("soort", "")
