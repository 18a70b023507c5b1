"""PostgreSQL + Redis pass: a real Celery worker, a broker that is down and comes back, a real SMTP server;
and two concurrent deliveries of one message on PostgreSQL."""

import os
import subprocess
import sys
import threading
import time
import uuid
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, connections

from berichten import bezorging, services
from berichten.models import Bericht
from berichten.services import Uitkomst
from tests.celery_worker import ROOT, ruim_op, start_worker, worker_env
from tests.gebruikers.factories import PersoonFactory

from .smtpserver import vrije_poort

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """The test database pytest-django created, for the subprocesses."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _redis_url(poort: int | None = None) -> str:
    deel = urlsplit(os.environ["REDIS_URL"])
    host = f"{deel.hostname}:{poort or deel.port or 6379}"
    return urlunsplit((deel.scheme, host, deel.path or "/0", "", ""))


def _env(redis_url: str, smtp_poort: int, wachtrij: str) -> dict:
    return worker_env(
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_poort}",
        LOG_LEVEL="WARNING",
        CELERY_QUEUE=wachtrij,
    )


def _python(env, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _wacht_tot(voorwaarde, seconden=30.0) -> bool:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(0.2)
    return False


WEB_ACTIE = """
import datetime as dt
from django.db import transaction
from berichten import services
from gebruikers.models import Persoon
with transaction.atomic():
    b = services.meld_activatie(persoon=Persoon.objects.get(pk={pk}), activeren_tot=dt.date(2026, 12, 24), link="https://x.example/a")
print(b.pk)
"""

DUPLICAAT = """
from berichten.tasks import bezorg_bericht
from config.celery_app import ping
bezorg_bericht.delay({pk})
# The solo worker handles tasks in order: once the ping is answered, the duplicate has been handled.
print(ping.delay(1).get(timeout=30))
"""

SWEEPER = """
import datetime as dt
from berichten.services import openstaande_berichten_aanbieden
print(openstaande_berichten_aanbieden(ouder_dan=dt.timedelta(0)))
"""


def test_broker_down_then_back_a_real_worker_delivers_exactly_once(smtp_server):
    smtp_server.start()
    wachtrij = f"test-{uuid.uuid4().hex}"  # a queue of its own: no stale tasks, no other test's worker
    persoon = PersoonFactory(email="jan@example.nl")

    # The web action while nothing listens on the broker port: it succeeds, the message stays queued.
    broker_weg = _env(_redis_url(vrije_poort()), smtp_server.poort, wachtrij)
    begin = time.monotonic()
    bericht_id = int(_python(broker_weg, WEB_ACTIE.format(pk=persoon.pk)))
    assert time.monotonic() - begin < 15  # fails fast: the request does not hang on the broker
    assert Bericht.objects.get(pk=bericht_id).status == Bericht.Status.QUEUED

    broker_terug = _env(_redis_url(), smtp_server.poort, wachtrij)
    worker = start_worker(broker_terug)
    try:
        assert _python(broker_terug, SWEEPER) == "1"
        assert _wacht_tot(lambda: Bericht.objects.get(pk=bericht_id).status == Bericht.Status.SENT)
        # Nothing left for the sweeper, and a duplicate task (a redelivery) is skipped by the real worker.
        assert _python(broker_terug, SWEEPER) == "0"
        assert _python(broker_terug, DUPLICAAT.format(pk=bericht_id)) == "2"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        ruim_op(broker_terug)
    assert len(smtp_server.berichten) == 1
    assert smtp_server.berichten[0][1] == ["jan@example.nl"]
    b = Bericht.objects.get(pk=bericht_id)
    assert b.pogingen == 1 and smtp_server.berichten[0][2]["Message-ID"] == b.extern_id


def test_two_concurrent_deliveries_send_once():
    persoon = PersoonFactory()
    b = services.meld_activatie(persoon=persoon, activeren_tot=None, link="x")
    # Autocommit here delivers it at once (eager); put it back in the queue for the race.
    Bericht.objects.filter(pk=b.pk).update(status=Bericht.Status.QUEUED, pogingen=0)
    verzonden = []
    start = threading.Barrier(2)

    def traag_verstuur(bericht):
        time.sleep(0.3)
        verzonden.append(bericht.pk)
        return "id"

    uitkomsten = []

    def bezorg():
        try:
            start.wait()
            uitkomsten.append(services.bericht_bezorgen(bericht_id=b.pk)[0])
        finally:
            connections.close_all()

    with mock.patch.object(bezorging, "_verstuur", traag_verstuur):
        threads = [threading.Thread(target=bezorg) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(uitkomsten) == sorted([Uitkomst.VERZONDEN, Uitkomst.OVERGESLAGEN])
    assert verzonden == [b.pk]
    assert Bericht.objects.get(pk=b.pk).pogingen == 1
