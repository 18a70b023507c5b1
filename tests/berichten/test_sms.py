"""SMS backends: the development store and the HTTP gateway client (against a local server)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from berichten import services
from berichten.models import Bericht, SmsBericht, Soort
from berichten.sms import DatabaseSmsBackend, GatewaySmsBackend, SmsNietVerzonden, get_sms_backend

from .smtpserver import vrije_poort


def test_the_default_backend_keeps_messages_visible(db, settings):
    settings.SMS_AFZENDER = "Beheer"
    backend = get_sms_backend()
    assert isinstance(backend, DatabaseSmsBackend)
    bericht_id = backend.send("+31612345678", "Uw code is 123456")
    sms = SmsBericht.objects.get()
    assert (sms.nummer, sms.tekst, sms.afzender, sms.bericht_id) == (
        "+31612345678",
        "Uw code is 123456",
        "Beheer",
        bericht_id,
    )


def test_an_sms_through_the_outbox_lands_in_the_store(persoon, commit):
    with commit():
        b = services.bericht_plaatsen(
            soort=Soort.TELEFOONNUMMER_GEWIJZIGD, persoon=persoon, kanaal="sms", context={"nummer": "••21"}
        )
    b.refresh_from_db()
    assert b.ontvanger == persoon.mobiel and b.onderwerp == "" and b.html == ""
    assert b.status == Bericht.Status.SENT
    sms = SmsBericht.objects.get()
    assert sms.nummer == persoon.mobiel and sms.bericht_id == b.extern_id and "••21" in sms.tekst


def _gateway(g, **kw):
    return GatewaySmsBackend(url=g.url, token="geheim-token", timeout=kw.get("timeout", 2.0))


def test_gateway_posts_json_with_bearer_token(gateway, settings):
    settings.SMS_AFZENDER = "Beheer"
    assert _gateway(gateway).send("+31612345678", "Code 123456") == "gw-1"
    (verzoek,) = gateway.verzoeken
    assert verzoek["body"] == {"from": "Beheer", "to": "+31612345678", "body": "Code 123456"}
    assert verzoek["headers"]["Authorization"] == "Bearer geheim-token"
    assert verzoek["headers"]["Content-Type"] == "application/json"


def test_gateway_error_answer_raises(gateway):
    gateway.status = 500
    with pytest.raises(SmsNietVerzonden, match="HTTP 500"):
        _gateway(gateway).send("+31612345678", "x")


def test_gateway_timeout_raises(gateway):
    gateway.vertraging = 1.0
    with pytest.raises(SmsNietVerzonden, match="niet bereikbaar"):
        _gateway(gateway, timeout=0.2).send("+31612345678", "x")


def test_gateway_not_listening_raises():
    with pytest.raises(SmsNietVerzonden):
        GatewaySmsBackend(url=f"http://127.0.0.1:{vrije_poort()}/sms", token="t", timeout=1).send("+316", "x")


@pytest.mark.parametrize("url", ["http://sms.example/api", "ftp://127.0.0.1/x", ""])
def test_gateway_refuses_an_unsafe_or_missing_address(url):
    with pytest.raises(ImproperlyConfigured):
        GatewaySmsBackend(url=url, token="t")


def test_gateway_by_setting_fails_then_delivers_once(persoon, gateway, settings, commit):
    settings.SMS_BACKEND = "berichten.sms.GatewaySmsBackend"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "t"
    gateway.status = 503
    with commit():
        b = services.bericht_plaatsen(
            soort=Soort.TELEFOONNUMMER_GEWIJZIGD, persoon=persoon, kanaal="sms", context={"nummer": "••21"}
        )
    b.refresh_from_db()
    assert b.status == Bericht.Status.FAILED and "HTTP 503" in b.laatste_fout
    gateway.status = 200
    Bericht.objects.filter(pk=b.pk).update(volgende_poging_op=timezone.now() - dt.timedelta(seconds=1))
    assert services.openstaande_berichten_aanbieden() == 1
    assert services.openstaande_berichten_aanbieden() == 0
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.extern_id == "gw-2" and len(gateway.verzoeken) == 2
