"""Groepen in a browser (R24): J. Bakker, EH3 beheerder of Santos B.V., creates a group, adds members, gives the
group a machtiging, sees it reach a new member (and a member below the niveau shown as not covered, R31), then
removes a member and sees the machtiging gone for them, on the group's page and in the register's decision."""

import re

import pytest
from playwright.sync_api import expect

from common.niveau import Niveau
from machtigingen.register import PadSoort, beslis
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def persoon(organisatie, voornaam, achternaam, niveau):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=niveau,
        middel__persoon__voornamen=voornaam,
        middel__persoon__achternaam=achternaam,
    ).middel


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
    return {
        "organisatie": organisatie,
        "bakker": bakker.middel.persoon,
        "veenstra": persoon(organisatie, "Sanne", "Veenstra", Niveau.EH3),
        "bulters": persoon(organisatie, "Katarina", "Bulters", Niveau.EH2_PLUS),
        "jansen": persoon(organisatie, "Tom", "Jansen", Niveau.EH3),
        "dienst": DienstFactory(naam="Werkgeversportaal", niveau=Niveau.EH3),
    }


def dialog(page):
    popup = page.locator("dialog.bm-popup")
    expect(popup).to_be_visible()
    return popup


def bevestiging(page):
    return page.locator(".bm-messages .utrecht-alert--ok")


def leden_toevoegen(page, *namen):
    page.get_by_role("link", name="Voeg personen toe").click()
    popup = dialog(page)
    for naam in namen:
        popup.get_by_label(naam).check()
    popup.get_by_role("button", name="Voeg personen toe").click()
    expect(bevestiging(page)).to_contain_text("toegevoegd aan de groep Salarisadministratie")


def test_groep_flow(page, ingelogd_als, santos):
    org, dienst = santos["organisatie"], santos["dienst"]
    ingelogd_als(santos["bakker"])
    page.goto("/beheer/")
    page.get_by_role("navigation", name="Rubrieken").get_by_role("link", name="Groepen").click()
    expect(page.get_by_role("heading", name="Groepen", level=1)).to_be_visible()

    # Create: a refusal in place first, then the group.
    page.get_by_role("link", name="Nieuwe groep").click()
    popup = dialog(page)
    popup.get_by_role("button", name="Maak groep aan").click()
    expect(popup).to_contain_text("Geef de groep een naam.")
    popup.get_by_label("Naam van de groep").fill("Salarisadministratie")
    popup.get_by_role("button", name="Maak groep aan").click()
    expect(page.get_by_role("heading", name="Salarisadministratie", level=1)).to_be_visible()
    expect(bevestiging(page)).to_contain_text("De groep Salarisadministratie is aangemaakt.")

    # Members: Veenstra (EH3) and Bulters (EH2+).
    leden_toevoegen(page, "S. Veenstra", "K. Bulters")
    leden = page.locator("#groep-leden")
    expect(leden).to_contain_text("S. Veenstra")
    expect(leden).to_contain_text("K. Bulters")

    # A machtiging of the group, 1 year.
    page.get_by_role("link", name="Voeg machtiging toe").click()
    popup = dialog(page)
    popup.get_by_label("Zoek een dienst").fill("werkgevers")
    popup.get_by_label("Werkgeversportaal").check()
    popup.get_by_label("1 jaar").check()
    popup.get_by_role("button", name="Voeg machtiging(en) toe").click()
    expect(bevestiging(page)).to_contain_text("De machtiging(en) van de groep Salarisadministratie zijn toegevoegd")
    machtiging = page.locator("[data-groep-machtiging]")
    expect(machtiging).to_contain_text("Werkgeversportaal")
    expect(machtiging).to_contain_text("Geldt voor 1 lid.")
    # R31: Bulters is listed with the reason it does not count for her.
    niet = machtiging.locator(f'[data-niet-gedekt="{santos["bulters"].pk}"]')
    expect(niet).to_contain_text("niet het benodigde niveau")
    veenstra = beslis(middel=santos["veenstra"], organisatie=org, dienst=dienst)
    assert veenstra.toegestaan and veenstra.pad.soort == PadSoort.GROEP
    assert not beslis(middel=santos["bulters"], organisatie=org, dienst=dienst).toegestaan

    # A new member gets it at once.
    assert not beslis(middel=santos["jansen"], organisatie=org, dienst=dienst).toegestaan
    leden_toevoegen(page, "T. Jansen")
    expect(page.locator("[data-groep-machtiging]")).to_contain_text("Geldt voor 2 leden.")
    assert beslis(middel=santos["jansen"], organisatie=org, dienst=dienst).pad.soort == PadSoort.GROEP

    # Removing a member: gone for them, on the page and in the register.
    page.locator(f'[data-lid="{santos["jansen"].pk}"]').get_by_role(
        "link", name=re.compile("Verwijder uit de groep")
    ).click()
    dialog(page).get_by_role("button", name="Verwijder uit de groep").click()
    expect(bevestiging(page)).to_contain_text("T. Jansen is uit de groep Salarisadministratie verwijderd.")
    expect(page.locator("#groep-leden")).not_to_contain_text("T. Jansen")
    expect(page.locator("[data-groep-machtiging]")).to_contain_text("Geldt voor 1 lid.")
    assert not beslis(middel=santos["jansen"], organisatie=org, dienst=dienst).toegestaan
    assert beslis(middel=santos["veenstra"], organisatie=org, dienst=dienst).toegestaan
