"""The mail server is down: the message fails with the error, and once the server is back it is delivered
exactly once, through Django's real SMTP backend talking to a local SMTP server."""

import datetime as dt

import pytest
from django.utils import timezone

from berichten import services
from berichten.models import Bericht
from berichten.tasks import bezorg_openstaande_berichten

pytestmark = pytest.mark.django_db


def _backoff_verstreken(bericht):
    Bericht.objects.filter(pk=bericht.pk).update(volgende_poging_op=timezone.now() - dt.timedelta(seconds=1))


def test_mail_server_down_then_back_delivers_exactly_once(persoon, smtp_server, commit):
    with commit():  # the web action: the server refuses connections, the action still succeeds
        b = services.meld_activatie(persoon=persoon, activeren_tot=dt.date(2026, 12, 24), link="https://x.example/a")
    b.refresh_from_db()
    assert b.status == Bericht.Status.FAILED and b.pogingen == 1
    assert "ConnectionRefusedError" in b.laatste_fout and b.volgende_poging_op is not None

    smtp_server.start()
    assert bezorg_openstaande_berichten() == 0  # back-off not yet passed
    _backoff_verstreken(b)
    assert bezorg_openstaande_berichten() == 1
    assert bezorg_openstaande_berichten() == 0
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.pogingen == 2
    assert "ConnectionRefusedError" in b.laatste_fout  # kept for staff: why the first attempt failed
    (afzender, ontvangers, bericht) = smtp_server.berichten[0]
    assert len(smtp_server.berichten) == 1
    assert ontvangers == ["jan@example.nl"]
    assert bericht["Subject"] == "Activeer uw eHerkenningsmiddel"
    assert bericht["Message-ID"] == b.extern_id
    tekst = bericht.get_payload(0).get_payload(decode=True).decode()
    assert "Activeren mogelijk tot 24-12-2026." in tekst


def test_mail_server_stopping_between_messages(persoon, smtp_server, commit):
    smtp_server.start()
    with commit():
        eerste = services.meld_activatie(persoon=persoon, activeren_tot=dt.date(2026, 12, 24), link="x")
    smtp_server.stop()
    with commit():
        tweede = services.meld_nieuwe_activatie(persoon=persoon, activeren_tot=dt.date(2026, 12, 24), link="y")
    assert Bericht.objects.get(pk=eerste.pk).status == Bericht.Status.SENT
    assert Bericht.objects.get(pk=tweede.pk).status == Bericht.Status.FAILED
    smtp_server.start()
    _backoff_verstreken(tweede)
    bezorg_openstaande_berichten()
    assert [m["Subject"] for _, _, m in smtp_server.berichten] == [
        "Activeer uw eHerkenningsmiddel",
        "Nieuwe uitnodiging: activeer uw eHerkenningsmiddel",
    ]
