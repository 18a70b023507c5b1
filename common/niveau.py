"""Betrouwbaarheidsniveaus (levels of assurance), ordered so they compare as numbers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Niveau(models.IntegerChoices):
    EH1 = 10, "EH1"
    EH2 = 20, "EH2"
    EH2_PLUS = 25, "EH2+"
    EH3 = 30, "EH3"
    EH4 = 40, "EH4"

    @property
    def urn(self) -> str:
        return LOA_URNS[self]

    @property
    def badge(self) -> str:
        """The overview's badge text: 'EH 2+', 'EH 3'."""
        return "EH " + self.label.removeprefix("EH")

    @classmethod
    def from_urn(cls, urn: str) -> "Niveau":
        try:
            return URN_TO_NIVEAU[urn.strip()]
        except KeyError:
            raise ValueError(_("Onbekend betrouwbaarheidsniveau: %(urn)s") % {"urn": urn}) from None


LOA_URNS = {
    Niveau.EH1: "urn:etoegang:core:assurance-class:loa1",
    Niveau.EH2: "urn:etoegang:core:assurance-class:loa2",
    Niveau.EH2_PLUS: "urn:etoegang:core:assurance-class:loa2plus",
    Niveau.EH3: "urn:etoegang:core:assurance-class:loa3",
    Niveau.EH4: "urn:etoegang:core:assurance-class:loa4",
}
URN_TO_NIVEAU = {urn: niveau for niveau, urn in LOA_URNS.items()}

# Middelen are issued at these levels (older EH2 middelen still exist).
UITGIFTE_NIVEAUS = (Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH4)
