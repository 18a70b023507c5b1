"""+ Voeg toe with a group (R24, R38) in a browser: J. Bakker (EH3, beheerder of Santos B.V.) chooses the group
Salarisadministratie in Kies gebruikers; the summary names the group with its members and who is not covered; the
group gets the machtiging itself (its page shows it), the overview counts its covered members, and when a new
member joins, the overview's count grows and the details name the group."""

import re

import pytest
from playwright.sync_api import expect

from common.niveau import Niveau
from groepen.models import GroepMachtiging
from machtigingen.models import Machtiging
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def persoon(organisatie, voornaam, achternaam, niveau):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=niveau,
        middel__persoon__voornamen=voornaam,
        middel__persoon__achternaam=achternaam,
    )


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
    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    for voornaam, achternaam, niveau in (("Sanne", "Veenstra", Niveau.EH3), ("Katarina", "Bulters", Niveau.EH2_PLUS)):
        GroepLidFactory(groep=groep, koppeling=persoon(organisatie, voornaam, achternaam, niveau))
    persoon(organisatie, "Tom", "Jansen", Niveau.EH3)
    return {
        "bakker": bakker.middel.persoon,
        "groep": groep,
        "dienst": DienstFactory(naam="Werkgeversportaal", niveau=Niveau.EH3),
    }


def test_r24_r38_wizard_with_a_group_and_a_new_member(page, ingelogd_als, santos):
    groep = santos["groep"]
    ingelogd_als(santos["bakker"])
    page.goto("/beheer/machtigingen/toevoegen/")

    page.get_by_role("link", name="Kies diensten").click()
    dialog = page.get_by_role("dialog", name="Kies diensten")
    dialog.get_by_label("Zoek een dienst").fill("werkgevers")
    dialog.get_by_role("checkbox", name="Werkgeversportaal").check()
    dialog.get_by_role("button", name="Voeg diensten toe").click()
    expect(page.locator("#stap-diensten")).to_contain_text("Werkgeversportaal")

    # Kies gebruikers: the group can be chosen, and says for how many members it would not count (R31).
    page.get_by_role("link", name="Kies gebruikers").click()
    dialog = page.get_by_role("dialog", name="Kies gebruikers")
    keuze = dialog.get_by_role("checkbox", name=re.compile("Salarisadministratie"))
    expect(keuze).to_be_enabled()
    expect(dialog).to_contain_text("Voor 1 lid telt de machtiging niet (niveau).")
    keuze.check()
    dialog.get_by_role("button", name="Voeg gebruikers toe").click()
    expect(page.locator("#stap-gebruikers")).to_contain_text("Groep Salarisadministratie")

    page.get_by_role("link", name="Kies de einddatum").click()
    page.get_by_role("dialog", name="Einddatum kiezen").get_by_role("button", name="Kies einddatum").click()

    # The summary names the group, its members and who is not covered.
    controle = page.locator("#stap-controle")
    expect(controle).to_contain_text("Groep Salarisadministratie – 2 leden, 1 niet gedekt (niveau)")
    controle.get_by_role("button", name="Voeg machtiging(en) toe").click()
    expect(page.locator("#bm-messages")).to_contain_text("voor groep Salarisadministratie.")
    assert GroepMachtiging.objects.filter(groep=groep, dienst=santos["dienst"]).count() == 1
    assert not Machtiging.objects.exists()  # the members got nothing of their own

    # The overview (where the step lands) counts the covered member: Veenstra, not Bulters.
    regel = page.locator(".bm-scope", has_text="Werkgeversportaal")
    expect(regel).to_contain_text("1 Gebruiker")

    # The group's page shows the machtiging; a new member joins there.
    page.goto(f"/beheer/groepen/{groep.pk}/")
    expect(page.locator("[data-groep-machtiging]")).to_contain_text("Geldt voor 1 lid.")
    page.get_by_role("link", name="Voeg personen toe").click()
    dialog = page.locator("dialog.bm-popup")
    dialog.get_by_label("T. Jansen").check()
    dialog.get_by_role("button", name="Voeg personen toe").click()
    expect(page.locator("[data-groep-machtiging]")).to_contain_text("Geldt voor 2 leden.")

    # The overview's count grows, and the details name the group (its actions are on the group's page).
    page.goto("/beheer/machtigingen/")
    regel = page.locator(".bm-scope", has_text="Werkgeversportaal")
    expect(regel).to_contain_text("2 Gebruikers")
    regel.locator("summary").first.click()
    houder = regel.locator(".bm-houder--groep", has_text="T. Jansen")
    expect(houder).to_be_visible()
    houder.get_by_text("Algemeen").click()
    link = houder.get_by_role("link", name="via groep Salarisadministratie")
    expect(link).to_have_attribute("href", f"/beheer/groepen/{groep.pk}/")
    page.screenshot(path="/tmp/gm/overzicht-via-groep.png", full_page=True)
