"""Scheduled jobs of the API; thin wrappers around the domain functions, idempotent."""

from celery import shared_task

from api import logboek


@shared_task(name="api.tasks.verwijder_oude_beslissingen", acks_late=True)
def verwijder_oude_beslissingen() -> int:
    """Delete decision-log entries past the retention period (REGISTER_LOG_RETENTION_DAYS)."""
    return logboek.verwijder_oude()
