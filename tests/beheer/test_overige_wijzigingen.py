"""Overige wijzigingen (chapter 6, R54): the manual's text and every wijzigingsformulier of §6.2 as a PDF, filled in
with the organisation, the beheerder and, for forms about a person, the chosen person of the organisation."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from audit.acties import Actie
from audit.models import AuditEntry
from beheer.menu import menu_items
from beheer.wijzigingsformulieren import FORMULIEREN, Betreft, personen_van
from gebruikers.models import Middel
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

PAGINA = reverse("beheer:overige_wijzigingen")
FORMULIEREN_URL = reverse("beheer:wijzigingsformulieren")


@pytest.fixture
def pieter(organisatie):
    return KoppelingFactory(
        organisatie=organisatie, middel__persoon__voornamen="Pieter", middel__persoon__achternaam="de Jong"
    ).middel.persoon


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_r54_the_menu_item_appears_and_the_page_has_the_manuals_text(beheerder_client):
    assert any(item["url"] == PAGINA for item in menu_items("/beheer/"))
    response = beheerder_client.get(PAGINA)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Doorvoeren van wijzigingen" in html
    assert "Wijzigen identificatieadres EH3" in html and "AMP Groep" in html
    assert FORMULIEREN_URL in html


def test_r54_the_forms_page_lists_every_form_of_6_2_with_a_select_of_the_organisations_people(
    beheerder_client, organisatie, pieter
):
    vreemd = KoppelingFactory(organisatie=OrganisatieFactory(), middel__persoon__achternaam="Vreemdeling")
    KoppelingFactory(organisatie=organisatie, middel__status=Middel.Status.BEEINDIGD, middel__persoon__achternaam="Weg")
    response = beheerder_client.get(FORMULIEREN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for titel in (
        "Aanvragen activeringsbrief",
        "Aanvragen OTP device",
        "Overige wijzigingen beheerder / gebruiker",
        "Registreren BSN nummer van eigenaar bij eenmanszaak",
        "Wijziging bedrijfsgegevens",
        "Wijziging KvK nummer",
        "Omzetten vestigingsnummer naar alleen 8 cijferig KvK nummer",
        "Wijzigen Beheermodule EV-MV",
        "Wijziging eigen mobiele nummer",
    ):
        assert titel in html, titel
    assert f'value="{pieter.pk}"' in html and "P. de Jong" in html
    assert "Vreemdeling" not in html and f'value="{vreemd.middel.persoon_id}"' not in html
    assert "Weg" not in html


@pytest.mark.parametrize("formulier", FORMULIEREN, ids=[f.slug for f in FORMULIEREN])
def test_r54_each_form_downloads_as_a_pdf_filled_in_with_what_is_known(
    beheerder_client, organisatie, beheerder, pieter, formulier
):
    params = {"formulier": formulier.slug}
    if formulier.kies_persoon:
        params["persoon"] = pieter.pk
    response = beheerder_client.get(FORMULIEREN_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"wijzigingsformulier-{formulier.slug}-12345678.pdf" in response["Content-Disposition"]
    inhoud = tekst(response.content)
    assert str(formulier.titel) in inhoud
    assert "Santos B.V." in inhoud and "12345678" in inhoud
    assert "Joost Bakker" in inhoud  # the beheerder, in the data and the signature block
    assert "Handtekening" in inhoud
    if formulier.betreft == Betreft.PERSOON:
        assert "Pieter de Jong" in inhoud
    elif formulier.betreft == Betreft.ORGANISATIE:
        assert "Pieter" not in inhoud
    entry = AuditEntry.objects.get(actie=Actie.WIJZIGINGSFORMULIER_GEDOWNLOAD)
    assert entry.organisatie == organisatie and entry.na == {"formulier": formulier.slug}


def test_r4_a_foreign_or_unknown_person_is_404_and_an_unknown_form_too(beheerder_client, organisatie):
    vreemd = KoppelingFactory(organisatie=OrganisatieFactory()).middel.persoon
    for persoon in (vreemd.pk, 999_999, "x"):
        assert (
            beheerder_client.get(FORMULIEREN_URL, {"formulier": "activeringsbrief", "persoon": persoon}).status_code
            == 404
        )
    assert beheerder_client.get(FORMULIEREN_URL, {"formulier": "bestaat-niet"}).status_code == 404
    assert not AuditEntry.objects.filter(actie=Actie.WIJZIGINGSFORMULIER_GEDOWNLOAD).exists()


def test_a_form_about_a_person_without_a_choice_says_so_in_place(beheerder_client, pieter):
    response = beheerder_client.get(FORMULIEREN_URL, {"formulier": "otp-device"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Kies de persoon voor wie dit formulier is." in html
    assert html.count("Kies de persoon voor wie dit formulier is.") == 1  # only at that form


def test_the_pages_are_get_only(beheerder_client):
    assert beheerder_client.post(PAGINA).status_code == 405
    assert beheerder_client.post(FORMULIEREN_URL).status_code == 405


def test_the_people_select_is_one_query(organisatie, django_assert_num_queries):
    for _ in range(3):
        KoppelingFactory(organisatie=organisatie)
    with django_assert_num_queries(1):
        assert len(list(personen_van(organisatie))) == 3


def test_r54_a_form_renders_to_a_real_a4_page(beheerder_client, pieter, tmp_path):
    """Rendered once to PNG to see it is a real page (poppler's pdftoppm), not only text in a PDF container."""
    response = beheerder_client.get(FORMULIEREN_URL, {"formulier": "bsn-eenmanszaak", "persoon": pieter.pk})
    pdf = tmp_path / "formulier.pdf"
    pdf.write_bytes(response.content)
    pagina = PdfReader(pdf).pages[0]
    assert (round(float(pagina.mediabox.width)), round(float(pagina.mediabox.height))) == (595, 842)  # A4 in points
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PNG rendering is not checked here")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as beeld:
        assert beeld.size[1] > beeld.size[0]  # portrait
        kleuren = beeld.convert("L").getextrema()
        assert kleuren[0] < 100 and kleuren[1] > 200  # ink on paper, not a blank page
