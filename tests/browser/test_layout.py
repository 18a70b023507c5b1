import pytest

from tests.factories import KoppelingFactory, OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_layout_renders_for_a_beheerder(page, login):
    santos = OrganisatieFactory(naam="Santos B.V.")
    ketelaar = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    koppeling = KoppelingFactory(
        organisatie=santos,
        beheerder=True,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )
    KoppelingFactory(organisatie=ketelaar, middel=koppeling.middel, beheerder=True)

    login(koppeling.middel.persoon)

    page.get_by_role("heading", name="Ketelaar Klip").wait_for()
    switch = page.get_by_label("Organisatie")
    assert switch.locator("option").all_inner_texts() == ["Ketelaar Klip", "Santos B.V."]
    page.get_by_text("J. Bakker").click()
    assert page.get_by_role("link", name="Profiel").is_visible()
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert page.get_by_title("Instellingen").is_visible()

    switch.select_option(label="Santos B.V.")
    page.get_by_role("heading", name="Santos B.V.").wait_for()
    # The stylesheets and htmx come from our own static files.
    assert page.evaluate("typeof window.htmx") == "object"
