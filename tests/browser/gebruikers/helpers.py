"""Steps shared by the browser tests of the actions on one person (rubriek Gebruikers)."""

from playwright.sync_api import expect


def rij(page, koppeling):
    return page.get_by_test_id(f"gebruiker-{koppeling.middel.persoon_id}")


def naar_overzicht(page, ingelogd_als, bakker):
    """Signed in as J. Bakker with Santos B.V. chosen, on the overview."""
    ingelogd_als(bakker.middel.persoon)
    page.goto("/beheer/gebruikers/")
    if page.get_by_label("Organisatie").input_value() != str(bakker.organisatie_id):
        with page.expect_navigation():
            page.get_by_label("Organisatie").select_option(label="Santos B.V.")
        page.goto("/beheer/gebruikers/")
    expect(page.locator(".bm-gebruikers-kop__organisatie")).to_have_text("Santos B.V.")
    page.evaluate("window.zelfdePagina = true")


def open_details(page, koppeling):
    """Click the row: the details open in place, below it."""
    rij(page, koppeling).locator("summary.bm-gebruiker__rij").click()
    details = page.get_by_test_id(f"details-{koppeling.middel.persoon_id}")
    expect(details.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
    return details


def bevestiging(page):
    return page.locator(".bm-messages .utrecht-alert--ok")
