"""Celery tasks of inloggen; thin, they take ids and are safe to run twice."""

from celery import shared_task

from gebruikers.models import Aanvraag
from inloggen.activatie import activatiebrief_maken


@shared_task(name="inloggen.tasks.maak_activatiebrief", acks_late=True)
def maak_activatiebrief(aanvraag_id: int) -> None:
    """R15: the EH2+ activation letter (PDF) for an approved aanvraag; idempotent, takes an id."""
    aanvraag = Aanvraag.objects.filter(pk=aanvraag_id).first()
    if aanvraag is not None:
        activatiebrief_maken(aanvraag=aanvraag)
