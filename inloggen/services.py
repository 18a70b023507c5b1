"""Writes for logging in, the second factor, recovery and the own profile (R2, R3, R22, R60); activation is in
`inloggen.activatie`.

The second factor is a django-otp device: `SmsDevice` (this app) for SMS, `TOTPDevice` (django-otp) for an
OTP device. A session is only signed in after both steps; `django_otp.login` then marks it verified.
"""

import datetime as dt
import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.acties import Actie
from audit.services import audit_per_organisatie
from berichten.models import Soort
from berichten.outbox import bericht_plaatsen_gerenderd
from berichten.sms import SmsNietVerzonden, get_sms_backend
from common.errors import DomainError
from common.niveau import Niveau
from common.weergave import maskeer
from gebruikers.models import Koppeling, Middel, Persoon
from inloggen.models import LoginPoging, SmsDevice

logger = logging.getLogger(__name__)

# A new SMS code can be asked for again after this many seconds (no SMS bombing of someone's phone).
SMS_OPNIEUW_NA_SECONDEN = 30


# --- the second factor ----------------------------------------------------------------------------------------


def vereist_tweede_factor(middel: Middel | None) -> bool:
    """R2: from EH2+ a log-in takes a second factor."""
    return middel is not None and middel.niveau >= Niveau.EH2_PLUS


def tweede_factor_apparaat(*, persoon: Persoon, middel: Middel) -> Device | None:
    """The confirmed device that proves the second factor for this middel, or None when there is none.

    SMS goes to the person's registered number, so a middel with SMS always has a device (created on first
    use for middelen activated before this app existed). An OTP device must have been registered.
    """
    if middel.tweede_factor == Middel.TweedeFactor.SMS:
        if not persoon.mobiel:
            return None
        apparaat = SmsDevice.objects.filter(user=persoon, confirmed=True).order_by("pk").first()
        return apparaat or SmsDevice.objects.create(user=persoon, name="SMS", confirmed=True)
    if middel.tweede_factor == Middel.TweedeFactor.OTP:
        return TOTPDevice.objects.filter(user=persoon, confirmed=True).order_by("pk").first()
    return None


def sms_code_versturen(*, apparaat: SmsDevice, opnieuw: bool = False) -> None:
    """Send a fresh 6-digit code at once, through the SMS backend (never a queue: the person is waiting)."""
    persoon = apparaat.user
    if not persoon.mobiel:
        raise DomainError(_("Er is geen mobiel nummer geregistreerd voor de SMS-code."), rule="R2", code="sms")
    if (
        opnieuw
        and apparaat.verzonden_op
        and timezone.now() - apparaat.verzonden_op < dt.timedelta(seconds=SMS_OPNIEUW_NA_SECONDEN)
    ):
        raise DomainError(
            _("Er is zojuist een code verstuurd. Wacht een halve minuut voordat u een nieuwe code aanvraagt."),
            rule="R2",
            code="sms_te_snel",
        )
    code = apparaat.nieuwe_code()
    with translation.override(persoon.taal or settings.LANGUAGE_CODE):
        tekst = str(_("Uw code voor de Beheermodule is %(code)s. De code is 5 minuten geldig.") % {"code": code})
    try:
        get_sms_backend().send(persoon.mobiel, tekst)
    except SmsNietVerzonden:
        logger.warning("SMS-code voor persoon %s niet verzonden", persoon.pk, exc_info=True)
        raise DomainError(
            _("De SMS met de code kon niet worden verstuurd. Probeer het over enkele minuten opnieuw."),
            rule="R2",
            code="sms_niet_verzonden",
        ) from None


def tweede_factor_controleren(*, apparaat: Device, code: str) -> bool:
    """Check a code against the device with the row locked, so parallel tries cannot exceed the limit."""
    with transaction.atomic():
        vergrendeld = type(apparaat).objects.select_for_update().get(pk=apparaat.pk)
        return bool(vergrendeld.verify_token("".join(str(code or "").split())))


def sms_nummer_gemaskeerd(persoon: Persoon) -> str:
    """The national form masked ('••••••••78'), as the manual shows it; never the '+31' form."""
    return maskeer(persoon.mobiel)


# --- the Inloghistorie ----------------------------------------------------------------------------------------


def loginpoging_vastleggen(*, persoon: Persoon, uitkomst: str, ip_adres: str | None) -> LoginPoging:
    return LoginPoging.objects.create(persoon=persoon, uitkomst=uitkomst, ip_adres=ip_adres or None)


# --- recovery (R3) ---------------------------------------------------------------------------------------------


def _kan_inloggen():
    return {"is_active": True, "username__isnull": False, "middel__status": Middel.Status.ACTIEF}


@transaction.atomic
def gebruikersnaam_versturen(*, email: str) -> int:
    """R3: e-mail the username(s) registered with this address. The caller answers the same either way."""
    email = (email or "").strip()
    if not email:
        return 0
    personen = list(Persoon.objects.filter(email__iexact=email, **_kan_inloggen()).order_by("pk"))
    per_taal: dict[str, list[Persoon]] = {}
    for persoon in personen:
        per_taal.setdefault(persoon.taal or settings.LANGUAGE_CODE, []).append(persoon)
    for taal, groep in per_taal.items():
        with translation.override(taal):
            context = {"personen": groep, "usernames": [p.username for p in groep]}
            onderwerp = " ".join(render_to_string("inloggen/email/gebruikersnaam_onderwerp.txt", context).split())
            tekst = render_to_string("inloggen/email/gebruikersnaam.txt", context)
        # Through the outbox: a mail server that is down neither fails this page nor tells which addresses exist.
        bericht_plaatsen_gerenderd(
            soort=Soort.GEBRUIKERSNAAM, ontvanger=groep[0].email, onderwerp=onderwerp, tekst=tekst, persoon=groep[0]
        )
    return len(personen)


def herstelbare_personen(email: str):
    """Who gets a password reset link for this address: signed-up persons with an Actief middel."""
    return Persoon.objects.filter(email__iexact=email, **_kan_inloggen()).order_by("pk")


@transaction.atomic
def wachtwoord_herstellen(*, persoon: Persoon, password: str) -> Persoon:
    """R3: set a new password after the e-mail link (and from EH2+ the second factor); lifts a lockout."""
    _wachtwoord_zetten(persoon, password)
    _audit_eigen(persoon, actie=Actie.PERSOON_WACHTWOORD_HERSTELD, omschrijving=_("Wachtwoord hersteld"))
    axes_reset(username=persoon.username)
    return persoon


# --- Mijn profiel (R22, R60) -----------------------------------------------------------------------------------


def _wachtwoord_zetten(persoon: Persoon, password: str) -> None:
    try:
        password_validation.validate_password(password, user=persoon)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), rule="R60", code="password") from None
    persoon.set_password(password)
    persoon.save(update_fields=["password"])


def _audit_eigen(persoon: Persoon, *, actie: Actie, omschrijving) -> None:
    koppelingen = Koppeling.objects.lopend().filter(middel__persoon=persoon)
    audit_per_organisatie(
        actor=persoon,
        organisaties=koppelingen.values_list("organisatie_id", flat=True),
        actie=actie,
        omschrijving=omschrijving,
        object=persoon,
    )


@transaction.atomic
def persoon_wijzig_wachtwoord(*, persoon: Persoon, huidig: str, nieuw: str) -> Persoon:
    """The own password, on the profile page: the current one first."""
    if not persoon.check_password(huidig):
        raise DomainError(_("Het huidige wachtwoord is onjuist."), rule="R60", code="huidig")
    _wachtwoord_zetten(persoon, nieuw)
    _audit_eigen(persoon, actie=Actie.PERSOON_WACHTWOORD_GEWIJZIGD, omschrijving=_("Eigen wachtwoord gewijzigd"))
    return persoon


@transaction.atomic
def persoon_wijzig_taal(*, persoon: Persoon, taal: str) -> Persoon:
    """R60: the language of every screen (and of messages to the person)."""
    if taal not in Persoon.Taal.values:
        raise DomainError(_("Kies Nederlands of English."), rule="R60", code="taal")
    Persoon.objects.filter(pk=persoon.pk).update(taal=taal)
    persoon.taal = taal
    return persoon
