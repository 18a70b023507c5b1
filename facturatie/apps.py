from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacturatieConfig(AppConfig):
    name = "facturatie"
    verbose_name = _("Facturatie")
