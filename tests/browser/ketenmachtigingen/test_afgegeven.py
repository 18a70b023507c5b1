"""Ketenmachtigingen afgegeven in a browser (§5.2, R40–R42, R45, R46, R72): J. Bakker, EH3 beheerder of Santos
B.V., issues a ketenmachtiging to Accountants Vries through + Voeg toe; once Accountants Vries links it to its
employee's middel, the Machtigingenregister says yes for the covered dienst, and no again after Trek in and
after Verwijder bedrijf."""

import json
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from handelsregister.services import handelsregister_laden
from ketenmachtigingen import services as keten
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen import register
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.handelsregister.conftest import DATA_FILE
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wereld():
    handelsregister_laden(data=json.loads(DATA_FILE.read_text(encoding="utf-8")))
    Tarief.objects.update_or_create(
        code=Tarief.Code.KETENMACHTIGING, periode=Tarief.Periode.JAAR, defaults={"bedrag": Decimal("19.95")}
    )
    santos = OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")
    bakker = KoppelingFactory(organisatie=santos, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    vries = OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")
    de_vries = KoppelingFactory(organisatie=vries, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    jansen = KoppelingFactory(organisatie=vries, middel__niveau=Niveau.EH3).middel
    uwv = DienstverlenerFactory(naam="UWV")
    return {
        "santos": santos,
        "bakker": bakker,
        "de_vries": de_vries,
        "jansen": jansen,
        "loon": DienstFactory(dienstverlener=uwv, naam="Aangifte loonheffingen", niveau=Niveau.EH3),
        "ander": DienstFactory(dienstverlener=uwv, naam="Werkgeversportaal", niveau=Niveau.EH3),
    }


def mag(wereld, dienst) -> bool:
    return register.beslis(middel=wereld["jansen"], organisatie=wereld["santos"], dienst=dienst).toegestaan


def koppel(wereld):
    """Accountants Vries links the received ketenmachtiging to T. Jansen's middel (K2 builds that screen)."""
    k = Ketenmachtiging.objects.get(verlener=wereld["santos"], status="actief")
    keten.ketenmachtiging_koppel_middel(actor=wereld["de_vries"], ketenmachtiging=k, middel=wereld["jansen"])


def open_intermediair(page):
    rij = page.get_by_test_id("intermediair-" + str(Ketenmachtiging.objects.values_list("intermediair", flat=True)[0]))
    if rij.locator("details").first.get_attribute("open") is None:
        rij.locator("summary.bm-gebruiker__rij").click()
    return rij


def test_voeg_toe_register_yes_then_no_after_intrekken_and_verwijder_bedrijf(page, ingelogd_als, wereld):
    ingelogd_als(wereld["bakker"])
    page.goto("/beheer/")
    page.get_by_role("link", name="Ketenmachtigingen afgegeven").click()
    expect(page.get_by_text("Er zijn nog geen ketenmachtigingen aangemaakt")).to_be_visible()
    page.get_by_role("link", name="Voeg toe", exact=True).click()

    # 1. Kies een intermediair: a wrong number first, then the right one.
    expect(page.get_by_role("heading", name="Leg een nieuwe ketenmachtiging vast")).to_be_visible()
    page.get_by_label("KVK-nummer").fill("1234")
    page.get_by_role("button", name="Selecteer bedrijf").click()
    expect(page.get_by_text("Een KvK-nummer bestaat uit precies 8 cijfers.")).to_be_visible()
    page.get_by_label("KVK-nummer").fill("47474747")
    page.get_by_role("button", name="Selecteer bedrijf").click()
    expect(page.get_by_test_id("gekozen-bedrijf")).to_contain_text("Accountants Vries")

    # 2. Kies diensten, drawn like every other choice of diensten: above the own niveau greyed, with why (R39).
    expect(page.get_by_label("Algemene bevoegdheid EH4")).to_be_disabled()
    expect(page.locator("#id_algemeen_40_melding")).to_have_text(
        "U kunt alleen ketenmachtigingen afgeven tot en met uw eigen niveau."
    )
    expect(page.get_by_label("Algemene bevoegdheid EH3")).to_be_enabled()
    expect(page.get_by_label("Dienstverlenersmachtiging voor UWV")).to_be_enabled()
    # The live search narrows the list down, the dienst is ticked.
    page.get_by_label("Zoek een dienst").fill("loon")
    expect(page.get_by_label("Werkgeversportaal")).to_have_count(0)
    page.get_by_label("Aangifte loonheffingen").check()
    # 3. The duration defaults to 5 years; the e-mail and the cost acceptance.
    expect(page.get_by_label("Kies de duur van de machtigingen", exact=True)).to_have_value("5")
    page.get_by_label("Vul het e-mailadres (optioneel)").fill("info@accountantsvries.nl")
    expect(page.get_by_test_id("keten-kosten")).to_contain_text("€\u00a019,95 per jaar")
    page.get_by_label("Ja, ik ga akkoord met de kosten").check()
    page.get_by_role("button", name="Leg ketenmachtiging vast").click()

    # R42: what to tell the intermediair, and a PDF of it.
    expect(page.get_by_role("heading", name="Informeer uw intermediair")).to_be_visible()
    expect(page.get_by_test_id("keten-informatie")).to_contain_text("47474747")
    expect(page.get_by_test_id("keten-informatie")).to_contain_text("Aangifte loonheffingen")
    expect(page.get_by_role("link", name="Download als PDF")).to_be_visible()
    k = Ketenmachtiging.objects.get()
    assert k.eindigt_op == plus_jaren(vandaag(), 5)

    # Not yet linked to a middel at the intermediair: no (R72). Linked: yes, only for the covered dienst.
    assert not mag(wereld, wereld["loon"])
    koppel(wereld)
    assert mag(wereld, wereld["loon"]) and not mag(wereld, wereld["ander"])

    # Trek in (R45): every link ends at once.
    page.get_by_role("link", name="Naar Ketenmachtigingen afgegeven", exact=True).click()
    rij = open_intermediair(page)
    expect(rij).to_contain_text("1 machtiging")
    rij.get_by_role("link", name="Trek in").click()
    page.locator("dialog.bm-popup").get_by_role("button", name="Ja, trek ketenmachtiging in").click()
    expect(page.locator(".bm-messages")).to_contain_text("is ingetrokken")
    expect(page.get_by_text("Er zijn nog geen ketenmachtigingen aangemaakt")).to_be_visible()
    assert not mag(wereld, wereld["loon"])

    # Issued again and linked; then Verwijder bedrijf (R41) through the three dots.
    keten.ketenmachtiging_afgeven(
        actor=wereld["bakker"],
        verlener=wereld["santos"],
        intermediair_kvk="47474747",
        diensten=[wereld["loon"]],
        kosten_geaccepteerd=True,
    )
    koppel(wereld)
    assert mag(wereld, wereld["loon"])
    page.reload()
    rij = open_intermediair(page)
    rij.locator("summary.bm-meer__knop").click()
    rij.get_by_role("link", name="Verwijder bedrijf").click()
    dialoog = page.locator("dialog.bm-popup")
    expect(dialoog).to_contain_text("Let op! Dit kan niet ongedaan gemaakt worden.")
    dialoog.get_by_role("button", name="Ja, verwijder intermediair").click()
    expect(page.locator(".bm-messages")).to_contain_text("zijn verwijderd")
    assert not mag(wereld, wereld["loon"])
