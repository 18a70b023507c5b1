"""Screens: Inloggegevens vergeten (§1.2, R3): the username by e-mail, and a new password through the link
from the e-mail, from EH2+ only after the second factor."""

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from common.clientip import client_ip
from common.errors import DomainError
from gebruikers.models import Middel, Persoon
from inloggen import services
from inloggen.forms import CodeForm, GebruikersnaamVergetenForm, NieuwWachtwoordForm, WachtwoordVergetenForm
from inloggen.limieten import HERSTEL_PER_ADRES, HERSTEL_PER_EMAIL
from inloggen.models import SmsDevice
from inloggen.views._common import code_mislukt, factor_context, is_geblokkeerd, lockout

HERSTEL = "inloggen_herstel"

TE_VAAK = gettext_lazy(
    "Er is te vaak om een e-mail gevraagd. Probeer het over een uur opnieuw, of neem contact op met support."
)

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


def _te_vaak(request, email: str) -> bool:
    """R3 with a limit: per address and per e-mail address, counted whether or not the address is known."""
    per_adres = HERSTEL_PER_ADRES.tel_en_weiger(client_ip(request))
    per_email = HERSTEL_PER_EMAIL.tel_en_weiger(email.strip())
    return per_adres or per_email


def _te_vaak_antwoord(request, form, naam: str):
    form.add_error(None, TE_VAAK)
    formulieren = {"gebruikersnaam_form": GebruikersnaamVergetenForm(), "wachtwoord_form": WachtwoordVergetenForm()}
    formulieren[naam] = form
    return render(request, "inloggen/vergeten.html", formulieren, status=429)


@require_POST
def vergeten_gebruikersnaam(request):
    form = GebruikersnaamVergetenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "inloggen/vergeten.html",
            {"gebruikersnaam_form": form, "wachtwoord_form": WachtwoordVergetenForm()},
        )
    if _te_vaak(request, form.cleaned_data["email"]):
        return _te_vaak_antwoord(request, form, "gebruikersnaam_form")
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
    if _te_vaak(request, form.cleaned_data["email"]):
        return _te_vaak_antwoord(request, form, "wachtwoord_form")
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


def _herstellink_ongeldig():
    return _("Deze herstellink is verlopen of al gebruikt. Vraag een nieuwe aan via “Inloggegevens vergeten?”.")


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
        return _tweede_factor(request, state, persoon, middel)
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


def _tweede_factor(request, state: dict, persoon: Persoon, middel: Middel):
    """The second-factor step of the recovery: send (or resend) the SMS code, or check the code."""
    apparaat = services.tweede_factor_apparaat(persoon=persoon, middel=middel)
    if apparaat is None:
        return render(
            request,
            "inloggen/link_ongeldig.html",
            {"bericht": _("Er is geen tweede factor geregistreerd. Neem contact op met support.")},
        )
    if is_geblokkeerd(request, persoon.username):
        return lockout(request)
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
        code_mislukt(request, persoon, apparaat)
        if getattr(request, "axes_locked_out", False):
            return lockout(request)
        form.add_error("code", _("De code is onjuist of verlopen."))
    return render(
        request,
        "inloggen/tweede_factor.html",
        {**factor_context(apparaat, persoon), "form": form, "titel": _("Wachtwoord herstellen")},
    )
