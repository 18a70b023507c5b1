"""Scheduled jobs of the rubriek Gebruikers (CELERY_BEAT_SCHEDULE). Thin: the set-based work is in services."""

from celery import shared_task

from gebruikers import services


@shared_task(name="gebruikers.tasks.verloop_activaties")
def verloop_activaties() -> int:
    """Wachten op activatie past the term → Activatie verlopen (R18). Returns how many middelen expired."""
    return services.activaties_verlopen()


@shared_task(name="gebruikers.tasks.voer_opzeggingen_uit")
def voer_opzeggingen_uit() -> int:
    """Carry out planned terminations that are due (R19), keeping a beheerder per organisation (R5)."""
    return services.opzeggingen_uitvoeren()


@shared_task(name="gebruikers.tasks.maak_activatiebrief", acks_late=True)
def maak_activatiebrief(aanvraag_id: int) -> None:
    """R15: the EH2+ activation letter (PDF) for an approved aanvraag; idempotent, takes an id."""
    from gebruikers.models import Aanvraag

    aanvraag = Aanvraag.objects.filter(pk=aanvraag_id).first()
    if aanvraag is not None:
        services.activatiebrief_maken(aanvraag=aanvraag)
