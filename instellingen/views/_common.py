"""What the Instellingen tabs share: the tabs themselves and the safe link to the wijzigingsformulieren."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

TABS = [
    ("algemeen", _("Algemeen"), "instellingen:algemeen"),
    ("facturatie", _("Facturatie"), "instellingen:facturatie"),
    ("organisaties", _("Organisaties"), "instellingen:organisaties"),
]


def tabs(actief: str) -> list[dict]:
    return [{"label": label, "url": reverse(naam), "actief": sleutel == actief} for sleutel, label, naam in TABS]


def wijzigingsformulier_url() -> str | None:
    """Overige wijzigingen (§6.2), where the wijzigingsformulieren are; None while that screen does not exist."""
    try:
        return reverse("beheer:overige_wijzigingen")
    except NoReverseMatch:
        return None
