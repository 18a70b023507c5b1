"""Staff see each message's state in the admin and can resend; developers read the SMS store there."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from berichten import services
from berichten.models import Bericht, SmsBericht
from berichten.sms import DatabaseSmsBackend
from tests.inloggen.helpers import inloggen_geverifieerd

pytestmark = pytest.mark.django_db

LIJST = "admin:berichten_bericht_changelist"


@pytest.fixture
def staff_client(client, staff):
    inloggen_geverifieerd(client, staff)
    return client


def _berichten(persoon, n):
    for _ in range(n):
        services.meld_activatie(persoon=persoon, activeren_tot=dt.date(2026, 12, 24), link="https://x.example")


def test_changelist_shows_state_kanaal_soort_and_error(staff_client, persoon):
    _berichten(persoon, 1)
    Bericht.objects.update(status=Bericht.Status.FAILED, laatste_fout="ConnectionRefusedError: refused", pogingen=3)
    html = staff_client.get(reverse(LIJST)).content.decode()
    for verwacht in ("Mislukt", "E-mail", "Activatie", "jan@example.nl", "ConnectionRefusedError: refused"):
        assert verwacht in html
    assert staff_client.get(reverse(LIJST), {"status__exact": "sent"}).context["cl"].result_count == 0
    assert staff_client.get(reverse(LIJST), {"kanaal__exact": "email"}).context["cl"].result_count == 1


def test_changelist_query_count_does_not_grow_with_rows(staff_client, persoon, tel_queries):
    _berichten(persoon, 1)
    staff_client.get(reverse(LIJST))
    een = tel_queries(lambda: staff_client.get(reverse(LIJST)))
    _berichten(persoon, 29)
    dertig = tel_queries(lambda: staff_client.get(reverse(LIJST)))
    assert een == dertig


def test_detail_is_read_only(staff_client, persoon):
    _berichten(persoon, 1)
    b = Bericht.objects.get()
    response = staff_client.get(reverse("admin:berichten_bericht_change", args=[b.pk]))
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert (
        staff_client.post(reverse("admin:berichten_bericht_change", args=[b.pk]), {"ontvanger": "x"}).status_code == 403
    )


def test_resend_action(staff_client, persoon, django_capture_on_commit_callbacks):
    _berichten(persoon, 2)
    Bericht.objects.update(status=Bericht.Status.FAILED, laatste_fout="down")
    ids = list(Bericht.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse(LIJST), {"action": "opnieuw_versturen", "_selected_action": ids}, follow=True
        )
    assert "2 berichten worden opnieuw verstuurd." in response.content.decode()
    assert len(mail.outbox) == 2
    assert not Bericht.objects.exclude(status=Bericht.Status.SENT).exists()


def test_sms_store_is_visible(staff_client):
    DatabaseSmsBackend().send("+31612345678", "Uw code is 482913")
    html = staff_client.get(reverse("admin:berichten_smsbericht_changelist")).content.decode()
    assert "Uw code is 482913" in html and SmsBericht.objects.count() == 1


def test_a_beheerder_without_staff_has_no_access(client, beheerder):
    inloggen_geverifieerd(client, beheerder)
    assert client.get(reverse(LIJST)).status_code == 302
