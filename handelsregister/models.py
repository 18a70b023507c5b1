"""The embedded Handelsregister: the KvK API answers kept as they come, plus rows to find them by.

The stored JSON is the source of what a look-up returns (read with the same code as the live API answers);
the columns beside it are copies for lookup and search, written by the loader only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisaties.models import kvk_validator, vestiging_validator


class Inschrijving(models.Model):
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, unique=True, validators=[kvk_validator])
    naam = models.CharField(_("naam"), max_length=500, db_index=True)
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    basisprofiel = models.JSONField(_("Basisprofiel (KvK API v1)"))
    zoekresultaten = models.JSONField(_("Zoeken-resultaten (KvK API v2)"), default=list)
    bijgewerkt_op = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.kvk_nummer})"


class Vestiging(models.Model):
    inschrijving = models.ForeignKey(
        Inschrijving, verbose_name=_("inschrijving"), on_delete=models.CASCADE, related_name="vestigingen"
    )
    vestigingsnummer = models.CharField(
        _("vestigingsnummer"), max_length=12, unique=True, validators=[vestiging_validator]
    )
    eerste_handelsnaam = models.CharField(_("eerste handelsnaam"), max_length=500, db_index=True)
    is_hoofdvestiging = models.BooleanField(_("hoofdvestiging"), default=False)

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["-is_hoofdvestiging", "vestigingsnummer"]

    def __str__(self) -> str:
        return f"{self.eerste_handelsnaam} ({self.vestigingsnummer})"


class WettelijkVertegenwoordiger(models.Model):
    """Who may sign for the organisation. Not in the KvK API, so only the embedded register has them."""

    inschrijving = models.ForeignKey(
        Inschrijving,
        verbose_name=_("inschrijving"),
        on_delete=models.CASCADE,
        related_name="wettelijk_vertegenwoordigers",
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    naam = models.CharField(_("naam"), max_length=200)
    geboortedatum = models.DateField(_("geboortedatum"), null=True, blank=True)
    bevoegdheid = models.CharField(_("bevoegdheid"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wettelijk vertegenwoordiger")
        verbose_name_plural = _("wettelijk vertegenwoordigers")
        ordering = ["volgorde", "pk"]

    def __str__(self) -> str:
        return self.naam
