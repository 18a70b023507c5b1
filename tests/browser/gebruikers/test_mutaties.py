"""The actions on one person in a browser (§3.1.1, §3.4, §3.7): J. Bakker, EH3 beheerder of Santos B.V. (and of
Ketelaar Klip), opens a person's details in place on the overview and uses the potloden and the '3 puntjes' menu.
Every pop-up is a modal <dialog>; on success it closes, the confirmation shows and the details reload in place."""

import re

import pytest
from playwright.sync_api import expect

from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from tests.browser.gebruikers.helpers import bevestiging, naar_overzicht, open_details, rij
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import tarieven  # noqa: F401
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
        middel__persoon__email="joostbakker@example.com",
    )
    KoppelingFactory(organisatie=ketelaar, middel=bakker.middel, beheerder=True)
    bulters = KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__tweede_factor=Middel.TweedeFactor.SMS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
        middel__persoon__email="katarina.bulters@example.com",
        middel__persoon__mobiel="+31612345678",
    )
    hendriks = KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH3,
        middel__wachten_op_activatie=True,
        middel__persoon__voornamen="Harry",
        middel__persoon__achternaam="Hendriks",
        middel__persoon__email="harry@example.com",
        middel__persoon__username=None,
    )
    return {"bakker": bakker, "bulters": bulters, "hendriks": hendriks}


def test_rol_wijzigen_in_place(page, ingelogd_als, santos):
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)
    expect(details.locator('[data-veld="rol"]')).to_have_text("Gebruiker")

    details.get_by_role("link", name="Rol wijzigen").click()
    dialog = page.get_by_role("dialog", name="Rol wijzigen")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.querySelector('dialog.bm-popup').matches(':modal')") is True
    expect(dialog).to_contain_text("Hieronder kunt u voor de persoon die u heeft geselecteerd de rol wijzigen.")
    expect(dialog).to_contain_text(
        "Let op! Beheerders hebben beheerrechten binnen eHerkenning. Als u de rol van een beheerder wijzigt naar "
        "een reguliere gebruiker, heeft deze persoon per direct geen beheerrechten meer in de beheermodule."
    )
    gebruiker_keuze = dialog.get_by_role("radio", name=re.compile(r"^Reguliere gebruiker"))
    expect(gebruiker_keuze).to_be_checked()
    page.screenshot(path="/tmp/mutaties-rol.png")

    dialog.get_by_role("radio", name=re.compile(r"^Beheerder")).check()
    dialog.get_by_role("button", name="Rol wijzigen").click()

    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ De rol van K. Bulters is gewijzigd in Beheerder.")
    expect(details.locator('[data-veld="rol"]')).to_have_text("Beheerder")
    assert page.evaluate("window.zelfdePagina") is True
    expect(page.locator("#bm-htmx-fout")).to_be_hidden()
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.BEHEERDER

    # The details reloaded in place keep working: the potlood opens the pop-up again.
    details.get_by_role("link", name="Rol wijzigen").click()
    expect(page.get_by_role("dialog", name="Rol wijzigen")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_role("radio", name=re.compile(r"^Beheerder"))).to_be_checked()
    page.get_by_role("dialog").get_by_role("link", name="Annuleer").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)

    page.reload()
    expect(rij(page, bulters).locator(".bm-badge")).to_have_text(["beheerder", "EH 2+"])


def test_r20_sole_beheerder_cannot_opzeggen_own_middel(page, ingelogd_als, santos):
    bakker = santos["bakker"]
    naar_overzicht(page, ingelogd_als, bakker)
    details = open_details(page, bakker)

    details.get_by_title("Meer acties").click()
    details.get_by_role("link", name="eHerkenning voor deze gebruiker opzeggen").click()
    dialog = page.get_by_role("dialog", name="eHerkenning opzeggen")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Helaas is het op dit moment niet mogelijk om uw eigen eHerkenningmiddel op te zeggen voor deze organisatie."
    )
    expect(dialog.get_by_role("button", name="Ja, eHerkenning opzeggen")).to_have_count(0)
    page.screenshot(path="/tmp/mutaties-opzeggen-weigering.png")

    dialog.get_by_role("link", name="Sluiten").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    bakker.refresh_from_db()
    assert bakker.status == Koppeling.Status.ACTIEF
    assert bakker.opzeggen_per is None
    assert bakker.middel.status == Middel.Status.ACTIEF
    assert not Koppeling.objects.filter(status=Koppeling.Status.BEEINDIGD).exists()
    expect(rij(page, bakker)).to_be_visible()


def test_r19_opzeggen_per_direct_removes_her_from_the_overview(page, ingelogd_als, santos):
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)

    details.get_by_title("Meer acties").click()
    details.get_by_role("link", name="eHerkenning voor deze gebruiker opzeggen").click()
    dialog = page.get_by_role("dialog", name="eHerkenning opzeggen")
    expect(dialog).to_be_visible()
    # The menu closes once an action is chosen: only the pop-up is open.
    expect(details.get_by_role("link", name="eHerkenning voor deze gebruiker opzeggen")).to_be_hidden()
    expect(dialog).to_contain_text("Per wanneer wilt u eHerkenning voor deze gebruiker opzeggen?")
    dialog.get_by_role("radio", name="Per direct").check()
    page.screenshot(path="/tmp/mutaties-opzeggen.png")

    with page.expect_navigation():
        dialog.get_by_role("button", name="Ja, eHerkenning opzeggen").click()
    expect(page).to_have_url(re.compile(r"/beheer/gebruikers/$"))
    expect(bevestiging(page)).to_contain_text("eHerkenning voor K. Bulters is per direct opgezegd.")
    expect(rij(page, bulters)).to_have_count(0)
    expect(rij(page, santos["bakker"])).to_be_visible()
    bulters.refresh_from_db()
    assert bulters.status == Koppeling.Status.BEEINDIGD


def test_r21_wijzig_telefoonnummer(page, ingelogd_als, santos):
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)
    expect(details.locator('[data-veld="tweede_factor"]')).to_have_text("SMS 0612345678")

    details.get_by_role("link", name="Wijzig het telefoonnummer").click()
    dialog = page.get_by_role("dialog", name="Wijzig het telefoonnummer")
    expect(dialog).to_contain_text("Dit is het telefoonnummer wat gebruikt wordt als tweede factor voor het inloggen.")
    expect(dialog.get_by_label("Land")).to_have_value("NL")
    expect(dialog.get_by_label("Mobiel telefoonnummer")).to_have_value("0612345678")
    dialog.get_by_label("Mobiel telefoonnummer").fill("0622955555")
    page.screenshot(path="/tmp/mutaties-telefoon.png")
    dialog.get_by_role("button", name="Wijzig telefoonnummer").click()

    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ Het telefoonnummer van K. Bulters is gewijzigd.")
    expect(details.locator('[data-veld="tweede_factor"]')).to_have_text("SMS 0622955555")
    assert page.evaluate("window.zelfdePagina") is True
    bulters.middel.persoon.refresh_from_db()
    assert bulters.middel.persoon.mobiel == "+31622955555"

    # A second change in the reloaded details: one details reload per change, one confirmation on screen.
    herladen = []
    page.on(
        "request",
        lambda r: herladen.append(r.url) if r.url.endswith(f"/gebruikers/{bulters.middel.persoon_id}/") else None,
    )
    details.get_by_role("link", name="Wijzig het telefoonnummer").click()
    dialog = page.get_by_role("dialog", name="Wijzig het telefoonnummer")
    expect(dialog.get_by_label("Mobiel telefoonnummer")).to_have_value("0622955555")
    dialog.get_by_label("Mobiel telefoonnummer").fill("0633333333")
    dialog.get_by_role("button", name="Wijzig telefoonnummer").click()
    expect(details.locator('[data-veld="tweede_factor"]')).to_have_text("SMS 0633333333")
    page.wait_for_timeout(300)
    assert len(herladen) == 1
    expect(bevestiging(page)).to_have_count(1)


def test_r21_wrong_telefoonnummer_is_refused_in_the_dialog(page, ingelogd_als, santos):
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)

    details.get_by_role("link", name="Wijzig het telefoonnummer").click()
    dialog = page.get_by_role("dialog", name="Wijzig het telefoonnummer")
    dialog.get_by_label("Mobiel telefoonnummer").fill("12345")
    dialog.get_by_role("button", name="Wijzig telefoonnummer").click()

    # Refused in place: the dialog stays open with the error and what was typed.
    expect(dialog.get_by_role("alert")).to_be_visible()
    expect(dialog.get_by_label("Mobiel telefoonnummer")).to_have_value("12345")
    page.screenshot(path="/tmp/mutaties-telefoon-fout.png")
    expect(bevestiging(page)).to_have_count(0)
    bulters.middel.persoon.refresh_from_db()
    assert bulters.middel.persoon.mobiel == "+31612345678"


def test_r22_wijzig_het_emailadres_while_wachten_op_activatie(page, ingelogd_als, santos):
    hendriks = santos["hendriks"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, hendriks)
    expect(details.locator('[data-veld="email"]')).to_have_text("harry@example.com")

    details.get_by_role("link", name="Wijzig het e-mailadres").click()
    dialog = page.get_by_role("dialog", name="Wijzig het e-mailadres")
    expect(dialog).to_be_visible()
    dialog.get_by_label("E-mailadres").fill("harry.hendriks@example.com")
    page.screenshot(path="/tmp/mutaties-email.png")
    dialog.get_by_role("button", name="Wijzig e-mailadres").click()

    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ Het e-mailadres van H. Hendriks is gewijzigd.")
    expect(details.locator('[data-veld="email"]')).to_have_text("harry.hendriks@example.com")
    hendriks.middel.persoon.refresh_from_db()
    assert hendriks.middel.persoon.email == "harry.hendriks@example.com"
    # An activated person's address is theirs to change (§3.7.2): no potlood for K. Bulters.
    bulters_details = open_details(page, santos["bulters"])
    expect(bulters_details.get_by_role("link", name="Wijzig het e-mailadres")).to_have_count(0)


def test_rol_wijzigen_on_the_details_page_of_its_own(page, ingelogd_als, santos):
    """The details also open as a page of their own ('Bekijk de gegevens van …'); the pop-ups work there too."""
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    page.goto(f"/beheer/gebruikers/{bulters.middel.persoon_id}/")
    page.evaluate("window.zelfdePagina = true")
    details = page.get_by_test_id(f"details-{bulters.middel.persoon_id}")

    details.get_by_role("link", name="Rol wijzigen").click()
    dialog = page.get_by_role("dialog", name="Rol wijzigen")
    dialog.get_by_role("radio", name=re.compile(r"^Beheerder")).check()
    dialog.get_by_role("button", name="Rol wijzigen").click()

    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_have_text("✓ De rol van K. Bulters is gewijzigd in Beheerder.")
    expect(details.locator('[data-veld="rol"]')).to_have_text("Beheerder")
    expect(page.get_by_role("heading", name="K. Bulters", level=1)).to_have_count(1)
    assert page.evaluate("window.zelfdePagina") is True


def test_r17_niveau_costs_stay_costs_as_the_choices_change(page, ingelogd_als, santos, tarieven):  # noqa: F811
    """§3.8.1 "5. Kosten eHerkenning" follows every change (R17). A defect swapped the whole Gebruikers list
    into it from the second change on: the re-rendered cost block asked a relative '?deel=kosten' of the page."""
    bulters = santos["bulters"]
    naar_overzicht(page, ingelogd_als, santos["bakker"])
    details = open_details(page, bulters)
    details.get_by_title("Meer acties").click()
    details.locator(".bm-meer__lijst").get_by_role("link", name="Wijzig het niveau").click()
    dialog = page.get_by_role("dialog", name="Wijzig het niveau van een bestaande gebruiker")
    expect(dialog).to_be_visible()
    kosten = dialog.locator("#bm-kosten")
    expect(kosten).to_contain_text("€\u00a041,00 per jaar")

    drie_jaar = dialog.get_by_label(re.compile(r"^Ja, ik kies voor een 3-jarig abonnement"))
    for aan, periode in ((True, "per 3 jaar"), (False, "per jaar"), (True, "per 3 jaar")):
        drie_jaar.set_checked(aan)
        expect(kosten).to_contain_text(periode)
        expect(kosten).to_contain_text("Onderstaande kosten zijn de standaard tarieven.")
        expect(dialog.locator("[data-testid^='gebruiker-']")).to_have_count(0)
        expect(dialog.locator("#bm-kosten")).to_have_count(1)
    expect(kosten).to_have_attribute("hx-get", f"/beheer/gebruikers/{bulters.middel.persoon_id}/niveau/?deel=kosten")
    page.screenshot(path="/tmp/mutaties-niveau.png", full_page=True)
    expect(page.locator("#bm-htmx-fout")).to_be_hidden()
