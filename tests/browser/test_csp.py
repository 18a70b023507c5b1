"""The Content-Security-Policy holds in a real browser: no page, pop-up or admin screen needs an inline script
or style, so Chromium reports no violation while a beheerder and support work."""

import pytest

from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violation_on_the_main_screens(page, login):
    schendingen = []
    page.on("console", lambda bericht: "Content Security Policy" in bericht.text and schendingen.append(bericht.text))
    page.on("pageerror", lambda fout: schendingen.append(str(fout)))
    santos = OrganisatieFactory(naam="Santos B.V.")
    koppeling = KoppelingFactory(organisatie=santos, beheerder=True, middel__persoon__achternaam="Bakker")
    KoppelingFactory(organisatie=santos, middel__persoon__achternaam="Bulters")
    login(koppeling.middel.persoon)

    page.goto("/beheer/gebruikers/")
    page.locator("summary.bm-gebruiker__rij").filter(has_text="Bulters").click()  # the details in place (htmx)
    page.get_by_role("heading", name="Persoonsgegevens").wait_for()
    page.get_by_label("Zoeken", exact=True).fill("Bul")
    page.wait_for_timeout(600)
    for url in ("/beheer/", "/profiel/", "/profiel/inloghistorie/", "/inloggen/vergeten/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert schendingen == []
