"""Writing the audit trail (R74). Every domain service that changes something calls `audit_log`."""

from collections.abc import Iterable

from audit.models import AuditEntry

SYSTEEM = "systeem"


def _actor_label(actor) -> str:
    if actor is None:
        return SYSTEEM
    return getattr(actor, "naam", None) or str(actor)


def audit_log(
    *,
    actor,
    organisatie,
    actie: str,
    omschrijving: str,
    object=None,
    voor: dict | None = None,
    na: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        organisatie=organisatie,
        actie=actie,
        omschrijving=str(omschrijving)[:500],
        object_type=type(object).__name__ if object is not None else "",
        object_id=str(object.pk) if object is not None else "",
        voor=voor,
        na=na,
    )


def audit_bulk(entries: Iterable[dict], *, actor=None) -> int:
    """Many entries in one INSERT, for the set-based jobs. Each dict holds the audit_log keywords."""
    rows = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_actor_label(actor),
            organisatie_id=e.get("organisatie_id"),
            actie=e["actie"],
            omschrijving=str(e["omschrijving"])[:500],
            object_type=e.get("object_type", ""),
            object_id=str(e.get("object_id", "")),
            voor=e.get("voor"),
            na=e.get("na"),
        )
        for e in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
