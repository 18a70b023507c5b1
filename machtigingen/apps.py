from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MachtigingenConfig(AppConfig):
    name = "machtigingen"
    verbose_name = _("Machtigingen")
