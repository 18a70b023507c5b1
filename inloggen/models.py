"""Log-in state: the Inloghistorie (R60), activation links (R18) and the SMS second factor (R2)."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

SMS_CODE_GELDIG_SECONDEN = 5 * 60
SMS_CODE_MAX_POGINGEN = 5


def _hmac(waarde: str) -> str:
    # Keyed with SECRET_KEY: a 6-digit code or a token hash in a database dump cannot be brute-forced offline.
    return hmac.new(settings.SECRET_KEY.encode(), waarde.encode(), hashlib.sha256).hexdigest()


class LoginPoging(models.Model):
    """Every log-in and failed attempt of a known person, shown to that person as Inloghistorie (R60)."""

    class Uitkomst(models.TextChoices):
        GELUKT = "gelukt", _("Ingelogd")
        ONJUIST_WACHTWOORD = "onjuist_wachtwoord", _("Mislukt: onjuist wachtwoord")
        ONJUISTE_CODE = "onjuiste_code", _("Mislukt: onjuiste code")
        GEBLOKKEERD = "geblokkeerd", _("Mislukt: tijdelijk geblokkeerd")
        NIET_ACTIEF = "niet_actief", _("Mislukt: eHerkenningsmiddel niet actief")

    persoon = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persoon"), on_delete=models.CASCADE, related_name="loginpogingen"
    )
    tijdstip = models.DateTimeField(_("tijdstip"), default=timezone.now)
    ip_adres = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    uitkomst = models.CharField(_("resultaat"), max_length=20, choices=Uitkomst.choices)

    class Meta:
        verbose_name = _("inlogpoging")
        verbose_name_plural = _("inlogpogingen")
        ordering = ["-tijdstip", "-pk"]
        indexes = [models.Index(fields=["persoon", "-tijdstip"])]

    def __str__(self) -> str:
        return f"{self.persoon_id} {self.tijdstip:%Y-%m-%d %H:%M} {self.uitkomst}"

    @property
    def gelukt(self) -> bool:
        return self.uitkomst == self.Uitkomst.GELUKT


class ActivatieToken(models.Model):
    """One activation link (R18). Only a keyed hash of the token is stored; the link itself is in the e-mail."""

    middel = models.ForeignKey(
        "gebruikers.Middel", verbose_name=_("middel"), on_delete=models.CASCADE, related_name="activatietokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Exclusive, like every end date: the link works on the days before it.
    geldig_tot = models.DateField(_("geldig tot"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("activatielink")
        verbose_name_plural = _("activatielinks")

    def __str__(self) -> str:
        return f"{self.middel_id} tot {self.geldig_tot}"

    @staticmethod
    def hash(token: str) -> str:
        return _hmac(f"activatie:{token}")


class SmsDevice(Device):
    """The SMS second factor as a django-otp device: a 6-digit code to the person's registered mobile number.

    Not a SideChannelDevice, because that stores the code in plain text; here only a keyed hash is kept,
    valid for 5 minutes and for at most 5 tries. The number is always the person's current `mobiel`, so a
    change by a beheerder (R21) takes effect for the next code.
    """

    code_hash = models.CharField(max_length=64, blank=True)
    geldig_tot = models.DateTimeField(null=True, blank=True)
    pogingen = models.PositiveSmallIntegerField(default=0)
    verzonden_op = models.DateTimeField(null=True, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("SMS-apparaat")
        verbose_name_plural = _("SMS-apparaten")

    @property
    def nummer(self) -> str:
        return self.user.mobiel

    def _code_hash(self, code: str) -> str:
        return _hmac(f"sms:{self.pk}:{code}")

    def nieuwe_code(self) -> str:
        """Generate and store (hashed) a fresh code; the caller sends it. Resets the tries."""
        code = f"{secrets.randbelow(10**6):06d}"
        nu = timezone.now()
        self.code_hash = self._code_hash(code)
        self.geldig_tot = nu + dt.timedelta(seconds=SMS_CODE_GELDIG_SECONDEN)
        self.pogingen = 0
        self.verzonden_op = nu
        self.save(update_fields=["code_hash", "geldig_tot", "pogingen", "verzonden_op"])
        return code

    def verify_token(self, token) -> bool:
        code = "".join(str(token or "").split())
        if not self.code_hash or self.geldig_tot is None or timezone.now() >= self.geldig_tot:
            return False
        if self.pogingen >= SMS_CODE_MAX_POGINGEN:
            return False
        self.pogingen += 1
        ok = code.isdigit() and hmac.compare_digest(self.code_hash, self._code_hash(code))
        if ok:
            # Single use.
            self.code_hash = ""
            self.geldig_tot = None
        self.save(update_fields=["code_hash", "geldig_tot", "pogingen"])
        return ok
