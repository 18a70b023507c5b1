"""Activation (R15, R18), the one place for it: activation links and their tokens, the letter for EH2+, the
device registered during activation, and the activation itself (Wachten op activatie → Actief).

Used by support's approval (`gebruikers.services.behandeling`: the link in the e-mail, the letter) and by the
activation screens; it imports no service of `gebruikers`, so the dependency runs one way.
"""

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.acties import Actie
from audit.services import audit_log, audit_per_organisatie
from common.dates import vandaag
from common.errors import DomainError
from common.pdf import render_pdf
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.standen import middel_stand
from inloggen.models import ActivatieToken, SmsDevice
from inloggen.services import vereist_tweede_factor
from organisaties.models import Organisatie

ACTIVATIELINK_VERLOPEN = _("Deze activatielink is verlopen.")
ACTIVATIELINK_GEBRUIKT = _("Deze activatielink is al gebruikt.")
ACTIVATIELINK_ONGELDIG = _("Deze activatielink is ongeldig.")


# --- the link --------------------------------------------------------------------------------------------------


def activatielink_maken(*, middel: Middel) -> str:
    """A new activation link for a middel that waits for activation; valid until `middel.activeren_tot`.

    Returns the absolute path (the caller adds scheme and host). Only a hash of the token is stored.
    """
    if middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE or middel.activeren_tot is None:
        raise DomainError(_("Dit eHerkenningsmiddel wacht niet op activatie."), rule="R18", code="status")
    token = secrets.token_urlsafe(32)
    ActivatieToken.objects.create(middel=middel, token_hash=ActivatieToken.hash(token), geldig_tot=middel.activeren_tot)
    return reverse("beheer:activeren_link", kwargs={"token": token})


def activatie_url(*, middel: Middel) -> str:
    """`activatielink_maken` as an absolute URL, for a message."""
    return settings.SITE_URL.rstrip("/") + activatielink_maken(middel=middel)


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


# --- the letter (EH2+) ------------------------------------------------------------------------------------------


def _bedrijfsadres(middel: Middel) -> Organisatie | None:
    koppeling = Koppeling.objects.lopend().filter(middel=middel).select_related("organisatie").order_by("pk").first()
    return koppeling.organisatie if koppeling else None


def activatiebrief_pdf(*, middel: Middel, link: str | None = None) -> bytes:
    """R15/R18: the activation letter for EH2+, addressed to the company address in the Handelsregister.

    `link` is the activation path (from `activatielink_maken`); without one a new link is made for the letter.
    """
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


def activatiebrief_maken(*, aanvraag: Aanvraag) -> Aanvraag:
    """R15: the EH2+ activation letter as PDF on the aanvraag, for support to print and post. Idempotent: a
    letter is made once per approval, and only while the middel still waits for activation."""
    aanvraag = Aanvraag.objects.select_related("middel__persoon", "organisatie").get(pk=aanvraag.pk)
    middel = aanvraag.middel
    if aanvraag.activatiebrief or middel is None or middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE:
        return aanvraag
    pdf = activatiebrief_pdf(middel=middel)
    aanvraag.activatiebrief.save(f"activatiebrief-{aanvraag.pk}.pdf", ContentFile(pdf), save=False)
    aanvraag.save(update_fields=["activatiebrief"])
    audit_log(
        actor=None,
        organisatie=aanvraag.organisatie,
        actie=Actie.AANVRAAG_ACTIVATIEBRIEF,
        omschrijving=_("Activatiebrief gemaakt voor %(naam)s") % {"naam": middel.persoon.naam},
        object=aanvraag,
    )
    return aanvraag


# --- activating ---------------------------------------------------------------------------------------------------


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
def middel_activeren(*, middel: Middel, username: str, password: str) -> Middel:
    """The person activates the middel within the term (§3.5.4): username and password chosen, → Actief."""
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    if middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE:
        raise DomainError(_("Dit eHerkenningsmiddel kan niet (meer) worden geactiveerd."), rule="R18")
    # activeren_tot is exclusive, like every end date: activation is possible on the days before it.
    if middel.activeren_tot is None or vandaag() >= middel.activeren_tot:
        raise DomainError(
            _("De activatietermijn is verlopen. Vraag uw beheerder om een nieuwe uitnodiging."),
            rule="R18",
            code="activatie_verlopen",
        )
    username = (username or "").strip()
    persoon = middel.persoon
    if not username:
        raise DomainError(_("Kies een gebruikersnaam."), rule="R18", code="username")
    if Persoon.objects.filter(username__iexact=username).exclude(pk=persoon.pk).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik."), rule="R18", code="username")
    try:
        password_validation.validate_password(password, user=persoon)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), rule="R18", code="password") from None
    voor = middel_stand(middel)
    persoon.username = username
    persoon.set_password(password)
    persoon.is_active = True
    persoon.save(update_fields=["username", "password", "is_active"])
    middel.status = Middel.Status.ACTIEF
    middel.geactiveerd_op = timezone.now()
    middel.save(update_fields=["status", "geactiveerd_op"])
    audit_per_organisatie(
        actor=persoon,
        organisaties=Koppeling.objects.lopend().filter(middel=middel).values_list("organisatie_id", flat=True),
        actie=Actie.MIDDEL_GEACTIVEERD,
        omschrijving=_("eHerkenningsmiddel van %(naam)s geactiveerd") % {"naam": persoon.naam},
        object=middel,
        voor=voor,
        na=middel_stand(middel),
    )
    return middel


@transaction.atomic
def middel_activeren_met_link(
    *, token_id: int, username: str, password: str, apparaat: Device | None, factor_bevestigd: bool
) -> Middel:
    """Finish the activation: the link is still valid, the second factor was proven (from EH2+), the
    username and password pass (`middel_activeren`) → Actief, link used, device confirmed."""
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
