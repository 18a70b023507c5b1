"""The Django admin asks support staff for the second factor as well (OTPAdminSite); axes' lockout stays."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.gebruikers.factories import DEMO_WACHTWOORD
from tests.inloggen.helpers import otp_code
from tests.support.conftest import maak_support_medewerker

pytestmark = pytest.mark.django_db


@pytest.fixture
def medewerker_met_app(db):
    medewerker = maak_support_medewerker(username="support")
    medewerker.set_password(DEMO_WACHTWOORD)
    medewerker.save()
    return medewerker, TOTPDevice.objects.create(user=medewerker, name="Authenticator", confirmed=True)


def _inloggen(client, code: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "support", "password": DEMO_WACHTWOORD, "otp_token": code, "next": "/admin/"},
    )


def test_a_password_alone_does_not_open_the_admin(client, medewerker_met_app):
    response = _inloggen(client, "")
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_does_not_open_the_admin(client, medewerker_met_app):
    assert _inloggen(client, "000000").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_password_and_code_open_the_admin(client, medewerker_met_app):
    _, apparaat = medewerker_met_app
    response = _inloggen(client, otp_code(apparaat))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_but_unverified_session_is_sent_to_the_log_in(client, medewerker_met_app):
    medewerker, _ = medewerker_met_app
    client.force_login(medewerker)
    response = client.get("/admin/gebruikers/aanvraag/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_admin_log_in_page_asks_the_code_in_dutch(client, db):
    inhoud = client.get("/admin/login/").content.decode()
    assert "Code uit uw authenticator-app" in inhoud


def test_lockout_still_applies_to_the_admin(client, medewerker_met_app):
    for _ in range(5):
        client.post("/admin/login/", {"username": "support", "password": "fout", "otp_token": "123456"})
    _, apparaat = medewerker_met_app
    response = _inloggen(client, otp_code(apparaat))
    assert client.get("/admin/").status_code == 302
    assert response.status_code == 429
