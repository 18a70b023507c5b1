"""The outbox: a message exists exactly when its change commits, survives a broker that is down, and is sent
exactly once however often it is offered."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from audit.acties import Actie
from audit.models import AuditEntry
from berichten import bezorging, services
from berichten.models import Bericht, Soort
from berichten.services import Uitkomst
from berichten.tasks import bezorg_bericht, bezorg_openstaande_berichten
from common.errors import DomainError

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 12, 24)


def _plaats(persoon, **extra):
    return services.meld_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/a", **extra)


def test_a_committed_message_is_delivered_once(persoon, commit):
    with commit():
        b = _plaats(persoon)
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.pogingen == 1 and b.verzonden_op is not None
    (verzonden,) = mail.outbox
    assert verzonden.to == ["jan@example.nl"] and verzonden.subject == "Activeer uw eHerkenningsmiddel"
    assert verzonden.extra_headers["Message-ID"] == b.extern_id and b.sleutel in b.extern_id
    assert verzonden.alternatives[0].mimetype == "text/html"


def test_a_message_placed_in_a_rolled_back_transaction_is_neither_stored_nor_sent(persoon, commit):
    with commit() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _plaats(persoon)
        raise RuntimeError("the change fails")
    assert not callbacks
    assert not Bericht.objects.exists() and not mail.outbox


def test_nothing_is_sent_before_commit(persoon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        b = _plaats(persoon)
    assert len(callbacks) == 1 and not mail.outbox
    assert Bericht.objects.get(pk=b.pk).status == Bericht.Status.QUEUED


def test_broker_down_the_action_succeeds_and_the_sweeper_delivers_once_it_is_back(persoon, commit):
    with mock.patch.object(bezorg_bericht, "delay", side_effect=OperationalError("Error 111 connecting")), commit():
        b = _plaats(persoon)  # must not raise into the web request
    b.refresh_from_db()
    assert b.status == Bericht.Status.QUEUED and b.pogingen == 0 and not mail.outbox

    # Fresh messages are left to the task scheduled on commit...
    assert services.openstaande_berichten_aanbieden() == 0
    # ...a minute later the sweeper (broker back) offers it, and only once is it sent.
    Bericht.objects.filter(pk=b.pk).update(aangemaakt_op=timezone.now() - dt.timedelta(minutes=2))
    assert bezorg_openstaande_berichten() == 1
    assert bezorg_openstaande_berichten() == 0
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and len(mail.outbox) == 1


def test_broker_down_for_a_batch_keeps_every_message_queued(persoon, commit):
    delay = mock.Mock(side_effect=OperationalError("down"))
    with mock.patch.object(bezorg_bericht, "delay", delay), commit():
        services.meld_machtigingen_gewijzigd_aan_personen(
            persoon_ids=[persoon.pk, *[_ander().pk for _ in range(3)]],
            organisatie_id=None,
            actie=Actie.MACHTIGING_TOEGEVOEGD,
        )
    assert delay.call_count == 1  # stops at the first failure instead of waiting on each
    assert Bericht.objects.filter(status=Bericht.Status.QUEUED).count() == 4
    Bericht.objects.update(aangemaakt_op=timezone.now() - dt.timedelta(minutes=2))
    assert services.openstaande_berichten_aanbieden() == 4
    assert len(mail.outbox) == 4 and not Bericht.objects.exclude(status=Bericht.Status.SENT).exists()


def _ander():
    from tests.gebruikers.factories import PersoonFactory

    return PersoonFactory()


def test_offering_a_message_twice_sends_it_once(persoon, commit):
    with commit():
        b = _plaats(persoon)
    assert bezorg_bericht.delay(b.pk).get() == Uitkomst.OVERGESLAGEN
    assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.OVERGESLAGEN, None)
    assert len(mail.outbox) == 1


def test_a_duplicate_delivery_during_sending_is_skipped(persoon):
    """Two deliveries of the same message at once: the second finds it claimed and sends nothing."""
    b = _plaats(persoon)
    binnen = []
    echte_verstuur = bezorging._verstuur

    def verstuur_met_tweede_bezorging(bericht):
        binnen.append(services.bericht_bezorgen(bericht_id=bericht.pk))
        return echte_verstuur(bericht)

    with mock.patch.object(bezorging, "_verstuur", verstuur_met_tweede_bezorging):
        assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.VERZONDEN, None)
    assert binnen == [(Uitkomst.OVERGESLAGEN, None)]
    assert len(mail.outbox) == 1


def _mislukt(fout):
    return mock.patch.object(bezorging, "_verstuur", side_effect=fout)


def test_a_transient_error_marks_failed_with_the_error_and_backs_off(persoon):
    b = _plaats(persoon)
    with _mislukt(smtplib.SMTPServerDisconnected("Connection unexpectedly closed")):
        assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.TIJDELIJK_MISLUKT, 60)
    b.refresh_from_db()
    assert b.status == Bericht.Status.FAILED and b.pogingen == 1
    assert b.laatste_fout == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert b.volgende_poging_op > timezone.now() + dt.timedelta(seconds=50)
    # Not before the back-off has passed: neither a duplicate task nor the sweeper sends it early.
    assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.OVERGESLAGEN, None)
    assert services.openstaande_berichten_aanbieden() == 0
    Bericht.objects.filter(pk=b.pk).update(volgende_poging_op=timezone.now() - dt.timedelta(seconds=1))
    assert services.openstaande_berichten_aanbieden() == 1
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.pogingen == 2 and len(mail.outbox) == 1


def test_back_off_doubles_up_to_a_ceiling():
    assert [services.wachttijd(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert services.wachttijd(30) == bezorging.MAX_WACHTTIJD


def test_after_the_last_attempt_the_message_waits_for_staff(persoon):
    b = _plaats(persoon)
    Bericht.objects.filter(pk=b.pk).update(pogingen=services.MAX_POGINGEN - 1)
    with _mislukt(ConnectionRefusedError(111, "Connection refused")):
        assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.DEFINITIEF_MISLUKT, None)
    b.refresh_from_db()
    assert b.status == Bericht.Status.FAILED and b.volgende_poging_op is None
    assert "Connection refused" in b.laatste_fout
    assert services.openstaande_berichten_aanbieden() == 0


def test_a_refused_address_is_not_retried(persoon):
    b = _plaats(persoon)
    with _mislukt(smtplib.SMTPRecipientsRefused({"jan@example.nl": (550, b"no such user")})):
        assert services.bericht_bezorgen(bericht_id=b.pk) == (Uitkomst.DEFINITIEF_MISLUKT, None)
    b.refresh_from_db()
    assert b.status == Bericht.Status.FAILED and b.volgende_poging_op is None


def test_the_task_retries_with_back_off_through_celery(persoon):
    b = _plaats(persoon)
    retry = mock.Mock(return_value=Retry())
    with _mislukt(OSError("down")), mock.patch.object(bezorg_bericht, "retry", retry), pytest.raises(Retry):
        bezorg_bericht.run(b.pk)  # as a worker runs it (not eager)
    retry.assert_called_once_with(countdown=60)


def test_the_task_leaves_the_retry_to_the_sweeper_when_the_broker_is_down_too(persoon):
    b = _plaats(persoon)
    with _mislukt(OSError("down")), mock.patch.object(bezorg_bericht, "retry", side_effect=OperationalError("x")):
        assert bezorg_bericht.run(b.pk) == Uitkomst.TIJDELIJK_MISLUKT
    assert Bericht.objects.get(pk=b.pk).status == Bericht.Status.FAILED


def test_eager_mode_does_not_retry_inline(persoon, commit):
    with _mislukt(OSError("down")) as verstuur, commit():
        b = _plaats(persoon)
    assert verstuur.call_count == 1
    assert Bericht.objects.get(pk=b.pk).status == Bericht.Status.FAILED


def test_an_abandoned_claim_is_sent_again_by_the_sweeper(persoon):
    """The documented at-least-once window: a worker died while the message was `sending`."""
    b = _plaats(persoon)
    Bericht.objects.filter(pk=b.pk).update(
        status=Bericht.Status.SENDING, pogingen=1, geclaimd_op=timezone.now() - dt.timedelta(minutes=5)
    )
    assert services.openstaande_berichten_aanbieden() == 0  # may still be in progress
    Bericht.objects.filter(pk=b.pk).update(geclaimd_op=timezone.now() - bezorging.VERLATEN_CLAIM * 2)
    assert services.openstaande_berichten_aanbieden() == 1
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.pogingen == 2 and len(mail.outbox) == 1


def test_the_same_key_places_one_message(persoon):
    eerste = services.bericht_plaatsen(soort=Soort.ACTIVATIE, persoon=persoon, context={}, sleutel="activatie-1")
    tweede = services.bericht_plaatsen(soort=Soort.ACTIVATIE, persoon=persoon, context={}, sleutel="activatie-1")
    assert eerste.pk == tweede.pk and Bericht.objects.count() == 1


# ------------------------------------------------------------------------------------------------ resend


def test_staff_resend_a_failed_message(persoon, staff, commit):
    b = _plaats(persoon)
    with _mislukt(OSError("down")):
        services.bericht_bezorgen(bericht_id=b.pk)
    with commit():
        opnieuw = services.bericht_opnieuw_versturen(bericht=b, door=staff)
    assert opnieuw.pk == b.pk
    b.refresh_from_db()
    assert b.status == Bericht.Status.SENT and b.pogingen == 2 and len(mail.outbox) == 1
    entry = AuditEntry.objects.get(actie=Actie.BERICHT_OPNIEUW_VERSTUURD)
    assert entry.actor == staff and entry.voor["status"] == "failed"


def test_staff_resend_a_sent_message_as_a_new_one(persoon, staff, commit):
    with commit():
        b = _plaats(persoon)
    with commit():
        opnieuw = services.bericht_opnieuw_versturen(bericht=b, door=staff)
    assert opnieuw.pk != b.pk and opnieuw.opnieuw_van_id == b.pk and opnieuw.tekst == b.tekst
    opnieuw.refresh_from_db()
    assert opnieuw.status == Bericht.Status.SENT and len(mail.outbox) == 2
    assert Bericht.objects.get(pk=b.pk).status == Bericht.Status.SENT


def test_only_staff_resend(persoon, beheerder):
    b = _plaats(persoon)
    with pytest.raises(DomainError):
        services.bericht_opnieuw_versturen(bericht=b, door=beheerder)
    assert not AuditEntry.objects.filter(actie=Actie.BERICHT_OPNIEUW_VERSTUURD).exists()


def test_a_message_being_sent_is_not_resent(persoon, staff):
    b = _plaats(persoon)
    Bericht.objects.filter(pk=b.pk).update(status=Bericht.Status.SENDING, geclaimd_op=timezone.now())
    with pytest.raises(DomainError):
        services.bericht_opnieuw_versturen(bericht=b, door=staff)
