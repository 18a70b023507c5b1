"""Reads for the verlener's screens (§5.2, R40–R42): the *afgegeven* overview, one intermediair, the diensten a
ketenmachtiging can be given for, and what to tell the intermediair. Every read is scoped to the verlener.

Display values are worked out here, so the templates only print.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalogus.models import Dienst, Dienstverlener
from common.dates import vandaag
from common.niveau import Niveau
from common.weergave import datum
from ketenmachtigingen.models import Ketenmachtiging
from ketenmachtigingen.selectors import afgegeven_aan, afgegeven_per_intermediair, lopend_op
from ketenmachtigingen.services import geregistreerd_bij, op_platform
from machtigingen.models import Scope
from machtigingen.rules import binnen_eigen_niveau
from machtigingen.selectors_toevoegen import Keuze
from organisaties.models import Organisatie

# The catalogue can hold thousands of diensten: the screen lists at most this many; the search narrows it down.
MAX_DIENSTEN = 100


@dataclass(frozen=True)
class AfgegevenRegel:
    """One ketenmachtiging as the overview draws it: *Algemene bevoegdheid / Alle diensten / geldig tot*."""

    ketenmachtiging: Ketenmachtiging
    titel: str
    omschrijving: str
    badge: str
    geldig_tot: str

    @property
    def pk(self) -> int:
        return self.ketenmachtiging.pk


@dataclass(frozen=True)
class IntermediairWeergave:
    intermediair: Organisatie
    regels: list[AfgegevenRegel] = field(default_factory=list)

    @property
    def aantal_tekst(self) -> str:
        aantal = len(self.regels)
        return ngettext("%(aantal)d machtiging", "%(aantal)d machtigingen", aantal) % {"aantal": aantal}


def scope_titel(k) -> tuple[str, str, str]:
    """(title, description, niveau badge) of a scope, in the manual's words."""
    if k.scope == Scope.ALGEMEEN:
        niveau = Niveau(k.niveau)
        return (
            str(Scope.ALGEMEEN.label),
            _("Alle diensten tot en met %(niveau)s") % {"niveau": niveau.label},
            niveau.badge,
        )
    if k.scope == Scope.DIENSTVERLENER:
        return (
            _("Dienstverlenersmachtiging voor %(dienstverlener)s") % {"dienstverlener": k.dienstverlener},
            _("Alle diensten van %(dienstverlener)s") % {"dienstverlener": k.dienstverlener},
            "",
        )
    return str(k.dienst), str(k.dienst.dienstverlener), Niveau(k.dienst.niveau).badge


def _regel(k: Ketenmachtiging) -> AfgegevenRegel:
    titel, omschrijving, badge = scope_titel(k)
    return AfgegevenRegel(
        ketenmachtiging=k, titel=titel, omschrijving=omschrijving, badge=badge, geldig_tot=datum(k.eindigt_op)
    )


def afgegeven_overzicht(verlener: Organisatie, *, dag: dt.date | None = None) -> list[IntermediairWeergave]:
    """The *afgegeven* overview (R41): one entry per intermediair with its running ketenmachtigingen. One query."""
    return [
        IntermediairWeergave(intermediair=g.intermediair, regels=[_regel(k) for k in g.ketenmachtigingen])
        for g in afgegeven_per_intermediair(verlener, dag=dag)
    ]


def afgegeven_intermediair(verlener: Organisatie, intermediair_id: int) -> IntermediairWeergave | None:
    """One intermediair holding running ketenmachtigingen of this verlener; None for any other id (→ 404)."""
    groep = afgegeven_aan(verlener, intermediair_id)
    if groep is None:
        return None
    return IntermediairWeergave(intermediair=groep.intermediair, regels=[_regel(k) for k in groep.ketenmachtigingen])


def afgegeven_ketenmachtiging(verlener: Organisatie, ketenmachtiging_id: int) -> Ketenmachtiging:
    """A running ketenmachtiging this verlener gave; raises Ketenmachtiging.DoesNotExist for any other (→ 404)."""
    return (
        Ketenmachtiging.objects.filter(lopend_op(vandaag()), verlener=verlener)
        .select_related("intermediair", "dienst__dienstverlener", "dienstverlener")
        .get(pk=ketenmachtiging_id)
    )


# --- Kies diensten (R39, R40, R72) ------------------------------------------------------------------------------


# R39 shown on the option that cannot be chosen, in the words the service refuses with.
BOVEN_EIGEN_NIVEAU = gettext_lazy("U kunt alleen ketenmachtigingen afgeven tot en met uw eigen niveau.")
DIENSTVERLENER_BOVEN_EIGEN_NIVEAU = gettext_lazy("Deze dienstverlener heeft diensten boven uw eigen niveau.")


@dataclass(frozen=True)
class DienstKeuzes:
    """What *Kies diensten* offers, as the one form renderer draws it (machtigingen.forms_toevoegen)."""

    algemeen: list[Keuze]
    # (dienstverlener, its diensten): a fieldset each
    diensten: list[tuple[str, list[Keuze]]]
    dienstverleners: list[Keuze]
    # more diensten match than are shown
    meer: bool


def _keuze(waarde: int, label: str, niveau: int | None, beheerder_niveau: int, waarschuwing) -> Keuze:
    kiesbaar = binnen_eigen_niveau(niveau, beheerder_niveau)
    return Keuze(
        waarde=waarde,
        label=label,
        kiesbaar=kiesbaar,
        badge=Niveau(niveau).badge if niveau is not None else "",
        waarschuwing="" if kiesbaar else str(waarschuwing),
    )


def dienst_keuzes(
    *, beheerder_niveau: int, zoek: str = "", gekozen_diensten=(), gekozen_dienstverleners=()
) -> DienstKeuzes:
    """Algemene bevoegdheid per niveau, the diensten usable through an intermediair (not withdrawn, not
    `noIntermediation`) per dienstverlener, and the *Dienstverlenersmachtiging* of each dienstverlener listed.
    Above the beheerder's own niveau shown but not kiesbaar, with why (R39; a Dienstverlenersmachtiging by its
    highest dienst). What was chosen stays listed whatever the search. Two queries."""
    gekozen_diensten = [int(d) for d in gekozen_diensten]
    gekozen_dienstverleners = [int(d) for d in gekozen_dienstverleners]
    diensten = (
        Dienst.objects.filter(ingetrokken=False, dienstverlener__ingetrokken=False)
        .exclude(intermediatie=Dienst.Intermediatie.GEEN)
        .select_related("dienstverlener")
        .order_by("dienstverlener__naam", "dienstverlener_id", "naam", "pk")
    )
    if zoek:
        diensten = diensten.filter(
            Q(naam__icontains=zoek)
            | Q(dienstverlener__naam__icontains=zoek)
            | Q(omschrijving__icontains=zoek)
            | Q(pk__in=gekozen_diensten)
            | Q(dienstverlener_id__in=gekozen_dienstverleners)
        )
    rijen = list(diensten[: MAX_DIENSTEN + 1])
    meer = len(rijen) > MAX_DIENSTEN
    rijen = rijen[:MAX_DIENSTEN]
    # A Dienstverlenersmachtiging covers every current dienst of it, so its highest niveau decides (R39).
    hoogste = dict(
        Dienstverlener.objects.filter(pk__in={d.dienstverlener_id for d in rijen})
        .annotate(hoogste=Max("diensten__niveau", filter=Q(diensten__ingetrokken=False)))
        .values_list("pk", "hoogste")
    )
    groepen, verleners = [], []
    for verlener, items in groupby(rijen, key=lambda d: d.dienstverlener):
        keuzes = []
        for dienst in items:
            keuze = _keuze(dienst.pk, str(dienst), dienst.niveau, beheerder_niveau, BOVEN_EIGEN_NIVEAU)
            keuzes.append(replace(keuze, beschrijving=dienst.weergaveomschrijving))
        groepen.append((str(verlener), keuzes))
        label = _("Dienstverlenersmachtiging voor %(naam)s") % {"naam": verlener}
        verleners.append(
            _keuze(verlener.pk, label, hoogste.get(verlener.pk), beheerder_niveau, DIENSTVERLENER_BOVEN_EIGEN_NIVEAU)
        )
    algemeen = [
        _keuze(int(n), f"{Scope.ALGEMEEN.label} {n.label}", n, beheerder_niveau, BOVEN_EIGEN_NIVEAU) for n in Niveau
    ]
    return DienstKeuzes(algemeen=algemeen, diensten=groepen, dienstverleners=verleners, meer=meer)


def relatie_dienst_keuzes(*, zoek: str = "", gekozen_diensten=(), gekozen_dienstverleners=()) -> DienstKeuzes:
    """What an intermediair may ask a relation for (R43): the same catalogue as for giving a ketenmachtiging, with
    no own niveau to stay under (the relation's representative gives it) and an Algemene bevoegdheid from EH3,
    the least a middel that uses a ketenmachtiging has (R72)."""
    keuzes = dienst_keuzes(
        beheerder_niveau=max(Niveau),
        zoek=zoek,
        gekozen_diensten=gekozen_diensten,
        gekozen_dienstverleners=gekozen_dienstverleners,
    )
    return replace(keuzes, algemeen=[k for k in keuzes.algemeen if k.waarde >= Niveau.EH3])


# --- Informeer uw intermediair (R42) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntermediairInformatie:
    """The four facts of seed 000 the verlener gives its intermediair."""

    verlener: Organisatie
    intermediair: Organisatie
    regels: list[AfgegevenRegel]
    geregistreerd_bij: str
    op_platform: bool


def intermediair_informatie(verlener: Organisatie, intermediair_id: int) -> IntermediairInformatie | None:
    weergave = afgegeven_intermediair(verlener, intermediair_id)
    if weergave is None:
        return None
    return IntermediairInformatie(
        verlener=verlener,
        intermediair=weergave.intermediair,
        regels=weergave.regels,
        geregistreerd_bij=geregistreerd_bij(),
        op_platform=op_platform(weergave.intermediair),
    )
