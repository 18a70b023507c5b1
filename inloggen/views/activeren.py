"""Screens: Activeren (§3.5, R18): the link from the activation e-mail or letter, registering and proving the
second factor (from EH2+), then choosing username and password."""

import base64
import io
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.errors import DomainError
from gebruikers.models import Persoon
from inloggen import activatie, services
from inloggen.forms import ActivatieAccountForm, CodeForm
from inloggen.models import SmsDevice
from inloggen.views._common import apparaat_uit_sessie, code_opnieuw, factor_context

ACTIVATIE = "inloggen_activatie"


def _link_ongeldig(request, error: DomainError):
    status = 404 if error.code == "ongeldig" else 410
    return render(request, "inloggen/link_ongeldig.html", {"bericht": str(error)}, status=status)


def activeren_link(request, token):
    """The link from the activation e-mail or letter. The token moves into the session."""
    try:
        gevonden = activatie.activatietoken_zoeken(token=token)
    except DomainError as error:
        return _link_ongeldig(request, error)
    if request.user.is_authenticated:
        logout(request)
    request.session[ACTIVATIE] = {"token": gevonden.pk, "apparaat": None, "bevestigd": False}
    return redirect("beheer:activeren")


def _otp_registratie(apparaat: TOTPDevice, persoon: Persoon) -> dict:
    # Lazy: qrcode is only needed by the few people registering an OTP app (this also binds `qrcode`).
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
        return _link_ongeldig(request, DomainError(activatie.ACTIVATIELINK_ONGELDIG, code="ongeldig"))
    try:
        token = activatie.activatietoken_zoeken(token_id=state["token"])
    except DomainError as error:
        request.session.pop(ACTIVATIE, None)
        return _link_ongeldig(request, error)
    middel = token.middel
    context = {"middel": middel, "persoon": middel.persoon}

    if services.vereist_tweede_factor(middel) and not state["bevestigd"]:
        return _tweede_factor(request, state, context)

    form = ActivatieAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activatie.middel_activeren_met_link(
                token_id=token.pk,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                apparaat=apparaat_uit_sessie(state.get("apparaat")),
                factor_bevestigd=state["bevestigd"],
            )
        except DomainError as error:
            veld = {"username": "username", "password": "password1"}.get(error.code)
            form.add_error(veld, str(error))
        else:
            request.session.pop(ACTIVATIE, None)
            return render(request, "inloggen/activeren_klaar.html", context)
    return render(request, "inloggen/activeren_account.html", {**context, "form": form})


def _tweede_factor(request, state: dict, context: dict):
    """The second-factor step of the activation: make the device once, (re)send the SMS code, check the code."""
    middel, persoon = context["middel"], context["persoon"]
    apparaat = apparaat_uit_sessie(state.get("apparaat"))
    if apparaat is None:
        try:
            apparaat = activatie.activatie_apparaat_maken(middel=middel)
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
            return code_opnieuw(request, apparaat, "beheer:activeren")
        if form.is_valid():
            if services.tweede_factor_controleren(apparaat=apparaat, code=form.cleaned_data["code"]):
                state["bevestigd"] = True
                request.session[ACTIVATIE] = state
                return redirect("beheer:activeren")
            form.add_error("code", _("De code is onjuist of verlopen."))
    context = {**context, **factor_context(apparaat, persoon)}
    if isinstance(apparaat, TOTPDevice):
        context.update(_otp_registratie(apparaat, persoon))
    return render(
        request,
        "inloggen/tweede_factor.html",
        {**context, "form": form, "titel": _("Activeren"), "activatie": True},
    )
