"""How the rubriek Machtigingen names a scope in URLs, in the page and in its client events, and what a line of the
overview prints (worked out here, so the templates only render)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from common.niveau import Niveau
from machtigingen.models import Scope
from machtigingen.selectors import OverzichtRegel, ScopeSleutel


def scope_waarde(sleutel: ScopeSleutel) -> int:
    """The number naming a scope in its URL: the dienst, the niveau or the dienstverlener."""
    if sleutel.scope == Scope.DIENST:
        return sleutel.dienst_id
    if sleutel.scope == Scope.ALGEMEEN:
        return sleutel.niveau
    return sleutel.dienstverlener_id


def sleutel_uit_url(soort: str, waarde: int) -> ScopeSleutel:
    """The scope of a details URL; an unknown kind or niveau → 404."""
    if soort == Scope.DIENST:
        return ScopeSleutel(Scope.DIENST, dienst_id=waarde)
    if soort == Scope.ALGEMEEN:
        if waarde not in Niveau.values:
            raise Http404
        return ScopeSleutel(Scope.ALGEMEEN, niveau=waarde)
    if soort == Scope.DIENSTVERLENER:
        return ScopeSleutel(Scope.DIENSTVERLENER, dienstverlener_id=waarde)
    raise Http404


def dom_id(sleutel: ScopeSleutel) -> str:
    return f"scope-{sleutel.scope}-{scope_waarde(sleutel)}"


def ververs_event(sleutel: ScopeSleutel) -> str:
    """The client event on which the overview's line of this scope reloads; the pop-ups send it on success."""
    return f"bm-machtigingen-{sleutel.scope}-{scope_waarde(sleutel)}"


def details_url(sleutel: ScopeSleutel) -> str:
    return reverse("machtigingen:details", args=[sleutel.scope, scope_waarde(sleutel)])


@dataclass(frozen=True)
class RegelWeergave:
    """One line of the overview as it prints: the dienstverlener, the dienst (or kind), how many users."""

    regel: OverzichtRegel
    id: str
    details_url: str
    ververs_event: str
    verlener: str
    dienst: str
    niveau_badge: str
    aantal: str
    binnenkort: str


def regel_weergave(regel: OverzichtRegel) -> RegelWeergave:
    sleutel = regel.sleutel
    if regel.scope == Scope.ALGEMEEN:
        verlener, dienst = str(Scope.ALGEMEEN.label), Niveau(sleutel.niveau).label
    elif regel.scope == Scope.DIENSTVERLENER:
        verlener, dienst = regel.dienstverlener, gettext("Dienstverlenersmachtiging (alle diensten)")
    else:
        verlener, dienst = regel.dienstverlener, regel.naam
    niveau = regel.niveau
    return RegelWeergave(
        regel=regel,
        id=dom_id(sleutel),
        details_url=details_url(sleutel),
        ververs_event=ververs_event(sleutel),
        verlener=verlener,
        dienst=dienst,
        niveau_badge=Niveau(niveau).badge if niveau else "",
        aantal=ngettext("%(aantal)d Gebruiker", "%(aantal)d Gebruikers", regel.aantal) % {"aantal": regel.aantal},
        binnenkort=(
            ngettext("%(aantal)d verloopt binnenkort", "%(aantal)d verlopen binnenkort", regel.aantal_binnenkort)
            % {"aantal": regel.aantal_binnenkort}
            if regel.aantal_binnenkort
            else ""
        ),
    )


@dataclass(frozen=True)
class Groep:
    """The lines under one heading: Algemene bevoegdheid, or one dienstverlener (§4.1)."""

    naam: str
    regels: list[RegelWeergave]


def groepen(regels: list[OverzichtRegel]) -> list[Groep]:
    """The lines grouped as the selector ordered them: Algemene bevoegdheid, then per dienstverlener."""
    weergave = [regel_weergave(r) for r in regels]
    return [
        Groep(naam=items[0].verlener, regels=items)
        for items in (
            list(g) for _k, g in groupby(weergave, key=lambda w: (w.regel.scope == Scope.ALGEMEEN, w.regel.verlener_id))
        )
    ]
