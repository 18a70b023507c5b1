"""Writing the audit trail (R74). Every domain service that changes something calls `audit_log`, `audit_bulk`
or `audit_per_organisatie`; each accepts only the kinds of entry in `audit.acties.Actie`.
"""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from audit.acties import Actie
from audit.models import AuditEntry
from common.bulk import JsonPerObject, insert_rows

SYSTEEM = "systeem"


def _actor_label(actor) -> str:
    if actor is None:
        return SYSTEEM
    return getattr(actor, "naam", None) or str(actor)


def _actie(actie) -> Actie:
    """The registry member for `actie`; anything not in the registry is a programming error, not an entry."""
    try:
        return Actie(actie)
    except ValueError:
        raise ValueError(f"unknown audit actie {actie!r}: add it to audit.acties.Actie first") from None


def _organisatie_ids(organisaties: Iterable) -> list:
    """Organisations (or their ids) once each, in the order given."""
    return list(dict.fromkeys(getattr(o, "pk", o) for o in organisaties))


def audit_log(
    *,
    actor,
    organisatie,
    actie: Actie,
    omschrijving: str,
    object=None,
    voor: dict | None = None,
    na: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        organisatie=organisatie,
        actie=_actie(actie),
        omschrijving=str(omschrijving)[:500],
        object_type=type(object).__name__ if object is not None else "",
        object_id=str(object.pk) if object is not None else "",
        voor=voor,
        na=na,
    )


# The columns audit_bulk writes, in its INSERT's order.
_BULK_VELDEN = (
    "moment",
    "actor",
    "actor_label",
    "organisatie",
    "actie",
    "omschrijving",
    "object_type",
    "object_id",
    "voor",
    "na",
)


def audit_bulk(entries: Iterable[dict], *, actor=None) -> int:
    """Many entries at once, for the set-based jobs and bulk steps. Each dict holds the audit_log keywords, with
    `organisatie_id`, or `organisaties` (organisations or ids) when each of them keeps the same entry. Written
    in one statement over plain tuples (common.bulk; 10,000 rows of + Voeg toe as model instances would be most of
    its time)."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    label = _actor_label(actor)
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    als_json = JsonPerObject()
    rijen = []
    for e in entries:
        actie = _actie(e["actie"]).value
        organisatie_ids = _organisatie_ids(e["organisaties"]) if "organisaties" in e else [e.get("organisatie_id")]
        voor, na = e.get("voor"), e.get("na")
        rijen += [
            (
                moment,
                actor_id,
                label,
                organisatie_id,
                actie,
                str(e["omschrijving"])[:500],
                e.get("object_type", ""),
                str(e.get("object_id", "")),
                als_json(voor),
                als_json(na),
            )
            for organisatie_id in organisatie_ids
        ]
    return insert_rows(AuditEntry, _BULK_VELDEN, rijen)


def audit_per_organisatie(
    *,
    actor,
    organisaties: Iterable,
    actie: Actie,
    omschrijving: str,
    object=None,
    voor: dict | None = None,
    na: dict | None = None,
) -> int:
    """One change that concerns several organisations (both sides of a ketenmachtiging, every organisation of a
    person): each keeps the same entry in its own audit trail (R74), written with one INSERT. `organisaties`
    are organisations or their ids; duplicates count once."""
    entry = {
        "organisaties": organisaties,
        "actie": actie,
        "omschrijving": omschrijving,
        "object_type": type(object).__name__ if object is not None else "",
        "object_id": object.pk if object is not None else "",
        "voor": voor,
        "na": na,
    }
    return audit_bulk([entry], actor=actor)
