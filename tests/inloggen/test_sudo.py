"""Sudo mode (issue #14, inloggen/sudo.py): sensitive actions re-ask the password once the last check is older than
SUDO_MINUTEN; a stale POST is refused and performs nothing; the right password continues with the action."""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.admin import ApiClientAdmin
from api.models import ApiClient
from config.urls import urlpatterns as project_urlpatterns
from gebruikers.models import Koppeling
from inloggen import sudo
from inloggen.models import LoginPoging, SmsDevice
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen.models import Scope, Status
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory, PersoonFactory
from tests.inloggen.helpers import otp_code
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
HX_INHOUD = {**HX, "HTTP_HX_TARGET": "bm-popup-inhoud"}
BEVESTIGEN = reverse("beheer:bevestigen")


@pytest.fixture
def bulters(organisatie):
    return KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Bulters")


def rol_url(koppeling) -> str:
    return reverse("gebruikers:rol_wijzigen", args=[koppeling.middel.persoon_id])


def verouderd(client, seconden: float | None = None):
    """Move the session's last check back beyond the sudo window."""
    session = client.session
    session[sudo.SESSIE_SLEUTEL] = time.time() - (seconden or settings.SUDO_MINUTEN * 60 + 1)
    session.save()
    return client


def rol(koppeling) -> str:
    koppeling.refresh_from_db()
    return koppeling.rol


def html(response) -> str:
    return response.content.decode()


# --- The moment of the check ---------------------------------------------------------------------------------


def test_fresh_session_proceeds_without_asking(beheerder_client, bulters):
    response = beheerder_client.get(rol_url(bulters))
    assert response.status_code == 200 and "Bevestig met uw wachtwoord" not in html(response)
    response = beheerder_client.post(rol_url(bulters), {"rol": "beheerder"})
    assert response.status_code == 302
    assert rol(bulters) == Koppeling.Rol.BEHEERDER


def test_log_in_completion_records_a_fresh_check(client, eh2_gebruiker):
    response = client.post(
        reverse("beheer:inloggen"), {"username": eh2_gebruiker.username, "password": DEMO_WACHTWOORD}
    )
    assert response.status_code == 302
    assert time.time() - client.session[sudo.SESSIE_SLEUTEL] < 5


def test_the_window_is_the_setting(beheerder_client, bulters, settings):
    settings.SUDO_MINUTEN = 1
    verouderd(beheerder_client, 30)
    assert beheerder_client.get(rol_url(bulters)).status_code == 200
    verouderd(beheerder_client, 61)
    assert beheerder_client.get(rol_url(bulters)).status_code == 302


def test_a_session_without_any_check_is_stale(beheerder_client, bulters):
    session = beheerder_client.session
    del session[sudo.SESSIE_SLEUTEL]
    session.save()
    assert beheerder_client.post(rol_url(bulters), {"rol": "beheerder"}).status_code == 403
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER


# --- Without JavaScript ---------------------------------------------------------------------------------------


def test_stale_get_redirects_to_the_confirmation_page_and_back(beheerder_client, beheerder, bulters):
    verouderd(beheerder_client)
    response = beheerder_client.get(rol_url(bulters))
    assert response.status_code == 302
    assert response.url == f"{BEVESTIGEN}?next={rol_url(bulters).replace('/', '%2F')}"
    pagina = beheerder_client.get(response.url)
    assert pagina.status_code == 200
    assert "Bevestig met uw wachtwoord" in html(pagina) and 'name="sudo_wachtwoord"' in html(pagina)
    assert f'name="next" value="{rol_url(bulters)}"' in html(pagina)

    fout = beheerder_client.post(BEVESTIGEN, {"next": rol_url(bulters), "sudo_wachtwoord": "fout-wachtwoord"})
    assert fout.status_code == 200
    assert "Het wachtwoord is onjuist. Er is niets gewijzigd." in html(fout)
    assert beheerder_client.get(rol_url(bulters)).status_code == 302  # still stale
    assert LoginPoging.objects.filter(persoon=beheerder, uitkomst=LoginPoging.Uitkomst.ONJUIST_WACHTWOORD).count() == 1
    assert AccessAttempt.objects.get(username=beheerder.username).failures_since_start == 1

    goed = beheerder_client.post(BEVESTIGEN, {"next": rol_url(bulters), "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302 and goed.url == rol_url(bulters)
    assert beheerder_client.get(rol_url(bulters)).status_code == 200
    assert beheerder_client.post(rol_url(bulters), {"rol": "beheerder"}).status_code == 302
    assert rol(bulters) == Koppeling.Rol.BEHEERDER


@pytest.mark.parametrize("onveilig", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(beheerder_client, onveilig):
    verouderd(beheerder_client)
    pagina = beheerder_client.get(BEVESTIGEN, {"next": onveilig})
    assert "evil.example" not in html(pagina) and "javascript:" not in html(pagina)
    response = beheerder_client.post(BEVESTIGEN, {"next": onveilig, "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert response.status_code == 302 and response.url == settings.LOGIN_REDIRECT_URL


def test_stale_post_is_refused_keeps_the_data_and_the_password_performs_it(beheerder_client, beheerder, bulters):
    verouderd(beheerder_client)
    response = beheerder_client.post(rol_url(bulters), {"rol": "beheerder"})
    assert response.status_code == 403
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER
    inhoud = html(response)
    assert "Uw wijziging is nog niet uitgevoerd." in inhoud
    assert f'action="{rol_url(bulters)}"' in inhoud
    assert '<input type="hidden" name="rol" value="beheerder">' in inhoud
    assert '<input type="hidden" name="_sudo" value="POST">' in inhoud

    data = {"rol": "beheerder", "_sudo": "POST"}
    fout = beheerder_client.post(rol_url(bulters), {**data, "sudo_wachtwoord": "fout-wachtwoord"})
    assert fout.status_code == 403 and "Het wachtwoord is onjuist" in html(fout)
    assert '<input type="hidden" name="rol" value="beheerder">' in html(fout)  # still kept
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER

    goed = beheerder_client.post(rol_url(bulters), {**data, "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302
    assert rol(bulters) == Koppeling.Rol.BEHEERDER


def test_empty_password_is_asked_again(beheerder_client, bulters):
    verouderd(beheerder_client)
    response = beheerder_client.post(rol_url(bulters), {"rol": "beheerder", "_sudo": "POST", "sudo_wachtwoord": ""})
    assert response.status_code == 403 and 'name="sudo_wachtwoord"' in html(response)
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER
    assert not AccessAttempt.objects.exists()


def test_wrong_passwords_lock_out_as_on_the_log_in_page(beheerder_client, beheerder, bulters):
    verouderd(beheerder_client)
    data = {"rol": "beheerder", "_sudo": "POST"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert beheerder_client.post(rol_url(bulters), {**data, "sudo_wachtwoord": "fout"}).status_code == 403
    laatste = beheerder_client.post(rol_url(bulters), {**data, "sudo_wachtwoord": "fout"})
    assert laatste.status_code == 429 and "Tijdelijk geblokkeerd" in html(laatste)
    # Locked out: even the right password does not perform the action, and no page offers to try again.
    assert beheerder_client.post(rol_url(bulters), {**data, "sudo_wachtwoord": DEMO_WACHTWOORD}).status_code == 429
    assert beheerder_client.get(rol_url(bulters)).status_code == 429
    assert beheerder_client.get(BEVESTIGEN).status_code == 429
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER
    assert LoginPoging.objects.filter(persoon=beheerder, uitkomst=LoginPoging.Uitkomst.GEBLOKKEERD).exists()


def test_a_bare_confirmation_never_reaches_the_view_as_its_post(beheerder_client, organisatie):
    """Fresh session and a confirmation for a GET: nothing is removed, the screen is simply shown again."""
    intermediair = OrganisatieFactory()
    Ketenmachtiging.objects.create(
        verlener=organisatie, intermediair=intermediair, scope=Scope.ALGEMEEN, niveau=30, begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )  # fmt: skip
    url = reverse("ketenmachtigingen:afgegeven_verwijderen", args=[intermediair.pk])
    response = beheerder_client.post(url, {"_sudo": "GET", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert response.status_code == 302 and response.url == url
    assert Ketenmachtiging.objects.get().status == Status.ACTIEF


def test_signed_out_still_goes_to_log_in_first(client, bulters):
    response = client.post(rol_url(bulters), {"rol": "beheerder", "_sudo": "POST", "sudo_wachtwoord": "x"})
    assert response.status_code == 302 and "inloggen" in response.url
    assert not AccessAttempt.objects.exists()


def test_confirmation_page_needs_a_signed_in_person(client):
    response = client.get(BEVESTIGEN)
    assert response.status_code == 302 and "inloggen" in response.url


# --- The HTMX pop-up ------------------------------------------------------------------------------------------


def test_htmx_stale_get_asks_inside_the_popup_then_shows_the_original_form(beheerder_client, bulters):
    verouderd(beheerder_client)
    response = beheerder_client.get(rol_url(bulters), **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "body" and response["HX-Reswap"] == "beforeend"
    inhoud = html(response)
    assert "<dialog" in inhoud and "Bevestig met uw wachtwoord" in inhoud
    assert f'hx-post="{rol_url(bulters)}"' in inhoud and 'name="_sudo" value="GET"' in inhoud

    fout = beheerder_client.post(rol_url(bulters), {"_sudo": "GET", "sudo_wachtwoord": "fout"}, **HX_INHOUD)
    assert fout.status_code == 200 and "<dialog" not in html(fout) and "Het wachtwoord is onjuist" in html(fout)

    goed = beheerder_client.post(rol_url(bulters), {"_sudo": "GET", "sudo_wachtwoord": DEMO_WACHTWOORD}, **HX_INHOUD)
    assert goed.status_code == 200
    assert f'hx-get="{rol_url(bulters)}" hx-trigger="load" hx-target="closest dialog"' in html(goed)
    # That reload asks for the whole dialog again (its target is the dialog): now the role form.
    dialog = beheerder_client.get(rol_url(bulters), **HX, HTTP_HX_TARGET="bm-popup")
    assert "<dialog" in html(dialog) and 'name="rol"' in html(dialog)
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER


def test_htmx_stale_post_is_refused_in_the_popup_and_the_password_performs_it(beheerder_client, bulters):
    verouderd(beheerder_client)
    response = beheerder_client.post(rol_url(bulters), {"rol": "beheerder"}, **HX_INHOUD)
    assert response.status_code == 200  # htmx swaps only 2xx: the refusal is shown in the pop-up
    assert "<dialog" not in html(response) and "Uw wijziging is nog niet uitgevoerd." in html(response)
    assert '<input type="hidden" name="rol" value="beheerder">' in html(response)
    assert rol(bulters) == Koppeling.Rol.GEBRUIKER

    data = {"rol": "beheerder", "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD}
    goed = beheerder_client.post(rol_url(bulters), data, **HX_INHOUD)
    assert goed.status_code == 200 and goed["HX-Reswap"] == "none"
    assert "bm-popup-sluiten" in goed["HX-Trigger"]
    assert rol(bulters) == Koppeling.Rol.BEHEERDER


def test_htmx_lockout_navigates_to_the_lockout_page(beheerder_client, bulters):
    verouderd(beheerder_client)
    data = {"_sudo": "GET", "sudo_wachtwoord": "fout"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert beheerder_client.post(rol_url(bulters), data, **HX_INHOUD).status_code == 200
    laatste = beheerder_client.post(rol_url(bulters), data, **HX_INHOUD)
    assert laatste.status_code == 200 and laatste["HX-Redirect"].startswith(BEVESTIGEN)
    assert beheerder_client.get(laatste["HX-Redirect"]).status_code == 429


# --- The other screens ----------------------------------------------------------------------------------------


def test_opzeggen_stale_post_changes_nothing(beheerder_client, bulters):
    verouderd(beheerder_client)
    url = reverse("gebruikers:opzeggen", args=[bulters.middel.persoon_id])
    assert beheerder_client.get(url).status_code == 302
    response = beheerder_client.post(url, {"moment": "per_direct"})
    assert response.status_code == 403 and '<input type="hidden" name="moment" value="per_direct">' in html(response)
    bulters.refresh_from_db()
    assert bulters.opzeggen_per is None and bulters.status == Koppeling.objects.get(pk=bulters.pk).status
    assert Koppeling.objects.lopend().filter(pk=bulters.pk).exists()
    goed = beheerder_client.post(url, {"moment": "per_direct", "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302
    assert not Koppeling.objects.lopend().filter(pk=bulters.pk).exists()


def test_verwijder_bedrijf_stale_post_changes_nothing(beheerder_client, organisatie):
    intermediair = OrganisatieFactory()
    Ketenmachtiging.objects.create(
        verlener=organisatie, intermediair=intermediair, scope=Scope.ALGEMEEN, niveau=30, begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )  # fmt: skip
    url = reverse("ketenmachtigingen:afgegeven_verwijderen", args=[intermediair.pk])
    verouderd(beheerder_client)
    assert beheerder_client.post(url).status_code == 403
    assert beheerder_client.post(url, **HX_INHOUD).status_code == 200
    assert Ketenmachtiging.objects.get().status == Status.ACTIEF
    goed = beheerder_client.post(url, {"_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302
    assert Ketenmachtiging.objects.get().status == Status.INGETROKKEN


def test_foreign_id_still_404_once_confirmed(beheerder_client):
    vreemd = KoppelingFactory(organisatie__naam="Zeeland B.V.")
    assert beheerder_client.get(rol_url(vreemd)).status_code == 404
    verouderd(beheerder_client)
    data = {"rol": "beheerder", "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD}
    assert beheerder_client.post(rol_url(vreemd), data).status_code == 404


# --- The Django admin variant (a tiny test-only admin view and a ModelAdmin-style method) ----------------------

GEDAAN = []


@sudo.vereist_recente_bevestiging_admin
def _admin_actie(request):
    if request.method == "POST":
        GEDAAN.append(request.POST.get("naam"))
        return HttpResponse("gedaan")
    return HttpResponse("formulier")


class _MethodeAdmin:
    @sudo.vereist_recente_bevestiging_admin
    def add_view(self, request, form_url="", extra_context=None):
        return _admin_actie.__wrapped__(request)


class _SudoApiClientAdmin(ApiClientAdmin):
    """The recipe for api/admin.py, on the real ModelAdmin: issuing a token (add and the action) asks again."""

    @sudo.vereist_recente_bevestiging_admin
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @admin.action(description="Nieuw token", permissions=["change"])
    @sudo.vereist_recente_bevestiging_admin
    def nieuw_token(self, request, queryset):
        return super().nieuw_token(request, queryset)


_sudo_site = admin.AdminSite(name="sudo_test")
_sudo_site.register(ApiClient, _SudoApiClientAdmin)

urlpatterns = [
    path("test-sudo/functie/", admin.site.admin_view(_admin_actie), name="test_sudo_functie"),
    path("test-sudo/methode/", admin.site.admin_view(_MethodeAdmin().add_view), name="test_sudo_methode"),
    path("test-sudo-admin/", _sudo_site.urls),
    *project_urlpatterns,
]


@pytest.fixture
def agent_client(client):
    GEDAAN.clear()
    agent = PersoonFactory(is_staff=True)
    client.force_login(agent)
    # The admin is behind the second factor (OTPAdminSite): verified here with an SMS device, which cannot be
    # asked again without sending a code, so the variant asks the password (a TOTP session: its code, below).
    apparaat = SmsDevice.objects.create(user=agent, name="SMS", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    session.save()
    client.agent = agent
    return client


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("naam", ["test_sudo_functie", "test_sudo_methode"])
def test_admin_variant_asks_the_password_and_performs_the_kept_post(agent_client, naam):
    url = reverse(naam)
    verouderd(agent_client)
    vraag = agent_client.get(url)
    assert vraag.status_code == 200 and 'name="sudo_wachtwoord"' in html(vraag) and 'value="GET"' in html(vraag)
    geweigerd = agent_client.post(url, {"naam": "token-1"})
    assert geweigerd.status_code == 403 and GEDAAN == []
    assert '<input type="hidden" name="naam" value="token-1">' in html(geweigerd)
    fout = agent_client.post(url, {"naam": "token-1", "_sudo": "POST", "sudo_wachtwoord": "fout"})
    assert fout.status_code == 403 and GEDAAN == []
    assert AccessAttempt.objects.get(username=agent_client.agent.username).failures_since_start == 1
    goed = agent_client.post(url, {"naam": "token-1", "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 200 and html(goed) == "gedaan" and GEDAAN == ["token-1"]
    # Now recent: the next action goes straight through.
    assert html(agent_client.post(url, {"naam": "token-2"})) == "gedaan"


@pytest.mark.urls(__name__)
def test_admin_variant_asks_the_totp_code_of_a_verified_agent(agent_client):
    apparaat = TOTPDevice.objects.create(user=agent_client.agent, name="Support", confirmed=True)
    session = agent_client.session
    session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    session.save()
    url = reverse("test_sudo_functie")
    verouderd(agent_client)
    vraag = agent_client.post(url, {"naam": "token-1"})
    assert (
        vraag.status_code == 403 and 'name="sudo_code"' in html(vraag) and 'name="sudo_wachtwoord"' not in html(vraag)
    )
    fout = agent_client.post(url, {"naam": "token-1", "_sudo": "POST", "sudo_code": "000000"})
    assert fout.status_code == 403 and "De code is onjuist of verlopen." in html(fout) and GEDAAN == []
    apparaat.refresh_from_db()
    apparaat.throttle_reset()  # django-otp's own throttling would refuse the next code for a moment
    goed = agent_client.post(url, {"naam": "token-1", "_sudo": "POST", "sudo_code": otp_code(apparaat)})
    assert html(goed) == "gedaan" and GEDAAN == ["token-1"]


@pytest.mark.urls(__name__)
def test_admin_variant_confirmed_get_returns_to_the_page(agent_client):
    url = reverse("test_sudo_functie")
    verouderd(agent_client)
    response = agent_client.post(url, {"_sudo": "GET", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert response.status_code == 302 and response.url == url and GEDAAN == []
    assert html(agent_client.get(url)) == "formulier"


@pytest.mark.urls(__name__)
def test_admin_recipe_on_api_tokens_add_view_and_action(client):
    GEDAAN.clear()
    agent = PersoonFactory(is_staff=True, is_superuser=True)
    client.force_login(agent)
    verouderd(client)
    toevoegen = reverse("sudo_test:api_apiclient_add")
    assert 'name="sudo_wachtwoord"' in html(client.get(toevoegen))
    data = {"naam": "Broker B.V.", "organisatie": "", "_save": "Opslaan"}
    geweigerd = client.post(toevoegen, data)
    assert geweigerd.status_code == 403 and not ApiClient.objects.exists()
    assert '<input type="hidden" name="naam" value="Broker B.V.">' in html(geweigerd)
    goed = client.post(toevoegen, {**data, "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302
    broker = ApiClient.objects.get(naam="Broker B.V.")

    verouderd(client)
    lijst = reverse("sudo_test:api_apiclient_changelist")
    actie = {"action": "nieuw_token", "_selected_action": [broker.pk], "index": "0"}
    geweigerd = client.post(lijst, actie)
    assert geweigerd.status_code == 403 and f'name="_selected_action" value="{broker.pk}"' in html(geweigerd)
    assert ApiClient.objects.get().token_begin == broker.token_begin
    goed = client.post(lijst, {**actie, "_sudo": "POST", "sudo_wachtwoord": DEMO_WACHTWOORD})
    assert goed.status_code == 302
    assert ApiClient.objects.get().token_begin != broker.token_begin


def test_bij_ingelogd_records_the_check_for_the_admin_log_in(client):
    """Connected in InloggenConfig.ready: the admin's log-in (password and code) is a fresh check."""
    agent = PersoonFactory(is_staff=True)
    apparaat = TOTPDevice.objects.create(user=agent, name="Authenticator", confirmed=True)
    response = client.post(
        reverse("admin:login"),
        {"username": agent.username, "password": DEMO_WACHTWOORD, "otp_token": otp_code(apparaat)},
    )
    assert response.status_code == 302
    assert time.time() - client.session[sudo.SESSIE_SLEUTEL] < 5
