"""A support agent approves an aanvraag in the admin, and the person then activates the middel (R18)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from common.dates import vandaag
from gebruikers import services
from gebruikers.models import Aanvraag, Middel
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory
from tests.gebruikers.helpers import TARIEVEN, aanvraag_kwargs, persoon_gegevens
from tests.inloggen.helpers import otp_code
from tests.organisaties.factories import OrganisatieFactory
from tests.support.conftest import maak_support_medewerker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tarieven():
    from decimal import Decimal

    from facturatie.models import Tarief

    for (code, periode), bedrag in TARIEVEN.items():
        Tarief.objects.update_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})


def test_r18_support_approves_in_the_admin_and_the_person_activates(page, live_server):
    _tarieven()
    santos = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    ander = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    beheerder = KoppelingFactory(organisatie=santos, beheerder=True).middel.persoon
    KoppelingFactory(organisatie=ander, middel=beheerder.middel, beheerder=True)
    aanvraag = services.middel_aanvragen(**aanvraag_kwargs(beheerder, santos, mobiel="06 12300000"))
    elders = services.middel_aanvragen(
        **aanvraag_kwargs(
            beheerder, ander, persoon_gegevens=persoon_gegevens(achternaam="Elders", email="e@example.com")
        )
    )
    Aanvraag.objects.filter(pk=elders.pk).update(aangevraagd_op=timezone.now() - dt.timedelta(days=9))
    medewerker = maak_support_medewerker(username="support")
    apparaat = TOTPDevice.objects.create(user=medewerker, name="Authenticator", confirmed=True)

    # The admin's own log-in form, with the second factor.
    page.goto("/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("support")
    page.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)
    page.get_by_label("Code uit uw authenticator-app").fill(otp_code(apparaat))
    page.get_by_role("button", name="Aanmelden").click()

    page.goto("/admin/gebruikers/aanvraag/")
    rijen = page.locator("#result_list tbody tr")
    expect(rijen).to_have_count(2)
    # Filter the queue: by organisation (a text box) and by age.
    page.get_by_label("KvK-nummer of naam").fill("12345678")
    page.get_by_label("KvK-nummer of naam").press("Enter")
    page.wait_for_url("**organisatie=12345678**")
    expect(rijen).to_have_count(1)
    page.get_by_role("link", name="< 1 dag").click()
    page.wait_for_url("**leeftijd=nieuw**")
    page.wait_for_load_state()
    expect(rijen).to_have_count(1)
    page.screenshot(path="/tmp/support-queue.png", full_page=True)

    page.locator("#result_list").get_by_role("link", name="Nieuw eHerkenningsmiddel").click()
    expect(page.locator(".support-middel-status")).to_have_text("Wachten op goedkeuring")
    expect(page.get_by_text("NXC4R8KL2")).to_be_visible()
    expect(page.get_by_role("link", name="Voorzijde downloaden")).to_be_visible()
    page.get_by_role("button", name="Goedkeuren").click()

    termijn = f"Activeren mogelijk tot {vandaag() + dt.timedelta(days=30):%d-%m-%Y}"
    page.locator(".support-activeren-tot", has_text=termijn).wait_for()
    expect(page.locator(".support-middel-status")).to_have_text("Wachten op activatie")
    expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)
    page.screenshot(path="/tmp/support-goedgekeurd.png", full_page=True)
    middel = Middel.objects.get(pk=aanvraag.middel_id)
    assert middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE

    # Through to the person's activation, with the link the activation letter/e-mail carries.
    from inloggen.activatie import activatielink_maken
    from tests.inloggen.helpers import laatste_sms_code

    page.context.clear_cookies()
    page.goto(activatielink_maken(middel=middel))
    page.get_by_label("Code").fill(laatste_sms_code("+31612300000"))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_label("Gebruikersnaam").fill("kbulters")
    page.get_by_label("Wachtwoord", exact=True).fill("Een-lang-wachtwoord-42")
    page.get_by_label("Herhaal wachtwoord").fill("Een-lang-wachtwoord-42")
    page.get_by_role("button", name="Activeren").click()
    page.get_by_text("Uw eHerkenningsmiddel is geactiveerd").wait_for()
    middel.refresh_from_db()
    assert middel.status == Middel.Status.ACTIEF
