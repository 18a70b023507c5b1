"""Ketenmachtigingen: organisation A (verlener) authorises intermediair B for a scope (R40–R45, R72)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from machtigingen.models import ScopeFields


class Ketenmachtiging(ScopeFields):
    class AangevraagdDoor(models.TextChoices):
        VERLENER = "verlener", _("De organisatie zelf (afgegeven)")
        INTERMEDIAIR = "intermediair", _("De intermediair (uitnodiging)")

    verlener = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("verlener"),
        on_delete=models.PROTECT,
        related_name="afgegeven_ketenmachtigingen",
    )
    intermediair = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("intermediair"),
        on_delete=models.PROTECT,
        related_name="ontvangen_ketenmachtigingen",
    )
    aangevraagd_door = models.CharField(
        _("aangevraagd door"),
        max_length=12,
        choices=AangevraagdDoor.choices,
        default=AangevraagdDoor.VERLENER,
    )
    afgegeven_door = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("afgegeven door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intermediair_email = models.EmailField(_("e-mailadres intermediair"), blank=True)
    middelen = models.ManyToManyField(
        "gebruikers.Middel",
        through="KetenmachtigingMiddel",
        verbose_name=_("gekoppelde middelen van de intermediair"),
        related_name="ketenmachtigingen",
    )

    class Meta:
        verbose_name = _("ketenmachtiging")
        verbose_name_plural = _("ketenmachtigingen")
        constraints = [
            ScopeFields.scope_constraint("ketenmachtiging_scope_geldig"),
            models.CheckConstraint(
                condition=Q(eindigt_op__gt=models.F("begint_op")), name="ketenmachtiging_eind_na_begin"
            ),
            models.CheckConstraint(
                condition=~Q(verlener=models.F("intermediair")), name="ketenmachtiging_niet_aan_zichzelf"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "eindigt_op"], name="keten_status_eind"),
            models.Index(fields=["intermediair", "verlener", "status"], name="keten_inter_verlener"),
        ]

    def __str__(self) -> str:
        return f"{self.verlener} → {self.intermediair}: {self.scope_omschrijving}"


class KetenmachtigingMiddel(models.Model):
    """The intermediair's beheerder links a received ketenmachtiging to one of its own middelen (R44)."""

    ketenmachtiging = models.ForeignKey(Ketenmachtiging, on_delete=models.CASCADE, related_name="koppelingen")
    middel = models.ForeignKey("gebruikers.Middel", on_delete=models.PROTECT, related_name="+")
    gekoppeld_door = models.ForeignKey(
        "gebruikers.Persoon", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gekoppeld_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("koppeling ketenmachtiging")
        verbose_name_plural = _("koppelingen ketenmachtigingen")
        constraints = [
            models.UniqueConstraint(fields=["ketenmachtiging", "middel"], name="keten_middel_uniek"),
        ]


class KetenModule(models.Model):
    """An intermediair's module for receiving ketenmachtigingen van relaties (R43)."""

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
        OFFERTE_VERSTUURD = "offerte_verstuurd", _("Offerte verstuurd")
        GEACCEPTEERD = "geaccepteerd", _("Offerte geaccepteerd")
        INGESCHAKELD = "ingeschakeld", _("Ingeschakeld")

    organisatie = models.OneToOneField(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="ketenmodule",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEVRAAGD)
    spoed = models.BooleanField(_("spoedprocedure"), default=False)
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    offerte_verstuurd_op = models.DateTimeField(_("offerte verstuurd op"), null=True, blank=True)
    geaccepteerd_op = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    ingeschakeld_op = models.DateTimeField(_("ingeschakeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("module ketenmachtigingen")
        verbose_name_plural = _("modules ketenmachtigingen")

    def __str__(self) -> str:
        return f"{self.organisatie}: {self.get_status_display()}"
