"""Scheduled jobs for ketenmachtigingen; thin, the work is in services (set-based, idempotent, audited)."""

from celery import shared_task

from ketenmachtigingen.services.jobs import ketenmachtigingen_verlopen, uitnodigingen_verlopen


@shared_task(name="ketenmachtigingen.tasks.verloop_ketenmachtigingen")
def verloop_ketenmachtigingen() -> dict:
    return {
        "ketenmachtigingen": ketenmachtigingen_verlopen(),
        "uitnodigingen": uitnodigingen_verlopen(),
    }
