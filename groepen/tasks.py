"""Scheduled jobs for groepen; thin wrappers around the services, idempotent, safe to run twice."""

from celery import shared_task

from groepen import services


@shared_task(
    name="groepen.tasks.verloop_groepsmachtigingen", acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60
)
def verloop_groepsmachtigingen() -> int:
    """Flip every group machtiging past its end date to verlopen (set-based; see the service)."""
    return services.verloop_groepsmachtigingen()
