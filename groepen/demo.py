"""This app's part of `manage.py demo` (idempotent): called after the organisations, people and machtigingen
of the manual exist.

At Santos B.V. the group *Salarisadministratie* with K. Bulters (EH2+) and S. Veenstra (EH3), holding the UWV
Werkgeversportaal (EH3): it counts for Veenstra, and the group's page shows Bulters as not covered (R31)."""

import datetime as dt

from catalogus import voorbeeld
from catalogus.models import Dienst
from common.dates import plus_jaren, vandaag
from gebruikers.models import Koppeling
from groepen.models import Groep, GroepLid, GroepMachtiging
from machtigingen.models import Scope, Status

SANTOS = "12345678"
NAAM = "Salarisadministratie"
LEDEN = ("kbulters", "sveenstra")


def laad(organisaties: dict, middelen: dict) -> None:
    """`organisaties` maps KvK-nummer → Organisatie, `middelen` username → Middel (see beheer's demo command)."""
    santos = organisaties.get(SANTOS)
    if santos is None:
        return
    groep = Groep.objects.bestaand().filter(organisatie=santos, naam=NAAM).first()
    if groep is None:
        groep = Groep.objects.create(organisatie=santos, naam=NAAM)
    for username in LEDEN:
        middel = middelen.get(username)
        koppeling = Koppeling.objects.lopend().filter(middel=middel, organisatie=santos).first() if middel else None
        if koppeling is not None:
            GroepLid.objects.get_or_create(groep=groep, koppeling=koppeling)
    dienst = Dienst.objects.filter(service_uuid=voorbeeld.UWV_WERKGEVERSPORTAAL).first()
    if (
        dienst is not None
        and not GroepMachtiging.objects.filter(groep=groep, dienst=dienst, status=Status.ACTIEF).exists()
    ):
        begin = vandaag() - dt.timedelta(days=30)
        GroepMachtiging.objects.create(
            groep=groep,
            scope=Scope.DIENST,
            dienst=dienst,
            begint_op=begin,
            termijn_begint_op=begin,
            eindigt_op=plus_jaren(begin, 5),
            status=Status.ACTIEF,
        )
