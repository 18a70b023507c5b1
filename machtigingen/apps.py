from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common import generaties

# Every model the Machtigingenregister's decision reads (machtigingen.register_feiten, api.beslissen): what the API
# keeps of its answers (api.beslissen._Bewaard) is dropped whenever one of their tables is written. A test checks
# this list against the tables the decision's queries name.
REGISTER_LEEST = (
    "catalogus.Dienst",
    "catalogus.Dienstverlener",
    "catalogus.IntermediairGoedkeuring",
    "gebruikers.Koppeling",
    "gebruikers.Middel",
    "groepen.Groep",
    "groepen.GroepLid",
    "groepen.GroepMachtiging",
    "ketenmachtigingen.Ketenmachtiging",
    "ketenmachtigingen.KetenmachtigingMiddel",
    "machtigingen.Machtiging",
    "organisaties.Organisatie",
)


class MachtigingenConfig(AppConfig):
    name = "machtigingen"
    verbose_name = _("Machtigingen")

    def ready(self) -> None:
        generaties.volg(generaties.REGISTER, [self.apps.get_model(label)._meta.db_table for label in REGISTER_LEEST])
