"""Predicates of facturatie (R52): which changes of the invoicing data the Beheermodule allows.

The one-way switches: bankoverschrijving → automatische incasso and factuur per post → factuur per e-mail.
The way back goes through We-ID support, never through the Beheermodule. The screens ask these to show the
potlood; the services ask the same ones to refuse.
"""

from django.utils.translation import gettext_lazy as _

from organisaties.models import Organisatie

Betaalwijze = Organisatie.Betaalwijze
Facturatiewijze = Organisatie.Facturatiewijze

# The manual's words (§2.4.5, §2.4.6).
TERUG_NAAR_BANKOVERSCHRIJVING = _(
    "Het omzetten van automatische incasso naar bankoverschrijving is via de beheermodule niet mogelijk."
)
TERUG_NAAR_POST = _("Het omzetten van factuur per e-mail naar factuur per post is via de beheermodule niet mogelijk.")


def betaalwijze_weigering(organisatie: Organisatie, naar: str):
    """Why the betaalwijze may not become `naar` (a lazy text), or None when it may."""
    if naar != Betaalwijze.AUTOMATISCHE_INCASSO:
        return TERUG_NAAR_BANKOVERSCHRIJVING
    return None


def facturatiewijze_weigering(organisatie: Organisatie, naar: str):
    if naar != Facturatiewijze.EMAIL:
        return TERUG_NAAR_POST
    return None


def mag_betaalwijze_wijzigen(organisatie: Organisatie) -> bool:
    """The potlood at Betaalwijze: only while it is still bankoverschrijving."""
    return organisatie.betaalwijze == Betaalwijze.BANKOVERSCHRIJVING


def mag_facturatiewijze_wijzigen(organisatie: Organisatie) -> bool:
    return organisatie.facturatiewijze == Facturatiewijze.POST


def heeft_incasso(organisatie: Organisatie) -> bool:
    return organisatie.betaalwijze == Betaalwijze.AUTOMATISCHE_INCASSO


def heeft_factuur_per_email(organisatie: Organisatie) -> bool:
    return organisatie.facturatiewijze == Facturatiewijze.EMAIL
