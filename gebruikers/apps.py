from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GebruikersConfig(AppConfig):
    name = "gebruikers"
    verbose_name = _("Gebruikers")
