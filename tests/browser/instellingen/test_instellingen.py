"""Instellingen in Chromium (§2.4, §3.3): each flow as a beheerder does it, with the refusals on the way."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from facturatie.models import Tarief
from gebruikers.models import Aanvraag
from handelsregister.services import handelsregister_laden
from organisaties.models import Organisatie
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory
from tests.gebruikers.helpers import TARIEVEN
from tests.inloggen.helpers import otp_code
from tests.organisaties.factories import OrganisatieFactory
from tests.support.conftest import maak_support_medewerker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA_FILE = Path(__file__).resolve().parents[3] / "handelsregister" / "data" / "handelsregister.json"


@pytest.fixture
def register():
    handelsregister_laden(data=json.loads(DATA_FILE.read_text(encoding="utf-8")))
    for (code, periode), bedrag in TARIEVEN.items():
        Tarief.objects.update_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})


def _beheerder(organisatie):
    return KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    ).middel.persoon


def test_r51_algemeen_removes_the_vestigingsnummer(page, ingelogd_als, register):
    org = OrganisatieFactory(naam="Test EMZ Dagobert", kvk_nummer="69599084", vestigingsnummer="000038509504")
    ingelogd_als(_beheerder(org))
    page.goto("/beheer/")
    page.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_role("link", name="Algemeen")).to_have_attribute("aria-current", "page")
    expect(page.locator("#bm-vestigingsnummer")).to_have_text("000038509504")
    expect(page.get_by_text("kunt u niet inloggen bij het UWV en de Belastingdienst")).to_be_visible()
    page.get_by_role("link", name="Vestigingsnummer verwijderen").click()
    page.get_by_role("button", name="Verwijder vestigingsnummer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Het vestigingsnummer is verwijderd. U gebruikt nu het KvK-nummer 69599084."
    )
    expect(page.locator("#bm-vestigingsnummer")).to_have_count(0)
    expect(page.locator("#bm-kvk-nummer")).to_have_text("69599084")
    page.screenshot(path="/tmp/i1/algemeen.png", full_page=True)
    assert Organisatie.objects.get(pk=org.pk).vestigingsnummer == ""


def test_r52_facturatie_iban_and_the_one_way_switches(page, ingelogd_als, register):
    Tarief.objects.create(code=Tarief.Code.TOESLAG_BANKOVERSCHRIJVING, periode="F", bedrag=Decimal("2.50"))
    org = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678", factuur_email="factuur@santos.nl")
    ingelogd_als(_beheerder(org))
    page.goto("/beheer/instellingen/")
    page.get_by_role("link", name="Facturatie").click()
    expect(page.locator("#bm-betaalwijze")).to_contain_text(
        "Bankoverschrijving (extra kosten per factuur: €\u00a02,50)"
    )
    expect(page.locator("#bm-facturatiewijze")).to_contain_text("Factuur per post (extra kosten per factuur)")

    # Bankoverschrijving → Automatische incasso: bad IBAN, bad BIC, no consent, each refused in place.
    page.get_by_role("link", name="Betaalwijze wijzigen in automatische incasso").click()
    page.get_by_label("IBAN").fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("BIC").fill("ABNANL2A")
    page.get_by_label("Ja, ik ga akkoord met de algemene voorwaarden").check()
    page.get_by_role("button", name="Betaal automatisch").click()
    expect(page.get_by_text("Vul een geldig IBAN in")).to_be_visible()
    page.get_by_label("IBAN").fill("NL91 ABNA 0417 1643 00")
    page.get_by_label("BIC").fill("ABN")
    page.get_by_role("button", name="Betaal automatisch").click()
    expect(page.get_by_text("Vul een geldige BIC in")).to_be_visible()
    page.get_by_label("BIC").fill("ABNANL2A")
    page.get_by_label("Ja, ik ga akkoord met de algemene voorwaarden").uncheck()
    page.get_by_role("button", name="Betaal automatisch").click()
    expect(page.get_by_text("Ga akkoord met de algemene voorwaarden om automatisch te betalen.")).to_be_visible()
    assert Organisatie.objects.get(pk=org.pk).betaalwijze == "bankoverschrijving"
    page.get_by_label("Ja, ik ga akkoord met de algemene voorwaarden").check()
    page.get_by_role("button", name="Betaal automatisch").click()
    expect(page.get_by_role("status")).to_contain_text("De betaalwijze is gewijzigd in automatische incasso.")
    org.refresh_from_db()
    expect(page.locator("#bm-betaalwijze")).to_have_text("Automatische incasso")
    expect(page.locator("#bm-rekeningnummer")).to_contain_text("NL91 ABNA 0417 1643 00")
    expect(page.locator("#bm-machtigingskenmerk")).to_have_text(org.machtigingskenmerk)
    # Never back: no potlood at Betaalwijze, the manual's sentence instead.
    expect(page.get_by_role("link", name="Betaalwijze wijzigen in automatische incasso")).to_have_count(0)
    expect(
        page.get_by_text("automatische incasso naar bankoverschrijving is via de beheermodule niet mogelijk")
    ).to_be_visible()

    # Factuur per post → Factuur per e-mail, with a bad address first.
    page.get_by_role("link", name="Facturatiewijze wijzigen in factuur per e-mail").click()
    page.get_by_label("E-mailadres").fill("facturen-at-santos.nl")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Vul een geldig e-mailadres in")).to_be_visible()
    page.get_by_label("E-mailadres").fill("facturen@santos.nl")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("U ontvangt de facturen voortaan per e-mail.")
    expect(page.locator("#bm-facturatiewijze")).to_have_text("Factuur per e-mail")
    expect(page.locator("#bm-factuur-email")).to_contain_text("facturen@santos.nl")
    expect(page.get_by_role("link", name="Facturatiewijze wijzigen in factuur per e-mail")).to_have_count(0)
    page.screenshot(path="/tmp/i1/facturatie.png", full_page=True)


def test_r53_organisatie_toevoegen_to_the_contract_then_support_approves(page, ingelogd_als, register, tmp_path):
    santos = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678", factuur_email="factuur@santos.nl")
    bakker = _beheerder(santos)
    ingelogd_als(bakker)
    page.goto("/beheer/instellingen/")
    page.get_by_role("link", name="Organisaties").click()
    page.get_by_role("link", name="Voeg toe").click()

    # Stap 1, with the refusals first: own KvK-nummer, malformed, unknown.
    veld = page.get_by_label("KVK- of vestigingsnummer")
    for nummer, melding in (
        ("12345678", "U bent al beheerder van een organisatie met dit KvK-nummer"),
        ("1234", "Vul een KvK-nummer (8 cijfers) of een vestigingsnummer (12 cijfers) in."),
        ("11112222", "Geen organisatie gevonden met KvK-nummer 11112222."),
    ):
        veld.fill(nummer)
        page.get_by_role("button", name="Selecteer organisatie").click()
        expect(page.get_by_text(melding)).to_be_visible()
    page.get_by_label("KVK- of vestigingsnummer").fill("68727720")
    page.get_by_role("button", name="Selecteer organisatie").click()
    expect(page.locator("#bm-gekozen-organisatie")).to_contain_text("Test NV Katrien")

    # Stap 2: EH 2+ and EH 3 with "vanaf € … per jaar" from the tariff table.
    expect(page.get_by_text("eHerkenning niveau 2+ vanaf €\u00a013,30 per jaar")).to_be_visible()
    expect(page.get_by_text("eHerkenning niveau 3 vanaf €\u00a019,65 per jaar")).to_be_visible()
    page.get_by_role("radio", name="EH 3").check()
    page.get_by_role("button", name="Kies en volgende").click()

    # Stap 3: own data prefilled.
    expect(page.get_by_label("Achternaam")).to_have_value("Bakker")
    page.get_by_role("button", name="Volgende").click()

    # Stap 4: the Handelsregister's vertegenwoordigers.
    page.get_by_label("Katrien Duck").check()
    page.get_by_label("Willie Wortel").check()
    page.get_by_role("button", name="Kies en volgende").click()

    # Stap 5: costs follow the 3-year choice; the consents are required.
    een, drie = page.locator("#bm-kosten [data-jaren='1']"), page.locator("#bm-kosten [data-jaren='3']")
    expect(een).to_be_visible()
    expect(een).to_contain_text("1x Koppeling extra organisatie EH3")
    expect(een).to_contain_text("€\u00a021,00 per jaar")
    expect(drie).to_be_hidden()
    page.get_by_label("Ja, ik kies voor een 3-jarig abonnement").check()
    expect(een).to_be_hidden()
    expect(drie).to_be_visible()
    expect(drie.locator("del")).to_have_text("€\u00a063,00 per 3 jaar")
    expect(drie).to_contain_text("€\u00a058,95 per 3 jaar")
    expect(page.get_by_label("Facturatie e-mailadres")).to_have_value("factuur@santos.nl")
    page.get_by_label("IBAN").fill("NL91ABNA0417164300")
    page.get_by_label("BIC").fill("ABNANL2A")
    page.get_by_label("Inkoopordernummer (optioneel)").fill("PO-2026-17")
    page.get_by_role("button", name="Download contract en voeg organisatie toe").click()
    expect(page.get_by_text("Geef toestemming voor het verwerken van de gegevens.")).to_be_visible()
    assert not Aanvraag.objects.exists()
    page.get_by_label("Ja, ik kies voor een 3-jarig abonnement").check()
    page.get_by_label("Ja, ik geef toestemming voor het verwerken").check()
    page.get_by_label("Ja, ik ga akkoord met de algemene voorwaarden.").check()
    page.screenshot(path="/tmp/i1/toevoegen-stap5.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download contract en voeg organisatie toe").click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag voor Test NV Katrien is ontvangen.")
    pad = tmp_path / "contract.pdf"
    download_info.value.save_as(pad)
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pad.read_bytes())).pages)
    for woord in (
        "Test NV Katrien",
        "68727720",
        "Katrien Duck",
        "Willie Wortel",
        "€\u00a058,95",
        "Handtekening",
        "per post",
    ):
        assert woord in tekst, woord
    assert "Gijs Gans" not in tekst

    page.get_by_role("link", name="Naar Organisaties").click()
    expect(page.locator("#bm-organisaties")).to_contain_text("Wachten op goedkeuring")
    expect(page.get_by_label("Organisatie").locator("option", has_text="Test NV Katrien")).to_have_count(0)

    # Support approves in the admin once the signed contract is in; the organisation is then in the switcher.
    apparaat = TOTPDevice.objects.create(
        user=maak_support_medewerker(username="support"), name="Authenticator", confirmed=True
    )
    admin = page.context.browser.new_context(base_url=page.url.split("/beheer")[0], locale="nl-NL").new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Gebruikersnaam").fill("support")
    admin.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)
    admin.get_by_label("Code uit uw authenticator-app").fill(otp_code(apparaat))
    admin.get_by_role("button", name="Aanmelden").click()
    admin.goto("/admin/gebruikers/aanvraag/")
    admin.locator("#result_list").get_by_role("link", name="Nieuwe organisatie").click()
    expect(admin.get_by_text("Test NV Katrien").first).to_be_visible()
    admin.get_by_role("button", name="Goedkeuren").click()
    expect(admin.get_by_role("button", name="Goedkeuren")).to_have_count(0)
    admin.context.close()

    page.goto("/beheer/instellingen/organisaties/")
    page.get_by_label("Organisatie").select_option(label="Test NV Katrien")
    page.wait_for_load_state()
    expect(page.get_by_label("Organisatie").locator("option:checked")).to_have_text("Test NV Katrien")
    assert Organisatie.objects.get(kvk_nummer="68727720").status == Organisatie.Status.ACTIEF
