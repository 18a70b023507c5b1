"""Predicates of the rubriek Gebruikers: the one place that says whether someone may do something.

The services call these to refuse (raising a `DomainError`), and the views call the same ones to show or hide an
action, so a screen and its refusal never disagree. Predicates only read; they never change data. Apart from
`beheer_koppeling` and the counts for R5/R20 (`r5_vooruitzicht` and its callers), they work on objects already loaded (no queries), so the
details screen can ask them for every action.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from common.dates import vandaag
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel
from gebruikers.selectors import NIET_GEACTIVEERD, VERBORGEN_STATUSSEN
from machtigingen.rules import mag_machtiging_krijgen

# --- R1: who manages ------------------------------------------------------------------------------------------


def is_support(persoon) -> bool:
    """Support staff of the supplier (the admin's back office): `is_staff` on the login account."""
    return bool(getattr(persoon, "is_staff", False))


def beheer_koppeling(persoon, organisatie) -> Koppeling | None:
    """R1, R4, R8: the person's beheer-koppeling at this organisation (with its middel), or None.

    Reads the database on every call, so a demotion takes effect on the next request (R7)."""
    if persoon is None or getattr(persoon, "pk", None) is None or organisatie is None:
        return None
    organisatie_id = getattr(organisatie, "pk", organisatie)
    return (
        Koppeling.objects.beheer()
        .filter(middel__persoon_id=persoon.pk, organisatie_id=organisatie_id)
        .select_related("middel")
        .first()
    )


def is_beheerder_van(persoon, organisatie) -> bool:
    return beheer_koppeling(persoon, organisatie) is not None


# --- Building blocks on loaded objects -------------------------------------------------------------------------


def is_eigen(actor, middel: Middel) -> bool:
    """The actor's own middel (R6, R11, R20, R21)."""
    return middel.persoon_id == getattr(actor, "pk", None)


def is_lopend(koppeling: Koppeling) -> bool:
    """Still listed: the koppeling has not ended and the middel is neither afgekeurd nor beëindigd (R18, R19)."""
    return koppeling.status != Koppeling.Status.BEEINDIGD and koppeling.middel.status not in VERBORGEN_STATUSSEN


def telt_als_beheerder(koppeling: Koppeling) -> bool:
    """R5 counts a beheerder whose koppeling is actief and whose middel is Actief."""
    return (
        koppeling.rol == Koppeling.Rol.BEHEERDER
        and koppeling.status == Koppeling.Status.ACTIEF
        and koppeling.middel.status == Middel.Status.ACTIEF
    )


def mag_beheerder_zijn(middel: Middel) -> bool:
    """R8: a Belastingdienst middel is never beheerder."""
    return not middel.is_belastingdienst


# --- R5–R8: roles ------------------------------------------------------------------------------------------


def mag_rol_wijzigen(actor, koppeling: Koppeling) -> bool:
    """Rol wijzigen (§3.1.1) applies: a listed person other than oneself (R6) who has another role to go to
    (R8: a Belastingdienst gebruiker has none). R5 is asked on the choice itself (`rol_wijziging_vooruitzicht`):
    the acting beheerder may have planned their own termination, so a demotion can still be refused."""
    heeft_andere_rol = koppeling.is_beheerder or mag_beheerder_zijn(koppeling.middel)
    return is_lopend(koppeling) and not is_eigen(actor, koppeling.middel) and heeft_andere_rol


# --- R11: niveau ------------------------------------------------------------------------------------------------


def andere_niveaus(middel: Middel, beheerder_niveau: int) -> list[Niveau]:
    """R11: the issued levels a middel can move to, up or down, up to the beheerder's own."""
    return [n for n in UITGIFTE_NIVEAUS if n != middel.niveau and n <= beheerder_niveau]


def is_upgradebaar(middel: Middel) -> bool:
    """R11, R23: only an Actief regular middel changes niveau (a Belastingdienst middel first changes type)."""
    return middel.status == Middel.Status.ACTIEF and not middel.is_belastingdienst


def mag_niveau_wijzigen(actor, middel: Middel, *, beheerder_niveau: int, mutatie_in_behandeling: bool) -> bool:
    """Wijzig het niveau (§3.8.1): someone else's middel (R11), upgradable, another level within reach of the
    beheerder's own, and no mutation in behandeling (R13)."""
    return (
        not is_eigen(actor, middel)
        and not mutatie_in_behandeling
        and is_upgradebaar(middel)
        and bool(andere_niveaus(middel, beheerder_niveau))
    )


# --- R23: type ----------------------------------------------------------------------------------------------


def is_type_wijzigbaar(middel: Middel) -> bool:
    """R23: only an Actief EH3 middel changes between regulier and Belastingdienst."""
    return middel.status == Middel.Status.ACTIEF and middel.niveau == Niveau.EH3


def mag_type_wijzigen(actor, koppeling: Koppeling, *, mutatie_in_behandeling: bool) -> bool:
    """Type eHerkenningmiddel wijzigen (§3.8.2). A regular middel only goes to Belastingdienst, which a
    beheerder's middel never is (R8): so not for oneself (the actor is beheerder here) nor for a beheerder."""
    middel = koppeling.middel
    naar_belastingdienst = not middel.is_belastingdienst
    return (
        is_lopend(koppeling)
        and not mutatie_in_behandeling
        and is_type_wijzigbaar(middel)
        and not (naar_belastingdienst and (is_eigen(actor, middel) or koppeling.is_beheerder))
    )


# --- R12: koppelen ------------------------------------------------------------------------------------------


def is_goedgekeurd(middel: Middel) -> bool:
    """R12, R18: support approved it: Wachten op activatie or Actief."""
    return middel.status in (Middel.Status.ACTIEF, Middel.Status.WACHTEN_OP_ACTIVATIE)


def is_koppelbaar(middel: Middel, *, beheerder_niveau: int) -> bool:
    """R12: an approved middel, at most at the beheerder's own niveau."""
    return is_goedgekeurd(middel) and middel.niveau <= beheerder_niveau


def mag_koppelen(
    middel: Middel, *, beheerder_niveau: int, mutatie_in_behandeling: bool, gekoppeld_ids, beheerde_ids
) -> bool:
    """Koppel aan een andere organisatie (§3.2.2): koppelbaar (R12), no open mutation (R13), and at least one
    organisation the beheerder manages that the middel is not linked to yet."""
    gekoppeld = set(gekoppeld_ids)
    return (
        not mutatie_in_behandeling
        and is_koppelbaar(middel, beheerder_niveau=beheerder_niveau)
        and any(pk not in gekoppeld for pk in beheerde_ids)
    )


# --- R18: nieuwe uitnodiging --------------------------------------------------------------------------------


def is_activatie_verlopen(middel: Middel) -> bool:
    """R18: a new activation letter is only asked for once the activation has expired."""
    return middel.status == Middel.Status.ACTIVATIE_VERLOPEN


def mag_nieuwe_uitnodiging(middel: Middel, *, mutatie_in_behandeling: bool) -> bool:
    """R18, R13: the activation has expired and no mutation is in behandeling."""
    return is_activatie_verlopen(middel) and not mutatie_in_behandeling


# --- R21, R22: contact data ---------------------------------------------------------------------------------


def is_mobiel_wijzigbaar(middel: Middel) -> bool:
    """R21: the SMS number changes while the middel is Wachten op activatie or Actief and uses SMS."""
    return (
        middel.status in (Middel.Status.WACHTEN_OP_ACTIVATIE, Middel.Status.ACTIEF)
        and middel.tweede_factor == Middel.TweedeFactor.SMS
    )


def mag_mobiel_wijzigen(actor, middel: Middel) -> bool:
    """R21: someone else's SMS number only; the own goes by wijzigingsformulier."""
    return not is_eigen(actor, middel) and is_mobiel_wijzigbaar(middel)


def is_email_wijzigbaar_door_beheerder(middel: Middel) -> bool:
    """R22: a beheerder changes the e-mail address only before activation."""
    return middel.status in NIET_GEACTIVEERD


def mag_email_wijzigen(actor, middel: Middel) -> bool:
    """R22 on the details screen: someone else's address before activation (the own is on the profile page)."""
    return not is_eigen(actor, middel) and is_email_wijzigbaar_door_beheerder(middel)


# --- R5, R19, R20: opzeggen ---------------------------------------------------------------------------------


def _nog_niet_weg(per) -> Q:
    """Koppelingen still there on `per`: a planned termination on or before it counts as gone."""
    if per is None:
        return Q()
    return Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=per)


def _tellende_beheerders(organisatie_id: int):
    """R5 counts these: rol beheerder, koppeling actief, middel Actief (the query form of `telt_als_beheerder`)."""
    return Koppeling.objects.filter(
        organisatie_id=organisatie_id,
        rol=Koppeling.Rol.BEHEERDER,
        status=Koppeling.Status.ACTIEF,
        middel__status=Middel.Status.ACTIEF,
    )


def blijvende_koppelingen(organisatie_id: int, *, zonder, per=None) -> int:
    """R20: the listed users of this organisation still there on `per` (None: now), leaving out `zonder`."""
    return (
        Koppeling.objects.lopend()
        .filter(organisatie_id=organisatie_id)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .filter(_nog_niet_weg(per))
        .exclude(pk__in=zonder)
        .count()
    )


# --- R5 at every future moment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class R5Vooruitzicht:
    """R5 after a change, looking ahead through every planned termination (issue #14).

    `dag`: the first day on which no beheerder counts any more (None: one always remains); `blijvende`: the listed
    users still there on that day. Users without a beheerder break R5; with nobody left the organisation as a
    whole ends that day (R20)."""

    dag: dt.date | None = None
    blijvende: int = 0

    @property
    def zonder_beheerder(self) -> bool:
        return self.dag is not None and self.blijvende > 0

    @property
    def organisatie_eindigt(self) -> bool:
        return self.dag is not None and self.blijvende == 0


def r5_vooruitzicht(organisatie_id: int, *, vertrekt=None, gedegradeerd=()) -> R5Vooruitzicht:
    """R5 at every moment from today, if the change goes ahead. `vertrekt`: {pk: day} of counting beheerder
    koppelingen the change terminates (None: today), gone as beheerder and as user from that day; `gedegradeerd`:
    pks of counting beheerders that become gebruiker today and stay as users. Every other beheerder counts until
    its own planned termination (`opzeggen_per`), so R5 holds at every date only while some beheerder has none.

    Counting "now" only is not enough: a demotion today while the other beheerder's termination is planned, or
    two planned terminations on different days, each pass today and leave nobody on the later day.
    At most two queries; the caller holds the R5 locks of `common.locks` so the count stays true until commit."""
    vertrekt = dict(vertrekt or {})
    rest = (
        _tellende_beheerders(organisatie_id)
        .exclude(pk__in=[*vertrekt, *gedegradeerd])
        .aggregate(ongepland=Count("pk", filter=Q(opzeggen_per__isnull=True)), laatste=Max("opzeggen_per"))
    )
    if rest["ongepland"]:
        return R5Vooruitzicht()
    # A planned day already passed (the job has not run yet) means gone today.
    vandaag_ = vandaag()
    dag = max(vandaag_, rest["laatste"] or vandaag_, *(d or vandaag_ for d in vertrekt.values()))
    return R5Vooruitzicht(dag=dag, blijvende=blijvende_koppelingen(organisatie_id, zonder=list(vertrekt), per=dag))


def rol_wijziging_vooruitzicht(koppeling: Koppeling, rol: str) -> R5Vooruitzicht:
    """R5 for giving `koppeling` the role `rol` now: only a counting beheerder becoming gebruiker can break it.
    The rol service refuses with exactly this answer."""
    if rol == Koppeling.Rol.BEHEERDER or not telt_als_beheerder(koppeling):
        return R5Vooruitzicht()
    return r5_vooruitzicht(koppeling.organisatie_id, gedegradeerd=[koppeling.pk])


# What terminating one koppeling means for its organisation (R5, R20).
OPZEGGEN_MAG = ""
OPZEGGEN_EIGEN_GEWEIGERD = "eigen_middel_laatste_beheerder"  # R20: the own middel, other users remain
OPZEGGEN_LAATSTE_BEHEERDER = "laatste_beheerder"  # R5: someone else's, the last beheerder
OPZEGGEN_HELE_ORGANISATIE = "hele_organisatie"  # R20: nobody else remains; asked explicitly


def opzeg_vooruitzicht(koppeling: Koppeling, *, per=None) -> R5Vooruitzicht:
    """R5 for terminating `koppeling` on `per` (None: per direct), at every date from then on."""
    if not telt_als_beheerder(koppeling):
        return R5Vooruitzicht()
    return r5_vooruitzicht(koppeling.organisatie_id, vertrekt={koppeling.pk: per})


def opzeg_gevolg(koppeling: Koppeling, *, eigen: bool, per=None, vooruitzicht: R5Vooruitzicht | None = None) -> str:
    """R5, R20 for terminating `koppeling` on `per` (None: per direct): one of the OPZEGGEN_* values. The screen
    (its first pop-up) and the service (its refusal) both ask this; `vooruitzicht` passes an answer of
    `opzeg_vooruitzicht` already computed. At most two counting queries, only for a counting beheerder.

    Only the own middel can end the whole organisation (R20, after the warning); someone else's last beheerder
    is refused as R5, also when the actor's own termination is planned and nobody would remain after it."""
    v = vooruitzicht if vooruitzicht is not None else opzeg_vooruitzicht(koppeling, per=per)
    if v.dag is None:
        return OPZEGGEN_MAG
    if not eigen:
        return OPZEGGEN_LAATSTE_BEHEERDER
    return OPZEGGEN_EIGEN_GEWEIGERD if v.blijvende else OPZEGGEN_HELE_ORGANISATIE


# --- The details screen: every action at once ---------------------------------------------------------------


@dataclass(frozen=True)
class Acties:
    """Which actions the details screen offers for one person; the services refuse exactly the others."""

    mutatie_in_behandeling: bool
    rol: bool
    type: bool
    telefoon: bool
    email: bool
    nieuwe_uitnodiging: bool
    koppelen: bool
    opzeggen: bool
    niveau: bool
    machtiging_toevoegen: bool

    @property
    def menu(self) -> bool:
        return self.koppelen or self.opzeggen or self.niveau


def acties_voor(*, actor, beheerder_niveau: int, beheerde_ids, details, organisatie) -> Acties:
    """The actions for the person of `details` (gebruikers.selectors.GebruikerDetails) at `organisatie`, for an
    actor whose own middel has `beheerder_niveau` and who manages `beheerde_ids`. No queries."""
    middel, koppeling = details.middel, details.koppeling
    open_mutatie = details.mutatie_in_behandeling
    return Acties(
        mutatie_in_behandeling=open_mutatie,
        rol=mag_rol_wijzigen(actor, koppeling),
        type=mag_type_wijzigen(actor, koppeling, mutatie_in_behandeling=open_mutatie),
        telefoon=mag_mobiel_wijzigen(actor, middel),
        email=mag_email_wijzigen(actor, middel),
        nieuwe_uitnodiging=mag_nieuwe_uitnodiging(middel, mutatie_in_behandeling=open_mutatie),
        koppelen=mag_koppelen(
            middel,
            beheerder_niveau=beheerder_niveau,
            mutatie_in_behandeling=open_mutatie,
            gekoppeld_ids={organisatie.pk, *(o.pk for o in details.andere_organisaties)},
            beheerde_ids=beheerde_ids,
        ),
        opzeggen=is_lopend(koppeling),
        niveau=mag_niveau_wijzigen(
            actor, middel, beheerder_niveau=beheerder_niveau, mutatie_in_behandeling=open_mutatie
        ),
        machtiging_toevoegen=mag_machtiging_krijgen(middel, koppeling),
    )


# --- Lopende aanvragen: withdrawing (beheer:lopende_aanvragen) ---------------------------------------------------

# The kinds whose withdrawal `aanvraag_intrekken` knows how to undo; a type change is applied at once (never open),
# a new organisation is undone by its own app.
INTREKBARE_SOORTEN = (
    Aanvraag.Soort.NIEUW_MIDDEL,
    Aanvraag.Soort.KOPPELING,
    Aanvraag.Soort.UPGRADE,
    Aanvraag.Soort.NIEUWE_ACTIVATIE,
    Aanvraag.Soort.NIEUWE_ORGANISATIE,
    Aanvraag.Soort.KETENMODULE,
)


def mag_aanvraag_intrekken(actor, aanvraag: Aanvraag, *, offerte_verstuurd: bool = False) -> bool:
    """The beheerder who made an aanvraag may withdraw it while support has not handled it: still in behandeling,
    and for the ketenmodule no quote sent yet (`offerte_verstuurd`: the module is past Aangevraagd). No queries."""
    return (
        aanvraag.status == Aanvraag.Status.IN_BEHANDELING
        and aanvraag.soort in INTREKBARE_SOORTEN
        and aanvraag.aangevraagd_door_id is not None
        and aanvraag.aangevraagd_door_id == getattr(actor, "pk", None)
        and not (aanvraag.soort == Aanvraag.Soort.KETENMODULE and offerte_verstuurd)
    )
