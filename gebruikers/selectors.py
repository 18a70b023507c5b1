"""Reads for the rubriek Gebruikers: who may use the Beheermodule (R1), the overview (R13, R62) and details (R63)."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q

from beheer.selectors import beheerbare_organisaties
from common.dates import plus_maanden, vandaag
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from common.weergave import naam_kort
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from groepen.selectors_leden import groepsmachtigingen_van_leden
from handelsregister.backend import get_handelsregister
from machtigingen.models import Machtiging
from machtigingen.models import Status as MachtigingStatus
from organisaties.models import Organisatie

# Middelen that no longer appear anywhere in the rubriek (R18 afgekeurd, R19 beëindigd).
VERBORGEN_STATUSSEN = (Middel.Status.AFGEKEURD, Middel.Status.BEEINDIGD)
# Before activation a beheerder may still change the e-mail address (R22).
NIET_GEACTIVEERD = (
    Middel.Status.WACHTEN_OP_GOEDKEURING,
    Middel.Status.WACHTEN_OP_ACTIVATIE,
    Middel.Status.ACTIVATIE_VERLOPEN,
)


def mag_beheermodule_gebruiken(persoon, organisatie: Organisatie | None = None) -> bool:
    """R1: beheerder, middel Actief, EH2+ or higher, regulier. Reads the database on every call (R7).

    Delegates to `beheer.selectors.beheerbare_organisaties` so the menu, the middleware and the services agree.
    """
    if persoon is None or not getattr(persoon, "is_authenticated", False):
        return False
    organisaties = beheerbare_organisaties(persoon)
    if organisatie is None:
        return bool(organisaties)
    return any(o.pk == organisatie.pk for o in organisaties)


def heeft_mutatie_in_behandeling(middel: Middel) -> bool:
    """R13: an aanvraag for this middel is still with support."""
    return Aanvraag.objects.filter(middel=middel, status=Aanvraag.Status.IN_BEHANDELING).exists()


def kiesbare_niveaus(middel: Middel) -> list[Niveau]:
    """R10: the levels a beheerder with this middel may request: issued levels up to the own niveau."""
    return [n for n in UITGIFTE_NIVEAUS if n <= middel.niveau]


# The overview shows this many people at first and per "Toon meer": its cost must not grow with the organisation.
OVERZICHT_PAGINA = 100


class GebruikerRij(NamedTuple):
    """One row of the gebruikers overview (R62), its display values worked out here so the row template only
    prints them. A named tuple: as immutable as a frozen dataclass, and five times cheaper to make per row; only
    what the row shows (the export reads its own columns, gebruikers.exports)."""

    koppeling_id: int
    persoon_id: int
    naam: str
    email: str
    rol: str
    is_beheerder: bool
    is_zelf: bool
    niveau: Niveau
    niveau_badge: str
    status: str
    status_label: str
    toon_status: bool  # only a middel that is not yet Actief shows its status (§3.1)
    mutatie_in_behandeling: bool  # R13: an aanvraag is open (blocks new mutations)
    toon_mutatie: bool  # ... and the overview says so (see toont_mutatie_in_behandeling)


@dataclass(frozen=True)
class OverzichtPagina:
    """One page of the overview and where the next one starts (None on the last page)."""

    rijen: list[GebruikerRij]
    volgende_na: int | None


def weergave_status(koppeling_status: str, middel_status: str) -> str:
    """The status the rubriek shows: a koppeling still with support is "Wachten op goedkeuring", even when the
    middel itself is Actief (it is linked to another organisation already). One rule for overview, details, export."""
    if koppeling_status == Koppeling.Status.AANGEVRAAGD and middel_status == Middel.Status.ACTIEF:
        return Middel.Status.WACHTEN_OP_GOEDKEURING
    return middel_status


def toont_mutatie_in_behandeling(weergave: str, mutatie_in_behandeling: bool) -> bool:
    """Whether "Mutatie in behandeling" (R13) is shown next to the status `weergave`. Not while the person waits
    for approval: the open aanvraag is then the request itself, which "Wachten op goedkeuring" already says
    (§3.5.1), so one status is shown. The R13 refusal itself still holds (`mutatie_in_behandeling`)."""
    return mutatie_in_behandeling and weergave != Middel.Status.WACHTEN_OP_GOEDKEURING


# The overview's order; the pages continue along it (gebruikers_pagina).
# Koppeling's copy of the name, so its index (koppeling_overzicht_volgorde) gives this order without a sort.
OVERZICHT_VOLGORDE = ("persoon_achternaam", "persoon_voornamen", "pk")


def overzicht_koppelingen(*, organisatie: Organisatie, zoek: str = ""):
    """The koppelingen the rubriek Gebruikers lists for one organisation, in its order: terminated koppelingen
    and middelen that were rejected or ended are left out (R18, R19). Shared by the overview and its export."""
    koppelingen = (
        Koppeling.objects.lopend()
        .filter(organisatie=organisatie)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .order_by(*OVERZICHT_VOLGORDE)
    )
    if zoek:
        koppelingen = koppelingen.filter(
            Q(middel__persoon__voornamen__icontains=zoek)
            | Q(middel__persoon__achternaam__icontains=zoek)
            | Q(middel__persoon__email__icontains=zoek)
        )
    return koppelingen


# The columns a row needs, read as tuples: no model instances per row, and a narrow row keeps the database's
# sort of a large organisation cheap.
_RIJ_VELDEN = (
    "pk",
    "rol",
    "status",
    "middel__niveau",
    "middel__status",
    "middel__persoon_id",
    "middel__persoon__voornamen",
    "middel__persoon__tussenvoegsel",
    "middel__persoon__achternaam",
    "middel__persoon__email",
    "open_aanvraag",
)


def _rijen(koppelingen, persoon) -> list[GebruikerRij]:
    """The rows for these koppelingen, in ONE query whatever their number."""
    koppelingen = koppelingen.annotate(
        open_aanvraag=Exists(
            Aanvraag.objects.filter(middel_id=OuterRef("middel_id"), status=Aanvraag.Status.IN_BEHANDELING)
        )
    ).values_list(*_RIJ_VELDEN)
    # Labels and badges worked out once per call, not once per row.
    labels = {waarde: str(label) for waarde, label in Middel.Status.choices}
    niveaus = {n.value: n for n in Niveau}
    badges = {n.value: n.badge for n in Niveau}
    zelf_id = getattr(persoon, "pk", None)
    rijen = []
    for (
        koppeling_id,
        rol,
        koppeling_status,
        niveau,
        middel_status,
        persoon_id,
        voornamen,
        tussenvoegsel,
        achternaam,
        email,
        open_aanvraag,
    ) in koppelingen:
        status = weergave_status(koppeling_status, middel_status)
        rijen.append(
            GebruikerRij(
                koppeling_id=koppeling_id,
                persoon_id=persoon_id,
                naam=naam_kort(voornamen, tussenvoegsel, achternaam),
                email=email,
                rol=rol,
                is_beheerder=rol == Koppeling.Rol.BEHEERDER,
                is_zelf=persoon_id == zelf_id,
                niveau=niveaus[niveau],
                niveau_badge=badges[niveau],
                status=status,
                status_label=labels[status],
                toon_status=status != Middel.Status.ACTIEF,
                mutatie_in_behandeling=open_aanvraag,
                toon_mutatie=toont_mutatie_in_behandeling(status, open_aanvraag),
            )
        )
    return rijen


def gebruikers_overzicht(*, organisatie: Organisatie, persoon=None, zoek: str = "") -> list[GebruikerRij]:
    """Every row of the rubriek Gebruikers for one organisation, in ONE query whatever the number of users."""
    return _rijen(overzicht_koppelingen(organisatie=organisatie, zoek=zoek), persoon)


def gebruikers_pagina(
    *, organisatie: Organisatie, persoon=None, zoek: str = "", na: int | None = None, aantal: int | None = None
) -> OverzichtPagina:
    """One page of the overview: the first `aantal` (OVERZICHT_PAGINA) rows, or the `aantal` after koppeling `na`.
    Paged along the sort key rather than by an offset, so a page costs the same far down the list, and nobody is
    listed twice or skipped when people are added while the beheerder scrolls. ONE query, one more to look up `na`.

    Raises Koppeling.DoesNotExist for a `na` that is not a koppeling of this organisation.
    """
    aantal = aantal or OVERZICHT_PAGINA
    koppelingen = overzicht_koppelingen(organisatie=organisatie, zoek=zoek)
    if na is not None:
        achternaam, voornamen = (
            Koppeling.objects.filter(organisatie=organisatie, pk=na)
            .values_list("persoon_achternaam", "persoon_voornamen")
            .get()
        )
        koppelingen = koppelingen.filter(
            Q(persoon_achternaam__gt=achternaam)
            | Q(persoon_achternaam=achternaam, persoon_voornamen__gt=voornamen)
            | Q(persoon_achternaam=achternaam, persoon_voornamen=voornamen, pk__gt=na)
        )
    # One row more than shown tells whether a next page exists, without counting the whole organisation.
    rijen = _rijen(koppelingen[: aantal + 1], persoon)
    if len(rijen) > aantal:
        return OverzichtPagina(rijen=rijen[:aantal], volgende_na=rijen[aantal - 1].koppeling_id)
    return OverzichtPagina(rijen=rijen, volgende_na=None)


@dataclass(frozen=True)
class MachtigingRegel:
    machtiging: object
    eindigt_op: dt.date
    verloopt_binnenkort: bool  # R34: ends within 2 months → show the end date and "Verleng machtiging"


@dataclass(frozen=True)
class GebruikerDetails:
    persoon: Persoon
    middel: Middel
    koppeling: Koppeling
    andere_organisaties: list[Organisatie]
    open_aanvraag: Aanvraag | None
    machtigingen: list[MachtigingRegel] = field(default_factory=list)

    @property
    def mutatie_in_behandeling(self) -> bool:
        return self.open_aanvraag is not None

    @cached_property
    def via_groep(self) -> list:
        """R24: the group machtigingen the person holds as a member here ("via groep X"), read only when a screen
        shows them (one query)."""
        return groepsmachtigingen_van_leden([self.koppeling])

    @property
    def status(self) -> str:
        return weergave_status(self.koppeling.status, self.middel.status)

    @property
    def toon_mutatie(self) -> bool:
        """The same rule as the overview's: one status per person."""
        return toont_mutatie_in_behandeling(self.status, self.mutatie_in_behandeling)


def gebruiker_details(*, organisatie: Organisatie, persoon_id: int) -> GebruikerDetails:
    """A person's details as the beheerder of `organisatie` sees them (R63).

    Raises Koppeling.DoesNotExist for a person who is not (or no longer) listed at this organisation,
    so a foreign id answers the same as a missing one.
    """
    koppeling = (
        Koppeling.objects.lopend()
        .select_related("middel__persoon", "organisatie")
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .get(organisatie=organisatie, middel__persoon_id=persoon_id)
    )
    middel = koppeling.middel
    # Exists, not exclude() on the join: that would drop an organisation where anyone's koppeling has ended.
    andere = list(
        Organisatie.objects.filter(
            Exists(
                Koppeling.objects.filter(organisatie=OuterRef("pk"), middel=middel).exclude(
                    status=Koppeling.Status.BEEINDIGD
                )
            )
        )
        .exclude(pk=organisatie.pk)
        .order_by("naam")
    )
    open_aanvraag = Aanvraag.objects.filter(middel=middel, status=Aanvraag.Status.IN_BEHANDELING).first()
    dag = vandaag()
    grens = plus_maanden(dag, 2)
    machtigingen = [
        MachtigingRegel(m, m.eindigt_op, m.eindigt_op <= grens)
        for m in Machtiging.objects.filter(
            middel=middel,
            organisatie=organisatie,
            status=MachtigingStatus.ACTIEF,
            begint_op__lte=dag,
            eindigt_op__gt=dag,
        )
        .select_related("dienst__dienstverlener", "dienstverlener")
        .order_by("eindigt_op", "pk")
    ]
    return GebruikerDetails(
        persoon=middel.persoon,
        middel=middel,
        koppeling=koppeling,
        andere_organisaties=andere,
        open_aanvraag=open_aanvraag,
        machtigingen=machtigingen,
    )


def koppelbare_organisaties(*, actor, middel: Middel) -> list[Organisatie]:
    """R12: organisations the actor manages where this middel is not (yet) linked."""
    gekoppeld = set(Koppeling.objects.lopend().filter(middel=middel).values_list("organisatie_id", flat=True))
    return [o for o in beheerbare_organisaties(actor) if o.pk not in gekoppeld]


def open_aanvragen():
    """Support's work queue: open aanvragen, urgent first, oldest first."""
    return Aanvraag.objects.filter(status=Aanvraag.Status.IN_BEHANDELING).select_related(
        "organisatie", "middel__persoon", "aangevraagd_door"
    )


# --- R23: who may have a Belastingdienstmiddel ---------------------------------------------------------


def _naam_sleutel(naam: str) -> str:
    zonder_accenten = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    return " ".join(zonder_accenten.casefold().split())


def is_wettelijk_vertegenwoordiger(organisatie, gegevens) -> bool:
    """Looks the person up among the organisation's wettelijk vertegenwoordigers in the Handelsregister, by name
    and date of birth. Only someone who may act alone ("volledig bevoegd", §3.8.2) counts: a bestuurder who is
    only jointly authorised ("gezamenlijk bevoegd") does not. Raises the register's own error when it cannot
    answer.
    """
    profiel = get_handelsregister().zoek_op_kvk_nummer(organisatie.kvk_nummer)
    voornamen = gegevens.voornamen.split()
    namen = {
        _naam_sleutel(" ".join([gegevens.voornamen, gegevens.tussenvoegsel or "", gegevens.achternaam])),
        _naam_sleutel(" ".join([voornamen[0] if voornamen else "", gegevens.tussenvoegsel or "", gegevens.achternaam])),
    }
    return any(
        _naam_sleutel(w.naam) in namen
        and w.geboortedatum == gegevens.geboortedatum
        and "gezamenlijk" not in (w.bevoegdheid or "").casefold()
        for w in profiel.wettelijk_vertegenwoordigers
    )
