"""Browser flows of §1, §1.1, §1.2, §2.1–§2.3 and §3.5: log-in with SMS and OTP, lockout, activation, expired
link, recovery, language switch, organisation switch."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.dates import vandaag
from gebruikers.models import Middel
from inloggen import activatie
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import laatste_sms_code, otp_code
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _geen_lockouts():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def _wachtwoord(page, username, password="demo-wachtwoord"):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_login_with_sms_lands_in_the_beheermodule(page):
    santos = OrganisatieFactory(naam="Santos B.V.")
    persoon = KoppelingFactory(
        organisatie=santos, beheerder=True, middel__persoon__voornamen="Joost", middel__persoon__mobiel="+31641556520"
    ).middel.persoon
    _wachtwoord(page, persoon.username)
    page.get_by_text("Wij hebben een SMS met een code gestuurd").wait_for()
    page.screenshot(path="/tmp/inloggen-sms.png")
    page.get_by_label("Code", exact=True).fill(laatste_sms_code("+31641556520"))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Santos B.V.").wait_for()
    assert page.url.endswith("/beheer/")

    page.get_by_text(persoon.naam).click()
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="Inloggen").wait_for()
    page.goto("/beheer/")
    assert "/inloggen/" in page.url


def test_login_with_otp_device(page):
    persoon = KoppelingFactory(beheerder=True, middel__tweede_factor=Middel.TweedeFactor.OTP).middel.persoon
    apparaat = TOTPDevice.objects.create(user=persoon, name="OTP device", confirmed=True)
    _wachtwoord(page, persoon.username)
    page.get_by_text("Druk op de knop van uw OTP device").wait_for()
    page.get_by_label("Code", exact=True).fill(otp_code(apparaat))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/beheer/")


def test_wrong_code_is_shown_in_place(page):
    persoon = KoppelingFactory(beheerder=True).middel.persoon
    _wachtwoord(page, persoon.username)
    code = laatste_sms_code(persoon.mobiel)
    page.get_by_label("Code", exact=True).fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("De code is onjuist of verlopen.").wait_for()
    assert page.get_by_label("Code", exact=True).get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize("bestaat", [True, False])
def test_lockout_after_repeated_failures(page, settings, bestaat):
    username = KoppelingFactory().middel.persoon.username if bestaat else "onbekend"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _wachtwoord(page, username, "fout-wachtwoord")
        page.get_by_text("Onjuiste gebruikersnaam of wachtwoord.").wait_for()
    _wachtwoord(page, username, "fout-wachtwoord")
    page.get_by_role("heading", name="Tijdelijk geblokkeerd").wait_for()
    assert page.get_by_text("Probeer het over 30 minuten opnieuw").is_visible()
    if bestaat:
        page.screenshot(path="/tmp/inloggen-lockout.png")


def test_activation_start_to_finish(page):
    middel = KoppelingFactory(
        organisatie=OrganisatieFactory(naam="Santos B.V."),
        middel__wachten_op_activatie=True,
        middel__persoon__username=None,
        middel__persoon__voornamen="Harry",
        middel__persoon__achternaam="Hendriks",
        middel__persoon__mobiel="+31612399999",
    ).middel
    page.goto(activatie.activatielink_maken(middel=middel))
    page.get_by_role("heading", name="Stap 1 van 2: tweede factor registreren").wait_for()
    page.get_by_label("Code", exact=True).fill(laatste_sms_code("+31612399999"))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Stap 2 van 2: gebruikersnaam en wachtwoord").wait_for()
    page.get_by_label("Gebruikersnaam").fill("hhendriks")
    page.get_by_label("Wachtwoord", exact=True).fill("Zeer-Geheim-2026")
    page.get_by_label("Herhaal wachtwoord").fill("Zeer-Geheim-2026")
    page.screenshot(path="/tmp/inloggen-activeren.png")
    page.get_by_role("button", name="Activeren").click()
    page.get_by_role("heading", name="Uw eHerkenningsmiddel is geactiveerd").wait_for()
    middel.refresh_from_db()
    assert middel.status == Middel.Status.ACTIEF

    page.get_by_role("link", name="Inloggen").click()
    _wachtwoord(page, "hhendriks", "Zeer-Geheim-2026")
    page.get_by_label("Code", exact=True).fill(laatste_sms_code("+31612399999"))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Profiel").wait_for()
    assert page.url.endswith("/profiel/")


def test_activation_with_an_otp_device(page):
    middel = KoppelingFactory(
        middel__wachten_op_activatie=True, middel__tweede_factor=Middel.TweedeFactor.OTP, middel__persoon__username=None
    ).middel
    page.goto(activatie.activatielink_maken(middel=middel))
    sleutel = page.get_by_test_id("otp-geheim").inner_text()
    assert page.get_by_role("img", name="QR-code met de sleutel van uw OTP device").is_visible()
    page.screenshot(path="/tmp/inloggen-otp.png")
    apparaat = TOTPDevice.objects.get(user=middel.persoon)
    assert sleutel.replace(" ", "") == __import__("base64").b32encode(apparaat.bin_key).decode()
    page.get_by_label("Code", exact=True).fill(otp_code(apparaat))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_label("Gebruikersnaam").fill("otp.persoon")
    page.get_by_label("Wachtwoord", exact=True).fill("Zeer-Geheim-2026")
    page.get_by_label("Herhaal wachtwoord").fill("Zeer-Geheim-2026")
    page.get_by_role("button", name="Activeren").click()
    page.get_by_role("heading", name="Uw eHerkenningsmiddel is geactiveerd").wait_for()


def test_expired_activation_link(page):
    middel = KoppelingFactory(middel__wachten_op_activatie=True, middel__persoon__username=None).middel
    link = activatie.activatielink_maken(middel=middel)
    Middel.objects.filter(pk=middel.pk).update(activeren_tot=vandaag())
    page.goto(link)
    page.get_by_role("heading", name="Deze activatielink is verlopen.").wait_for()
    assert page.locator("main form").count() == 0
    assert page.locator("main a").count() == 0


def test_recovery_of_username_and_password(page):
    persoon = KoppelingFactory(beheerder=True, middel__persoon__email="joost@example.com").middel.persoon
    page.goto("/inloggen/")
    page.get_by_role("link", name="Inloggegevens vergeten?").click()

    page.locator("#kop-gebruikersnaam + p + form").get_by_label("E-mailadres").fill("joost@example.com")
    page.get_by_role("button", name="Verstuur gebruikersnaam").click()
    page.get_by_text("Als dit e-mailadres bij ons bekend is").wait_for()
    assert persoon.username in mail.outbox[-1].body

    page.goto("/inloggen/vergeten/")
    page.locator("#kop-wachtwoord + p + form").get_by_label("E-mailadres").fill("joost@example.com")
    page.get_by_role("button", name="Verstuur herstellink").click()
    page.get_by_text("Als dit e-mailadres bij ons bekend is").wait_for()
    link = re.search(r"https?://[^/\s]+(/inloggen/herstellen/\S+/)", mail.outbox[-1].body).group(1)

    page.goto(link)
    page.get_by_label("Code", exact=True).fill(laatste_sms_code(persoon.mobiel))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Nieuw-Geheim-2026")
    page.get_by_label("Herhaal nieuw wachtwoord").fill("Nieuw-Geheim-2026")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.get_by_text("Uw wachtwoord is gewijzigd.").wait_for()

    _wachtwoord(page, persoon.username, "Nieuw-Geheim-2026")
    page.get_by_label("Code", exact=True).fill(laatste_sms_code(persoon.mobiel))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/beheer/")


def test_language_switch_persists_and_switches_every_screen(page, login):
    persoon = KoppelingFactory(organisatie=OrganisatieFactory(naam="Santos B.V.")).middel.persoon
    login(persoon)
    page.get_by_role("heading", name="Profiel").first.wait_for()
    page.get_by_label("Ingestelde taal").select_option("en")
    page.get_by_role("button", name="Taal opslaan").click()
    page.wait_for_load_state()
    page.screenshot(path="/tmp/inloggen-profiel-en.png", full_page=True)
    assert page.locator("html").get_attribute("lang") == "en"
    persoon.refresh_from_db()
    assert persoon.taal == "en"
    page.goto("/profiel/inloghistorie/")
    assert page.locator("html").get_attribute("lang") == "en"
    # A new session in another browser context: the stored choice applies after logging in.
    page.context.clear_cookies()
    login(persoon)
    assert page.locator("html").get_attribute("lang") == "en"


def test_organisation_switch(page, login):
    santos = OrganisatieFactory(naam="Santos B.V.")
    ketelaar = OrganisatieFactory(naam="Ketelaar Klip")
    koppeling = KoppelingFactory(organisatie=santos, beheerder=True)
    KoppelingFactory(organisatie=ketelaar, middel=koppeling.middel, beheerder=True)
    login(koppeling.middel.persoon)
    page.get_by_role("heading", name="Ketelaar Klip").wait_for()
    page.get_by_label("Organisatie").select_option(label="Santos B.V.")
    page.get_by_role("heading", name="Santos B.V.").wait_for()
    page.goto("/beheer/instellingen/")
    assert page.get_by_label("Organisatie").input_value() == str(santos.pk)


def test_gebruiker_sees_profile_tabs(page, login):
    persoon = KoppelingFactory().middel.persoon
    login(persoon)
    assert page.url.endswith("/profiel/")
    page.get_by_role("link", name="Inloghistorie").click()
    page.get_by_role("cell", name="Ingelogd").first.wait_for()
    page.get_by_role("link", name="Machtigingen").click()
    page.get_by_role("heading", name="Ketenmachtigingen").wait_for()
    page.screenshot(path="/tmp/inloggen-machtigingen.png", full_page=True)
