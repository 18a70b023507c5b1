"""axe over the Beheermodule of a beheerder (J. Bakker of Santos B.V., the demo data): every rubriek's pages, the
details opened in place and every pop-up they open. One browser session per rubriek, several views per test."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y.conftest import check_popups, kies_organisatie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def bakker(page, ingelogd_als, demo):
    ingelogd_als(demo["jbakker"])
    page.goto("/beheer/")
    kies_organisatie(page, "Santos B.V.")
    return demo


def open_persoon(page, persoon):
    page.get_by_test_id(f"gebruiker-{persoon.pk}").locator("summary").click()
    details = page.get_by_test_id(f"details-{persoon.pk}")
    expect(details.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
    return f"[data-testid='details-{persoon.pk}']"


def test_start_en_gebruikers(page, bakker, axe):
    axe.check("Start")
    page.goto("/beheer/gebruikers/")
    axe.check("Gebruikers")

    # K. Bulters: rol, niveau, koppelen, opzeggen, telefoon, machtiging toevoegen, einddatum, verlengen.
    bulters = bakker["kbulters"]
    details = open_persoon(page, bulters)
    axe.check("Gebruikers › details K. Bulters")
    # The '3 puntjes' menu open: its links as every other link.
    page.locator(details).locator("details.bm-meer").evaluate("(d) => d.open = true")
    axe.check("Gebruikers › K. Bulters › 3 puntjes", include=details)
    page.locator(details).locator("details.bm-meer").evaluate("(d) => d.open = false")
    check_popups(page, axe, details, "Gebruikers › K. Bulters", verwacht=8)

    # Intrekken: the 3-second window with "Ongedaan maken" (R35), checked while open, then undone.
    page.locator(details).locator("details.bm-machtiging__info").first.evaluate("(d) => d.open = true")
    page.locator(details).locator("a[data-bm-intrekken]").first.click()
    venster = page.locator(details).locator("[data-bm-intrekken-venster]:visible")
    expect(venster).to_have_count(1)
    axe.check("Gebruikers › K. Bulters › intrekken (ongedaan maken)", include=details)
    venster.get_by_role("button", name="Ongedaan maken").click()
    expect(venster).to_have_count(0)

    # The other kinds of person: waiting for activation (nieuwe uitnodiging), Belastingdienstmiddel,
    # a machtiging ending soon (verlengen).
    for username_of_naam in ("Hendriks", "pdejong", "sveenstra"):
        persoon = bakker.get(username_of_naam) or _persoon(username_of_naam)
        page.goto("/beheer/gebruikers/")
        details = open_persoon(page, persoon)
        axe.check(f"Gebruikers › details {persoon}")
        check_popups(page, axe, details, f"Gebruikers › {persoon}", verwacht=1)

    # The wizard, empty and after a submit with errors.
    page.goto("/beheer/gebruikers/toevoegen/")
    axe.check("Gebruiker toevoegen")
    with page.expect_navigation():
        page.locator("form.bm-toevoegen").evaluate("(f) => f.requestSubmit()")
    expect(page.locator(".utrecht-form-field-error-message").first).to_be_visible()
    axe.check("Gebruiker toevoegen › met foutmeldingen")
    axe.geen_fouten()


def _persoon(achternaam):
    from gebruikers.models import Persoon

    return Persoon.objects.get(achternaam=achternaam)


def test_machtigingen(page, bakker, axe):
    page.goto("/beheer/machtigingen/")
    axe.check("Machtigingen")
    scope = page.locator("li.bm-scope").first
    scope.locator("summary").click()
    expect(scope.locator(".bm-houders")).to_be_visible()
    axe.check("Machtigingen › details in place")
    check_popups(page, axe, "li.bm-scope >> nth=0", "Machtigingen › details", verwacht=1)
    # A scope with a machtiging ending soon (Verleng machtiging).
    binnenkort = page.locator("li.bm-scope:has(.bm-badge--status)").first
    if binnenkort.count():
        binnenkort.locator("summary").click()
        expect(binnenkort.locator(".bm-houders")).to_be_visible()
        check_popups(page, axe, "li.bm-scope:has(.bm-badge--status) >> nth=0", "Machtigingen › binnenkort")
    axe.geen_fouten()


def test_ketenmachtigingen_afgegeven(page, bakker, axe):
    page.goto("/beheer/ketenmachtigingen/afgegeven/")
    axe.check("Ketenmachtigingen afgegeven")
    intermediair = page.locator("li.bm-keten-intermediair").first
    intermediair.locator("summary.bm-gebruiker__rij").click()
    axe.check("Ketenmachtigingen afgegeven › details")
    page.locator("details.bm-meer").first.evaluate("(d) => d.open = true")
    axe.check("Ketenmachtigingen afgegeven › 3 puntjes", include=".bm-keten-lijst")
    page.locator("details.bm-meer").first.evaluate("(d) => d.open = false")
    check_popups(page, axe, "li.bm-keten-intermediair >> nth=0", "Ketenmachtigingen afgegeven", verwacht=3)

    page.goto("/beheer/ketenmachtigingen/afgegeven/toevoegen/")
    axe.check("Ketenmachtigingen › Voeg toe")
    page.goto("/beheer/ketenmachtigingen/afgegeven/")
    page.locator("li.bm-keten-intermediair").first.locator("summary.bm-gebruiker__rij").click()
    page.get_by_role("link", name="Voeg machtiging toe").first.click()
    page.wait_for_load_state()
    axe.check("Ketenmachtigingen › machtiging toevoegen aan intermediair")
    page.goto("/beheer/ketenmachtigingen/afgegeven/")
    page.locator("li.bm-keten-intermediair").first.locator("summary.bm-gebruiker__rij").click()
    page.locator("details.bm-meer").first.evaluate("(d) => d.open = true")
    page.get_by_role("link", name="Informeer uw intermediair").first.click()
    page.wait_for_load_state()
    axe.check("Ketenmachtigingen › informeer uw intermediair")
    axe.geen_fouten()


def test_aanvragen_logboek_en_wijzigingen(page, bakker, axe):
    page.goto("/beheer/lopende-aanvragen/")
    axe.check("Lopende aanvragen")
    check_popups(page, axe, "table", "Lopende aanvragen", verwacht=1, openers="a[hx-get]")
    page.goto("/beheer/logboek/")
    axe.check("Logboek")
    page.goto("/beheer/overige-wijzigingen/")
    axe.check("Overige wijzigingen")
    page.goto("/beheer/overige-wijzigingen/formulieren/")
    axe.check("Wijzigingsformulieren")
    axe.geen_fouten()
