"""Scheduled jobs for machtigingen; thin wrappers around the services, idempotent, safe to run twice."""

from celery import shared_task

from machtigingen import services
from machtigingen.services.ongebruikt.alles import ongebruikt_afhandelen


@shared_task(
    name="machtigingen.tasks.verloop_machtigingen", acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60
)
def verloop_machtigingen() -> int:
    """Flip every machtiging past its end date to verlopen (set-based; see the service)."""
    return services.verloop_machtigingen()


@shared_task(
    name="machtigingen.tasks.ongebruikte_machtigingen_afhandelen",
    acks_late=True,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
)
def ongebruikte_machtigingen_afhandelen() -> dict:
    """R76: warn about machtigingen unused for 22 months, end those unused for 24 (see the service)."""
    uitkomst = ongebruikt_afhandelen()  # machtigingen, group machtigingen and ketenmachtigingen
    return {"gewaarschuwd": uitkomst.gewaarschuwd, "beeindigd": uitkomst.beeindigd}
