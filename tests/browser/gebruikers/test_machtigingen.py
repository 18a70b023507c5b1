"""The machtigingen of one person in a browser (§3.9, §3.10, §3.11): J. Bakker, EH3 beheerder of Santos B.V.,
opens K. Bulters (EH2+) in place on the overview, adds a machtiging, extends one that ends soon and revokes one
with the manual's 3-second undo."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from machtigingen import services as machtiging_services
from machtigingen.models import Machtiging, Status
from tests.browser.gebruikers.helpers import bevestiging, naar_overzicht, open_details
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def santos():
    organisatie = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    ketelaar = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    bakker = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )
    KoppelingFactory(organisatie=ketelaar, middel=bakker.middel, beheerder=True)
    bulters = KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
    )
    haarlem = DienstverlenerFactory(naam="Gemeente Haarlem")
    baarn = DienstverlenerFactory(naam="Gemeente Baarn")
    return {
        "bakker": bakker,
        "bulters": bulters,
        "parkeren": DienstFactory(dienstverlener=haarlem, naam="Tijdelijke parkeervergunning", niveau=Niveau.EH3),
        "afval": DienstFactory(dienstverlener=haarlem, naam="Afvalpas aanvragen", niveau=Niveau.EH2_PLUS),
        "zaaksysteem": DienstFactory(dienstverlener=baarn, naam="zaaksysteem Baarn", niveau=Niveau.EH2),
    }


def machtiging(santos, dienst, *, eindigt_op=None):
    bulters = santos["bulters"]
    begint_op = vandaag() - dt.timedelta(days=400)
    return MachtigingFactory(
        middel=bulters.middel,
        organisatie=bulters.organisatie,
        dienst=dienst,
        begint_op=begint_op,
        eindigt_op=eindigt_op or plus_jaren(vandaag(), 2),
    )


def machtiging_rij(details, m):
    return details.locator(f"#machtiging-{m.pk}")


def test_r31_voeg_machtiging_toe(page, ingelogd_als, santos):
    bulters, parkeren, afval = santos["bulters"], santos["parkeren"], santos["afval"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)
    lijst = details.get_by_role("region", name="Reguliere machtigingen")
    expect(lijst).to_contain_text("Deze gebruiker heeft geen machtigingen.")

    details.get_by_role("link", name="Voeg machtiging toe").click()
    dialog = page.get_by_role("dialog", name="Voeg machtiging toe")
    expect(dialog).to_be_visible()
    # R31: the EH3 dienst is listed, but cannot be chosen for an EH2+ middel, and says why.
    hoog = dialog.get_by_role("checkbox", name="Tijdelijke parkeervergunning")
    expect(hoog).to_be_disabled()
    expect(dialog.locator(f"#id_dienst_{parkeren.pk}_melding")).to_have_text(
        "Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging."
    )
    expect(hoog).to_have_accessible_description(
        "Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging."
    )
    expect(dialog.get_by_role("checkbox", name="Afvalpas aanvragen")).to_be_enabled()
    page.screenshot(path="/tmp/mutaties-machtiging-toevoegen.png")

    # The search narrows the list in place; a choice made survives it.
    dialog.get_by_role("checkbox", name="Afvalpas aanvragen").check()
    dialog.get_by_label("Zoek een dienst").fill("zaaksysteem")
    expect(dialog.get_by_role("checkbox", name="Tijdelijke parkeervergunning")).to_have_count(0)
    expect(dialog.get_by_role("checkbox", name="zaaksysteem Baarn")).to_be_visible()
    expect(dialog.get_by_role("checkbox", name="Afvalpas aanvragen")).to_be_checked()

    dialog.get_by_role("button", name="Voeg machtiging(en) toe").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ De machtiging(en) voor K. Bulters zijn toegevoegd.")
    expect(lijst.locator(".bm-machtiging")).to_have_count(1)
    expect(lijst).to_contain_text("Gemeente Haarlem")
    expect(lijst).to_contain_text("Afvalpas aanvragen")
    expect(lijst).not_to_contain_text("Tijdelijke parkeervergunning")
    assert page.evaluate("window.zelfdePagina") is True
    (nieuw,) = Machtiging.objects.filter(middel=bulters.middel)
    assert nieuw.dienst == afval
    assert nieuw.eindigt_op == plus_jaren(vandaag(), 5)


def test_r34_verleng_machtiging_that_ends_within_two_months(page, ingelogd_als, santos):
    bijna = machtiging(santos, santos["zaaksysteem"], eindigt_op=vandaag() + dt.timedelta(days=20))
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, santos["bulters"])
    rij = machtiging_rij(details, bijna)
    expect(rij).to_contain_text(f"geldig tot {bijna.eindigt_op:%d-%m-%Y}")

    rij.get_by_role("link", name="Verleng machtiging").click()
    dialog = page.get_by_role("dialog", name="Verleng machtiging")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("radio", name="5 jaar (meest gekozen)")).to_be_checked()
    dialog.get_by_role("radio", name="3 jaar", exact=True).check()
    page.screenshot(path="/tmp/mutaties-verlengen.png")
    dialog.get_by_role("button", name="Ja, verleng machtiging").click()

    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    nieuwe_eind = plus_jaren(vandaag(), 3)
    expect(bevestiging(page)).to_contain_text(f"verlengd tot {nieuwe_eind:%d-%m-%Y}")
    expect(rij).to_be_visible()
    expect(rij).not_to_contain_text("geldig tot")
    expect(rij.get_by_role("link", name="Verleng machtiging")).to_have_count(0)
    rij.get_by_text("Informatie").click()
    expect(rij).to_contain_text(f"{nieuwe_eind:%d-%m-%Y}")
    bijna.refresh_from_db()
    assert bijna.eindigt_op == nieuwe_eind


def test_r35_intrekken_with_undo_then_for_good(page, ingelogd_als, santos):
    m = machtiging(santos, santos["zaaksysteem"])
    blijft = machtiging(santos, santos["afval"])
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, santos["bulters"])
    rij = machtiging_rij(details, m)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    # Intrekken, then "Ongedaan maken" within the 3 seconds: nothing reaches the server.
    rij.get_by_text("Informatie").click()
    rij.get_by_role("link", name="intrekken").click()
    expect(rij.get_by_role("status")).to_contain_text("Machtiging wordt ingetrokken…")
    page.screenshot(path="/tmp/mutaties-intrekken.png")
    rij.get_by_role("button", name="Ongedaan maken").click()
    expect(rij.get_by_role("status")).to_be_hidden()
    page.wait_for_timeout(3500)
    expect(rij).to_be_visible()
    assert posts == []
    m.refresh_from_db()
    assert m.status == Status.ACTIEF

    # Intrekken again and let the 3 seconds pass: gone from the list, ingetrokken in the database.
    with page.expect_response(lambda r: r.request.method == "POST" and "/intrekken/" in r.url) as antwoord:
        rij.get_by_role("link", name="intrekken").click()
        expect(rij.get_by_role("status")).to_contain_text("Machtiging wordt ingetrokken…")
    assert antwoord.value.status == 200
    expect(rij).to_have_count(0)
    expect(machtiging_rij(details, blijft)).to_be_visible()
    expect(bevestiging(page)).to_contain_text("is ingetrokken.")
    m.refresh_from_db()
    assert m.status == Status.INGETROKKEN
    blijft.refresh_from_db()
    assert blijft.status == Status.ACTIEF
    assert page.evaluate("window.zelfdePagina") is True


def test_r35_refused_intrekken_is_shown_and_the_row_comes_back(page, ingelogd_als, santos, monkeypatch):
    """When the delayed POST is refused (e.g. someone else changed it meanwhile), the row that was hidden comes
    back and a pop-up says why, instead of the machtiging silently vanishing from the list."""
    m = machtiging(santos, santos["zaaksysteem"])

    def weiger(**kwargs):
        raise DomainError(machtiging_services.MACHTIGING_NIET_ACTIEF, rule="R35")

    monkeypatch.setattr(machtiging_services, "machtiging_intrekken", weiger)
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, santos["bulters"])
    rij = machtiging_rij(details, m)
    rij.get_by_text("Informatie").click()
    rij.get_by_role("link", name="intrekken").click()
    expect(rij.get_by_role("status")).to_contain_text("Machtiging wordt ingetrokken…")

    dialog = page.get_by_role("dialog", name="Trek machtiging in")
    expect(dialog).to_be_visible(timeout=6000)
    expect(dialog.get_by_role("alert")).to_have_text("Deze machtiging is niet meer actief.")
    expect(rij).to_be_visible()
    expect(rij.get_by_role("status")).to_be_hidden()
    page.screenshot(path="/tmp/mutaties-intrekken-geweigerd.png")
    dialog.get_by_role("link", name="Annuleer").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    m.refresh_from_db()
    assert m.status == Status.ACTIEF
