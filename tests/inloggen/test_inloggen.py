"""Log-in with password and second factor (R2), landing (R1), lockout, sessions, Inloghistorie (R60)."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from berichten.models import SmsBericht
from gebruikers.models import Middel
from inloggen.models import LoginPoging, SmsDevice
from tests.inloggen.conftest import inloggen_stap1
from tests.inloggen.helpers import inloggen_geverifieerd, laatste_sms_code, otp_code

pytestmark = pytest.mark.django_db

ONJUIST = "Onjuiste gebruikersnaam of wachtwoord."


def test_r2_sms_login_needs_the_code_before_anything_is_signed_in(client, sms_beheerder):
    response = inloggen_stap1(client, sms_beheerder)
    assert response.status_code == 302 and response.url == "/inloggen/code/"
    # Only the password so far: no signed-in session, the Beheermodule sends to the log-in page.
    assert client.get("/beheer/").url.startswith("/inloggen/")
    assert client.get("/profiel/").url.startswith("/inloggen/")

    code = laatste_sms_code("+31641556520")
    response = client.post("/inloggen/code/", {"code": code})
    assert response.status_code == 302 and response.url == "/beheer/"
    assert client.get("/beheer/").status_code == 200


def test_r2_sms_code_is_stored_hashed_and_used_once(client, sms_beheerder):
    inloggen_stap1(client, sms_beheerder)
    code = laatste_sms_code(sms_beheerder.mobiel)
    apparaat = SmsDevice.objects.get(user=sms_beheerder)
    assert code not in apparaat.code_hash and len(apparaat.code_hash) == 64
    assert client.post("/inloggen/code/", {"code": code}).status_code == 302
    # The same code again, in a new log-in, is refused.
    client.post("/uitloggen/")
    inloggen_stap1(client, sms_beheerder)
    apparaat.refresh_from_db()
    assert not apparaat.verify_token(code) or laatste_sms_code(sms_beheerder.mobiel) == code


def test_r2_wrong_code_is_refused_and_recorded(client, sms_beheerder):
    inloggen_stap1(client, sms_beheerder)
    code = laatste_sms_code(sms_beheerder.mobiel)
    fout = "000000" if code != "000000" else "111111"
    response = client.post("/inloggen/code/", {"code": fout})
    assert response.status_code == 200
    assert "De code is onjuist of verlopen." in response.content.decode()
    assert client.get("/beheer/").status_code == 302
    assert LoginPoging.objects.filter(persoon=sms_beheerder, uitkomst=LoginPoging.Uitkomst.ONJUISTE_CODE).count() == 1


def test_r2_sms_code_expires_after_five_minutes(client, sms_beheerder, monkeypatch):
    inloggen_stap1(client, sms_beheerder)
    code = laatste_sms_code(sms_beheerder.mobiel)
    later = timezone.now() + dt.timedelta(minutes=5, seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "De code is onjuist of verlopen." in client.post("/inloggen/code/", {"code": code}).content.decode()


def test_r2_sms_code_allows_at_most_five_tries(sms_beheerder):
    apparaat = SmsDevice.objects.create(user=sms_beheerder, name="SMS", confirmed=True)
    code = apparaat.nieuwe_code()
    fout = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert not apparaat.verify_token(fout)
    assert not apparaat.verify_token(code)


def test_r2_otp_login(client, otp_beheerder):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = inloggen_stap1(client, otp_beheerder)
    assert response.url == "/inloggen/code/"
    assert "OTP device" in client.get("/inloggen/code/").content.decode()
    assert not SmsBericht.objects.exists()
    apparaat = TOTPDevice.objects.get(user=otp_beheerder)
    response = client.post("/inloggen/code/", {"code": otp_code(apparaat)})
    assert response.url == "/beheer/"
    assert client.get("/beheer/").status_code == 200


def test_r2_without_registered_otp_device_no_login(client, organisatie):
    from tests.gebruikers.factories import KoppelingFactory

    persoon = KoppelingFactory(organisatie=organisatie, middel__tweede_factor=Middel.TweedeFactor.OTP).middel.persoon
    response = inloggen_stap1(client, persoon)
    assert response.status_code == 200
    assert "Er is geen tweede factor geregistreerd" in response.content.decode()


def test_r1_r2_eh2_logs_in_with_password_only_and_lands_on_profile(client, eh2_gebruiker):
    response = inloggen_stap1(client, eh2_gebruiker)
    assert response.status_code == 302 and response.url == "/profiel/"
    assert client.get("/profiel/").status_code == 200
    assert client.get("/beheer/").url == "/profiel/"


def test_r1_gebruiker_lands_on_profile(client, gebruiker):
    inloggen_stap1(client, gebruiker)
    response = client.post("/inloggen/code/", {"code": laatste_sms_code(gebruiker.mobiel)})
    assert response.url == "/profiel/"
    assert client.get("/beheer/").url == "/profiel/"


def test_r2_force_login_without_second_factor_is_not_enough_for_the_beheermodule(client, beheerder):
    client.force_login(beheerder)
    response = client.get("/beheer/")
    assert response.status_code == 302 and response.url.startswith("/inloggen/")
    # ...and the half session is ended.
    assert "_auth_user_id" not in client.session


def test_r2_verified_session_reaches_the_beheermodule(client, beheerder):
    inloggen_geverifieerd(client, beheerder)
    assert client.get("/beheer/").status_code == 200


def test_unknown_username_and_wrong_password_get_the_same_answer(client, sms_beheerder):
    onbekend = client.post("/inloggen/", {"username": "bestaat-niet", "password": "x" * 12})
    fout = client.post("/inloggen/", {"username": sms_beheerder.username, "password": "x" * 12})
    assert onbekend.status_code == fout.status_code == 200
    assert ONJUIST in onbekend.content.decode() and ONJUIST in fout.content.decode()


@pytest.mark.parametrize("bestaat", [True, False])
def test_lockout_after_five_failures_with_the_same_message(client, sms_beheerder, settings, bestaat):
    username = sms_beheerder.username if bestaat else "niemand"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/inloggen/", {"username": username, "password": "fout-fout-fout"}).status_code == 200
    response = client.post("/inloggen/", {"username": username, "password": "fout-fout-fout"})
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    # Even the right password is refused now.
    response = client.post("/inloggen/", {"username": username, "password": "demo-wachtwoord"})
    assert response.status_code == 429


def test_wrong_codes_count_towards_the_lockout(client, sms_beheerder, settings):
    inloggen_stap1(client, sms_beheerder)
    code = laatste_sms_code(sms_beheerder.mobiel)
    fout = "000000" if code != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/inloggen/code/", {"code": fout}).status_code == 200
    assert client.post("/inloggen/code/", {"code": fout}).status_code == 429
    assert inloggen_stap1(client, sms_beheerder).status_code == 429


def test_sms_gateway_down_gives_a_clear_error(client, sms_beheerder, settings):
    settings.SMS_BACKEND = "tests.inloggen.test_inloggen.KapotteSms"
    response = inloggen_stap1(client, sms_beheerder)
    assert response.status_code == 200
    assert "De SMS met de code kon niet worden verstuurd" in response.content.decode()


class KapotteSms:
    def send(self, nummer, tekst):
        from berichten.sms import SmsNietVerzonden

        raise SmsNietVerzonden("gateway down")


def test_r19_terminated_middel_cannot_log_in(client, sms_beheerder):
    Middel.objects.filter(persoon=sms_beheerder).update(status=Middel.Status.BEEINDIGD)
    response = inloggen_stap1(client, sms_beheerder)
    assert response.status_code == 200
    assert "kunt u niet (meer) inloggen" in response.content.decode()
    assert not SmsBericht.objects.exists()


def test_r19_terminated_middel_loses_the_running_session(client, gebruiker):
    inloggen_geverifieerd(client, gebruiker)
    assert client.get("/profiel/").status_code == 200
    Middel.objects.filter(persoon=gebruiker).update(status=Middel.Status.BEEINDIGD)
    assert client.get("/profiel/").url.startswith("/inloggen/")


def test_uitloggen_ends_the_session(client, beheerder):
    inloggen_geverifieerd(client, beheerder)
    assert client.get("/uitloggen/").status_code == 405
    response = client.post("/uitloggen/")
    assert response.url == "/inloggen/"
    assert not Session.objects.exists()
    assert client.get("/beheer/").url.startswith("/inloggen/")


def test_expired_session_must_log_in_again(client, beheerder, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    inloggen_geverifieerd(client, beheerder)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/beheer/").url.startswith("/inloggen/")


def test_next_is_honoured_after_the_second_factor(client, sms_beheerder):
    client.post(
        "/inloggen/?next=/beheer/instellingen/",
        {"username": sms_beheerder.username, "password": "demo-wachtwoord", "next": "/beheer/instellingen/"},
    )
    response = client.post("/inloggen/code/", {"code": laatste_sms_code(sms_beheerder.mobiel)})
    assert response.url == "/beheer/instellingen/"


def test_foreign_next_is_ignored(client, sms_beheerder):
    client.post(
        "/inloggen/",
        {"username": sms_beheerder.username, "password": "demo-wachtwoord", "next": "https://evil.example/"},
    )
    response = client.post("/inloggen/code/", {"code": laatste_sms_code(sms_beheerder.mobiel)})
    assert response.url == "/beheer/"


def test_r60_inloghistorie_records_logins_and_failures_with_address(client, sms_beheerder):
    client.post(
        "/inloggen/", {"username": sms_beheerder.username, "password": "fout-fout-fout"}, REMOTE_ADDR="10.1.2.3"
    )
    inloggen_stap1(client, sms_beheerder, REMOTE_ADDR="10.1.2.3")
    client.post("/inloggen/code/", {"code": laatste_sms_code(sms_beheerder.mobiel)}, REMOTE_ADDR="10.1.2.3")
    pogingen = list(LoginPoging.objects.filter(persoon=sms_beheerder).order_by("tijdstip", "pk"))
    assert [p.uitkomst for p in pogingen] == [LoginPoging.Uitkomst.ONJUIST_WACHTWOORD, LoginPoging.Uitkomst.GELUKT]
    assert {p.ip_adres for p in pogingen} == {"10.1.2.3"}


def test_the_code_step_expires(client, sms_beheerder, monkeypatch):
    import time

    inloggen_stap1(client, sms_beheerder)
    nu = time.time()
    monkeypatch.setattr("inloggen.views.inloggen.time.time", lambda: nu + 11 * 60)
    response = client.post("/inloggen/code/", {"code": laatste_sms_code(sms_beheerder.mobiel)})
    assert response.url == "/inloggen/"
