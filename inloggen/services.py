"""Writes for logging in, the second factor, activation, recovery and the own profile (R2, R3, R18, R22, R60).

The second factor is a django-otp device: `SmsDevice` (this app) for SMS, `TOTPDevice` (django-otp) for an
OTP device. A session is only signed in after both steps; `django_otp.login` then marks it verified.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log
from berichten.models import Soort
from berichten.services import bericht_plaatsen_gerenderd
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel, Persoon
from inloggen.models import ActivatieToken, LoginPoging, SmsDevice
from organisaties.models import Organisatie

logger = logging.getLogger(__name__)

# A new SMS code can be asked for again after this many seconds (no SMS bombing of someone's phone).
SMS_OPNIEUW_NA_SECONDEN = 30

ACTIVATIELINK_VERLOPEN = _("Deze activatielink is verlopen.")
ACTIVATIELINK_GEBRUIKT = _("Deze activatielink is al gebruikt.")
ACTIVATIELINK_ONGELDIG = _("Deze activatielink is ongeldig.")


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


def _maskeer(nummer: str) -> str:
    return "•" * max(len(nummer) - 2, 0) + nummer[-2:]


def sms_code_versturen(*, apparaat: SmsDevice, opnieuw: bool = False) -> None:
    """Send a fresh 6-digit code at once, through the SMS backend (never a queue: the person is waiting)."""
    from berichten.sms import SmsNietVerzonden, get_sms_backend

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
    return _maskeer(persoon.mobiel or "")


# --- the Inloghistorie ----------------------------------------------------------------------------------------


def loginpoging_vastleggen(*, persoon: Persoon, uitkomst: str, ip_adres: str | None) -> LoginPoging:
    return LoginPoging.objects.create(persoon=persoon, uitkomst=uitkomst, ip_adres=ip_adres or None)


# --- activation (R18) ------------------------------------------------------------------------------------------


def activatielink_maken(*, middel: Middel) -> str:
    """A new activation link for a middel that waits for activation; valid until `middel.activeren_tot`.

    Returns the absolute path (the caller adds scheme and host). Only a hash of the token is stored.
    """
    if middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE or middel.activeren_tot is None:
        raise DomainError(_("Dit eHerkenningsmiddel wacht niet op activatie."), rule="R18", code="status")
    token = secrets.token_urlsafe(32)
    ActivatieToken.objects.create(middel=middel, token_hash=ActivatieToken.hash(token), geldig_tot=middel.activeren_tot)
    return reverse("beheer:activeren_link", kwargs={"token": token})


def activatietoken_zoeken(*, token: str | None = None, token_id: int | None = None) -> ActivatieToken:
    """The token when it can still be used; otherwise a DomainError that says why (verlopen/gebruikt/ongeldig)."""
    qs = ActivatieToken.objects.select_related("middel__persoon")
    gevonden = (
        qs.filter(token_hash=ActivatieToken.hash(token)).first()
        if token
        else qs.filter(pk=token_id).first()
        if token_id
        else None
    )
    if gevonden is None:
        raise DomainError(ACTIVATIELINK_ONGELDIG, rule="R18", code="ongeldig")
    middel = gevonden.middel
    if gevonden.gebruikt_op is not None or middel.status == Middel.Status.ACTIEF:
        raise DomainError(ACTIVATIELINK_GEBRUIKT, rule="R18", code="gebruikt")
    # Exclusive end dates: usable on the days before; a later new invitation does not revive an old link.
    eind = min(d for d in (gevonden.geldig_tot, middel.activeren_tot) if d is not None)
    if middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE or vandaag() >= eind:
        raise DomainError(ACTIVATIELINK_VERLOPEN, rule="R18", code="verlopen")
    return gevonden


@transaction.atomic
def activatie_apparaat_maken(*, middel: Middel) -> Device | None:
    """The device to register during activation: unconfirmed until the person proves it with a code."""
    persoon = middel.persoon
    if not vereist_tweede_factor(middel):
        return None
    if middel.tweede_factor == Middel.TweedeFactor.OTP:
        return TOTPDevice.objects.create(user=persoon, name="OTP device", confirmed=False)
    if not persoon.mobiel:
        raise DomainError(_("Er is geen mobiel nummer geregistreerd voor de SMS-code."), rule="R2", code="sms")
    return SmsDevice.objects.create(user=persoon, name="SMS", confirmed=False)


@transaction.atomic
def middel_activeren_met_link(
    *, token_id: int, username: str, password: str, apparaat: Device | None, factor_bevestigd: bool
) -> Middel:
    """Finish the activation: the link is still valid, the second factor was proven (from EH2+), the
    username and password pass (gebruikers.services.middel_activeren) → Actief, link used, device confirmed."""
    from gebruikers.services import middel_activeren

    token = ActivatieToken.objects.select_for_update().get(pk=token_id)
    token = activatietoken_zoeken(token_id=token.pk)
    middel = token.middel
    factor_ok = apparaat is not None and apparaat.user_id == middel.persoon_id and factor_bevestigd
    if vereist_tweede_factor(middel) and not factor_ok:
        raise DomainError(_("Registreer eerst uw tweede factor."), rule="R2", code="tweede_factor")
    middel = middel_activeren(middel=middel, username=username, password=password)
    nu = timezone.now()
    ActivatieToken.objects.filter(middel=middel, gebruikt_op__isnull=True).update(gebruikt_op=nu)
    if apparaat is not None:
        # The one registered device; any earlier attempt is removed.
        SmsDevice.objects.filter(user=middel.persoon).exclude(pk=apparaat.pk).delete()
        TOTPDevice.objects.filter(user=middel.persoon).exclude(pk=apparaat.pk).delete()
        type(apparaat).objects.filter(pk=apparaat.pk).update(confirmed=True)
    return middel


def _bedrijfsadres(middel: Middel) -> Organisatie | None:
    koppeling = (
        Koppeling.objects.filter(middel=middel)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .select_related("organisatie")
        .order_by("pk")
        .first()
    )
    return koppeling.organisatie if koppeling else None


def activatiebrief_pdf(*, middel: Middel, link: str | None = None) -> bytes:
    """R15/R18: the activation letter for EH2+, addressed to the company address in the Handelsregister.

    `link` is the activation path (from `activatielink_maken`); without one a new link is made for the letter.
    """
    from common.pdf import render_pdf

    if link is None:
        link = activatielink_maken(middel=middel)
    persoon = middel.persoon
    basis = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(persoon.taal or settings.LANGUAGE_CODE):
        return render_pdf(
            "inloggen/activatiebrief.html",
            {
                "middel": middel,
                "persoon": persoon,
                "organisatie": _bedrijfsadres(middel),
                "link": f"{basis}{link}",
                "datum": vandaag(),
            },
        )


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
    from axes.utils import reset as axes_reset

    _wachtwoord_zetten(persoon, password)
    _audit_eigen(persoon, actie="persoon.wachtwoord_hersteld", omschrijving=_("Wachtwoord hersteld"))
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


def _audit_eigen(persoon: Persoon, *, actie: str, omschrijving) -> None:
    for org_id in (
        Koppeling.objects.filter(middel__persoon=persoon)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("organisatie_id", flat=True)
    ):
        audit_log(
            actor=persoon,
            organisatie=Organisatie(pk=org_id),
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
    _audit_eigen(persoon, actie="persoon.wachtwoord_gewijzigd", omschrijving=_("Eigen wachtwoord gewijzigd"))
    return persoon


@transaction.atomic
def persoon_wijzig_taal(*, persoon: Persoon, taal: str) -> Persoon:
    """R60: the language of every screen (and of messages to the person)."""
    if taal not in Persoon.Taal.values:
        raise DomainError(_("Kies Nederlands of English."), rule="R60", code="taal")
    Persoon.objects.filter(pk=persoon.pk).update(taal=taal)
    persoon.taal = taal
    return persoon
