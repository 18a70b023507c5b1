"""Template helpers for the partials `_acties.html` and `_machtigingen.html`: which actions apply is decided in
Python (`gebruikers.views.mutaties.acties_voor`), the templates only test flags."""

from django import template

from common.niveau import Niveau

register = template.Library()


@register.simple_tag(takes_context=True)
def gebruiker_acties(context):
    """`{% gebruiker_acties as acties %}` with `request`, `details` and `organisatie` in the context. No queries."""
    from gebruikers.views.mutaties import acties_voor

    request = context["request"]
    return acties_voor(
        actor=request.user,
        beheerder_middel=request.beheer.middel,
        beheerde_organisaties=request.beheer.organisaties,
        details=context["details"],
        organisatie=context["organisatie"],
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
