"""Reads for the rubriek Gebruikers: who may use the Beheermodule (R1), the overview (R13, R62) and details (R63)."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from beheer.selectors import beheerbare_organisaties
from common.dates import plus_maanden, vandaag
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
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


@dataclass(frozen=True)
class GebruikerRij:
    """One row of the gebruikers overview (R62), also what the .xlsx/.csv export lists (R61)."""

    koppeling_id: int
    middel_id: int
    persoon_id: int
    naam: str
    email: str
    rol: str
    is_beheerder: bool
    is_zelf: bool
    niveau: Niveau
    type: str
    status: str
    status_label: str
    tweede_factor: str
    mobiel: str
    activeren_tot: dt.date | None
    activatie_verlopen_op: dt.date | None
    mutatie_in_behandeling: bool

    @property
    def niveau_badge(self) -> str:
        return self.niveau.badge

    @property
    def toon_status(self) -> bool:
        """Only a middel that is not yet Actief shows its status in the overview (§3.1)."""
        return self.status != Middel.Status.ACTIEF


def weergave_status(koppeling_status: str, middel_status: str) -> str:
    """The status the rubriek shows: a koppeling still with support is "Wachten op goedkeuring", even when the
    middel itself is Actief (it is linked to another organisation already). One rule for overview, details, export."""
    if koppeling_status == Koppeling.Status.AANGEVRAAGD and middel_status == Middel.Status.ACTIEF:
        return Middel.Status.WACHTEN_OP_GOEDKEURING
    return middel_status


def overzicht_koppelingen(*, organisatie: Organisatie, zoek: str = ""):
    """The koppelingen the rubriek Gebruikers lists for one organisation, in its order: terminated koppelingen
    and middelen that were rejected or ended are left out (R18, R19). Shared by the overview and its export."""
    koppelingen = (
        Koppeling.objects.filter(organisatie=organisatie)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .order_by("middel__persoon__achternaam", "middel__persoon__voornamen", "pk")
    )
    if zoek:
        koppelingen = koppelingen.filter(
            Q(middel__persoon__voornamen__icontains=zoek)
            | Q(middel__persoon__achternaam__icontains=zoek)
            | Q(middel__persoon__email__icontains=zoek)
        )
    return koppelingen


def gebruikers_overzicht(*, organisatie: Organisatie, persoon=None, zoek: str = "") -> list[GebruikerRij]:
    """The rubriek Gebruikers for one organisation, in ONE query whatever the number of users."""
    koppelingen = (
        overzicht_koppelingen(organisatie=organisatie, zoek=zoek)
        .select_related("middel__persoon")
        .annotate(
            mutatie_in_behandeling=Exists(
                Aanvraag.objects.filter(middel_id=OuterRef("middel_id"), status=Aanvraag.Status.IN_BEHANDELING)
            )
        )
    )
    # Labels translated once per call, not once per row.
    labels = {waarde: str(label) for waarde, label in Middel.Status.choices}
    zelf_id = getattr(persoon, "pk", None)
    rijen = []
    for k in koppelingen:
        m, p = k.middel, k.middel.persoon
        status = weergave_status(k.status, m.status)
        status_label = labels[status]
        rijen.append(
            GebruikerRij(
                koppeling_id=k.pk,
                middel_id=m.pk,
                persoon_id=p.pk,
                naam=p.naam,
                email=p.email,
                rol=k.rol,
                is_beheerder=k.is_beheerder,
                is_zelf=p.pk == zelf_id,
                niveau=Niveau(m.niveau),
                type=m.type,
                status=status,
                status_label=status_label,
                tweede_factor=m.tweede_factor,
                mobiel=p.mobiel,
                activeren_tot=m.activeren_tot,
                activatie_verlopen_op=m.activatie_verlopen_op,
                mutatie_in_behandeling=k.mutatie_in_behandeling,
            )
        )
    return rijen


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


def gebruiker_details(*, organisatie: Organisatie, persoon_id: int) -> GebruikerDetails:
    """A person's details as the beheerder of `organisatie` sees them (R63).

    Raises Koppeling.DoesNotExist for a person who is not (or no longer) listed at this organisation,
    so a foreign id answers the same as a missing one.
    """
    from machtigingen.models import Machtiging
    from machtigingen.models import Status as MachtigingStatus

    koppeling = (
        Koppeling.objects.select_related("middel__persoon", "organisatie")
        .exclude(status=Koppeling.Status.BEEINDIGD)
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
    gekoppeld = set(
        Koppeling.objects.filter(middel=middel)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("organisatie_id", flat=True)
    )
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
    from handelsregister import get_handelsregister

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
