"""Helpers for the concurrency suites (PostgreSQL only): run callables in threads that start together, each
thread on its own database connection, and sort the outcomes into successes, refusals and errors."""

import threading
import traceback

import pytest
from django.db import connection, connections

from common.errors import DomainError
from tests.gebruikers.helpers import register, tarieven  # noqa: F401 - fixtures


class Uitkomst:
    def __init__(self):
        self.gelukt: list = []
        self.geweigerd: list[DomainError] = []
        self.fouten: list[str] = []
        self._lock = threading.Lock()

    def run(self, actie) -> None:
        try:
            resultaat = actie()
        except DomainError as exc:
            with self._lock:
                self.geweigerd.append(exc)
        except Exception:  # noqa: BLE001 - every other error is a failure, reported by the assertion
            with self._lock:
                self.fouten.append(traceback.format_exc())
        else:
            with self._lock:
                self.gelukt.append(resultaat)


def gelijktijdig(*acties, timeout: float = 60) -> Uitkomst:
    """Run each action in its own thread; the threads start at the same moment (a barrier)."""
    uitkomst = Uitkomst()
    barrier = threading.Barrier(len(acties))

    def run(actie):
        try:
            barrier.wait(timeout=10)
            uitkomst.run(actie)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in acties]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hangs (a lock wait that never ends)"
    return uitkomst


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency suite needs PostgreSQL")
