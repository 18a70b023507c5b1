"""Machtigingen: a middel may use a scope of diensten on behalf of one organisation, for a period.

The end date is exclusive: a machtiging is valid on days begint_op <= d < eindigt_op.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.niveau import Niveau


class Scope(models.TextChoices):
    DIENST = "dienst", _("Dienst")
    ALGEMEEN = "algemeen", _("Algemene bevoegdheid")
    DIENSTVERLENER = "dienstverlener", _("Dienstverlenersmachtiging")


class Status(models.TextChoices):
    ACTIEF = "actief", _("Actief")
    VERLOPEN = "verlopen", _("Verlopen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class ScopeFields(models.Model):
    """The scope shared by machtigingen and ketenmachtigingen: one dienst, all up to a niveau, or a dienstverlener."""

    scope = models.CharField(_("reikwijdte"), max_length=20, choices=Scope.choices)
    dienst = models.ForeignKey(
        "catalogus.Dienst",
        verbose_name=_("dienst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    niveau = models.PositiveSmallIntegerField(_("tot en met niveau"), choices=Niveau.choices, null=True, blank=True)
    dienstverlener = models.ForeignKey(
        "catalogus.Dienstverlener",
        verbose_name=_("dienstverlener"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    begint_op = models.DateField(_("startdatum"))
    eindigt_op = models.DateField(_("einddatum"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIEF)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def scope_constraint(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(
                Q(scope=Scope.DIENST, dienst__isnull=False, niveau__isnull=True, dienstverlener__isnull=True)
                | Q(
                    scope=Scope.ALGEMEEN,
                    dienst__isnull=True,
                    niveau__isnull=False,
                    dienstverlener__isnull=True,
                )
                | Q(
                    scope=Scope.DIENSTVERLENER,
                    dienst__isnull=True,
                    niveau__isnull=True,
                    dienstverlener__isnull=False,
                )
            ),
            name=name,
        )

    @property
    def scope_omschrijving(self) -> str:
        if self.scope == Scope.DIENST:
            return str(self.dienst)
        if self.scope == Scope.ALGEMEEN:
            return f"{Scope.ALGEMEEN.label} {Niveau(self.niveau).label}"
        return f"{Scope.DIENSTVERLENER.label} {self.dienstverlener}"


class Machtiging(ScopeFields):
    middel = models.ForeignKey(
        "gebruikers.Middel", verbose_name=_("middel"), on_delete=models.PROTECT, related_name="machtigingen"
    )
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="machtigingen",
    )

    class Meta:
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        constraints = [
            ScopeFields.scope_constraint("machtiging_scope_geldig"),
            models.CheckConstraint(condition=Q(eindigt_op__gt=models.F("begint_op")), name="machtiging_eind_na_begin"),
        ]
        indexes = [
            models.Index(fields=["status", "eindigt_op"], name="machtiging_status_eind"),
            models.Index(fields=["organisatie", "middel", "status"], name="machtiging_org_middel"),
        ]

    def __str__(self) -> str:
        return f"{self.middel.persoon} – {self.scope_omschrijving}"
