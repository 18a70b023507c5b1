"""Thin Celery tasks of berichten: they take ids, refetch, and are safe to run twice.

The delivery task itself lives in `berichten.bezorging` (the outbox schedules it on commit); it is imported here so
`berichten.tasks.bezorg_bericht` is where the worker and the callers find every task of this app.
"""

from celery import shared_task

from berichten.bezorging import bezorg_bericht
from berichten.meldingen.herinneringen import (
    eigen_middel_zonder_beheerder_waarschuwen,
    verlopende_machtigingen_herinneren,
)
from berichten.outbox import openstaande_berichten_aanbieden

__all__ = [
    "bezorg_bericht",
    "bezorg_openstaande_berichten",
    "herinner_verlopende_machtigingen",
    "waarschuw_eigen_middel_zonder_andere_beheerder",
]


@shared_task(name="berichten.tasks.bezorg_openstaande_berichten", acks_late=True, ignore_result=True)
def bezorg_openstaande_berichten() -> int:
    """Every minute: offer again queued messages the broker may have missed and failed ones due again."""
    return openstaande_berichten_aanbieden()


@shared_task(name="berichten.tasks.herinner_verlopende_machtigingen", acks_late=True, ignore_result=True)
def herinner_verlopende_machtigingen() -> int:
    return verlopende_machtigingen_herinneren()


@shared_task(name="berichten.tasks.waarschuw_eigen_middel_zonder_andere_beheerder", acks_late=True, ignore_result=True)
def waarschuw_eigen_middel_zonder_andere_beheerder() -> int:
    return eigen_middel_zonder_beheerder_waarschuwen()
