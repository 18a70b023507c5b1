"""This app's part of `manage.py demo` (idempotent): called after the organisations, people and machtigingen
of the manual exist."""

from api.clients import maak_client
from api.models import ApiClient

DEMO_CLIENT = "Demo-makelaar (Signicat)"


def laad(organisaties: dict, middelen: dict) -> None:
    """`organisaties` maps KvK-nummer → Organisatie, `middelen` username → Middel (see beheer's demo command).

    One demo API client, without a usable token: support makes one with *Nieuw token* in the admin, or
    `manage.py api_client NAME` prints a fresh client's token."""
    if ApiClient.objects.filter(naam=DEMO_CLIENT).exists():
        return
    signicat = next((o for o in organisaties.values() if "signicat" in o.naam.lower()), None)
    maak_client(naam=DEMO_CLIENT, organisatie=signicat)
