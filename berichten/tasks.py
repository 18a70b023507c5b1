"""Thin Celery tasks around `berichten.services`: they take ids, refetch, and are safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError, Retry

from berichten import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="berichten.tasks.bezorg_bericht",
    acks_late=True,
    # The outcome lives in the Bericht row. Without a result, enqueueing never waits on the result store,
    # so a web request fails fast (about a second) when Redis is down instead of hanging for ~20 seconds.
    ignore_result=True,
    max_retries=services.MAX_POGINGEN,
    soft_time_limit=60,
    time_limit=120,
)
def bezorg_bericht(self, bericht_id: int) -> str:
    """Deliver one message; after a transient error try again with exponential back-off.

    The claim in `bericht_bezorgen` makes a duplicate task (sweeper, redelivery after acks_late) a no-op.
    In eager mode (no worker) there is no inline retry: it would block the web request on a mail server that
    is down; the sweeper tries again when the back-off has passed.
    """
    uitkomst, wacht = services.bericht_bezorgen(bericht_id=bericht_id)
    if uitkomst == services.Uitkomst.TIJDELIJK_MISLUKT and wacht is not None and not self.request.is_eager:
        try:
            raise self.retry(countdown=wacht)
        except Retry:
            raise
        except MaxRetriesExceededError:
            logger.warning("Bericht %s: Celery-herhalingen op; de sweeper neemt het over", bericht_id)
        except Exception:
            # The broker is down too: the row is failed with its back-off time, the sweeper picks it up.
            logger.warning("Bericht %s: herhaling niet ingepland; de sweeper neemt het over", bericht_id)
    return str(uitkomst)


@shared_task(name="berichten.tasks.bezorg_openstaande_berichten", acks_late=True, ignore_result=True)
def bezorg_openstaande_berichten() -> int:
    """Every minute: offer again queued messages the broker may have missed and failed ones due again."""
    return services.openstaande_berichten_aanbieden()


@shared_task(name="berichten.tasks.herinner_verlopende_machtigingen", acks_late=True, ignore_result=True)
def herinner_verlopende_machtigingen() -> int:
    return services.verlopende_machtigingen_herinneren()


@shared_task(name="berichten.tasks.waarschuw_eigen_middel_zonder_andere_beheerder", acks_late=True, ignore_result=True)
def waarschuw_eigen_middel_zonder_andere_beheerder() -> int:
    return services.eigen_middel_zonder_beheerder_waarschuwen()
