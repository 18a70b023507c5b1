from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandelsregisterConfig(AppConfig):
    name = "handelsregister"
    verbose_name = _("Handelsregister")
