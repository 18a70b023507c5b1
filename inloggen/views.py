"""Screens: Inloggen with the second factor (§1, §1.1), Uitloggen (§2.2), Inloggegevens vergeten (§1.2),
activation (§3.5), and Mijn profiel with Inloghistorie and the own (keten)machtigingen (§2.3, R1, R22, R60).

The session is only signed in (`auth.login`) once the password AND, from EH2+, the second factor are right;
until then the person is kept in a short-lived session entry, so no half-signed-in session reaches any view.
"""

import base64
import io
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.errors import DomainError
from gebruikers.models import Middel, Persoon
from gebruikers.selectors import mag_beheermodule_gebruiken
from inloggen import services
from inloggen.decorators import persoon_required, sessie_volledig
from inloggen.forms import (
    ActivatieAccountForm,
    CodeForm,
    EmailWijzigenForm,
    GebruikersnaamVergetenForm,
    InloggenForm,
    NieuwWachtwoordForm,
    TaalForm,
    WachtwoordVergetenForm,
    WachtwoordWijzigenForm,
)
from inloggen.models import LoginPoging, SmsDevice
from inloggen.selectors import eigen_machtigingen, inloghistorie
from inloggen.signals import ip_adres

STAP2 = "inloggen_stap2"
ACTIVATIE = "inloggen_activatie"
HERSTEL = "inloggen_herstel"
# The password step is only good for a few minutes before the second factor must follow.
STAP2_GELDIG_SECONDEN = 10 * 60
INLOGHISTORIE_PER_PAGINA = 25


# --- helpers --------------------------------------------------------------------------------------------------


def _lockout(request):
    return render(request, "registration/lockout.html", status=429)


def _is_geblokkeerd(request, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": username})


def _code_mislukt(request, persoon: Persoon, apparaat: Device) -> None:
    """A wrong code counts as a failed log-in: django-axes locks out after the limit, the history records it."""
    soort = "sms" if isinstance(apparaat, SmsDevice) else "otp"
    user_login_failed.send(
        sender=__name__, credentials={"username": persoon.username, "tweede_factor": soort}, request=request
    )


def _taal_cookie(response, taal: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        taal,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response


def _veilige_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return None


def _landing(request, persoon: Persoon, next_url: str | None = None) -> str:
    """R1: who may use the Beheermodule lands there; everyone else on the own profile."""
    if next_url:
        return next_url
    return reverse("beheer:start") if mag_beheermodule_gebruiken(persoon) else reverse("beheer:profiel")


def _voltooien(request, persoon: Persoon, backend: str, apparaat: Device | None, next_url: str | None):
    request.session.pop(STAP2, None)
    auth_login(request, persoon, backend=backend)
    if apparaat is not None:
        otp_login(request, apparaat)
    return _taal_cookie(redirect(_landing(request, persoon, next_url)), persoon.taal)


def _apparaat(persistent_id: str | None) -> Device | None:
    return Device.from_persistent_id(persistent_id) if persistent_id else None


def _factor_context(apparaat: Device, persoon: Persoon) -> dict:
    return {
        "soort": "sms" if isinstance(apparaat, SmsDevice) else "otp",
        "nummer": services.sms_nummer_gemaskeerd(persoon),
    }


# --- Inloggen, tweede factor, Uitloggen -------------------------------------------------------------------------


class InloggenView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = InloggenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if sessie_volledig(request):
                return redirect(_landing(request, request.user, _veilige_next(request, request.GET.get("next"))))
            logout(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        persoon = form.get_user()
        middel = Middel.objects.filter(persoon=persoon).first()
        if middel is None or middel.status != Middel.Status.ACTIEF:
            services.loginpoging_vastleggen(
                persoon=persoon, uitkomst=LoginPoging.Uitkomst.NIET_ACTIEF, ip_adres=ip_adres(request)
            )
            form.add_error(None, _("Met dit eHerkenningsmiddel kunt u niet (meer) inloggen."))
            return self.form_invalid(form)
        next_url = _veilige_next(request, self.get_redirect_url())
        if not services.vereist_tweede_factor(middel):
            return _voltooien(request, persoon, persoon.backend, None, next_url)
        apparaat = services.tweede_factor_apparaat(persoon=persoon, middel=middel)
        if apparaat is None:
            form.add_error(
                None,
                _("Er is geen tweede factor geregistreerd bij uw eHerkenningsmiddel. Neem contact op met support."),
            )
            return self.form_invalid(form)
        if isinstance(apparaat, SmsDevice):
            try:
                services.sms_code_versturen(apparaat=apparaat)
            except DomainError as error:
                form.add_error(None, str(error))
                return self.form_invalid(form)
        request.session[STAP2] = {
            "persoon": persoon.pk,
            "backend": persoon.backend,
            "apparaat": apparaat.persistent_id,
            "sinds": time.time(),
            "next": next_url or "",
        }
        return redirect("beheer:inloggen_code")


@sensitive_post_parameters("code")
def inloggen_code(request):
    """§1.1: the code from the SMS or the OTP device; then straight into the Beheermodule (or the profile)."""
    stap = request.session.get(STAP2)
    if not stap or time.time() - stap.get("sinds", 0) > STAP2_GELDIG_SECONDEN:
        request.session.pop(STAP2, None)
        messages.info(request, _("Uw inlogpoging is verlopen. Log opnieuw in."))
        return redirect("beheer:inloggen")
    persoon = Persoon.objects.filter(pk=stap["persoon"], is_active=True).first()
    apparaat = _apparaat(stap.get("apparaat"))
    if persoon is None or apparaat is None or apparaat.user_id != persoon.pk:
        request.session.pop(STAP2, None)
        return redirect("beheer:inloggen")
    if _is_geblokkeerd(request, persoon.username):
        request.session.pop(STAP2, None)
        return _lockout(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if "opnieuw" in request.POST and isinstance(apparaat, SmsDevice):
            try:
                services.sms_code_versturen(apparaat=apparaat, opnieuw=True)
                messages.success(request, _("Er is een nieuwe code verstuurd."))
            except DomainError as error:
                messages.error(request, str(error))
            return redirect("beheer:inloggen_code")
        if form.is_valid():
            if services.tweede_factor_controleren(apparaat=apparaat, code=form.cleaned_data["code"]):
                return _voltooien(request, persoon, stap["backend"], apparaat, stap.get("next") or None)
            _code_mislukt(request, persoon, apparaat)
            if getattr(request, "axes_locked_out", False):
                request.session.pop(STAP2, None)
                return _lockout(request)
            form.add_error("code", _("De code is onjuist of verlopen."))
    return render(
        request,
        "inloggen/tweede_factor.html",
        {**_factor_context(apparaat, persoon), "form": form, "titel": _("Inloggen"), "annuleren": True},
    )


class UitloggenView(auth_views.LogoutView):
    next_page = "beheer:inloggen"


# --- Inloggegevens vergeten (R3) --------------------------------------------------------------------------------


VERSTUURD = gettext_lazy(
    "Als dit e-mailadres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail. "
    "Controleer ook uw map met ongewenste e-mail."
)


def vergeten(request):
    return render(
        request,
        "inloggen/vergeten.html",
        {"gebruikersnaam_form": GebruikersnaamVergetenForm(), "wachtwoord_form": WachtwoordVergetenForm()},
    )


@require_POST
def vergeten_gebruikersnaam(request):
    form = GebruikersnaamVergetenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "inloggen/vergeten.html",
            {"gebruikersnaam_form": form, "wachtwoord_form": WachtwoordVergetenForm()},
        )
    services.gebruikersnaam_versturen(email=form.cleaned_data["email"])
    return render(request, "inloggen/vergeten_verstuurd.html", {"bericht": VERSTUURD})


@require_POST
def vergeten_wachtwoord(request):
    form = WachtwoordVergetenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "inloggen/vergeten.html",
            {"gebruikersnaam_form": GebruikersnaamVergetenForm(), "wachtwoord_form": form},
        )
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
    )
    return render(request, "inloggen/vergeten_verstuurd.html", {"bericht": VERSTUURD})


def _herstel_persoon(state) -> Persoon | None:
    persoon = Persoon.objects.filter(pk=state.get("persoon")).first() if state else None
    if persoon is None or not default_token_generator.check_token(persoon, state.get("token", "")):
        return None
    return persoon


def herstellen_link(request, uidb64, token):
    """The link from the e-mail. The token moves into the session so it leaves the address bar (and Referer)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        pk = None
    state = {"persoon": pk, "token": token, "bevestigd": False}
    if _herstel_persoon(state) is None:
        return render(request, "inloggen/link_ongeldig.html", {"bericht": _herstellink_ongeldig()}, status=410)
    request.session[HERSTEL] = state
    return redirect("beheer:herstellen")


def _herstellink_ongeldig():
    return _("Deze herstellink is verlopen of al gebruikt. Vraag een nieuwe aan via “Inloggegevens vergeten?”.")


@sensitive_post_parameters("code", "new_password1", "new_password2")
def herstellen(request):
    """R3: choose a new password; from EH2+ only after the second factor."""
    state = request.session.get(HERSTEL)
    persoon = _herstel_persoon(state)
    if persoon is None:
        request.session.pop(HERSTEL, None)
        return render(request, "inloggen/link_ongeldig.html", {"bericht": _herstellink_ongeldig()}, status=410)
    middel = Middel.objects.filter(persoon=persoon).first()
    if services.vereist_tweede_factor(middel) and not state.get("bevestigd"):
        apparaat = services.tweede_factor_apparaat(persoon=persoon, middel=middel)
        if apparaat is None:
            return render(
                request,
                "inloggen/link_ongeldig.html",
                {"bericht": _("Er is geen tweede factor geregistreerd. Neem contact op met support.")},
            )
        if _is_geblokkeerd(request, persoon.username):
            return _lockout(request)
        form = CodeForm(request.POST or None)
        if isinstance(apparaat, SmsDevice) and (
            (request.method == "GET" and not state.get("verzonden")) or "opnieuw" in request.POST
        ):
            try:
                services.sms_code_versturen(apparaat=apparaat, opnieuw="opnieuw" in request.POST)
                state["verzonden"] = True
                request.session[HERSTEL] = state
            except DomainError as error:
                messages.error(request, str(error))
            if request.method == "POST":
                return redirect("beheer:herstellen")
        elif request.method == "POST" and form.is_valid():
            if services.tweede_factor_controleren(apparaat=apparaat, code=form.cleaned_data["code"]):
                state["bevestigd"] = True
                request.session[HERSTEL] = state
                return redirect("beheer:herstellen")
            _code_mislukt(request, persoon, apparaat)
            if getattr(request, "axes_locked_out", False):
                return _lockout(request)
            form.add_error("code", _("De code is onjuist of verlopen."))
        return render(
            request,
            "inloggen/tweede_factor.html",
            {**_factor_context(apparaat, persoon), "form": form, "titel": _("Wachtwoord herstellen")},
        )
    form = NieuwWachtwoordForm(persoon, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.wachtwoord_herstellen(persoon=persoon, password=form.cleaned_data["new_password1"])
        except DomainError as error:
            form.add_error("new_password1", str(error))
        else:
            request.session.pop(HERSTEL, None)
            messages.success(request, _("Uw wachtwoord is gewijzigd. U kunt nu inloggen met uw nieuwe wachtwoord."))
            return redirect("beheer:inloggen")
    return render(request, "inloggen/herstellen.html", {"form": form, "persoon": persoon})


# --- Activeren (R18) --------------------------------------------------------------------------------------------


def _link_ongeldig(request, error: DomainError):
    status = 404 if error.code == "ongeldig" else 410
    return render(request, "inloggen/link_ongeldig.html", {"bericht": str(error)}, status=status)


def activeren_link(request, token):
    """The link from the activation e-mail or letter. The token moves into the session."""
    try:
        gevonden = services.activatietoken_zoeken(token=token)
    except DomainError as error:
        return _link_ongeldig(request, error)
    if request.user.is_authenticated:
        logout(request)
    request.session[ACTIVATIE] = {"token": gevonden.pk, "apparaat": None, "bevestigd": False}
    return redirect("beheer:activeren")


def _otp_registratie(apparaat: TOTPDevice, persoon: Persoon) -> dict:
    import qrcode
    import qrcode.image.svg

    geheim = base64.b32encode(apparaat.bin_key).decode()
    label = quote(f"Beheermodule:{persoon.email}")
    url = f"otpauth://totp/{label}?" + urlencode(
        {"secret": geheim, "issuer": "Beheermodule", "algorithm": "SHA1", "digits": apparaat.digits}
    )
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    svg = buffer.getvalue().decode()
    # Inline in the page: without the XML declaration.
    svg = svg[svg.index("<svg") :]
    return {"geheim": " ".join(geheim[i : i + 4] for i in range(0, len(geheim), 4)), "qr_svg": svg}


@sensitive_post_parameters("code", "password1", "password2")
def activeren(request):
    """§3.5: register and prove the second factor (from EH2+), then choose username and password → Actief."""
    state = request.session.get(ACTIVATIE)
    if not state:
        return _link_ongeldig(request, DomainError(services.ACTIVATIELINK_ONGELDIG, code="ongeldig"))
    try:
        token = services.activatietoken_zoeken(token_id=state["token"])
    except DomainError as error:
        request.session.pop(ACTIVATIE, None)
        return _link_ongeldig(request, error)
    middel = token.middel
    persoon = middel.persoon
    context = {"middel": middel, "persoon": persoon}

    if services.vereist_tweede_factor(middel) and not state["bevestigd"]:
        apparaat = _apparaat(state.get("apparaat"))
        if apparaat is None:
            try:
                apparaat = services.activatie_apparaat_maken(middel=middel)
                if isinstance(apparaat, SmsDevice):
                    services.sms_code_versturen(apparaat=apparaat)
            except DomainError as error:
                messages.error(request, str(error))
                return render(request, "inloggen/link_ongeldig.html", {"bericht": str(error)}, status=503)
            state["apparaat"] = apparaat.persistent_id
            request.session[ACTIVATIE] = state
        form = CodeForm(request.POST or None)
        if request.method == "POST":
            if "opnieuw" in request.POST and isinstance(apparaat, SmsDevice):
                try:
                    services.sms_code_versturen(apparaat=apparaat, opnieuw=True)
                    messages.success(request, _("Er is een nieuwe code verstuurd."))
                except DomainError as error:
                    messages.error(request, str(error))
                return redirect("beheer:activeren")
            if form.is_valid():
                if services.tweede_factor_controleren(apparaat=apparaat, code=form.cleaned_data["code"]):
                    state["bevestigd"] = True
                    request.session[ACTIVATIE] = state
                    return redirect("beheer:activeren")
                form.add_error("code", _("De code is onjuist of verlopen."))
        context.update(_factor_context(apparaat, persoon))
        if isinstance(apparaat, TOTPDevice):
            context.update(_otp_registratie(apparaat, persoon))
        return render(
            request,
            "inloggen/tweede_factor.html",
            {**context, "form": form, "titel": _("Activeren"), "activatie": True},
        )

    form = ActivatieAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.middel_activeren_met_link(
                token_id=token.pk,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                apparaat=_apparaat(state.get("apparaat")),
                factor_bevestigd=state["bevestigd"],
            )
        except DomainError as error:
            veld = {"username": "username", "password": "password1"}.get(error.code)
            form.add_error(veld, str(error))
        else:
            request.session.pop(ACTIVATIE, None)
            return render(request, "inloggen/activeren_klaar.html", context)
    return render(request, "inloggen/activeren_account.html", {**context, "form": form})


# --- Mijn profiel (R60) -----------------------------------------------------------------------------------------


def _profiel_context(request, tab: str) -> dict:
    return {"persoon": request.user, "middel": request.eigen_middel, "tab": tab}


@persoon_required
def profiel(request):
    context = _profiel_context(request, "profiel")
    context["taal_form"] = TaalForm(initial={"taal": request.user.taal})
    if services.vereist_tweede_factor(request.eigen_middel):
        context["sms_nummer"] = request.user.mobiel
    return render(request, "inloggen/profiel.html", context)


@persoon_required
def profiel_inloghistorie(request):
    pagina = Paginator(inloghistorie(request.user), INLOGHISTORIE_PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request, "inloggen/inloghistorie.html", {**_profiel_context(request, "inloghistorie"), "pagina": pagina}
    )


@persoon_required
def profiel_machtigingen(request):
    per_organisatie, ketenmachtigingen = eigen_machtigingen(request.eigen_middel)
    return render(
        request,
        "inloggen/profiel_machtigingen.html",
        {
            **_profiel_context(request, "machtigingen"),
            "per_organisatie": per_organisatie,
            "ketenmachtigingen": ketenmachtigingen,
        },
    )


@persoon_required
def profiel_email(request):
    """R22: after activation only the person changes the own e-mail address, here."""
    from gebruikers.services import persoon_wijzig_email

    form = EmailWijzigenForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            persoon_wijzig_email(actor=request.user, persoon=request.user, email=form.cleaned_data["email"])
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Uw e-mailadres is gewijzigd."))
            return redirect("beheer:profiel")
    return render(request, "inloggen/profiel_email.html", {**_profiel_context(request, "profiel"), "form": form})


@sensitive_post_parameters("huidig", "nieuw1", "nieuw2")
@persoon_required
def profiel_wachtwoord(request):
    form = WachtwoordWijzigenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.persoon_wijzig_wachtwoord(
                persoon=request.user, huidig=form.cleaned_data["huidig"], nieuw=form.cleaned_data["nieuw1"]
            )
        except DomainError as error:
            form.add_error("huidig" if error.code == "huidig" else "nieuw1", str(error))
        else:
            # Stay signed in (and verified) in this session; other sessions of the person end.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Uw wachtwoord is gewijzigd."))
            return redirect("beheer:profiel")
    return render(request, "inloggen/profiel_wachtwoord.html", {**_profiel_context(request, "profiel"), "form": form})


@require_POST
@persoon_required
def profiel_taal(request):
    form = TaalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies Nederlands of English."))
        return redirect("beheer:profiel")
    persoon = services.persoon_wijzig_taal(persoon=request.user, taal=form.cleaned_data["taal"])
    translation.activate(persoon.taal)
    messages.success(request, _("De taal is gewijzigd."))
    return _taal_cookie(redirect("beheer:profiel"), persoon.taal)
