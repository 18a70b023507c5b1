"""The eToegang Dienstencatalogus (R70): dienstverleners and their diensten, keyed by ServiceUUID."""

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.niveau import Niveau


class Dienstverlener(models.Model):
    oin = models.CharField(_("OIN"), max_length=20, unique=True)
    naam = models.CharField(_("naam"), max_length=64)
    naam_en = models.CharField(_("naam (Engels)"), max_length=64, blank=True)
    is_public = models.BooleanField(_("openbaar"), default=True)
    ingetrokken = models.BooleanField(_("ingetrokken"), default=False)

    class Meta:
        verbose_name = _("dienstverlener")
        verbose_name_plural = _("dienstverleners")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.weergavenaam

    @property
    def weergavenaam(self) -> str:
        if translation.get_language() == "en" and self.naam_en:
            return self.naam_en
        return self.naam


class Dienst(models.Model):
    class Intermediatie(models.TextChoices):
        GEEN = "noIntermediation", _("Geen ketenmachtiging mogelijk")
        ALGEMEEN = "generalAvailable", _("Ketenmachtiging mogelijk")
        ALLEEN_DIENSTVERLENER = "serviceProviderOnly", _("Alleen via de dienstverlener")
        NA_GOEDKEURING = "requiresApproval", _("Ketenmachtiging na goedkeuring")

    service_uuid = models.UUIDField(_("ServiceUUID"), unique=True)
    dienstverlener = models.ForeignKey(
        Dienstverlener, verbose_name=_("dienstverlener"), on_delete=models.PROTECT, related_name="diensten"
    )
    naam = models.CharField(_("naam"), max_length=64)
    naam_en = models.CharField(_("naam (Engels)"), max_length=64, blank=True)
    omschrijving = models.CharField(_("omschrijving"), max_length=1024, blank=True)
    omschrijving_en = models.CharField(_("omschrijving (Engels)"), max_length=1024, blank=True)
    url = models.URLField(_("meer informatie"), max_length=500, blank=True)
    niveau = models.PositiveSmallIntegerField(_("vereist niveau"), choices=Niveau.choices)
    intermediatie = models.CharField(
        _("ketenmachtiging"), max_length=20, choices=Intermediatie.choices, default=Intermediatie.GEEN
    )
    is_public = models.BooleanField(_("openbaar"), default=True)
    ingetrokken = models.BooleanField(_("ingetrokken"), default=False, db_index=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    bijgewerkt_op = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["dienstverlener__naam", "naam"]

    def __str__(self) -> str:
        return self.weergavenaam

    @property
    def weergavenaam(self) -> str:
        if translation.get_language() == "en" and self.naam_en:
            return self.naam_en
        return self.naam

    @property
    def weergaveomschrijving(self) -> str:
        if translation.get_language() == "en" and self.omschrijving_en:
            return self.omschrijving_en
        return self.omschrijving

    @property
    def via_intermediair_toegestaan(self) -> bool:
        """Some ketenmachtiging may cover this dienst (for some intermediairs only when approval is needed)."""
        return self.intermediatie != self.Intermediatie.GEEN

    @property
    def goedkeuring_nodig(self) -> bool:
        """R75: only an intermediair the dienstverlener approved (recorded by support) may use it."""
        return self.intermediatie in INTERMEDIATIE_MET_GOEDKEURING


# R75: the values under which only an approved intermediair may use the dienst.
INTERMEDIATIE_MET_GOEDKEURING = frozenset(
    {Dienst.Intermediatie.ALLEEN_DIENSTVERLENER, Dienst.Intermediatie.NA_GOEDKEURING}
)


class CatalogusImport(models.Model):
    """One import of an edition of the catalogue, kept for support staff."""

    moment = models.DateTimeField(_("moment"), auto_now_add=True)
    bron = models.CharField(_("bestand"), max_length=300)
    catalogus_id = models.CharField(_("catalogus-ID"), max_length=200, blank=True)
    versie = models.CharField(_("versie"), max_length=200, blank=True)
    # The namespace the edition was written in (urn:etoegang:1.13:service-catalog or the older 1.11).
    schema = models.CharField(_("schema"), max_length=100, blank=True)
    uitgegeven_op = models.DateTimeField(_("uitgegeven op"), null=True, blank=True)
    toegevoegd = models.PositiveIntegerField(_("toegevoegd"), default=0)
    gewijzigd = models.PositiveIntegerField(_("gewijzigd"), default=0)
    ingetrokken = models.PositiveIntegerField(_("ingetrokken"), default=0)
    ongewijzigd = models.PositiveIntegerField(_("ongewijzigd"), default=0)

    class Meta:
        verbose_name = _("catalogusimport")
        verbose_name_plural = _("catalogusimports")
        ordering = ["-moment"]

    def __str__(self) -> str:
        return f"{self.bron} ({self.moment:%d-%m-%Y %H:%M})"


class CatalogusRegel(models.Model):
    """Scratch row of an import in progress: the new values of one changed dienst.

    The importer writes the changed diensten here in bulk and applies them with one set-based UPDATE
    (Django's bulk_update builds a CASE per row and field, far too slow for thousands of rows). Rows of a
    run are deleted before its transaction commits, so the table is empty outside an import.
    """

    run = models.UUIDField()
    service_uuid = models.UUIDField()
    dienstverlener = models.ForeignKey(Dienstverlener, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    naam = models.CharField(max_length=64)
    naam_en = models.CharField(max_length=64, blank=True)
    omschrijving = models.CharField(max_length=1024, blank=True)
    omschrijving_en = models.CharField(max_length=1024, blank=True)
    url = models.CharField(max_length=500, blank=True)
    niveau = models.PositiveSmallIntegerField(choices=Niveau.choices)
    intermediatie = models.CharField(max_length=20, choices=Dienst.Intermediatie.choices)
    is_public = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["run", "service_uuid"], name="catalogusregel_run_uuid")]


class IntermediairGoedkeuringQuerySet(models.QuerySet):
    def geldig(self):
        return self.filter(ingetrokken_op__isnull=True)


class IntermediairGoedkeuring(models.Model):
    """The dienstverlener's approval of an intermediair for a dienst, recorded by support (R75).

    A dienst with `serviceProviderOnly` or `requiresApproval` may be used through a ketenmachtiging only by an
    intermediair approved here. An approval is never deleted or edited, only revoked (`ingetrokken_op`), so the
    register's history and the audit trail agree.
    """

    dienst = models.ForeignKey(
        Dienst, verbose_name=_("dienst"), on_delete=models.PROTECT, related_name="intermediair_goedkeuringen"
    )
    intermediair = models.ForeignKey(
        "organisaties.Organisatie",
        verbose_name=_("intermediair"),
        on_delete=models.PROTECT,
        related_name="intermediair_goedkeuringen",
    )
    kenmerk = models.CharField(
        _("kenmerk goedkeuring dienstverlener"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld het kenmerk van de brief of e-mail waarin de dienstverlener goedkeurt."),
    )
    goedgekeurd_door = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    goedgekeurd_op = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    ingetrokken_door = models.ForeignKey(
        "gebruikers.Persoon",
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = IntermediairGoedkeuringQuerySet.as_manager()

    class Meta:
        verbose_name = _("goedkeuring intermediair")
        verbose_name_plural = _("goedkeuringen intermediairs")
        ordering = ["-goedgekeurd_op", "-pk"]
        constraints = [
            # One running approval per pair; revoked ones stay as history.
            models.UniqueConstraint(
                fields=["dienst", "intermediair"],
                condition=models.Q(ingetrokken_op__isnull=True),
                name="intermediair_goedkeuring_uniek",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intermediair} – {self.dienst}"
