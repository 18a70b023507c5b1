from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice


class SupportLoginForm(OTPAdminAuthenticationForm):
    """One page: user name, password and the code of the agent's authenticator app (their TOTP device)."""

    def _chosen_device(self, user):
        return super()._chosen_device(user) or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class SupportAdminSite(OTPAdminSite):
    """Support staff see ID documents and approve middelen: the admin asks the same second factor (a TOTP code)
    as the Beheermodule does from EH2+, and django-axes' lockout applies to its log-in too."""

    login_form = SupportLoginForm
    login_template = "admin/login_otp.html"
    site_header = _("Beheermodule eHerkenning – support")
    site_title = _("Beheermodule support")
    index_title = _("Aanvragen, middelen en het register")
    # The dash the Beheermodule shows for "nothing", not Django's hyphen.
    empty_value_display = "–"

    def _build_app_dict(self, request, label=None):
        # Django capitalises every model's name; "eHerkenning" is a brand written with a small e.
        apps = super()._build_app_dict(request, label)
        for app in [apps] if label else apps.values():
            for model in (app or {}).get("models", []):
                naam = str(model["model"]._meta.verbose_name_plural)
                if naam.startswith("eHerkenning"):
                    model["name"] = naam
        return apps


admin.site.__class__ = SupportAdminSite

urlpatterns = [
    # The Machtigingenregister's decision API (AuthZEN) and its schema. First: brokers ask it thousands of times
    # a second, and Django tries the patterns in order. Its paths (/access/…, /.well-known/…, /api/…) shadow none
    # of the Beheermodule's.
    path("", include("api.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/gebruikers/", include("gebruikers.urls")),
    path("beheer/machtigingen/", include("machtigingen.urls")),
    path("beheer/groepen/", include("groepen.urls")),
    path("beheer/ketenmachtigingen/", include("ketenmachtigingen.urls")),
    path("beheer/instellingen/", include("instellingen.urls")),
    path("beheer/logboek/", include("audit.urls")),
    path("uitnodiging/", include("ketenmachtigingen.urls_uitnodiging")),
    path("", include("beheer.urls")),
]
