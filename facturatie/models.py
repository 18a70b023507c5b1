"""The tariff table (R17): every price the product shows comes from here; support staff edit it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.weergave import euro


class Tarief(models.Model):
    class Code(models.TextChoices):
        MIDDEL_EH2_PLUS = "middel_eh2plus", _("EH2+ middel")
        MIDDEL_EH3 = "middel_eh3", _("EH3 middel")
        MIDDEL_EH4 = "middel_eh4", _("EH4 middel")
        BELASTINGDIENST_EH3 = "belastingdienst_eh3", _("EH3 Belastingdienstmiddel")
        KOPPELING_EH2_PLUS = "koppeling_eh2plus", _("Koppeling extra organisatie EH2+")
        KOPPELING_EH3 = "koppeling_eh3", _("Koppeling extra organisatie EH3")
        KOPPELING_EH4 = "koppeling_eh4", _("Koppeling extra organisatie EH4")
        OTP_DEVICE = "otp_device", _("OTP device")
        NIEUWE_ACTIVATIE = "nieuwe_activatie", _("Nieuwe uitnodiging tot activatie")
        KETENMACHTIGING = "ketenmachtiging", _("Ketenmachtiging per intermediair")
        # Surcharges of the old invoicing choices (R52), shown as "extra kosten per factuur".
        TOESLAG_BANKOVERSCHRIJVING = "toeslag_bankoverschrijving", _("Toeslag betaling per bankoverschrijving")
        TOESLAG_FACTUUR_POST = "toeslag_factuur_post", _("Toeslag factuur per post")

    class Periode(models.TextChoices):
        JAAR = "1", _("per jaar")
        DRIE_JAAR = "3", _("per 3 jaar")
        EENMALIG = "0", _("eenmalig")
        PER_FACTUUR = "F", _("per factuur")

    code = models.CharField(_("product"), max_length=30, choices=Code.choices)
    periode = models.CharField(_("periode"), max_length=1, choices=Periode.choices)
    bedrag = models.DecimalField(_("bedrag (excl. btw)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["code", "periode"]
        constraints = [models.UniqueConstraint(fields=["code", "periode"], name="een_tarief_per_product_en_periode")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.get_periode_display()}: {euro(self.bedrag)}"
