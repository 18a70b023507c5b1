"""Reads for + Voeg toe (§4.2) and Voeg machtiging toe for one person (§3.9): what can be chosen, and why not.

Each option is a `Keuze` (value, label, whether it can be chosen, badge, warning, description) that
`machtigingen.forms_toevoegen` hands to the one form renderer. Whether a choice can be made is decided by the
same predicates the services refuse with (`machtigingen.rules`, `paar_weigering` here), so what is offered
is what the service accepts. Every function runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogus.models import Dienst, Dienstverlener
from common.niveau import Niveau
from gebruikers.models import Middel
from groepen.selectors import groepen_dekking
from machtigingen import rules
from machtigingen.models import Scope
from machtigingen.register_feiten import belastingdienst_oin
from machtigingen.selectors import (
    NIVEAU_TE_LAAG,
    NIVEAU_TE_LAAG_BULK,
    GekozenScope,
    ScopeSleutel,
    kiesbare_diensten,
    middel_gekoppeld_aan,
)

# The catalogue can hold thousands of diensten and an organisation thousands of people: a pop-up lists at most
# this many; the search narrows it down.
MAX_DIENSTEN = 100
MAX_GEBRUIKERS = 100

WEIGERING_NIET_ACTIEF = "R30"
WEIGERING_BELASTINGDIENST = "R23"
BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST = _(
    "Met een EH3 Belastingdienstmiddel kan alleen een machtiging voor diensten van de Belastingdienst worden gegeven."
)


@dataclass
class Keuze:
    waarde: int
    label: str
    kiesbaar: bool = True
    badge: str = ""
    waarschuwing: str = ""
    beschrijving: str = ""


def paar_weigering(
    *,
    middel_status: str,
    middel_type: str,
    middel_niveau: int,
    gekoppeld: bool,
    scope: GekozenScope,
    belastingdienst: bool,
) -> str | None:
    """The rule that refuses giving `scope` to this middel, or None: R30 (Actief and linked), R31 (niveau), R23
    (an EH3 Belastingdienstmiddel logs in only at the Belastingdienst, so it gets nothing wider: only diensten
    or the Dienstverlenersmachtiging of the Belastingdienst). `belastingdienst`: the scope is one of those.
    Pure; the service refuses with it and Kies gebruikers greys people out with it."""
    if not (middel_status == Middel.Status.ACTIEF and gekoppeld):
        return WEIGERING_NIET_ACTIEF
    if not rules.niveau_volstaat(middel_niveau, scope.vereist_niveau):
        return rules.WEIGERING_NIVEAU_TE_LAAG
    if middel_type == Middel.Type.BELASTINGDIENST and not belastingdienst:
        return WEIGERING_BELASTINGDIENST
    return None


def belastingdienst_sleutels(scopes: Iterable[GekozenScope]) -> frozenset[ScopeSleutel]:
    """The chosen scopes that belong to the Belastingdienst (R23). At most two queries."""
    scopes = list(scopes)
    oin = belastingdienst_oin()
    dienst_ids = [s.sleutel.dienst_id for s in scopes if s.sleutel.scope == Scope.DIENST]
    verlener_ids = [s.sleutel.dienstverlener_id for s in scopes if s.sleutel.scope == Scope.DIENSTVERLENER]
    sleutels = set()
    if dienst_ids:
        for pk in Dienst.objects.filter(pk__in=dienst_ids, dienstverlener__oin=oin).values_list("pk", flat=True):
            sleutels.add(ScopeSleutel(Scope.DIENST, dienst_id=pk))
    if verlener_ids:
        for pk in Dienstverlener.objects.filter(pk__in=verlener_ids, oin=oin).values_list("pk", flat=True):
            sleutels.add(ScopeSleutel(Scope.DIENSTVERLENER, dienstverlener_id=pk))
    return frozenset(sleutels)


def _weigering_tekst(weigering: str | None, *, bulk: bool) -> str:

    teksten = {
        rules.WEIGERING_NIVEAU_TE_LAAG: NIVEAU_TE_LAAG_BULK if bulk else NIVEAU_TE_LAAG,
        rules.WEIGERING_BOVEN_EIGEN_NIVEAU: rules.BOVEN_EIGEN_NIVEAU,
        WEIGERING_BELASTINGDIENST: BELASTINGDIENSTMIDDEL_ALLEEN_BELASTINGDIENST,
    }
    return teksten.get(weigering, "")


# --- Kies diensten --------------------------------------------------------------------------------------------


def algemeen_keuzes(*, beheerder_niveau: int, middel_niveau: int | None = None, bulk: bool = False) -> list[Keuze]:
    """Algemene bevoegdheid niveau 1 … 4. For one person a niveau it cannot get is shown greyed with the
    reason (R31, R39); in the rubriek a niveau above the beheerder's own is not offered at all (R39). No queries."""
    keuzes = []
    for niveau in Niveau:
        weigering = rules.keuze_weigering(niveau=niveau, middel_niveau=middel_niveau, beheerder_niveau=beheerder_niveau)
        if bulk and weigering == rules.WEIGERING_BOVEN_EIGEN_NIVEAU:
            continue
        keuzes.append(
            Keuze(
                waarde=int(niveau),
                label=f"{Scope.ALGEMEEN.label} {niveau.label}",
                kiesbaar=weigering is None,
                badge=niveau.badge,
                waarschuwing=_weigering_tekst(weigering, bulk=bulk),
            )
        )
    return keuzes


def _zoekfilter(zoek: str, *velden: str) -> Q:
    q = Q()
    for veld in velden:
        q |= Q(**{f"{veld}__icontains": zoek})
    return q


def dienst_keuzes(
    *,
    beheerder_niveau: int,
    middel_niveau: int | None = None,
    zoek: str = "",
    gekozen: Iterable[int] = (),
    bulk: bool = False,
) -> tuple[list[tuple[str, list[Keuze]]], bool]:
    """The catalogue's current diensten grouped by dienstverlener (R70: with the ServiceDescription to help
    choose), and whether there are more than shown. Chosen ones stay listed whatever the search and always make
    the cut (a search narrowed before, or *Verleng machtiging* opening the pop-up with its dienst). One query."""
    gekozen = list(gekozen)
    diensten = kiesbare_diensten(middel_niveau=middel_niveau, beheerder_niveau=beheerder_niveau)
    if bulk:
        diensten = diensten.filter(niveau__lte=beheerder_niveau)
    if zoek:
        zoekfilter = _zoekfilter(zoek, "naam", "naam_en", "dienstverlener__naam", "omschrijving")
        diensten = diensten.filter(zoekfilter | Q(pk__in=gekozen))
    if gekozen:
        eerst = ExpressionWrapper(Q(pk__in=gekozen), output_field=BooleanField())
        diensten = diensten.alias(gekozen_eerst=eerst).order_by("-gekozen_eerst", "dienstverlener__naam", "naam", "pk")
    rijen = list(diensten[: MAX_DIENSTEN + 1])
    meer = len(rijen) > MAX_DIENSTEN
    zichtbaar = sorted(rijen[:MAX_DIENSTEN], key=lambda d: (d.dienstverlener.naam, d.naam, d.pk))
    groepen = []
    for verlener, items in groupby(zichtbaar, key=lambda d: d.dienstverlener):
        keuzes = []
        for dienst in items:
            weigering = rules.keuze_weigering(
                niveau=dienst.niveau, middel_niveau=middel_niveau, beheerder_niveau=beheerder_niveau
            )
            keuzes.append(
                Keuze(
                    waarde=dienst.pk,
                    label=str(dienst),
                    kiesbaar=weigering is None,
                    badge=Niveau(dienst.niveau).badge,
                    waarschuwing=_weigering_tekst(weigering, bulk=bulk),
                    beschrijving=dienst.weergaveomschrijving,
                )
            )
        groepen.append((str(verlener), keuzes))
    return groepen, meer


def dienstverlener_keuzes(
    *, beheerder_niveau: int, zoek: str = "", gekozen: Iterable[int] = (), te_hoog_tonen: bool = False
) -> list[Keuze]:
    """Dienstverlenersmachtigingen (R32: every dienst of the dienstverlener, also later ones) the beheerder may
    grant: only dienstverleners whose diensten are all at or below the own niveau (R39); with `te_hoog_tonen` the
    others too, greyed with why. One query."""
    lopend = Q(diensten__ingetrokken=False)
    verleners = (
        Dienstverlener.objects.filter(ingetrokken=False, diensten__ingetrokken=False)
        .annotate(hoogste=Max("diensten__niveau", filter=lopend))
        .order_by("naam", "pk")
    )
    if not te_hoog_tonen:
        verleners = verleners.filter(hoogste__lte=beheerder_niveau)
    if zoek:
        verleners = verleners.filter(_zoekfilter(zoek, "naam", "naam_en") | Q(pk__in=list(gekozen)))
    keuzes = []
    for v in verleners.distinct()[:MAX_DIENSTEN]:
        binnen = rules.binnen_eigen_niveau(v.hoogste, beheerder_niveau)
        keuzes.append(
            Keuze(
                waarde=v.pk,
                label=f"{Scope.DIENSTVERLENER.label} {v}",
                kiesbaar=binnen,
                badge=Niveau(v.hoogste).badge,
                waarschuwing="" if binnen else str(rules.BOVEN_EIGEN_NIVEAU),
            )
        )
    return keuzes


# --- Kies gebruikers ------------------------------------------------------------------------------------------


def _persoon_weigering(middel, scopes: list[GekozenScope], belastingdienst: frozenset) -> str | None:
    for scope in scopes:
        weigering = paar_weigering(
            middel_status=middel.status,
            middel_type=middel.type,
            middel_niveau=middel.niveau,
            gekoppeld=True,
            scope=scope,
            belastingdienst=scope.sleutel in belastingdienst,
        )
        if weigering:
            return weigering
    return None


def actieve_middelen(organisatie):
    """R30: the organisation's Actief people (an Actief middel with an actief koppeling), by name."""
    return (
        Middel.objects.filter(middel_gekoppeld_aan(organisatie), status=Middel.Status.ACTIEF)
        .select_related("persoon")
        .order_by("persoon__achternaam", "persoon__voornamen", "pk")
    )


def gebruiker_keuzes(
    organisatie, *, scopes: list[GekozenScope], zoek: str = "", gekozen: Iterable[int] = ()
) -> tuple[list[Keuze], bool]:
    """The organisation's Actief people (R30). Someone below the highest chosen niveau (R31), or with a
    Belastingdienstmiddel when not only Belastingdienst diensten are chosen (R23), is shown but cannot be
    chosen, with the manual's warning. Chosen ones stay listed whatever the search. At most four queries."""
    gekozen = list(gekozen)
    middelen = actieve_middelen(organisatie)
    if zoek:
        zoekfilter = _zoekfilter(zoek, "persoon__voornamen", "persoon__achternaam", "persoon__email")
        middelen = middelen.filter(zoekfilter | Q(pk__in=gekozen))
    rijen = list(middelen[: MAX_GEBRUIKERS + 1])
    belastingdienst = belastingdienst_sleutels(scopes)
    keuzes = []
    for middel in rijen[:MAX_GEBRUIKERS]:
        weigering = _persoon_weigering(middel, scopes, belastingdienst)
        keuzes.append(
            Keuze(
                waarde=middel.pk,
                label=middel.persoon.naam,
                kiesbaar=weigering is None,
                badge=Niveau(middel.niveau).badge,
                waarschuwing=_weigering_tekst(weigering, bulk=True),
                beschrijving=middel.get_type_display() if middel.type == Middel.Type.BELASTINGDIENST else "",
            )
        )
    return keuzes, len(rijen) > MAX_GEBRUIKERS


def groep_keuzes(organisatie, *, scopes: list[GekozenScope]) -> list[Keuze]:
    """The organisation's groups (R24): choosing one gives the machtiging to the group itself, so any group can be
    chosen; how many current members it would not count for (R30, R31, R23) is said beside it. A fixed number
    of queries."""

    keuzes = []
    for groep in groepen_dekking(organisatie, scopes, belastingdienst=belastingdienst_sleutels(scopes)):
        keuzes.append(
            Keuze(
                waarde=groep.pk,
                label=groep.naam,
                badge=ngettext("%(n)d lid", "%(n)d leden", groep.aantal_leden) % {"n": groep.aantal_leden},
                waarschuwing=(
                    ngettext(
                        "Voor %(n)d lid telt de machtiging niet (%(redenen)s).",
                        "Voor %(n)d leden telt de machtiging niet (%(redenen)s).",
                        groep.aantal_niet_gedekt,
                    )
                    % {"n": groep.aantal_niet_gedekt, "redenen": groep.redenen}
                    if groep.niet_gedekt
                    else ""
                ),
            )
        )
    return keuzes


def gekozen_groepen(organisatie, ids: Iterable[int], *, scopes: list[GekozenScope]):
    """The chosen groups as the wizard lists them (R24), with their members and who is not covered; a foreign
    or deleted group is left out (the view refuses the step). A fixed number of queries; none without ids."""

    ids = list(ids)
    if not ids:
        return []
    return groepen_dekking(organisatie, scopes, belastingdienst=belastingdienst_sleutels(scopes), ids=ids)


def gekozen_middelen(organisatie, ids: Iterable[int]) -> list[Middel]:
    """The chosen people as the wizard lists them (only this organisation's; foreign ids fall away). One query."""
    ids = list(ids)
    if not ids:
        return []
    return list(actieve_middelen(organisatie).filter(pk__in=ids))
