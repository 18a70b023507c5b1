from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common import generaties


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Machtigingenregister API")

    def ready(self) -> None:
        # The clients each process keeps by token (api.clients) are dropped whenever a client is written.
        generaties.volg(generaties.API_CLIENTS, [self.apps.get_model("api.ApiClient")._meta.db_table])
