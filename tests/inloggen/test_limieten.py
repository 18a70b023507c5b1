"""Limits on recovery and password spraying, and the client address behind a trusted proxy (issue: proof of
safety). A limit answers the same whether or not an account exists."""

import pytest
from django.core import mail
from django.test import override_settings

from common.clientip import client_ip
from inloggen.models import LoginPoging

pytestmark = pytest.mark.django_db(transaction=True)

TE_VAAK = "Er is te vaak om een e-mail gevraagd"


@override_settings(HERSTEL_PER_EMAIL=3, HERSTEL_PER_ADRES=100)
def test_twenty_recovery_requests_for_one_address_place_three_emails(client, sms_beheerder):
    antwoorden = [
        client.post("/inloggen/vergeten/wachtwoord/", {"email": sms_beheerder.email}).status_code for _ in range(20)
    ]
    assert antwoorden == [200] * 3 + [429] * 17
    assert len(mail.outbox) == 3
    assert TE_VAAK in client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email}).content.decode()
    assert len(mail.outbox) == 3


@override_settings(HERSTEL_PER_EMAIL=3, HERSTEL_PER_ADRES=100)
def test_the_limit_does_not_tell_whether_an_account_exists(client, sms_beheerder):
    for _ in range(3):
        client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email})
        client.post("/inloggen/vergeten/gebruikersnaam/", {"email": "niemand@example.nl"})
    bekend = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email})
    onbekend = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": "niemand@example.nl"})
    assert bekend.status_code == onbekend.status_code == 429
    assert TE_VAAK in bekend.content.decode() and TE_VAAK in onbekend.content.decode()


@override_settings(HERSTEL_PER_EMAIL=100, HERSTEL_PER_ADRES=5)
def test_one_client_address_asking_for_many_addresses_is_limited(client, db):
    statussen = [
        client.post("/inloggen/vergeten/gebruikersnaam/", {"email": f"p{i}@example.nl"}).status_code for i in range(8)
    ]
    assert statussen == [200] * 5 + [429] * 3
    # Another client address is not affected.
    ander = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": "p1@example.nl"}, REMOTE_ADDR="192.0.2.44")
    assert ander.status_code == 200


@override_settings(INLOGGEN_MISLUKT_PER_ADRES=10)
def test_password_spraying_over_many_user_names_is_stopped(client, sms_beheerder):
    for i in range(10):
        response = client.post("/inloggen/", {"username": f"iemand{i}", "password": "Zomer2026!"})
        assert response.status_code == 200
    # The eleventh, even with the right password of a real account, is refused before it is checked.
    response = client.post("/inloggen/", {"username": sms_beheerder.username, "password": "demo-wachtwoord"})
    assert response.status_code == 429
    assert "te vaak onjuist ingelogd" in response.content.decode()
    assert not LoginPoging.objects.filter(persoon=sms_beheerder, uitkomst=LoginPoging.Uitkomst.GELUKT).exists()
    # From another address the account still works.
    response = client.post(
        "/inloggen/",
        {"username": sms_beheerder.username, "password": "demo-wachtwoord"},
        REMOTE_ADDR="192.0.2.45",
    )
    assert response.status_code == 302


class _Verzoek:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored():
    assert client_ip(_Verzoek("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_IPS=["10.0.0.2"], TRUSTED_PROXY_COUNT=1)
def test_behind_the_trusted_proxy_the_address_it_added_counts_not_what_the_client_wrote():
    # The client forged "1.2.3.4"; the proxy appended the address it saw.
    assert client_ip(_Verzoek("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # The same header from anyone else than the proxy is not believed.
    assert client_ip(_Verzoek("203.0.113.9", "1.2.3.4, 198.51.100.7")) == "203.0.113.9"
    # A proxy that sent no header: its own address.
    assert client_ip(_Verzoek("10.0.0.2")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_IPS=["10.0.0.2"], TRUSTED_PROXY_COUNT=1)
def test_lockout_uses_the_client_address_from_the_trusted_proxy(client, sms_beheerder):
    for _ in range(5):
        client.post(
            "/inloggen/",
            {"username": sms_beheerder.username, "password": "fout"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    poging = LoginPoging.objects.filter(persoon=sms_beheerder).latest("tijdstip")
    assert poging.ip_adres == "198.51.100.7"
    # Another client behind the same proxy is not locked out by the first one's failures.
    response = client.post(
        "/inloggen/",
        {"username": sms_beheerder.username, "password": "demo-wachtwoord"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302
