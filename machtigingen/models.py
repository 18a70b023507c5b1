"""Machtigingen: a middel may use a scope of diensten on behalf of one organisation, for a period.

The end date is exclusive: a machtiging is valid on days begint_op <= d < eindigt_op.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import MAX_JAREN
from common.niveau import Niveau


class PlusJaren(models.Func):
    """`datum + n years` as SQL, for the R73 check constraint.

    Date arithmetic is backend specific, so each backend gets its own form. PostgreSQL maps 29 February to
    28 February (as `common.dates.plus_jaren` does); SQLite's `date()` rolls it over to 1 March, one day
    looser, which is acceptable for a backstop: the services enforce the exact limit.
    """

    arity = 1
    output_field = models.DateField()

    def __init__(self, expression, jaren: int, **extra):
        self.jaren = int(jaren)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + make_interval(years => {self.jaren}))::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '+{self.jaren} years')", params


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
    # No index of its own: machtiging_org_middel starts with it (every write would keep two).
    organisatie = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="machtigingen",
        db_index=False,
    )
    # The day the current term started: set whenever the end date is changed (verlengen, potlood, bulk R36).
    # "Machtiging sinds" (begint_op) stays the day it was first added; R73's 5 years count from this day.
    termijn_begint_op = models.DateField(_("begin huidige termijn"), null=True, blank=True)
    # R76 Laatst gebruikt: the last day the register permitted through this machtiging (written by the API).
    laatst_gebruikt_op = models.DateField(_("laatst gebruikt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        constraints = [
            ScopeFields.scope_constraint("machtiging_scope_geldig"),
            models.CheckConstraint(condition=Q(eindigt_op__gt=models.F("begint_op")), name="machtiging_eind_na_begin"),
            # R73: a term lasts at most 5 years.
            models.CheckConstraint(
                condition=Q(
                    eindigt_op__lte=PlusJaren(Coalesce(models.F("termijn_begint_op"), models.F("begint_op")), MAX_JAREN)
                ),
                name="machtiging_hoogstens_5_jaar",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "eindigt_op"], name="machtiging_status_eind"),
            models.Index(fields=["organisatie", "middel", "status"], name="machtiging_org_middel"),
        ]

    def __str__(self) -> str:
        return f"{self.middel.persoon} – {self.scope_omschrijving}"
