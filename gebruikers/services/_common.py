"""Private helpers shared by the gebruikers services: audit snapshots, the actor checks, R5 locking and counts, R23.

R5 under concurrency: every service that can take away a beheerder first takes the locks of `common.locks`
(the organisaties, then ALL their non-ended beheerder koppelingen, then the middelen: the one lock order of
every write, issue #14), then re-reads the state and counts the beheerders that remain, at every date ahead (a planned termination
counts until its day: `gebruikers.rules.r5_vooruitzicht`). Two beheerders demoting or terminating each other at
the same moment are thereby serialised on PostgreSQL: the second one sees the first one's committed change
and is refused.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beheer.selectors import beheerbare_organisaties
from common.dates import vandaag
from common.errors import DomainError
from common.weergave import datum
from gebruikers import rules
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.selectors import VERBORGEN_STATUSSEN, is_wettelijk_vertegenwoordiger
from handelsregister.errors import HandelsregisterFout
from organisaties.models import Organisatie

BEHEERDER = Koppeling.Rol.BEHEERDER
GEBRUIKER = Koppeling.Rol.GEBRUIKER


def _vereis_beheerder(actor, organisatie_ids) -> Middel:
    """R1/R4: the actor is beheerder (Actief, EH2+ or higher, regulier) of every one of these organisations.

    Uses the same selector as the Beheermodule's middleware, so the screens and the services always agree.
    """
    ids = {getattr(o, "pk", o) for o in organisatie_ids}
    beheerd = {o.pk for o in beheerbare_organisaties(actor)} if getattr(actor, "pk", None) else set()
    if not ids <= beheerd:
        raise DomainError(_("U bent geen beheerder van deze organisatie."), rule="R1", code="geen_beheerder")
    return Middel.objects.get(persoon=actor)


def _vereis_support(door) -> None:
    if not rules.is_support(door):
        raise DomainError(_("Alleen medewerkers van We-ID behandelen aanvragen."), rule="R18")


def _vereis_akkoord_kosten(kosten_geaccepteerd: bool) -> None:
    if not kosten_geaccepteerd:
        raise DomainError(
            _("Ga akkoord met de kosten om de aanvraag te versturen."), rule="R17", code="kosten_niet_geaccepteerd"
        )


def _vereis_abonnement(abonnement_jaren: int) -> None:
    if abonnement_jaren not in (1, 3):
        raise DomainError(_("Kies een 1-jarig of een 3-jarig abonnement."), rule="R17")


def _vereis_geen_open_aanvraag(middel: Middel) -> None:
    """R13: no new mutation while one is in behandeling (the database constraint is the fallback)."""
    if Aanvraag.objects.filter(middel=middel, status=Aanvraag.Status.IN_BEHANDELING).exists():
        raise DomainError(_MUTATIE_IN_BEHANDELING, rule="R13", code="mutatie_in_behandeling")


_MUTATIE_IN_BEHANDELING = _(
    "Er is al een mutatie voor deze gebruiker in behandeling. "
    "U kunt geen nieuwe mutatie doorvoeren zolang deze nog in behandeling is."
)


def _maak_aanvraag(**velden) -> Aanvraag:
    """Create an open aanvraag; a concurrent second one for the same middel hits the constraint (R13)."""
    try:
        with transaction.atomic():
            return Aanvraag.objects.create(**velden)
    except IntegrityError:
        raise DomainError(_MUTATIE_IN_BEHANDELING, rule="R13", code="mutatie_in_behandeling") from None


def _koppeling_bij(middel: Middel, organisatie) -> Koppeling:
    koppeling = (
        Koppeling.objects.lopend()
        .select_related("organisatie")
        .filter(middel=middel, organisatie_id=getattr(organisatie, "pk", organisatie))
        .first()
    )
    if koppeling is None:
        raise DomainError(_("Deze gebruiker is niet gekoppeld aan deze organisatie."), rule="R4")
    return koppeling


# R5 counts (telt_als_beheerder, r5_vooruitzicht, opzeg_gevolg) are predicates: gebruikers.rules.


_ALTIJD_EEN_BEHEERDER = _(
    "Er dient altijd 1 beheerder actief te zijn namens het bedrijf. "
    "Geef eerst een andere gebruiker de beheerdersrol zodat er daarna nog steeds een beheerder "
    "namens het bedrijf beschikbaar is."
)
_GEEN_BEHEERDER_VANAF = _(
    "Er dient altijd 1 beheerder actief te zijn namens het bedrijf. "
    "Na deze wijziging is er vanaf {datum} geen beheerder meer, omdat de eHerkenning van de andere beheerders "
    "uiterlijk op die datum is opgezegd. Geef eerst een andere gebruiker de beheerdersrol zodat er daarna nog "
    "steeds een beheerder namens het bedrijf beschikbaar is."
)


def _r5_geweigerd(vooruitzicht: rules.R5Vooruitzicht) -> DomainError:
    """The R5 refusal: today's wording, or, when the gap only comes on a planned date, that date (issue #14)."""
    if vooruitzicht.dag is None or vooruitzicht.dag <= vandaag():
        bericht = _ALTIJD_EEN_BEHEERDER
    else:
        bericht = format_lazy(_GEEN_BEHEERDER_VANAF, datum=datum(vooruitzicht.dag))
    return DomainError(bericht, rule="R5", code="laatste_beheerder")


_EIGEN_MIDDEL_NIET_OPZEGGEN = _(
    "Helaas is het op dit moment niet mogelijk om uw eigen eHerkenningmiddel op te zeggen voor deze organisatie. "
    "Binnen eHerkenning is het noodzakelijk dat er minimaal één beheerder actief is per organisatie. "
    "Om te kunnen doorgaan dient u eerst één of meerdere beheerders aan te stellen."
)
_BEVESTIG_OPZEGGEN_ORGANISATIE = _(
    "U wilt uw eigen eHerkenningmiddel opzeggen. Omdat er geen andere gebruikers actief zijn voor deze "
    "organisatie, betekent dit dat u met deze actie eHerkenning voor de hele organisatie opzegt."
)
_GEEN_BELASTINGDIENST_BEHEERDER = _(
    "Een Belastingdienstmiddel kan uitsluitend gebruikt worden door een gebruiker. "
    "Er zijn geen beheerders met een Belastingdienstmiddel."
)


def _vereis_geen_belastingdienstmiddel(organisatie_ids, *, behalve_middel_id: int | None = None) -> None:
    """R23: at most one Belastingdienstmiddel per KvK-nummer (all vestigingen of that KvK-nummer together)."""
    kvk_nummers = set(Organisatie.objects.filter(pk__in=organisatie_ids).values_list("kvk_nummer", flat=True))
    # Lock the organisations of these KvK-nummers so two requests for the same KvK-nummer run one after the other
    # (in the mode of common.locks: a no-op for a service that locked them there first, as it should).
    list(
        Organisatie.objects.select_for_update(no_key=True)
        .filter(kvk_nummer__in=kvk_nummers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    bestaand = (
        Koppeling.objects.lopend()
        .filter(organisatie__kvk_nummer__in=kvk_nummers, middel__type=Middel.Type.BELASTINGDIENST)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .exclude(middel_id=behalve_middel_id)
    )
    if bestaand.exists():
        raise DomainError(
            _("Er is maximaal 1 EH3 Belastingdienstmiddel per KvK-nummer mogelijk."), rule="R23", code="een_per_kvk"
        )


def _vereis_wettelijk_vertegenwoordiger(organisaties, persoon) -> None:
    """R23: the person must be a wettelijk vertegenwoordiger, fully authorised, of every organisation involved, as
    the Handelsregister says (by name and date of birth). A register that cannot answer refuses too, saying so."""
    try:
        erkend = all(is_wettelijk_vertegenwoordiger(o, persoon) for o in organisaties)
    except HandelsregisterFout as fout:
        raise DomainError(fout.message, rule="R23", code="wettelijk_vertegenwoordiger") from fout
    if not erkend:
        raise DomainError(
            _(
                "Een EH3 Belastingdienstmiddel is alleen aan te vragen voor een natuurlijk persoon die volledig "
                "bevoegd is voor de organisatie (wettelijk vertegenwoordiger)."
            ),
            rule="R23",
            code="wettelijk_vertegenwoordiger",
        )


def _middelen_beeindigen(middel_ids, *, dag: dt.date) -> list[int]:
    """Middelen left without any koppeling end: nobody logs in with them any more (R19). Set-based."""
    zonder_koppeling = (
        Middel.objects.filter(pk__in=middel_ids)
        .exclude(status__in=VERBORGEN_STATUSSEN)
        .exclude(Exists(Koppeling.objects.lopend().filter(middel_id=OuterRef("pk"))))
    )
    ids = list(zonder_koppeling.values_list("pk", flat=True))
    if ids:
        Middel.objects.filter(pk__in=ids).update(status=Middel.Status.BEEINDIGD, beeindigd_op=dag)
        Persoon.objects.filter(middel__pk__in=ids).update(is_active=False)
        # An open mutation for a middel that no longer exists cannot be processed any more.
        Aanvraag.objects.filter(middel_id__in=ids, status=Aanvraag.Status.IN_BEHANDELING).update(
            status=Aanvraag.Status.AFGEKEURD,
            reden_afkeuring=str(_("Het eHerkenningsmiddel is opgezegd.")),
            behandeld_op=timezone.now(),
        )
    return ids
