"""'+ Voeg toe' in a browser (§3.2, §3.2.1): J. Bakker, EH3 beheerder of Santos B.V. and of Ketelaar Klip, adds
a gebruiker in the manual's four steps and watches the cost overview follow his choices (R17)."""

import datetime as dt
import struct
import zlib
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from gebruikers.models import Aanvraag, Koppeling, Middel
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers.helpers import TARIEVEN
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png(breedte: int = 8, hoogte: int = 8) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(soort: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + soort + data + struct.pack(">I", zlib.crc32(soort + data))

    rijen = b"".join(b"\x00" + b"\x80" * breedte for _ in range(hoogte))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", breedte, hoogte, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rijen))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def bakker():
    for (code, periode), bedrag in TARIEVEN.items():
        Tarief.objects.update_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})
    santos = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    ketelaar = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    koppeling = KoppelingFactory(
        organisatie=santos,
        beheerder=True,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )
    KoppelingFactory(organisatie=ketelaar, middel=koppeling.middel, beheerder=True)
    return koppeling.middel.persoon


def test_voeg_gebruiker_toe_in_vier_stappen(page, ingelogd_als, bakker):
    ingelogd_als(bakker)
    page.goto("/beheer/gebruikers/")
    with page.expect_navigation():
        page.get_by_label("Organisatie").select_option(label="Santos B.V.")
    page.goto("/beheer/gebruikers/")
    page.get_by_role("link", name="Voeg toe").click()
    expect(page.get_by_role("heading", name="Gebruiker toevoegen")).to_be_visible()
    kosten = page.locator("#bm-kosten")
    knop = page.get_by_role("button", name="Voeg gebruiker toe")

    # 1. Kies het betrouwbaarheidsniveau: EH 2+ and EH 3, not above his own EH3 (R10)
    expect(page.get_by_label("EH 4")).to_have_count(0)
    page.get_by_label("eHerkenning niveau 3").check()
    expect(kosten).to_contain_text("1x eHerkenning niveau 3 €\u00a041,00 per 1 jaar")
    expect(page.get_by_role("group", name="Identificatie adres")).to_be_visible()

    # 2. Kies de rol
    page.get_by_label("Reguliere gebruiker").check()

    # 3. Geef de gegevens van de gebruiker op
    page.get_by_label("Voornaam (zoals op ID bewijs)").fill("Katarina")
    page.get_by_label("Achternaam").fill("Bulters")
    geboren = page.get_by_role("group", name="Geboortedatum")
    geboren.get_by_label("Dag").fill("1")
    geboren.get_by_label("Maand").fill("3")
    geboren.get_by_label("Jaar").fill("1990")
    page.get_by_label("E-mailadres").fill("katarina.bulters@example.com")
    page.get_by_label("Type identiteitsdocument").select_option(label="Paspoort")
    page.get_by_label("Documentnummer").fill("NXC4R8KL2")
    page.get_by_label("Geslacht").select_option(label="Vrouw")
    geldig = plus_maanden(vandaag(), 30)
    geldigheid = page.get_by_role("group", name="Geldigheidsdatum")
    geldigheid.get_by_label("Dag").fill(str(geldig.day))
    geldigheid.get_by_label("Maand").fill(str(geldig.month))
    geldigheid.get_by_label("Jaar").fill(str(geldig.year))
    # A paspoort has one side: the choice of one or two files is not shown.
    expect(page.get_by_label("Voor- en achterkant afzonderlijk, dus 2 bestanden")).to_be_hidden()
    page.get_by_label("Document uploaden").set_input_files(
        files=[{"name": "paspoort.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_label("Postcode").fill("1012 AB")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Straatnaam").fill("Stationsplein")
    page.get_by_label("Plaatsnaam").fill("Amsterdam")

    # 4. Gebruik eHerkenning
    expect(page.get_by_label("Mobiel telefoonnummer")).to_be_hidden()
    page.get_by_label("Tweede factor type").select_option(label="Per sms aan de gebruiker van eHerkenning")
    page.get_by_label("Mobiel telefoonnummer").fill("06 12345678")
    expect(page.get_by_label("Santos B.V.")).to_be_checked()
    expect(kosten).not_to_contain_text("extra KVK koppeling")
    page.get_by_label("Ketelaar Klip").check()
    expect(kosten).to_contain_text("1x extra KVK koppeling €\u00a021,00 per 1 jaar")
    page.get_by_label("Ja, ik kies voor een 3-jarig abonnement").check()
    expect(kosten).to_contain_text("1x eHerkenning niveau 3 €\u00a041,00 €\u00a089,85 per 3 jaar")
    expect(kosten).to_contain_text("1x extra KVK koppeling €\u00a021,00 €\u00a058,95 per 3 jaar")
    expect(kosten).not_to_contain_text("per 1 jaar")

    expect(knop).to_be_disabled()
    page.get_by_label("Ja, ik ga akkoord met de kosten voor deze gebruiker").check()
    expect(knop).to_be_enabled()
    page.screenshot(path="/tmp/toevoegen-stappen.png", full_page=True)
    knop.click()

    expect(page.get_by_text("De gebruiker is succesvol toegevoegd.")).to_be_visible()
    assert page.url.endswith("/beheer/gebruikers/")
    rij = page.locator("li.bm-gebruiker", has_text="K. Bulters")
    expect(rij).to_contain_text("Wachten op goedkeuring")
    page.screenshot(path="/tmp/toevoegen-overzicht.png", full_page=True)

    middel = Middel.objects.get(persoon__achternaam="Bulters")
    assert middel.persoon.geboortedatum == dt.date(1990, 3, 1)
    assert {k.organisatie.naam for k in Koppeling.objects.filter(middel=middel)} == {"Santos B.V.", "Ketelaar Klip"}
    assert Aanvraag.objects.get(middel=middel).gegevens["abonnement_jaren"] == 3


def test_fouten_staan_bij_het_veld_en_niets_getypts_gaat_verloren(page, ingelogd_als, bakker):
    """An identiteitskaart in two files without its back side: refused in place (R14), the typed data stays,
    the page says which file to choose again; the Belastingdienst type hides the Beheerder role (R8)."""
    ingelogd_als(bakker)
    page.goto("/beheer/gebruikers/toevoegen/")

    page.get_by_label("eHerkenning niveau 3").check()
    page.get_by_label("Beheerder", exact=True).check()
    page.get_by_label("Belastingdienst (EH3)").check()
    expect(page.get_by_label("Beheerder", exact=True)).to_be_hidden()
    expect(page.get_by_label("Reguliere gebruiker")).to_be_checked()
    expect(page.locator("#bm-kosten")).to_contain_text("1x EH3 Belastingdienstmiddel €\u00a025,00 per 1 jaar")
    page.get_by_label("Regulier", exact=True).check()
    expect(page.get_by_label("Beheerder", exact=True)).to_be_visible()

    page.get_by_label("Voornaam (zoals op ID bewijs)").fill("Katarina")
    page.get_by_label("Achternaam").fill("Bulters")
    page.get_by_label("Type identiteitsdocument").select_option(label="Identiteitskaart")
    expect(page.get_by_label("Voorkant uploaden")).to_be_hidden()
    page.get_by_label("Voor- en achterkant afzonderlijk, dus 2 bestanden").check()
    expect(page.get_by_label("Document uploaden")).to_be_hidden()
    page.get_by_label("Voorkant uploaden").set_input_files(
        files=[{"name": "voorkant.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_label("Ja, ik ga akkoord met de kosten voor deze gebruiker").check()
    page.get_by_role("button", name="Voeg gebruiker toe").click()

    expect(page.get_by_role("alert")).to_contain_text("De gebruiker is nog niet toegevoegd")
    expect(page.locator("#id_achterkant_error")).to_contain_text("zowel de voorzijde als de achterzijde")
    expect(page.get_by_text("Kies het bestand opnieuw")).to_contain_text("voorkant.png")
    expect(page.get_by_label("Voornaam (zoals op ID bewijs)")).to_have_value("Katarina")
    expect(page.get_by_label("eHerkenning niveau 3")).to_be_checked()
    expect(page.get_by_label("Voor- en achterkant afzonderlijk, dus 2 bestanden")).to_be_checked()
    expect(page.get_by_label("Achterkant uploaden")).to_be_visible()
    expect(page.get_by_label("Achterkant uploaden")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path="/tmp/toevoegen-fouten.png", full_page=True)
    assert not Middel.objects.filter(persoon__achternaam="Bulters").exists()


def test_snel_wisselen_van_keuzes_geeft_geen_fouten_in_de_console(page, ingelogd_als, bakker):
    """Defect: changing choices quickly aborted the running cost request (hx-sync "replace"), which htmx logs as
    htmx:sendAbort / htmx:afterRequest errors. A newer choice now waits; the last choice is the one shown."""
    fouten = []
    page.on("console", lambda bericht: fouten.append(bericht.text) if bericht.type == "error" else None)
    page.on("pageerror", lambda fout: fouten.append(str(fout)))
    ingelogd_als(bakker)
    page.goto("/beheer/gebruikers/toevoegen/")
    kosten = page.locator("#bm-kosten")
    expect(kosten).to_contain_text("Kies eerst het betrouwbaarheidsniveau")

    # Several changes in one go, so each cost request starts while the previous one is still running.
    page.evaluate(
        """() => {
          for (const id of ["id_niveau_25", "id_niveau_30", "id_niveau_25", "id_type_belastingdienst",
                            "id_type_regulier", "id_niveau_30"]) {
            const keuze = document.getElementById(id);
            keuze.checked = true;
            keuze.dispatchEvent(new Event("change", { bubbles: true }));
          }
          const drie = document.getElementById("id_drie_jaar");
          drie.checked = true;
          drie.dispatchEvent(new Event("change", { bubbles: true }));
        }"""
    )
    expect(kosten).to_contain_text("1x eHerkenning niveau 3 €\u00a041,00 €\u00a089,85 per 3 jaar")
    page.wait_for_load_state("networkidle")
    assert fouten == []
