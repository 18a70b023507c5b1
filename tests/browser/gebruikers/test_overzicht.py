"""The rubriek Gebruikers in a browser (§3.1, §3.6, §2.1): badges, details opened and closed in place, the
live search and the downloads, as J. Bakker (beheerder, EH3) of Santos B.V."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from common.dates import vandaag
from common.niveau import Niveau
from gebruikers import selectors
from gebruikers.models import Koppeling
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers_screens.test_overzicht_fixtures import volledig_inloggen
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def santos():
    organisatie = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    bakker = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
        middel__persoon__email="joostbakker@example.com",
    ).middel.persoon
    bulters = KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
        middel__persoon__email="katarina.bulters@example.com",
        middel__persoon__mobiel="+31612345678",
    ).middel.persoon
    hendriks = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        abonnement_jaren=3,
        middel__wachten_op_activatie=True,
        middel__activeren_tot=vandaag() + dt.timedelta(days=30),
        middel__persoon__voornamen="Harry",
        middel__persoon__achternaam="Hendriks",
        middel__persoon__email="harry@example.com",
        middel__persoon__username=None,
    ).middel.persoon
    return {"bakker": bakker, "bulters": bulters, "hendriks": hendriks}


def inloggen(context, live_server, persoon):
    """A signed-in session with the second factor passed (R2), handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    client = volledig_inloggen(Client(), persoon)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def rij(page, persoon):
    return page.get_by_test_id(f"gebruiker-{persoon.pk}")


def test_overview_details_search_and_download(page, live_server, santos):
    bakker, bulters, hendriks = santos["bakker"], santos["bulters"], santos["hendriks"]
    inloggen(page.context, live_server, bakker)
    detail_requests = []
    # The details themselves (their "Wat mag deze persoon?" section loads on its own afterwards).
    page.on(
        "request",
        lambda r: detail_requests.append(r.url) if r.url.rstrip("/").endswith(f"/gebruikers/{bulters.pk}") else None,
    )

    page.goto("/")
    page.get_by_role("link", name="Gebruikers").click()

    expect(page.get_by_role("heading", name="Gebruikers", level=1)).to_be_visible()
    expect(page.locator(".bm-gebruikers-kop__organisatie")).to_have_text("Santos B.V.")
    # The badges as the manual draws them (§3.1).
    expect(rij(page, bakker).locator(".bm-badge")).to_have_text(["beheerder", "dit ben jij", "EH 3"])
    expect(rij(page, bulters).locator(".bm-badge")).to_have_text(["EH 2+"])
    expect(rij(page, hendriks).locator(".bm-badge")).to_have_text(["beheerder", "Wachten op activatie", "EH 3"])
    expect(rij(page, bulters)).to_contain_text("katarina.bulters@example.com")

    # Open K. Bulters' details in place: one request, no page load.
    page.evaluate("window.zelfdePagina = true")
    rij(page, bulters).locator("summary.bm-gebruiker__rij").click()
    details = rij(page, bulters).get_by_test_id(f"details-{bulters.pk}")
    expect(details.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
    expect(details.get_by_role("heading", name="eHerkenning")).to_be_visible()
    expect(details.locator('[data-veld="tweede_factor"]')).to_have_text("SMS 0612345678")
    expect(details.locator('[data-veld="status"]')).to_have_text("Actief")
    expect(details.locator('[data-veld="niveau"]')).to_have_text("2+")
    assert page.evaluate("window.zelfdePagina") is True
    assert len(detail_requests) == 1
    expect(page.locator("#bm-htmx-fout")).to_be_hidden()
    page.screenshot(path="/tmp/gebruikers-overzicht-details.png", full_page=True)

    # Close: the details disappear without another request.
    rij(page, bulters).locator("summary.bm-gebruiker__rij").click()
    expect(details).to_be_hidden()
    page.wait_for_timeout(300)
    assert len(detail_requests) == 1

    # Open again: fresh details, one more request.
    with page.expect_response(lambda r: f"/gebruikers/{bulters.pk}/" in r.url):
        rij(page, bulters).locator("summary.bm-gebruiker__rij").click()
    expect(details.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
    assert len(detail_requests) == 2

    # The loep: the list filters as one types, without a page load.
    page.get_by_role("searchbox", name="Zoeken").fill("hendr")
    expect(page.locator(".bm-gebruiker")).to_have_count(1)
    expect(rij(page, hendriks)).to_be_visible()
    assert page.evaluate("window.zelfdePagina") is True
    expect(page).to_have_url(re.compile(r"\?q=hendr"))

    # The downloads honour the search.
    page.get_by_text("Download", exact=True).click()
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV (.csv)").click()
    download = csv_download.value
    assert download.suggested_filename == f"gebruikers-12345678-{vandaag().isoformat()}.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as f:
        rijen = list(csv.reader(f, delimiter=";"))
    assert rijen[0][:3] == ["ID", "Naam", "E-mailadres"]
    assert [r[1] for r in rijen[1:]] == ["H. Hendriks"]

    page.get_by_role("searchbox", name="Zoeken").fill("")
    expect(page.locator(".bm-gebruiker")).to_have_count(3)
    # The download menu is still open; its links now follow the emptied search.
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = xlsx_download.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:
        sheet = openpyxl.load_workbook(io.BytesIO(f.read())).active
    assert [c.value for c in sheet[1]][:2] == ["ID", "Naam"]
    assert sorted(sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)) == [
        "H. Hendriks",
        "J. Bakker",
        "K. Bulters",
    ]


def test_without_javascript_the_row_links_to_the_details_page(browser, live_server, santos):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="nl-NL")
    inloggen(context, live_server, santos["bakker"])
    page = context.new_page()
    try:
        page.goto("/beheer/gebruikers/?q=bulters")
        expect(page.locator(".bm-gebruiker")).to_have_count(1)
        page.get_by_text("K. Bulters").first.click()
        page.get_by_role("link", name="Bekijk de gegevens van K. Bulters").click()
        expect(page.get_by_role("heading", name="K. Bulters", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
        expect(page.locator('[data-veld="email"]')).to_have_text("katarina.bulters@example.com")
    finally:
        context.close()


PAGINA = 15
LEDEN = [f"Lid{i:02}" for i in range(1, 33)]


@pytest.fixture
def veel(santos, monkeypatch):
    """Santos B.V. with 32 more people, Sanne Lid01 to Lid32, in pages of 15: J. Bakker, K. Bulters, H. Hendriks
    and S. Lid01-Lid12 | S. Lid13-Lid27 | S. Lid28-Lid32."""
    monkeypatch.setattr(selectors, "OVERZICHT_PAGINA", PAGINA)
    organisatie = Koppeling.objects.get(middel__persoon=santos["bakker"]).organisatie
    for achternaam in LEDEN:
        KoppelingFactory(
            organisatie=organisatie,
            middel__persoon__voornamen="Sanne",
            middel__persoon__achternaam=achternaam,
            middel__persoon__email=f"{achternaam.lower()}@santos.example",
        )
    return santos


ALLEN = ["J. Bakker", "K. Bulters", "H. Hendriks"] + [f"S. {n}" for n in LEDEN]


def test_toon_meer_and_scrolling_load_the_next_people_and_their_details_open(page, live_server, veel):
    inloggen(page.context, live_server, veel["bakker"])
    page.goto("/beheer/gebruikers/")
    page.evaluate("window.zelfdePagina = true")
    namen = page.locator(".bm-gebruiker__naam")
    expect(namen).to_have_text(ALLEN[:PAGINA])
    toon_meer = page.get_by_role("link", name="Toon meer")
    expect(toon_meer).to_be_attached()

    # "Toon meer" chosen without scrolling (as a screen reader's list of links does): the next people are
    # appended and the focus moves to the first of them.
    toon_meer.dispatch_event("click")
    expect(namen).to_have_text(ALLEN[: 2 * PAGINA])
    expect(page.locator("summary:focus")).to_contain_text("S. Lid13")
    # htmx applies autofocus again when the swap settles: a Tab before that would be undone.
    # A locator, not a JavaScript string: the Content-Security-Policy forbids evaluating strings in the page.
    expect(page.locator(".htmx-settling, .htmx-request, .htmx-swapping")).to_have_count(0)
    page.keyboard.press("Tab")
    expect(page.locator("summary:focus")).to_contain_text("S. Lid14")

    # Scrolling: the last row coming into view loads the next page; the last page has no "Toon meer".
    namen.last.scroll_into_view_if_needed()
    expect(namen).to_have_text(ALLEN)
    expect(toon_meer).to_have_count(0)
    assert page.evaluate("window.zelfdePagina") is True

    # A person loaded later opens in place like the first ones.
    laatste = page.get_by_test_id(re.compile(r"gebruiker-\d+")).last
    laatste.locator("summary.bm-gebruiker__rij").click()
    expect(laatste.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()
    expect(laatste.locator('[data-veld="email"]')).to_have_text("lid32@santos.example")
    expect(page.locator("#bm-htmx-fout")).to_be_hidden()


def test_keyboard_users_tab_through_every_person(page, live_server, veel):
    """Tabbing from row to row: reaching the last row of a page loads the next, so the Tab goes on into it."""
    inloggen(page.context, live_server, veel["bakker"])
    page.goto("/beheer/gebruikers/")
    page.locator("summary.bm-gebruiker__rij").first.focus()
    bereikt = []

    for _ in ALLEN:
        bereikt.append(page.locator("summary:focus .bm-gebruiker__naam").inner_text())
        if len(bereikt) % PAGINA == 0:
            # Give the next page the moment it needs to arrive, as a person tabbing does.
            expect(page.locator(".bm-gebruiker")).not_to_have_count(len(bereikt))
        page.keyboard.press("Tab")

    assert bereikt == ALLEN
    expect(page.locator(".bm-gebruiker")).to_have_count(len(ALLEN))


def test_the_search_finds_everyone_and_pages_with_the_term(page, live_server, veel):
    inloggen(page.context, live_server, veel["bakker"])
    page.goto("/beheer/gebruikers/")
    namen = page.locator(".bm-gebruiker__naam")
    expect(namen).to_have_count(PAGINA)
    zoeken = page.get_by_role("searchbox", name="Zoeken")

    # People far beyond the first page.
    zoeken.fill("lid3")
    expect(namen).to_have_text(["S. Lid30", "S. Lid31", "S. Lid32"])
    expect(page.get_by_role("link", name="Toon meer")).to_have_count(0)

    # The 32 people named Sanne: in pages, the term kept in every next page.
    zoeken.fill("sanne")
    expect(namen).to_have_text(ALLEN[3 : 3 + PAGINA])
    page.get_by_role("link", name="Toon meer").click()
    expect(namen).to_have_count(2 * PAGINA)
    namen.last.scroll_into_view_if_needed()
    expect(namen).to_have_text(ALLEN[3:])
    expect(page).to_have_url(re.compile(r"q=sanne$"))

    # Emptied: the first page of everyone again.
    zoeken.fill("")
    expect(namen).to_have_text(ALLEN[:PAGINA])
    expect(page.get_by_role("link", name="Toon meer")).to_be_attached()
