"""Support's side of the rubriek Gebruikers: the queue of aanvragen and mutaties (R13, R18), and read-mostly
lists of personen, middelen and koppelingen. Every change goes through `gebruikers.services` (rules, audit)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm, UsernameField
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from organisaties.models import Organisatie
from support import views
from support.adminbasis import AlleenLezenAdmin, actie
from support.filters import LeeftijdFilter, OrganisatieZoekFilter
from support.weergave import gegevens_secties

# --- Aanvragen en mutaties ---------------------------------------------------------------------------------


@admin.register(Aanvraag)
class AanvraagAdmin(admin.ModelAdmin):
    """The work queue: spoed first, then oldest. Read-only; Goedkeuren/Afkeuren call the domain services."""

    list_display = ["spoed_teken", "soort", "status", "organisatie_kvk", "persoon", "aangevraagd_op", "leeftijd"]
    list_display_links = ["soort"]
    list_filter = ["soort", "status", "spoed", OrganisatieZoekFilter, LeeftijdFilter]
    search_fields = [
        "middel__persoon__voornamen",
        "middel__persoon__achternaam",
        "middel__persoon__email",
        "organisatie__naam",
        "organisatie__kvk_nummer",
    ]
    ordering = ["-spoed", "aangevraagd_op", "pk"]
    list_select_related = ["organisatie", "middel__persoon"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["goedkeuren", "afkeuren"]
    change_form_template = "admin/gebruikers/aanvraag/change_form.html"
    fieldsets = [
        (
            _("Aanvraag"),
            {
                "fields": [
                    "soort",
                    "status",
                    "spoed",
                    "organisatie_weergave",
                    "aangevraagd_door_weergave",
                    "aangevraagd_op",
                ]
            },
        ),
        (_("eHerkenningsmiddel"), {"fields": ["persoon_weergave", "middel_weergave", "ketenmodule_weergave"]}),
        (_("Wat is aangevraagd"), {"fields": ["gegevens_weergave", "id_documenten"]}),
        (_("Behandeling"), {"fields": ["behandeld_door_weergave", "behandeld_op", "reden_afkeuring"]}),
    ]
    readonly_fields = [
        "soort",
        "status",
        "spoed",
        "organisatie_weergave",
        "aangevraagd_door_weergave",
        "aangevraagd_op",
        "persoon_weergave",
        "middel_weergave",
        "ketenmodule_weergave",
        "gegevens_weergave",
        "id_documenten",
        "behandeld_door_weergave",
        "behandeld_op",
        "reden_afkeuring",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisatie", "middel__persoon", "aangevraagd_door", "behandeld_door")
        )

    # Viewing only: the form never saves. Goedkeuren/Afkeuren need the change permission ("behandelen").
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_behandelen_permission(self, request, obj=None):
        return request.user.has_perm("gebruikers.change_aanvraag")

    def get_urls(self):
        return (
            views.admin_urls(
                self,
                [
                    ("<path:object_id>/goedkeuren/", views.aanvraag_goedkeuren, "goedkeuren"),
                    ("<path:object_id>/afkeuren/", views.aanvraag_afkeuren, "afkeuren"),
                    (
                        "<path:object_id>/id-document/<str:zijde>/",
                        views.aanvraag_id_document,
                        "id_document",
                    ),
                    ("<path:object_id>/activatiebrief/", views.aanvraag_activatiebrief, "activatiebrief"),
                ],
            )
            + super().get_urls()
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Here rather than in change_view: the object is already fetched, no second query.
        if obj is not None and obj.status == Aanvraag.Status.IN_BEHANDELING and self.has_behandelen_permission(request):
            context["support_acties"] = [
                actie(_("Goedkeuren"), reverse("admin:gebruikers_aanvraag_goedkeuren", args=[obj.pk]), primair=True),
                actie(_("Afkeuren"), reverse("admin:gebruikers_aanvraag_afkeuren", args=[obj.pk]), methode="get"),
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions

    @admin.action(description=_("Goedkeuren"), permissions=["behandelen"])
    def goedkeuren(self, request, queryset):
        return views.aanvragen_goedkeuren(self, request, queryset)

    @admin.action(description=_("Afkeuren"), permissions=["behandelen"])
    def afkeuren(self, request, queryset):
        return views.aanvragen_afkeuren(self, request, queryset)

    # --- columns

    @admin.display(description=_("spoed"), boolean=True, ordering="spoed")
    def spoed_teken(self, obj):
        return obj.spoed

    @admin.display(description=_("organisatie"), ordering="organisatie__naam")
    def organisatie_kvk(self, obj):
        return f"{obj.organisatie.naam} ({obj.organisatie.kvk_nummer})"

    @admin.display(description=_("persoon"))
    def persoon(self, obj):
        if obj.middel_id is None:
            return "–"
        return f"{obj.middel.persoon.volledige_naam} <{obj.middel.persoon.email}>"

    @admin.display(description=_("leeftijd"), ordering="aangevraagd_op")
    def leeftijd(self, obj):
        return timesince(obj.aangevraagd_op, timezone.now(), depth=1)

    # --- change view

    @admin.display(description=_("organisatie"))
    def organisatie_weergave(self, obj):
        o = obj.organisatie
        return format_html(
            "{} – KvK {}{}<br>{}",
            o.naam,
            o.kvk_nummer,
            _(", vestiging %(nummer)s") % {"nummer": o.vestigingsnummer} if o.vestigingsnummer else "",
            o.adres,
        )

    @admin.display(description=_("aangevraagd door"))
    def aangevraagd_door_weergave(self, obj):
        p = obj.aangevraagd_door
        return f"{p.volledige_naam} <{p.email}>" if p else "–"

    @admin.display(description=_("behandeld door"))
    def behandeld_door_weergave(self, obj):
        return obj.behandeld_door.volledige_naam if obj.behandeld_door else "–"

    @admin.display(description=_("persoon"))
    def persoon_weergave(self, obj):
        if obj.middel_id is None:
            return "–"
        p = obj.middel.persoon
        return format_html(
            "{}<br>{}{}",
            p.volledige_naam,
            p.email,
            format_html("<br>{}", p.mobiel) if p.mobiel else "",
        )

    # "EH middel" as the manual writes it: the admin capitalises a label's first letter ("EHerkenningsmiddel").
    @admin.display(description=_("EH middel"))
    def middel_weergave(self, obj):
        if obj.middel_id is None:
            return "–"
        m = obj.middel
        termijn = views.activeren_tot_tekst(m)
        return format_html(
            '<span class="support-middel-status">{}</span> · {} · {}{}',
            m.get_status_display(),
            m.get_niveau_display(),
            m.get_type_display(),
            format_html('<br><strong class="support-activeren-tot">{}</strong>', termijn) if termijn else "",
        )

    @admin.display(description=_("module ketenmachtigingen"))
    def ketenmodule_weergave(self, obj):
        module_id = (obj.gegevens or {}).get("ketenmodule")
        if obj.soort != Aanvraag.Soort.KETENMODULE or not module_id:
            return "–"
        # Handled on the module's own page: offerte, acceptatie, inschakelen (R43).
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:ketenmachtigingen_ketenmodule_change", args=[module_id]),
            _("Behandel de module ketenmachtigingen"),
        )

    @admin.display(description=_("gegevens"))
    def gegevens_weergave(self, obj):
        ids = [i for i in (obj.gegevens or {}).get("organisaties", []) if isinstance(i, int)]
        namen = dict(Organisatie.objects.filter(pk__in=ids).values_list("pk", "naam")) if ids else {}
        return render_to_string(
            "admin/support/aanvraag_gegevens.html", {"secties": gegevens_secties(obj.gegevens, namen)}
        )

    @admin.display(description=_("identiteitsdocument"))
    def id_documenten(self, obj):
        links = [
            (reverse("admin:gebruikers_aanvraag_id_document", args=[obj.pk, zijde]), label)
            for zijde, label, veld in (
                ("voorzijde", _("Voorzijde downloaden"), obj.id_document_voorzijde),
                ("achterzijde", _("Achterzijde downloaden"), obj.id_document_achterzijde),
            )
            if veld
        ]
        if obj.activatiebrief:
            links.append(
                (reverse("admin:gebruikers_aanvraag_activatiebrief", args=[obj.pk]), _("Activatiebrief (PDF)"))
            )
        if not links:
            return "–"
        return format_html_join(" · ", '<a href="{}" download>{}</a>', links)


# --- Personen, middelen, koppelingen -----------------------------------------------------------------------


class PersoonCreationForm(BaseUserCreationForm):
    """A staff account made by a superuser; beheerders' users are created by `middel_aanvragen` instead."""

    class Meta:
        model = Persoon
        fields = ["username", "voornamen", "tussenvoegsel", "achternaam", "email"]
        field_classes = {"username": UsernameField}


class PersoonChangeForm(UserChangeForm):
    class Meta:
        model = Persoon
        fields = "__all__"
        field_classes = {"username": UsernameField}


STAFF_VELDEN = ["is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(Persoon)
class PersoonAdmin(UserAdmin):
    """Read-mostly. The password changes only through Django's own password form; staff flags, groups and
    permissions only by a superuser."""

    form = PersoonChangeForm
    add_form = PersoonCreationForm
    list_display = ["volledige_naam", "email", "username", "is_staff", "is_active", "aangemaakt_op"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "voornamen", "achternaam", "email"]
    ordering = ["achternaam", "voornamen", "pk"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Persoonsgegevens"),
            {"fields": ["voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "geslacht", "bsn"]},
        ),
        (_("Contact"), {"fields": ["email", "mobiel", "taal"]}),
        (_("Rechten"), {"fields": ["is_active", *STAFF_VELDEN]}),
        (_("Data"), {"fields": ["aangemaakt_op", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "voornamen", "tussenvoegsel", "achternaam", "email", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["aangemaakt_op", "last_login"]
    # A person's data changes through the domain services (R11, R21, R22, audit R74), not by hand in the admin.
    PERSOONSVELDEN = [
        "voornamen",
        "tussenvoegsel",
        "achternaam",
        "geboortedatum",
        "geslacht",
        "bsn",
        "email",
        "mobiel",
        "taal",
    ]

    @admin.display(description=_("naam"), ordering="achternaam")
    def volledige_naam(self, obj):
        return obj.volledige_naam

    def get_readonly_fields(self, request, obj=None):
        velden = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            velden += STAFF_VELDEN
            if obj is not None:
                velden += [*self.PERSOONSVELDEN, "is_active"]
        return velden

    def has_add_permission(self, request):
        # New staff accounts only by a superuser; everyone else is created through an aanvraag.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Persons end through opzeggen (R19), never by deleting the record the audit trail points at.
        return False

    def get_actions(self, request):
        acties = super().get_actions(request)
        acties.pop("delete_selected", None)
        return acties


@admin.register(Middel)
class MiddelAdmin(AlleenLezenAdmin):
    list_display = ["persoon", "niveau", "type", "status", "tweede_factor", "activeren_tot", "geactiveerd_op"]
    list_filter = ["status", "niveau", "type", "tweede_factor"]
    search_fields = ["persoon__voornamen", "persoon__achternaam", "persoon__email", "persoon__username"]
    list_select_related = ["persoon"]
    ordering = ["persoon__achternaam", "pk"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = [
        "persoon",
        "publieke_id",
        "niveau",
        "type",
        "status",
        "tweede_factor",
        "aangevraagd_op",
        "goedgekeurd_op",
        "activeren_tot",
        "geactiveerd_op",
        "activatie_verlopen_op",
        "beeindigd_op",
        "id_land",
        "id_postcode",
        "id_huisnummer",
        "id_toevoeging",
        "id_straat",
        "id_plaats",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persoon")


@admin.register(Koppeling)
class KoppelingAdmin(AlleenLezenAdmin):
    list_display = [
        "persoon",
        "organisatie_kvk",
        "rol",
        "status",
        "abonnement_jaren",
        "abonnement_eind",
        "opzeggen_per",
    ]
    list_filter = ["rol", "status", "abonnement_jaren", OrganisatieZoekFilter]
    search_fields = [
        "middel__persoon__voornamen",
        "middel__persoon__achternaam",
        "middel__persoon__email",
        "organisatie__naam",
        "organisatie__kvk_nummer",
    ]
    list_select_related = ["middel__persoon", "organisatie"]
    ordering = ["organisatie__naam", "pk"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = [
        "middel",
        "organisatie",
        "rol",
        "status",
        "abonnement_jaren",
        "abonnement_start",
        "abonnement_eind",
        "automatische_verlenging",
        "opzeggen_per",
        "opzegmoment",
        "beeindigd_op",
        "aangemaakt_op",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("middel__persoon", "organisatie")

    @admin.display(description=_("persoon"), ordering="middel__persoon__achternaam")
    def persoon(self, obj):
        return obj.middel.persoon.volledige_naam

    @admin.display(description=_("organisatie"), ordering="organisatie__naam")
    def organisatie_kvk(self, obj):
        return f"{obj.organisatie.naam} ({obj.organisatie.kvk_nummer})"
