"""The error pages: in the application's look and the person's language, never Django's or the browser's bare
text (a foreign id answers 404 with this page; a form page opened directly, 405; a stale form, 403)."""

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd

pytestmark = pytest.mark.django_db

STIJL = "css/beheermodule.css"


def test_404_in_the_applications_look_in_dutch_and_english(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    tekst = response.content.decode()
    assert "Pagina niet gevonden" in tekst and STIJL in tekst and "Naar de startpagina" in tekst
    response = client.get("/bestaat-niet/", headers={"Accept-Language": "en"})
    assert "Page not found" in response.content.decode()


def test_a_foreign_id_answers_the_404_page():
    beheerder = KoppelingFactory(beheerder=True).middel.persoon
    vreemd = KoppelingFactory().middel.persoon
    client = Client()
    inloggen_geverifieerd(client, beheerder)
    response = client.get(f"/beheer/gebruikers/{vreemd.pk}/")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.content.decode()


def test_a_form_page_opened_directly_answers_405_with_a_page_for_a_browser_and_plain_for_a_client(client):
    url = "/inloggen/vergeten/gebruikersnaam/"
    browser = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 405 and browser["Allow"] == "POST"
    assert "Deze pagina kunt u niet rechtstreeks openen" in browser.content.decode()
    api = client.get(url, headers={"Accept": "*/*"})
    assert api.status_code == 405 and api.content == b""


def test_a_stale_form_answers_the_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    tekst = response.content.decode()
    assert "Formulier verlopen" in tekst and STIJL in tekst and "CSRF verification failed" not in tekst


@pytest.mark.parametrize(
    ("handler", "status", "kop"),
    [
        (defaults.server_error, 500, "Er ging iets mis"),
        (lambda r: defaults.bad_request(r, Exception()), 400, "Ongeldig verzoek"),
        (lambda r: defaults.permission_denied(r, Exception()), 403, "Geen toegang"),
    ],
)
def test_the_other_error_pages_render_in_the_applications_look(handler, status, kop):
    response = handler(RequestFactory().get("/"))
    assert response.status_code == status
    tekst = response.content.decode()
    assert kop in tekst and STIJL in tekst
