"""Template helpers for the partials `_acties.html` and `_machtigingen.html`: which actions apply is decided by the
domain's predicates (`gebruikers.rules.acties_voor`, the same ones the services refuse with); the templates only
test flags."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from common.niveau import Niveau
from gebruikers import rules

register = template.Library()


def ververs_event(persoon_id: int) -> str:
    """The client event on which the details region of this person reloads (see `_acties.html`); the pop-up
    views send it on success."""
    return f"bm-details-{persoon_id}"


@dataclass(frozen=True)
class DetailsActies:
    """The predicates' answer plus what the partials need to link and reload."""

    persoon_id: int
    details_url: str
    ververs_event: str
    mag: rules.Acties

    def __getattr__(self, naam):
        if naam == "mag":  # not yet set (copy, pickle): no recursion
            raise AttributeError(naam)
        return getattr(self.mag, naam)


@register.simple_tag(takes_context=True)
def gebruiker_acties(context) -> DetailsActies:
    """`{% gebruiker_acties as acties %}` with `request`, `details` and `organisatie` in the context. No queries."""
    request = context["request"]
    details = context["details"]
    beheerder_middel = request.beheer.middel
    persoon_id = details.persoon.pk
    return DetailsActies(
        persoon_id=persoon_id,
        details_url=reverse("gebruikers:details", args=[persoon_id]),
        ververs_event=ververs_event(persoon_id),
        mag=rules.acties_voor(
            actor=request.user,
            beheerder_niveau=beheerder_middel.niveau if beheerder_middel else 0,
            beheerde_ids=[o.pk for o in request.beheer.organisaties],
            details=details,
            organisatie=context["organisatie"],
        ),
    )


@register.filter
def niveau_badge(niveau) -> str:
    """20 → 'EH 2', 25 → 'EH 2+' (the manual's badge)."""
    if niveau in (None, ""):
        return ""
    try:
        return Niveau(int(niveau)).badge
    except ValueError:
        return ""
