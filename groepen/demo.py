"""This app's part of `manage.py demo` (idempotent): called after the organisations, people and machtigingen
of the manual exist."""


def laad(organisaties: dict, middelen: dict) -> None:
    """`organisaties` maps KvK-nummer → Organisatie, `middelen` username → Middel (see beheer's demo command)."""
