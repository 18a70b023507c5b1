"""Screens: Inloggen with the second factor (§1, §1.1) and Uitloggen (§2.2).

The session is only signed in (`auth.login`) once the password AND, from EH2+, the second factor are right;
until then the person is kept in a short-lived session entry, so no half-signed-in session reaches any view.
"""

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.models import Device

from common.clientip import client_ip
from common.errors import DomainError
from gebruikers.models import Middel, Persoon
from gebruikers.selectors import mag_beheermodule_gebruiken
from inloggen import services
from inloggen.decorators import sessie_volledig
from inloggen.forms import CodeForm, InloggenForm
from inloggen.limieten import MISLUKT_PER_ADRES
from inloggen.models import LoginPoging, SmsDevice
from inloggen.signals import ip_adres
from inloggen.views._common import (
    apparaat_uit_sessie,
    code_mislukt,
    code_opnieuw,
    factor_context,
    is_geblokkeerd,
    lockout,
    taal_cookie,
)

STAP2 = "inloggen_stap2"
# The password step is only good for a few minutes before the second factor must follow.
STAP2_GELDIG_SECONDEN = 10 * 60


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
    return taal_cookie(redirect(_landing(request, persoon, next_url)), persoon.taal)


class InloggenView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = InloggenForm

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and MISLUKT_PER_ADRES.overschreden(client_ip(request)):
            # Password spraying from this address: refused before any password is checked.
            return render(request, "registration/te_vaak.html", status=429)
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
    apparaat = apparaat_uit_sessie(stap.get("apparaat"))
    if persoon is None or apparaat is None or apparaat.user_id != persoon.pk:
        request.session.pop(STAP2, None)
        return redirect("beheer:inloggen")
    if is_geblokkeerd(request, persoon.username):
        request.session.pop(STAP2, None)
        return lockout(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if "opnieuw" in request.POST and isinstance(apparaat, SmsDevice):
            return code_opnieuw(request, apparaat, "beheer:inloggen_code")
        if form.is_valid():
            if services.tweede_factor_controleren(apparaat=apparaat, code=form.cleaned_data["code"]):
                return _voltooien(request, persoon, stap["backend"], apparaat, stap.get("next") or None)
            code_mislukt(request, persoon, apparaat)
            if getattr(request, "axes_locked_out", False):
                request.session.pop(STAP2, None)
                return lockout(request)
            form.add_error("code", _("De code is onjuist of verlopen."))
    return render(
        request,
        "inloggen/tweede_factor.html",
        {**factor_context(apparaat, persoon), "form": form, "titel": _("Inloggen"), "annuleren": True},
    )


class UitloggenView(auth_views.LogoutView):
    next_page = "beheer:inloggen"
