import pytest

from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

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


def test_one_look_selects_headings_buttons_and_pop_ups(page, login):
    """Defects: selects without chevron looking like text fields, pop-up step headings and table captions in the
    theme's serif, grey default fieldset borders, and Annuleer with underlined link text. Checked on computed
    styles."""
    koppeling = KoppelingFactory(beheerder=True, middel__persoon__achternaam="Bakker")
    KoppelingFactory(organisatie=OrganisatieFactory(naam="Ketelaar Klip"), middel=koppeling.middel, beheerder=True)
    login(koppeling.middel.persoon)

    for url, label in (("/beheer/", "Organisatie"), ("/profiel/", "Ingestelde taal")):
        page.goto(url)
        select = page.get_by_label(label)
        stijl = select.evaluate("(e) => { const s = getComputedStyle(e); return [s.appearance, s.backgroundImage]; }")
        assert stijl[0] == "none" and "svg" in stijl[1], (url, stijl)

    page.goto("/profiel/wachtwoord/")
    annuleer = page.get_by_role("link", name="Annuleren")
    assert annuleer.evaluate("(e) => getComputedStyle(e).textDecorationLine") == "none"
    assert "utrecht-button-link--secondary-action" in annuleer.get_attribute("class")

    # A pop-up as the Gebruikers screens open it: a modal <dialog class="bm-popup"> appended to <body>.
    stijlen = page.evaluate(
        """() => {
          const d = document.createElement("dialog");
          d.className = "bm-popup";
          d.innerHTML = `<h3 class="utrecht-heading-3 bm-stap-kop">1. Kies</h3><h3 class="utrecht-heading-4">2.</h3>
            <fieldset><legend>Organisaties</legend><input type="checkbox"></fieldset>
            <p class="utrecht-paragraph">tekst</p>
            <table class="utrecht-table"><caption class="utrecht-table__caption">Samenvatting</caption></table>`;
          document.body.append(d);
          d.showModal();
          const font = (sel) => getComputedStyle(d.querySelector(sel)).fontFamily;
          return {
            body: getComputedStyle(document.body).fontFamily,
            dialog: getComputedStyle(d).fontFamily,
            stap: font(".bm-stap-kop"), h4: font(".utrecht-heading-4"), legend: font("legend"), p: font("p"),
            caption: font("caption"),
            rand: getComputedStyle(d.querySelector("fieldset")).borderTopStyle,
          };
        }"""
    )
    eerste = stijlen["body"].split(",")[0]
    for naam in ("dialog", "stap", "h4", "legend", "p", "caption"):
        assert stijlen[naam].split(",")[0] == eerste, (naam, stijlen)  # the page's font, first choice
        assert "serif" not in stijlen[naam].replace("sans-serif", ""), (naam, stijlen)
    assert stijlen["rand"] == "none"


def test_on_a_phone_the_menu_sits_above_the_page_and_nothing_is_cut_off(page, login):
    """At 390 px wide (a phone) every overview and the own profile fit the screen: the menu above the content,
    the toolbar wrapping, a wide table scrolling in its own box instead of widening the page."""
    from gebruikers.models import Aanvraag
    from organisaties.models import Organisatie
    from tests.catalogus.factories import DienstFactory
    from tests.groepen.factories import GroepLidFactory
    from tests.machtigingen.factories import MachtigingFactory

    koppeling = KoppelingFactory(beheerder=True, organisatie__naam="Connected Information Systems B.V.")
    organisatie = koppeling.organisatie
    # What widened the page once: a long dienst name in the Machtigingen overview, a group's table and the
    # Lopende aanvragen table (text hidden for the eye inside their cells escaped the scrolling box).
    collega = KoppelingFactory(organisatie=organisatie)
    MachtigingFactory(
        organisatie=organisatie, middel=collega.middel, dienst=DienstFactory(naam="Dienstverlenersportaalaansluiting")
    )
    lid = GroepLidFactory(groep__organisatie=organisatie, koppeling=collega)
    Aanvraag.objects.create(
        soort=Aanvraag.Soort.NIEUWE_ORGANISATIE,
        organisatie=OrganisatieFactory(naam="Test NV Katrien", status=Organisatie.Status.AANGEVRAAGD),
        aangevraagd_door=koppeling.middel.persoon,
        gegevens={"vanuit": organisatie.pk, "koppelingen": []},
    )
    login(koppeling.middel.persoon)
    page.set_viewport_size({"width": 390, "height": 844})

    for url in (
        "/beheer/gebruikers/",
        "/beheer/machtigingen/",
        "/beheer/groepen/",
        f"/beheer/groepen/{lid.groep_id}/",
        "/beheer/lopende-aanvragen/",
        "/beheer/logboek/",
        "/profiel/",
        "/profiel/inloghistorie/",
    ):
        page.goto(url)
        breedte = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert breedte[0] <= breedte[1], (url, breedte)
    page.goto("/beheer/gebruikers/")
    menu = page.locator(".bm-sidebar").bounding_box()
    inhoud = page.locator(".bm-main").bounding_box()
    assert menu["y"] + menu["height"] <= inhoud["y"] and inhoud["width"] > 300
    assert page.get_by_role("link", name="Voeg toe").is_visible()

    # A pop-up fits the screen too, its padding included.
    page.goto("/beheer/machtigingen/toevoegen/")
    page.get_by_text("Kies diensten", exact=True).last.click()
    dialoog = page.locator("dialog.bm-popup[open]")
    dialoog.wait_for()
    vak = dialoog.bounding_box()
    assert vak["x"] >= 0 and vak["x"] + vak["width"] <= 390, vak


def test_the_look_check_finds_what_looked_broken(page, login):
    """The look check run with every axe check (tests/browser/conftest.py) is not blind: on a real page, elements
    drawn as the defects once were (the browser's own fieldset, link, font and file button) are each reported.
    Inline styles are refused by the Content-Security-Policy, so the elements are bare ones."""
    from tests.browser.conftest import vorm_fouten

    login(KoppelingFactory(beheerder=True).middel.persoon)
    page.goto("/beheer/gebruikers/")
    assert vorm_fouten(page) == []
    page.evaluate(
        """() => {
          const m = document.querySelector(".bm-main");
          m.insertAdjacentHTML("beforeend", `<fieldset><legend>Kies diensten</legend><input type="checkbox"></fieldset>
            <p><a href="/x">blauw</a></p><p><samp>eigen lettertype</samp></p><input type="file">`);
        }"""
    )
    fouten = " | ".join(vorm_fouten(page))
    for gevonden in (
        "a fieldset with the browser's border",
        "a link in the browser's colour",
        "font ",
        "a file button",
    ):
        assert gevonden in fouten, (gevonden, fouten)
