import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.dates import vandaag
from machtigingen.models import Machtiging, Scope, Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, PersoonFactory

from .smtpserver import TestSmtpServer, vrije_poort


class MachtigingFactory(factory.django.DjangoModelFactory):
    """An active machtiging for one dienst, ending in 30 days unless told otherwise."""

    class Meta:
        model = Machtiging

    organisatie = factory.SubFactory("tests.organisaties.factories.OrganisatieFactory")
    middel = factory.LazyAttribute(lambda o: KoppelingFactory(organisatie=o.organisatie).middel)
    scope = Scope.DIENST
    dienst = factory.SubFactory(DienstFactory)
    begint_op = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=300))
    eindigt_op = factory.LazyFunction(lambda: vandaag() + dt.timedelta(days=30))
    status = Status.ACTIEF


@pytest.fixture
def persoon(db):
    return PersoonFactory(voornamen="Jan Pieter", achternaam="Bakker", email="jan@example.nl", taal="nl")


@pytest.fixture
def persoon_en(db):
    return PersoonFactory(voornamen="Anna", achternaam="Smith", email="anna@example.nl", taal="en")


@pytest.fixture
def staff(db):
    return PersoonFactory(is_staff=True, is_superuser=True, email="support@example.nl")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the delivery) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def smtp_settings(settings):
    """Django's SMTP backend pointed at a local port where nothing listens yet (the mail server is down)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = vrije_poort()
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    """A server for that port, not yet started: the test starts (and stops) it."""
    server = TestSmtpServer(smtp_settings.EMAIL_PORT)
    yield server
    server.stop()


class Gateway:
    """A local HTTP SMS gateway: answers with `status` (after `vertraging` seconds), records the requests."""

    def __init__(self):
        self.status = 200
        self.vertraging = 0.0
        self.verzoeken: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                lengte = int(self.headers.get("Content-Length", 0))
                gateway.verzoeken.append(
                    {"headers": dict(self.headers), "body": json.loads(self.rfile.read(lengte) or b"{}")}
                )
                time.sleep(gateway.vertraging)
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"id": f"gw-{len(gateway.verzoeken)}"}).encode())
                except BrokenPipeError:
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.stop()


@pytest.fixture
def tel_queries():
    """How many queries `fn()` runs."""

    def tel(fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return tel
