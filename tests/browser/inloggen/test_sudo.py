"""Sudo mode in a browser (issue #14): J. Bakker's last password check is older than SUDO_MINUTEN; *Rol wijzigen*
asks for the password inside the pop-up, then shows the role form and completes the change. A pop-up left open
too long is refused on submit, keeps the choice and performs it once the password is given."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from common.niveau import Niveau
from gebruikers.models import Koppeling
from inloggen import sudo
from tests.browser.gebruikers.helpers import bevestiging, naar_overzicht, open_details
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def santos():
    organisatie = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    bakker = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )
    bulters = KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
    )
    return {"bakker": bakker, "bulters": bulters}


def verouder_sessie(page):
    """Move the browser session's last check back beyond the sudo window (server side). First let every request
    in flight end: each saves the session (SESSION_SAVE_EVERY_REQUEST) and would write the old moment back."""
    page.wait_for_load_state("networkidle")
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    sessie = SessionStore(session_key=cookie["value"])
    sessie[sudo.SESSIE_SLEUTEL] = time.time() - settings.SUDO_MINUTEN * 60 - 1
    sessie.save()


def test_stale_session_confirms_inside_the_popup_and_changes_the_role(page, ingelogd_als, santos):
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)
    verouder_sessie(page)

    details.get_by_role("link", name="Rol wijzigen").click()
    dialog = page.get_by_role("dialog", name="Bevestig met uw wachtwoord")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Voor deze actie vragen wij u uw wachtwoord opnieuw in te voeren")
    dialog.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    dialog.get_by_role("button", name="Bevestigen").click()
    expect(dialog).to_contain_text("Het wachtwoord is onjuist. Er is niets gewijzigd.")

    dialog.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)
    dialog.get_by_role("button", name="Bevestigen").click()
    rol_dialog = page.get_by_role("dialog", name="Rol wijzigen")
    expect(rol_dialog).to_be_visible()
    expect(page.locator("dialog.bm-popup")).to_have_count(1)
    assert page.evaluate("document.querySelector('dialog.bm-popup').matches(':modal')") is True
    page.screenshot(path="/tmp/s/sudo-bevestigd.png")
    rol_dialog.get_by_role("radio", name=re.compile(r"^Beheerder")).check()
    rol_dialog.get_by_role("button", name="Rol wijzigen").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ De rol van K. Bulters is gewijzigd in Beheerder.")
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.BEHEERDER

    # The pop-up left open too long: the submit is refused in place, the choice kept, performed once confirmed.
    details.get_by_role("link", name="Rol wijzigen").click()
    rol_dialog = page.get_by_role("dialog", name="Rol wijzigen")
    rol_dialog.get_by_role("radio", name=re.compile(r"^Reguliere gebruiker")).check()
    verouder_sessie(page)
    rol_dialog.get_by_role("button", name="Rol wijzigen").click()
    expect(rol_dialog).to_contain_text("Uw wijziging is nog niet uitgevoerd.")
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.BEHEERDER
    page.screenshot(path="/tmp/s/sudo-geweigerd.png")
    rol_dialog.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)
    rol_dialog.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ De rol van K. Bulters is gewijzigd in Gebruiker.")
    expect(page.locator("#bm-htmx-fout")).to_be_hidden()
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.GEBRUIKER
