"""Writes for machtigingen (R30–R39, R73, R74): adding per user and in bulk, changing the end date, verlengen,
intrekken, and the expiry job.

Every service checks that the actor is a beheerder of the organisation (R4), audits each change with before
and after (R74), and tells each affected person once per action that their machtigingen changed (R37).
End dates are exclusive: a machtiging is valid on days begint_op <= d < eindigt_op.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import SYSTEEM, audit_bulk
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from gebruikers.models import Middel
from gebruikers.rules import beheer_koppeling
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.selectors import (
    NIVEAU_TE_LAAG,
    GekozenScope,
    ScopeSleutel,
    ids_van,
    machtiging_middel_gekoppeld,
    middel_gekoppeld_aan,
    scopes_filter,
    scopes_oplossen,
)
from organisaties.models import Organisatie

logger = logging.getLogger(__name__)

NIET_BEHEERDER = _("Alleen een beheerder van deze organisatie kan machtigingen beheren.")
NIET_ACTIEF = _("Alleen actieve gebruikers kunnen een machtiging krijgen.")
BOVEN_EIGEN_NIVEAU = _("U kunt alleen machtigingen verlenen tot en met uw eigen niveau.")
DIENST_INGETROKKEN = _("Deze dienst is ingetrokken en kan niet meer worden toegekend.")
EINDDATUM_TE_VROEG = _("De einddatum kan op zijn vroegst de volgende dag zijn.")
EINDDATUM_TE_LAAT = _("De einddatum van een machtiging kan maximaal 5 jaar vooruit worden gezet.")
GEEN_MACHTIGING = _("Kies ten minste één machtiging.")
GEEN_GEBRUIKER = _("Kies ten minste één gebruiker.")
MACHTIGING_NIET_GEVONDEN = _("Deze machtiging bestaat niet.")
MACHTIGING_NIET_ACTIEF = _("Deze machtiging is niet meer actief.")
ONBEKENDE_KEUZE = _("Kies 5 jaar, 3 jaar, 1 jaar of bepaal zelf de datum.")

# R33's quick choices, in years; 5 is the default ("meest gekozen").
SNELKEUZES = {"5": 5, "3": 3, "1": 1}


class Actie:
    """Audit `actie` codes, also passed to `_meld_wijziging`."""

    TOEGEVOEGD = "machtiging_toegevoegd"
    EINDDATUM_GEWIJZIGD = "machtiging_einddatum_gewijzigd"
    VERLENGD = "machtiging_verlengd"
    INGETROKKEN = "machtiging_ingetrokken"
    VERLOPEN = "machtiging_verlopen"


# ----------------------------------------------------------------------------------------------- helpers


def _meld_wijziging(persoon_ids: frozenset[int], actie: str, *, organisatie_id: int | None = None) -> None:
    """R37: the hook that tells each person, with ONE e-mail per action, that their machtigingen changed.

    Called exactly once per action with the distinct persons affected, inside the action's transaction, so the
    outbox row is written atomically with the change and sent after commit.
    """
    from berichten.services import meld_machtigingen_gewijzigd_aan_personen

    logger.info("machtigingen gewijzigd (%s) voor %d persoon/personen", actie, len(persoon_ids))
    if persoon_ids and organisatie_id is not None:
        meld_machtigingen_gewijzigd_aan_personen(persoon_ids=persoon_ids, organisatie_id=organisatie_id, actie=actie)


def _beheerder_middel(actor, organisatie_id: int) -> Middel:
    """R4: the actor's own middel, when the actor is a beheerder of this organisation (actief koppeling, Actief
    regular middel at EH2+ or higher, organisation not terminated). Its niveau bounds what it grants (R39)."""
    if getattr(actor, "pk", None) is None:
        raise DomainError(NIET_BEHEERDER, rule="R4")
    koppeling = beheer_koppeling(actor, organisatie_id)
    if koppeling is None:
        raise DomainError(NIET_BEHEERDER, rule="R4")
    return koppeling.middel


def einddatum_voor_keuze(keuze: str | int | dt.date, *, vanaf: dt.date | None = None) -> dt.date:
    """R33's choice as a date: "5", "3" or "1" jaar counted from `vanaf` (default today), or a date of one's own
    (returned as is; `_controleer_einddatum` checks it)."""
    if isinstance(keuze, dt.datetime):
        return timezone.localdate(keuze) if timezone.is_aware(keuze) else keuze.date()
    if isinstance(keuze, dt.date):
        return keuze
    jaren = SNELKEUZES.get(str(keuze).strip())
    if jaren is None:
        raise DomainError(ONBEKENDE_KEUZE, rule="R33")
    return plus_jaren(vanaf or vandaag(), jaren)


def _controleer_einddatum(eindigt_op: dt.date, vandaag_: dt.date) -> None:
    """R33/R73: the end date is at the earliest tomorrow and at most 5 years ahead."""
    if eindigt_op <= vandaag_:
        raise DomainError(EINDDATUM_TE_VROEG, rule="R33")
    if eindigt_op > plus_jaren(vandaag_, MAX_JAREN):
        raise DomainError(EINDDATUM_TE_LAAT, rule="R73")


def _controleer_scopes(scopes: Iterable[GekozenScope], beheerder_niveau: int) -> None:
    for scope in scopes:
        if scope.ingetrokken:
            raise DomainError(DIENST_INGETROKKEN, rule="R70")
        if scope.hoogste_niveau is not None and scope.hoogste_niveau > beheerder_niveau:
            raise DomainError(BOVEN_EIGEN_NIVEAU, rule="R39")


def _controleer_niveau(middel_niveau: int, scope: GekozenScope) -> None:
    if scope.vereist_niveau is not None and middel_niveau < scope.vereist_niveau:
        raise DomainError(NIVEAU_TE_LAAG, rule="R31")


def _iso(datum: dt.date | dt.datetime | None) -> str | None:
    return datum.isoformat() if datum else None


def _staat(m: Machtiging) -> dict:
    """What the audit trail keeps of a machtiging, before and after a change."""
    return {
        "middel": m.middel_id,
        "scope": m.scope,
        "dienst": m.dienst_id,
        "niveau": m.niveau,
        "dienstverlener": m.dienstverlener_id,
        "status": m.status,
        "begint_op": _iso(m.begint_op),
        "eindigt_op": _iso(m.eindigt_op),
        "termijn_begint_op": _iso(m.termijn_begint_op),
        "ingetrokken_op": _iso(m.ingetrokken_op),
    }


def _audit(m: Machtiging, *, actie: str, omschrijving: str, voor: dict | None, na: dict | None) -> dict:
    return {
        "organisatie_id": m.organisatie_id,
        "actie": actie,
        "omschrijving": omschrijving,
        "object_type": Machtiging.__name__,
        "object_id": m.pk,
        "voor": voor,
        "na": na,
    }


def _scope_sleutels_oplossen(sleutels: Iterable[ScopeSleutel]) -> dict[ScopeSleutel, GekozenScope]:
    sleutels = set(sleutels)
    scopes = scopes_oplossen(
        diensten=[s.dienst_id for s in sleutels if s.scope == Scope.DIENST],
        algemene_niveaus=[s.niveau for s in sleutels if s.scope == Scope.ALGEMEEN],
        dienstverleners=[s.dienstverlener_id for s in sleutels if s.scope == Scope.DIENSTVERLENER],
    )
    return {s.sleutel: s for s in scopes}


# ----------------------------------------------------------------------------------------------- toevoegen


@transaction.atomic
def machtiging_toevoegen(
    *,
    actor,
    organisatie: Organisatie,
    middelen: Iterable,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
) -> list[Machtiging]:
    """Give each of `middelen` each chosen scope (diensten × users; per user it is one middel), from today
    until `eindigt_op` (default 5 years; a date or a quick choice "5", "3", "1", R33). All or nothing: one refused pair refuses the whole action.

    R30 every middel is Actief and linked (actief) to the organisation; R31 its niveau reaches every chosen
    scope; R39 the actor grants nothing above the own niveau; withdrawn diensten cannot be granted.
    R36 a pair that is already running gets the new end date instead of a duplicate (that is how the rubriek
    extends or ends machtigingen together). `middelen`, `diensten` and `dienstverleners` take instances or ids.
    Returns the new and the updated machtigingen.
    """
    beheerder_middel = _beheerder_middel(actor, organisatie.pk)
    vandaag_ = vandaag()
    eindigt_op = plus_jaren(vandaag_, MAX_JAREN) if eindigt_op is None else einddatum_voor_keuze(eindigt_op)
    _controleer_einddatum(eindigt_op, vandaag_)

    scopes = scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    if not scopes:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    middel_ids = ids_van(middelen)
    if not middel_ids:
        raise DomainError(GEEN_GEBRUIKER, code="geen_gebruiker")
    _controleer_scopes(scopes, beheerder_middel.niveau)

    # Locking the middelen serialises concurrent additions for the same people, so R36 cannot be raced
    # into duplicates.
    gekozen = list(
        Middel.objects.select_for_update(of=("self",))
        .filter(
            middel_gekoppeld_aan(organisatie),
            pk__in=middel_ids,
            status=Middel.Status.ACTIEF,
        )
        .select_related("persoon")
        .order_by("pk")
    )
    if len(gekozen) != len(middel_ids):
        raise DomainError(NIET_ACTIEF, rule="R30")
    for middel in gekozen:
        for scope in scopes:
            _controleer_niveau(middel.niveau, scope)

    bestaand = list(
        Machtiging.objects.select_for_update()
        .filter(
            scopes_filter([s.sleutel for s in scopes]),
            organisatie=organisatie,
            middel_id__in=middel_ids,
            status=Status.ACTIEF,
        )
        .order_by("pk")
    )
    audit: list[dict] = []
    # Past its end date but not yet flipped by the job: it has ended, so it is closed and replaced.
    verouderd = [m for m in bestaand if m.eindigt_op <= vandaag_]
    if verouderd:
        Machtiging.objects.filter(pk__in=[m.pk for m in verouderd]).update(status=Status.VERLOPEN)
        for m in verouderd:
            voor = _staat(m)
            m.status = Status.VERLOPEN
            audit.append(
                _audit(m, actie=Actie.VERLOPEN, omschrijving=gettext("Machtiging verlopen"), voor=voor, na=_staat(m))
            )
    lopend = {(m.middel_id, ScopeSleutel.van(m)): m for m in bestaand if m.eindigt_op > vandaag_}
    namen = {s.sleutel: s.naam for s in scopes}
    personen = {m.pk: m.persoon for m in gekozen}

    if lopend:
        Machtiging.objects.filter(pk__in=[m.pk for m in lopend.values()]).update(
            eindigt_op=eindigt_op, termijn_begint_op=vandaag_
        )
    for (middel_id, sleutel), m in lopend.items():
        voor = _staat(m)
        m.eindigt_op, m.termijn_begint_op = eindigt_op, vandaag_
        omschrijving = gettext("Einddatum machtiging %(scope)s van %(persoon)s gewijzigd naar %(datum)s") % {
            "scope": namen[sleutel],
            "persoon": personen[middel_id].naam,
            "datum": f"{eindigt_op:%d-%m-%Y}",
        }
        audit.append(_audit(m, actie=Actie.EINDDATUM_GEWIJZIGD, omschrijving=omschrijving, voor=voor, na=_staat(m)))

    nieuw = Machtiging.objects.bulk_create(
        [
            Machtiging(
                middel=middel,
                organisatie=organisatie,
                begint_op=vandaag_,
                eindigt_op=eindigt_op,
                termijn_begint_op=vandaag_,
                status=Status.ACTIEF,
                **scope.sleutel.velden(),
            )
            for middel in gekozen
            for scope in scopes
            if (middel.pk, scope.sleutel) not in lopend
        ]
    )
    for m in nieuw:
        omschrijving = gettext("Machtiging %(scope)s toegevoegd aan %(persoon)s, geldig tot %(datum)s") % {
            "scope": namen[ScopeSleutel.van(m)],
            "persoon": personen[m.middel_id].naam,
            "datum": f"{eindigt_op:%d-%m-%Y}",
        }
        audit.append(_audit(m, actie=Actie.TOEGEVOEGD, omschrijving=omschrijving, voor=None, na=_staat(m)))

    audit_bulk(audit, actor=actor)
    _meld_wijziging(frozenset(m.persoon_id for m in gekozen), Actie.TOEGEVOEGD, organisatie_id=organisatie.pk)
    return [*nieuw, *lopend.values()]


# ----------------------------------------------------------------------------------------------- einddatum


def _einddatum_zetten(
    *, actor, organisatie_id: int, machtiging_ids: list[int], eindigt_op: dt.date, actie: str
) -> list[Machtiging]:
    """Set one end date on running machtigingen of one organisation, in one UPDATE (R33, R36, R73).

    Moving the end date later grants more, so it is checked as adding is: R30 (the middel is still Actief and
    linked), R31, R39 and no withdrawn dienst. Shortening needs none of that: any beheerder may end sooner.
    The current term restarts today (`termijn_begint_op`), so R73 holds for the extended machtiging too.
    """
    beheerder_middel = _beheerder_middel(actor, organisatie_id)
    vandaag_ = vandaag()
    _controleer_einddatum(eindigt_op, vandaag_)
    if not machtiging_ids:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    rijen = list(
        Machtiging.objects.select_for_update(of=("self",))
        .filter(pk__in=machtiging_ids, organisatie_id=organisatie_id)
        .select_related("middel__persoon", "dienst", "dienstverlener")
        .annotate(gekoppeld=machtiging_middel_gekoppeld())
        .order_by("pk")
    )
    # A machtiging of another organisation answers as a missing one.
    if len(rijen) != len(machtiging_ids):
        raise DomainError(MACHTIGING_NIET_GEVONDEN, rule="R4")
    if any(m.status != Status.ACTIEF or m.eindigt_op <= vandaag_ for m in rijen):
        raise DomainError(MACHTIGING_NIET_ACTIEF, rule="R35")

    verlengd = [m for m in rijen if eindigt_op > m.eindigt_op]
    if verlengd:
        if any(not (m.middel.is_actief and m.gekoppeld) for m in verlengd):
            raise DomainError(NIET_ACTIEF, rule="R30")
        scopes = _scope_sleutels_oplossen(ScopeSleutel.van(m) for m in verlengd)
        _controleer_scopes(scopes.values(), beheerder_middel.niveau)
        for m in verlengd:
            _controleer_niveau(m.middel.niveau, scopes[ScopeSleutel.van(m)])

    Machtiging.objects.filter(pk__in=[m.pk for m in rijen]).update(eindigt_op=eindigt_op, termijn_begint_op=vandaag_)
    audit = []
    for m in rijen:
        voor = _staat(m)
        m.eindigt_op, m.termijn_begint_op = eindigt_op, vandaag_
        omschrijving = gettext("Einddatum machtiging %(scope)s van %(persoon)s gewijzigd naar %(datum)s") % {
            "scope": m.scope_omschrijving,
            "persoon": m.middel.persoon.naam,
            "datum": f"{eindigt_op:%d-%m-%Y}",
        }
        audit.append(_audit(m, actie=actie, omschrijving=omschrijving, voor=voor, na=_staat(m)))
    audit_bulk(audit, actor=actor)
    _meld_wijziging(frozenset(m.middel.persoon_id for m in rijen), actie, organisatie_id=organisatie_id)
    return rijen


@transaction.atomic
def machtiging_wijzig_einddatum(*, actor, machtiging: Machtiging, eindigt_op: dt.date) -> Machtiging:
    """The potlood (§3.10, §3.11.1): a new end date between tomorrow and 5 years ahead; ending it sooner
    is how a machtiging is ended on a date (R33)."""
    (gewijzigd,) = _einddatum_zetten(
        actor=actor,
        organisatie_id=machtiging.organisatie_id,
        machtiging_ids=[machtiging.pk],
        eindigt_op=eindigt_op,
        actie=Actie.EINDDATUM_GEWIJZIGD,
    )
    return gewijzigd


@transaction.atomic
def machtiging_verlengen(*, actor, machtiging: Machtiging, keuze: str | int | dt.date) -> Machtiging:
    """ "Verleng machtiging" (§3.10, R34): 5 jaar (meest gekozen), 3 jaar, 1 jaar, or a date of one's own.

    The years count from TODAY, not from the current end date: the manual's limit is "at most 5 years ahead",
    so "5 jaar" on a machtiging that still runs for a month gives today + 5 years, never beyond.
    """
    (gewijzigd,) = _einddatum_zetten(
        actor=actor,
        organisatie_id=machtiging.organisatie_id,
        machtiging_ids=[machtiging.pk],
        eindigt_op=einddatum_voor_keuze(keuze),
        actie=Actie.VERLENGD,
    )
    return gewijzigd


@transaction.atomic
def machtigingen_wijzig_einddatum(
    *, actor, organisatie: Organisatie, machtigingen: Iterable, eindigt_op: dt.date
) -> list[Machtiging]:
    """R36 in the rubriek (§4.4, §4.5): one end date for many machtigingen of many users at once, to extend or
    to end them together (at the earliest tomorrow). Each person gets one message for the whole action."""
    return _einddatum_zetten(
        actor=actor,
        organisatie_id=organisatie.pk,
        machtiging_ids=ids_van(machtigingen),
        eindigt_op=eindigt_op,
        actie=Actie.EINDDATUM_GEWIJZIGD,
    )


# ----------------------------------------------------------------------------------------------- intrekken


@transaction.atomic
def machtiging_intrekken(*, actor, machtiging: Machtiging) -> Machtiging:
    """R35 (§3.11.2): end a machtiging at once and for good. It is no longer listed, and the same scope can be
    added again later as a NEW machtiging (the revoked row stays, for the audit trail and the register).

    The manual's 3-second undo belongs to the screen: the screen shows "ingetrokken – ongedaan maken" and only
    calls this service when the window has passed without an undo (e.g. a delayed POST, or the view waiting
    on a second request); undo then means never calling it. Once called, nothing undoes it. Revoking at once
    is per user only; in bulk, machtigingen end by an end date (tomorrow at the earliest).
    """
    _beheerder_middel(actor, machtiging.organisatie_id)
    vandaag_ = vandaag()
    m = (
        Machtiging.objects.select_for_update(of=("self",))
        .filter(pk=machtiging.pk, organisatie_id=machtiging.organisatie_id)
        .select_related("middel__persoon", "dienst", "dienstverlener")
        .first()
    )
    if m is None:
        raise DomainError(MACHTIGING_NIET_GEVONDEN, rule="R4")
    if m.status != Status.ACTIEF or m.eindigt_op <= vandaag_:
        raise DomainError(MACHTIGING_NIET_ACTIEF, rule="R35")
    voor = _staat(m)
    m.status, m.ingetrokken_op = Status.INGETROKKEN, timezone.now()
    m.save(update_fields=["status", "ingetrokken_op"])
    omschrijving = gettext("Machtiging %(scope)s van %(persoon)s ingetrokken") % {
        "scope": m.scope_omschrijving,
        "persoon": m.middel.persoon.naam,
    }
    audit_bulk([_audit(m, actie=Actie.INGETROKKEN, omschrijving=omschrijving, voor=voor, na=_staat(m))], actor=actor)
    _meld_wijziging(frozenset({m.middel.persoon_id}), Actie.INGETROKKEN, organisatie_id=m.organisatie_id)
    return m


# ----------------------------------------------------------------------------------------------- verlopen


def _audit_kolommen() -> str:
    velden = ("moment", "actor", "actor_label", "organisatie", "actie", "omschrijving", "object_type", "object_id")
    velden += ("voor", "na")
    return ", ".join(connection.ops.quote_name(AuditEntry._meta.get_field(v).column) for v in velden)


@transaction.atomic
def verloop_machtigingen(*, op: dt.date | None = None) -> int:
    """The expiry job: every actief machtiging whose (exclusive) end date is on or before `op` (default today)
    becomes verlopen, audited per machtiging (R74). Returns how many were flipped; running it again flips none.

    Set-based, without model instances, so memory stays flat at any size:
    - PostgreSQL: ONE statement, an UPDATE ... RETURNING feeding an INSERT ... SELECT into the audit trail, so
      exactly the flipped rows are audited even with concurrent writers;
    - SQLite: INSERT ... SELECT then the same UPDATE, in one transaction (SQLite has a single writer).
    Both use the (status, eindigt_op) index.
    """
    op = op or vandaag()
    qn = connection.ops.quote_name
    tabel = qn(Machtiging._meta.db_table)
    audit_tabel = qn(AuditEntry._meta.db_table)
    waarden = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        SYSTEEM,
        Actie.VERLOPEN,
        gettext("Machtiging verlopen: einddatum bereikt"),
        Machtiging.__name__,
        Status.ACTIEF,
        Status.VERLOPEN,
    ]
    datum = connection.ops.adapt_datefield_value(op)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                WITH verlopen AS (
                    UPDATE {tabel} SET status = %s
                    WHERE status = %s AND eindigt_op <= %s
                    RETURNING id, organisatie_id, eindigt_op
                )
                INSERT INTO {audit_tabel} ({_audit_kolommen()})
                SELECT %s::timestamptz, NULL, %s::text, organisatie_id, %s::text, %s::text, %s::text, id::text,
                       jsonb_build_object('status', %s::text, 'eindigt_op', eindigt_op),
                       jsonb_build_object('status', %s::text, 'eindigt_op', eindigt_op)
                FROM verlopen
                """,  # noqa: S608 -- only table and column names from the models' metadata are interpolated
                [Status.VERLOPEN, Status.ACTIEF, datum, *waarden],
            )
            return cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {audit_tabel} ({_audit_kolommen()})
            SELECT %s, NULL, %s, organisatie_id, %s, %s, %s, CAST(id AS TEXT),
                   json_object('status', %s, 'eindigt_op', eindigt_op),
                   json_object('status', %s, 'eindigt_op', eindigt_op)
            FROM {tabel}
            WHERE status = %s AND eindigt_op <= %s
            """,  # noqa: S608 -- only table and column names from the models' metadata are interpolated
            [*waarden, Status.ACTIEF, datum],
        )
    return Machtiging.objects.filter(status=Status.ACTIEF, eindigt_op__lte=op).update(status=Status.VERLOPEN)
