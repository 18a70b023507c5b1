"""Groepen (R24): named groups of people of one organisation, and the machtigingen a group holds.

Membership is by koppeling, not by middel: a member counts while that koppeling is running
(`Koppeling.objects.lopend()`), so a person who leaves the organisation drops out of its groups without
anything having to run, and coming back later (a new koppeling) does not silently restore old memberships.

A group machtiging is held by the group itself; each current member holds it while a member, each still
subject to R23, R30 and R31 (decided per member by the register and shown on the group's page).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import MAX_JAREN
from machtigingen.models import PlusJaren, ScopeFields

NAAM_MAX = 100


class GroepQuerySet(models.QuerySet):
    def bestaand(self):
        """Groups not deleted (a deleted group is kept, with its ended machtigingen, for the record)."""
        return self.filter(opgeheven_op__isnull=True)


class Groep(models.Model):
    organisatie = models.ForeignKey(
        "organisaties.Organisatie", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="groepen"
    )
    naam = models.CharField(_("naam"), max_length=NAAM_MAX)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    opgeheven_op = models.DateTimeField(_("verwijderd op"), null=True, blank=True)

    objects = GroepQuerySet.as_manager()

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        constraints = [
            # Case-insensitive: "Salarisadministratie" and "salarisadministratie" would confuse the beheerder.
            models.UniqueConstraint(
                Lower("naam"),
                models.F("organisatie"),
                condition=Q(opgeheven_op__isnull=True),
                name="groep_naam_uniek_per_organisatie",
            ),
        ]

    def __str__(self) -> str:
        return self.naam


class GroepLid(models.Model):
    groep = models.ForeignKey(Groep, verbose_name=_("groep"), on_delete=models.CASCADE, related_name="leden")
    koppeling = models.ForeignKey(
        "gebruikers.Koppeling", verbose_name=_("koppeling"), on_delete=models.CASCADE, related_name="groep_leden"
    )
    toegevoegd_op = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("groepslid")
        verbose_name_plural = _("groepsleden")
        constraints = [models.UniqueConstraint(fields=["groep", "koppeling"], name="groeplid_uniek")]

    def __str__(self) -> str:
        return f"{self.koppeling.middel.persoon} @ {self.groep}"


class GroepMachtiging(ScopeFields):
    groep = models.ForeignKey(Groep, verbose_name=_("groep"), on_delete=models.PROTECT, related_name="machtigingen")
    # As Machtiging: the day the current term started; R73's 5 years count from here.
    termijn_begint_op = models.DateField(_("begin huidige termijn"), null=True, blank=True)
    # R76, as Machtiging: the day a yes from the register last came through this group machtiging.
    laatst_gebruikt_op = models.DateField(_("laatst gebruikt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("groepsmachtiging")
        verbose_name_plural = _("groepsmachtigingen")
        constraints = [
            ScopeFields.scope_constraint("groepmachtiging_scope_geldig"),
            models.CheckConstraint(
                condition=Q(eindigt_op__gt=models.F("begint_op")), name="groepmachtiging_eind_na_begin"
            ),
            # R73: a term lasts at most 5 years.
            models.CheckConstraint(
                condition=Q(
                    eindigt_op__lte=PlusJaren(Coalesce(models.F("termijn_begint_op"), models.F("begint_op")), MAX_JAREN)
                ),
                name="groepmachtiging_hoogstens_5_jaar",
            ),
        ]
        indexes = [models.Index(fields=["groep", "status"], name="groepmachtiging_groep_status")]

    def __str__(self) -> str:
        return f"{self.groep} – {self.scope_omschrijving}"
