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
