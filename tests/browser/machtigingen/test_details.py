"""The rubriek Machtigingen in a browser (§4.1, §4.3): J. Bakker, EH3 beheerder of Santos B.V., opens the
Landelijk Asbestvolgsysteem in place, changes W. Bakker's end date with the potlood, extends S. Veenstra's
machtiging that ends within two months (R34), and revokes W. Bakker's with the manual's 3-second undo (R35)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from machtigingen.models import Status
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def santos():
    organisatie = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    beheerder = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )

    def houder(voornaam, achternaam, niveau):
        return KoppelingFactory(
            organisatie=organisatie,
            middel__niveau=niveau,
            middel__persoon__voornamen=voornaam,
            middel__persoon__achternaam=achternaam,
        ).middel

    ienw = DienstverlenerFactory(naam="Ministerie van Infrastructuur en Waterstaat")
    asbest = DienstFactory(dienstverlener=ienw, naam="Landelijk Asbestvolgsysteem", niveau=Niveau.EH2)
    begint_op = vandaag() - dt.timedelta(days=400)
    wbakker = MachtigingFactory(
        organisatie=organisatie,
        middel=houder("Willem", "Bakker", Niveau.EH2_PLUS),
        dienst=asbest,
        begint_op=begint_op,
        eindigt_op=plus_jaren(vandaag(), 2),
    )
    veenstra = MachtigingFactory(
        organisatie=organisatie,
        middel=houder("Sanne", "Veenstra", Niveau.EH3),
        dienst=asbest,
        begint_op=begint_op,
        eindigt_op=vandaag() + dt.timedelta(days=20),
    )
    return {"beheerder": beheerder.middel.persoon, "asbest": asbest, "wbakker": wbakker, "veenstra": veenstra}


def bevestiging(page):
    return page.locator(".bm-messages .utrecht-alert--ok")


def test_r34_r35_r38_details_einddatum_verlengen_and_intrekken_with_undo(page, ingelogd_als, santos):
    asbest, wbakker, veenstra = santos["asbest"], santos["wbakker"], santos["veenstra"]
    ingelogd_als(santos["beheerder"])
    page.goto("/beheer/machtigingen/")
    page.evaluate("window.zelfdePagina = true")
    expect(page.get_by_role("heading", name="Machtigingen", exact=True)).to_be_visible()
    groep = page.get_by_role("region", name="Ministerie van Infrastructuur en Waterstaat")
    regel = groep.get_by_test_id(f"scope-dienst-{asbest.pk}")
    expect(regel.locator("summary").first).to_contain_text("Landelijk Asbestvolgsysteem")
    expect(regel.locator("summary").first).to_contain_text("2 Gebruikers")
    expect(regel.locator("summary").first).to_contain_text("1 verloopt binnenkort")

    # §4.3: opening the line loads its people in place, each with niveau or "Verleng machtiging".
    regel.locator("summary").first.click()
    bakker_rij = regel.locator(f"#machtiging-{wbakker.pk}")
    veenstra_rij = regel.locator(f"#machtiging-{veenstra.pk}")
    expect(bakker_rij).to_contain_text("W. Bakker")
    expect(bakker_rij).to_contain_text("EH 2+")
    expect(veenstra_rij).to_contain_text(f"Geldig tot {veenstra.eindigt_op:%d-%m-%Y}")
    page.screenshot(path="/tmp/m1/machtigingen-details.png", full_page=True)

    # The potlood: a new end date for W. Bakker.
    bakker_rij.get_by_text("Algemeen").click()
    expect(bakker_rij).to_contain_text(f"{wbakker.begint_op:%d-%m-%Y}")
    bakker_rij.get_by_role("link", name="Wijzig de einddatum").click()
    dialog = page.get_by_role("dialog", name="Wijzig de einddatum")
    expect(dialog).to_contain_text(
        "W. Bakker: Ministerie van Infrastructuur en Waterstaat – Landelijk Asbestvolgsysteem"
    )
    nieuw = vandaag() + dt.timedelta(days=200)
    dialog.get_by_role("textbox", name="Dag").fill(str(nieuw.day))
    dialog.get_by_role("textbox", name="Maand").fill(str(nieuw.month))
    dialog.get_by_role("textbox", name="Jaar").fill(str(nieuw.year))
    dialog.get_by_role("button", name="Ja, wijzig einddatum").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_contain_text(f"is gewijzigd naar {nieuw:%d-%m-%Y}")
    # The line reloaded in place, still open, with the new date.
    bakker_rij = regel.locator(f"#machtiging-{wbakker.pk}")
    bakker_rij.get_by_text("Algemeen").click()
    expect(bakker_rij).to_contain_text(f"{nieuw:%d-%m-%Y}")
    wbakker.refresh_from_db()
    assert wbakker.eindigt_op == nieuw

    # R34: Verleng machtiging for S. Veenstra, 3 jaar.
    regel.locator(f"#machtiging-{veenstra.pk}").get_by_role("link", name="Verleng machtiging").click()
    dialog = page.get_by_role("dialog", name="Verleng machtiging")
    expect(dialog.get_by_role("radio", name="5 jaar (meest gekozen)")).to_be_checked()
    dialog.get_by_role("radio", name="3 jaar", exact=True).check()
    dialog.get_by_role("button", name="Ja, verleng machtiging").click()
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(bevestiging(page)).to_contain_text(f"verlengd tot {plus_jaren(vandaag(), 3):%d-%m-%Y}")
    veenstra_rij = regel.locator(f"#machtiging-{veenstra.pk}")
    expect(veenstra_rij.get_by_role("link", name="Verleng machtiging")).to_have_count(0)
    expect(veenstra_rij).to_contain_text("EH 3")
    expect(regel.locator("summary").first).not_to_contain_text("verloopt binnenkort")
    veenstra.refresh_from_db()
    assert veenstra.eindigt_op == plus_jaren(vandaag(), 3)

    # R35: intrekken, undone within 3 seconds: nothing reaches the server.
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    bakker_rij = regel.locator(f"#machtiging-{wbakker.pk}")
    bakker_rij.get_by_text("Algemeen").click()
    bakker_rij.get_by_role("link", name="intrekken").click()
    expect(bakker_rij.get_by_role("status")).to_contain_text("Machtiging wordt ingetrokken…")
    page.screenshot(path="/tmp/m1/machtigingen-intrekken.png", full_page=True)
    bakker_rij.get_by_role("button", name="Ongedaan maken").click()
    expect(bakker_rij.get_by_role("status")).to_be_hidden()
    page.wait_for_timeout(3500)
    expect(bakker_rij).to_be_visible()
    assert posts == []
    wbakker.refresh_from_db()
    assert wbakker.status == Status.ACTIEF

    # Intrekken again and let the 3 seconds pass: gone, and the count follows.
    with page.expect_response(lambda r: r.request.method == "POST" and "/intrekken/" in r.url) as antwoord:
        bakker_rij.get_by_role("link", name="intrekken").click()
    assert antwoord.value.status == 200
    expect(bevestiging(page)).to_contain_text("is ingetrokken.")
    expect(regel.locator(f"#machtiging-{wbakker.pk}")).to_have_count(0)
    expect(regel.locator("summary").first).to_contain_text("1 Gebruiker")
    expect(regel.locator(f"#machtiging-{veenstra.pk}")).to_be_visible()
    wbakker.refresh_from_db()
    assert wbakker.status == Status.INGETROKKEN
    assert page.evaluate("window.zelfdePagina") is True
