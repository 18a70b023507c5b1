from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

kvk_validator = RegexValidator(r"^[0-9]{8}$", _("Een KvK-nummer bestaat uit precies 8 cijfers."))
vestiging_validator = RegexValidator(r"^[0-9]{12}$", _("Een vestigingsnummer bestaat uit precies 12 cijfers."))


class Organisatie(models.Model):
    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("Wachten op goedkeuring")
        ACTIEF = "actief", _("Actief")
        OPGEZEGD = "opgezegd", _("Opgezegd")

    class Betaalwijze(models.TextChoices):
        BANKOVERSCHRIJVING = "bankoverschrijving", _("Bankoverschrijving")
        AUTOMATISCHE_INCASSO = "incasso", _("Automatische incasso")

    class Facturatiewijze(models.TextChoices):
        POST = "post", _("Factuur per post")
        EMAIL = "email", _("Factuur per e-mail")

    naam = models.CharField(_("bedrijfsnaam"), max_length=200)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, validators=[kvk_validator], db_index=True)
    vestigingsnummer = models.CharField(
        _("vestigingsnummer"), max_length=12, blank=True, validators=[vestiging_validator]
    )
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    straat = models.CharField(_("straat"), max_length=200, blank=True)
    huisnummer = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    land = models.CharField(_("land"), max_length=100, blank=True, default="Nederland")
    telefoon = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIEF)
    opgezegd_op = models.DateField(_("opgezegd op"), null=True, blank=True)

    # Facturatie (§2.4.3–§2.4.6)
    klantnummer = models.CharField(_("klantnummer"), max_length=20, blank=True)
    betaalwijze = models.CharField(
        _("betaalwijze"), max_length=20, choices=Betaalwijze.choices, default=Betaalwijze.BANKOVERSCHRIJVING
    )
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    machtigingskenmerk = models.CharField(_("machtigingskenmerk"), max_length=35, blank=True)
    facturatiewijze = models.CharField(
        _("facturatiewijze"), max_length=10, choices=Facturatiewijze.choices, default=Facturatiewijze.POST
    )
    factuur_email = models.EmailField(_("factuur e-mailadres"), blank=True)
    inkoopordernummer = models.CharField(_("inkoopordernummer"), max_length=50, blank=True)

    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["kvk_nummer", "vestigingsnummer"], name="uniek_kvk_vestiging"),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def adres(self) -> str:
        regel = f"{self.straat} {self.huisnummer}".strip()
        return ", ".join(part for part in (regel, f"{self.postcode} {self.plaats}".strip()) if part)
