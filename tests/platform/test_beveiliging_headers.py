"""Headers every page sends: a Content-Security-Policy without inline script or any other host, and no-store
on everything with personal data (issue: proof of safety)."""

import pytest

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    return {deel.split()[0]: deel.strip() for deel in response["Content-Security-Policy"].split(";") if deel.strip()}


@pytest.mark.parametrize(
    "url,status", [("/inloggen/", 302), ("/beheer/", 200), ("/beheer/gebruikers/", 200), ("/profiel/", 200)]
)
def test_every_page_has_a_strict_csp_and_no_store(beheerder_client, url, status):
    response = beheerder_client.get(url)
    assert response.status_code == status
    csp = _csp(response)
    assert csp["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "http" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_export_and_the_admin_are_not_stored(beheerder_client, client, django_user_model):
    export = beheerder_client.get("/beheer/gebruikers/download/?formaat=csv")
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/js/beheermodule.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    ["/beheer/gebruikers/?q=a%00b", "/beheer/gebruikers/download/?formaat=csv&q=a%00b", "/inloggen/?next=%00"],
)
def test_a_nul_character_is_refused_with_a_clear_message(beheerder_client, url):
    response = beheerder_client.get(url)
    assert response.status_code == 400
    assert "ongeldig teken" in response.content.decode()


def test_a_nul_character_in_a_form_is_refused_and_changes_nothing(beheerder_client, beheerder):
    response = beheerder_client.post("/profiel/e-mailadres/", {"email": "a\x00@example.nl"})
    assert response.status_code == 400
    beheerder.refresh_from_db()
    assert "\x00" not in beheerder.email
