"""The outbox: every e-mail and SMS is a row written in the same transaction as the change that causes it.

A Celery task delivers it after commit; a periodic sweeper re-enqueues what the broker never received, so a
message survives a broker or mail server that is down.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def nieuwe_sleutel() -> str:
    return uuid.uuid4().hex


class Soort(models.TextChoices):
    ACTIVATIE = "activatie", _("Activatie")
    NIEUWE_ACTIVATIE = "nieuwe_activatie", _("Nieuwe activatie na verlopen")
    AANVRAAG_AFGEKEURD = "aanvraag_afgekeurd", _("Aanvraag afgekeurd")
    MACHTIGINGEN_GEWIJZIGD = "machtigingen_gewijzigd", _("Machtigingen gewijzigd")
    TELEFOONNUMMER_GEWIJZIGD = "telefoonnummer_gewijzigd", _("Telefoonnummer gewijzigd")
    INTERMEDIAIR_GEINFORMEERD = "intermediair_geinformeerd", _("Intermediair geïnformeerd")
    UITNODIGING_KETENMACHTIGING = "uitnodiging_ketenmachtiging", _("Uitnodiging ketenmachtiging")
    MACHTIGING_VERLOOPT_BINNENKORT = "machtiging_verloopt_binnenkort", _("Machtiging verloopt binnenkort")
    OFFERTE_KETENMODULE = "offerte_ketenmodule", _("Offerte module ketenmachtigingen")
    GEBRUIKERSNAAM = "gebruikersnaam", _("Gebruikersnaam opgevraagd")
    WACHTWOORD_HERSTELLEN = "wachtwoord_herstellen", _("Wachtwoord herstellen")
    AANVRAAG_ONTVANGEN = "aanvraag_ontvangen", _("Aanvraag ontvangen")
    TYPE_GEWIJZIGD = "type_gewijzigd", _("Type eHerkenningsmiddel gewijzigd")
    MIDDEL_OPGEZEGD = "middel_opgezegd", _("eHerkenning opgezegd")
    OPZEGGING_NIET_UITGEVOERD = "opzegging_niet_uitgevoerd", _("Geplande opzegging niet uitgevoerd")
    EMAIL_GEWIJZIGD = "email_gewijzigd", _("E-mailadres gewijzigd")
    EIGEN_MIDDEL_EINDIGT = (
        "eigen_middel_eindigt_zonder_andere_beheerder",
        _("Eigen middel eindigt zonder andere beheerder"),
    )
    # Instellingen (I1): confirmation of a change of the invoicing data (R52), to the invoice address(es)
    FACTURATIEGEGEVENS_GEWIJZIGD = "facturatiegegevens_gewijzigd", _("Facturatiegegevens gewijzigd")
    # Ketenmachtigingen van relaties (K2)
    UITNODIGING_CODE = "uitnodiging_code", _("Code uitnodiging ketenmachtiging")
    UITNODIGING_BEANTWOORD = "uitnodiging_beantwoord", _("Uitnodiging ketenmachtiging beantwoord")
    # Laatst gebruikt (A2, R76): a machtiging unused for 22 months ends in 2 months unless used
    MACHTIGING_ONGEBRUIKT = "machtiging_ongebruikt", _("Machtiging wordt niet gebruikt")
    # R76 for group machtigingen and ketenmachtigingen: their own soort, as HerinneringVerstuurd keys by object_id
    GROEPSMACHTIGING_ONGEBRUIKT = "groepsmachtiging_ongebruikt", _("Groepsmachtiging wordt niet gebruikt")
    KETENMACHTIGING_ONGEBRUIKT = "ketenmachtiging_ongebruikt", _("Ketenmachtiging wordt niet gebruikt")


class Bericht(models.Model):
    class Kanaal(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        SENDING = "sending", _("Wordt verzonden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    class Taal(models.TextChoices):
        NL = "nl", _("Nederlands")
        EN = "en", _("English")

    kanaal = models.CharField(_("kanaal"), max_length=5, choices=Kanaal.choices, default=Kanaal.EMAIL)
    soort = models.CharField(_("soort"), max_length=50, choices=Soort.choices, db_index=True)
    ontvanger = models.CharField(_("ontvanger"), max_length=254)
    persoon = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("persoon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="berichten",
    )
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="berichten",
    )
    taal = models.CharField(_("taal"), max_length=2, choices=Taal.choices, default=Taal.NL)
    # Rendered when the message is placed: later changes to the data do not alter a queued message.
    onderwerp = models.CharField(_("onderwerp"), max_length=255, blank=True)
    tekst = models.TextField(_("tekst"))
    html = models.TextField(_("HTML"), blank=True)
    # ...unless placed with its context only (berichten.outbox.Plaatsing.bij_bezorging, for the bulk steps): then
    # delivery renders it, fills in the three fields above and empties this one.
    context = models.JSONField(_("context voor weergave"), null=True, blank=True, editable=False)
    # One optional attachment (the offerte PDF), kept in the private storage with the message.
    bijlage = models.FileField(_("bijlage"), upload_to="berichten/bijlagen/%Y/%m", blank=True)
    bijlage_naam = models.CharField(_("naam bijlage"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    laatste_fout = models.TextField(_("laatste fout"), blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # When a worker claimed the row (status sending); a claim far older than the task time limit means the
    # worker died mid-delivery.
    geclaimd_op = models.DateTimeField(_("geclaimd op"), null=True, blank=True)
    # A failed message is tried again from this moment; null on a failed message means: no more automatic
    # attempts (permanent error or attempts exhausted), staff may resend.
    volgende_poging_op = models.DateTimeField(_("volgende poging op"), null=True, blank=True)
    verzonden_op = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    # Idempotency key: placing the same key twice yields one message; also the e-mail's Message-ID.
    sleutel = models.CharField(_("sleutel"), max_length=100, unique=True, default=nieuwe_sleutel, editable=False)
    extern_id = models.CharField(_("extern ID"), max_length=200, blank=True)
    opnieuw_van = models.ForeignKey(
        "self",
        verbose_name=_("opnieuw verstuurd van"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-aangemaakt_op", "-id"]
        indexes = [
            models.Index(fields=["status", "aangemaakt_op"], name="bericht_status_aangemaakt"),
            models.Index(fields=["status", "volgende_poging_op"], name="bericht_status_volgende"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kanaal_display()} {self.get_soort_display()} → {self.ontvanger} ({self.get_status_display()})"
        )


class SmsBericht(models.Model):
    """What the development SMS backend 'sent': kept so developers and staff can read SMS codes."""

    nummer = models.CharField(_("nummer"), max_length=20, db_index=True)
    afzender = models.CharField(_("afzender"), max_length=20, blank=True)
    tekst = models.TextField(_("tekst"))
    bericht_id = models.CharField(_("bericht-ID"), max_length=64, unique=True, default=nieuwe_sleutel)
    verzonden_op = models.DateTimeField(_("verzonden op"), default=timezone.now)

    class Meta:
        verbose_name = _("SMS (ontwikkeling)")
        verbose_name_plural = _("SMS'jes (ontwikkeling)")
        ordering = ["-verzonden_op", "-id"]

    def __str__(self) -> str:
        return f"{self.nummer}: {self.tekst[:40]}"


class HerinneringVerstuurd(models.Model):
    """Marks that a reminder about one object and one date was placed, so the daily job never repeats it."""

    soort = models.CharField(_("soort"), max_length=50, choices=Soort.choices)
    object_id = models.PositiveBigIntegerField(_("object-ID"))
    datum = models.DateField(_("datum"))
    bericht = models.ForeignKey(
        Bericht, verbose_name=_("bericht"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["soort", "object_id", "datum"], name="herinnering_eenmaal"),
        ]

    def __str__(self) -> str:
        return f"{self.soort} #{self.object_id} ({self.datum:%d-%m-%Y})"
