"""+ Voeg toe in the rubriek Machtigingen in a browser (§4.2, §4.4): J. Bakker, EH3 beheerder of Santos B.V., searches
the catalogue, chooses a dienst, sees that K. Bulters (EH2+) cannot get it, chooses S. Veenstra (who already has it)
and W. Jansen, picks a date of his own, checks the summary and adds; then goes back a step with the browser."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from machtigingen.models import Machtiging, Status
from tests.browser.conftest import vorm_fouten
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def persoon(organisatie, voornaam, achternaam, niveau, **kwargs):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=niveau,
        middel__persoon__voornamen=voornaam,
        middel__persoon__achternaam=achternaam,
        **kwargs,
    )


@pytest.fixture
def santos():
    organisatie = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    haarlem = DienstverlenerFactory(naam="Gemeente Haarlem")
    ienw = DienstverlenerFactory(naam="Ministerie van Infrastructuur en Waterstaat")
    wereld = {
        "organisatie": organisatie,
        "bakker": persoon(organisatie, "Joost", "Bakker", Niveau.EH3, beheerder=True).middel.persoon,
        "bulters": persoon(organisatie, "Katarina", "Bulters", Niveau.EH2_PLUS).middel,
        "veenstra": persoon(organisatie, "Sanne", "Veenstra", Niveau.EH3).middel,
        "jansen": persoon(organisatie, "Wim", "Jansen", Niveau.EH4).middel,
        "parkeren": DienstFactory(
            dienstverlener=haarlem,
            naam="Tijdelijke parkeervergunning",
            niveau=Niveau.EH3,
            omschrijving="Vraag een tijdelijke parkeervergunning aan voor uw bedrijfsbus.",
        ),
        "asbest": DienstFactory(dienstverlener=ienw, naam="Landelijk Asbestvolgsysteem", niveau=Niveau.EH2),
    }
    wereld["bestaand"] = MachtigingFactory(
        organisatie=organisatie,
        middel=wereld["veenstra"],
        dienst=wereld["parkeren"],
        begint_op=vandaag() - dt.timedelta(days=300),
        eindigt_op=vandaag() + dt.timedelta(days=20),
    )
    return wereld


# On a desktop and on a phone, where the summary's table scrolls in its box instead of widening the page.
@pytest.mark.parametrize("breedte", [1280, 390])
def test_voeg_toe_whole_wizard(page, ingelogd_als, santos, breedte):
    ingelogd_als(santos["bakker"])
    page.set_viewport_size({"width": breedte, "height": 900})
    page.goto("/beheer/machtigingen/toevoegen/")
    expect(page.get_by_role("heading", name="Voeg machtiging(en) toe", level=1)).to_be_visible()

    # 1. Kies diensten: a free search over the catalogue, per dienstverlener, with the ServiceDescription.
    page.get_by_role("link", name="Kies diensten").click()
    dialog = page.get_by_role("dialog", name="Kies diensten")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Ook toekomstige diensten vallen hieronder.")).to_be_visible()
    dialog.get_by_label("Zoek een dienst").fill("parkeer")
    expect(dialog.get_by_role("checkbox", name="Landelijk Asbestvolgsysteem")).to_have_count(0)
    parkeren = dialog.get_by_role("checkbox", name="Tijdelijke parkeervergunning")
    expect(parkeren).to_have_accessible_description("Vraag een tijdelijke parkeervergunning aan voor uw bedrijfsbus.")
    expect(dialog.get_by_role("group", name="Gemeente Haarlem")).to_be_visible()
    parkeren.check()
    page.screenshot(path="/tmp/m2/kies-diensten.png")
    dialog.get_by_role("button", name="Voeg diensten toe").click()
    stap1 = page.locator("#stap-diensten")
    expect(stap1).to_contain_text("Gemeente Haarlem – Tijdelijke parkeervergunning")

    # 2. Kies gebruikers: Bulters (EH2+) is shown but cannot be chosen for an EH3 dienst, and says why (R31).
    page.get_by_role("link", name="Kies gebruikers").click()
    dialog = page.get_by_role("dialog", name="Kies gebruikers")
    bulters = dialog.get_by_role("checkbox", name="K. Bulters")
    expect(bulters).to_be_disabled()
    waarschuwing = (
        "Let op! Deze persoon heeft niet het benodigde niveau om namens uw bedrijf bij de gekozen dienst(en) in te "
        "loggen."
    )
    expect(bulters).to_have_accessible_description(waarschuwing)
    dialog.get_by_role("checkbox", name="S. Veenstra").check()
    dialog.get_by_label("Zoek een gebruiker").fill("jans")
    expect(dialog.get_by_role("checkbox", name="K. Bulters")).to_have_count(0)
    expect(dialog.get_by_role("checkbox", name="S. Veenstra")).to_be_checked()  # a choice survives the search
    dialog.get_by_role("checkbox", name="W. Jansen").check()
    page.screenshot(path="/tmp/m2/kies-gebruikers.png")
    dialog.get_by_role("button", name="Voeg gebruikers toe").click()
    expect(page.locator("#stap-gebruikers")).to_contain_text("S. Veenstra")
    expect(page.locator("#stap-gebruikers")).to_contain_text("W. Jansen")

    # 3. Kies einddatum: a date of one's own.
    eigen = vandaag() + dt.timedelta(days=400)
    page.get_by_role("link", name="Kies de einddatum").click()
    dialog = page.get_by_role("dialog", name="Einddatum kiezen")
    expect(dialog.get_by_role("radio", name="5 jaar (meest gekozen)")).to_be_checked()
    dialog.get_by_role("radio", name="Bepaal zelf de datum").check()
    dialog.get_by_role("textbox", name="Dag").fill(str(eigen.day))
    dialog.get_by_role("textbox", name="Maand").fill(str(eigen.month))
    dialog.get_by_role("textbox", name="Jaar").fill(str(eigen.year))
    dialog.get_by_role("button", name="Kies einddatum").click()
    expect(page.locator("#stap-einddatum")).to_contain_text(f"Geldig tot {eigen:%d-%m-%Y}")

    # 4. The summary: diensten × people × end date; Veenstra's running machtiging gets the new end date (R36).
    controle = page.locator("#stap-controle")
    expect(controle).to_contain_text("Controleer het overzicht: 2 machtigingen")
    expect(controle).to_contain_text("1 bestaande machtiging krijgt de nieuwe einddatum.")
    expect(controle.get_by_role("row", name="S. Veenstra")).to_contain_text(
        f"(was {(vandaag() + dt.timedelta(days=20)):%d-%m-%Y})"
    )
    expect(controle.get_by_role("row", name="W. Jansen")).to_contain_text("nieuw")
    page.screenshot(path="/tmp/m2/samenvatting.png", full_page=True)
    assert vorm_fouten(page) == []  # e.g. the summary's caption in the theme's serif, a page wider than a phone
    wizard_url = page.url

    controle.get_by_role("button", name="Voeg machtiging(en) toe").click()
    expect(page.locator("#bm-messages")).to_contain_text(
        f"Gelukt: 1 machtiging toegevoegd en van 1 machtiging de einddatum gewijzigd, geldig tot {eigen:%d-%m-%Y}, "
        "voor 2 personen."
    )
    santos["bestaand"].refresh_from_db()
    assert santos["bestaand"].eindigt_op == eigen
    assert Machtiging.objects.get(middel=santos["jansen"], status=Status.ACTIEF).eindigt_op == eigen

    # The state lives in the URL: the back button brings the summary back, now with both pairs existing.
    page.goto(wizard_url)
    page.go_back()
    page.go_forward()
    expect(page.locator("#stap-controle")).to_contain_text("2 bestaande machtigingen krijgen de nieuwe einddatum.")
    assert plus_jaren(vandaag(), 5) > eigen
