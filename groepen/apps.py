from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroepenConfig(AppConfig):
    name = "groepen"
    verbose_name = _("Groepen")
