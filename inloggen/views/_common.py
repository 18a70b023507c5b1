"""Helpers shared by the log-in, recovery, activation and profile screens: the second-factor step (lock-out,
failed codes, the device in the session) and the language cookie."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp.models import Device

from common.errors import DomainError
from gebruikers.models import Persoon
from inloggen import services
from inloggen.models import SmsDevice


def lockout(request):
    return render(request, "registration/lockout.html", status=429)


def is_geblokkeerd(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def code_mislukt(request, persoon: Persoon, apparaat: Device) -> None:
    """A wrong code counts as a failed log-in: django-axes locks out after the limit, the history records it."""
    soort = "sms" if isinstance(apparaat, SmsDevice) else "otp"
    user_login_failed.send(
        sender=__name__, credentials={"username": persoon.username, "tweede_factor": soort}, request=request
    )


def taal_cookie(response, taal: str):
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


def apparaat_uit_sessie(persistent_id: str | None) -> Device | None:
    return Device.from_persistent_id(persistent_id) if persistent_id else None


def factor_context(apparaat: Device, persoon: Persoon) -> dict:
    return {
        "soort": "sms" if isinstance(apparaat, SmsDevice) else "otp",
        "nummer": services.sms_nummer_gemaskeerd(persoon),
    }


def code_opnieuw(request, apparaat: SmsDevice, terug: str):
    """'Stuur opnieuw' on a second-factor step (log-in and activation alike): a new SMS code, then back."""
    try:
        services.sms_code_versturen(apparaat=apparaat, opnieuw=True)
        messages.success(request, _("Er is een nieuwe code verstuurd."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(terug)
