from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InloggenConfig(AppConfig):
    name = "inloggen"
    verbose_name = _("Inloggen en profiel")
