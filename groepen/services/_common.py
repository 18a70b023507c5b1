"""Shared by the groepen services: the actor check (R4), locking a group, audit snapshots (R74), and who is told
(R37) when the machtigingen they hold through a group change."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from gebruikers.models import Middel, Persoon
from gebruikers.rules import beheer_koppeling
from groepen.models import Groep, GroepMachtiging

NIET_BEHEERDER = _("Alleen een beheerder van deze organisatie kan groepen beheren.")
GROEP_NIET_GEVONDEN = _("Deze groep bestaat niet (meer).")


def beheerder_middel(actor, organisatie_id: int) -> Middel:
    """R4: the actor's own middel when the actor is a beheerder of this organisation; its niveau bounds what it
    grants (R39)."""
    koppeling = beheer_koppeling(actor, organisatie_id) if getattr(actor, "pk", None) else None
    if koppeling is None:
        raise DomainError(NIET_BEHEERDER, rule="R4")
    return koppeling.middel


def vergrendel(groep: Groep) -> Groep:
    """The group fresh from the database and locked, so concurrent changes to one group take turns; a deleted
    group (or one of another organisation) is refused."""
    gevonden = (
        Groep.objects.bestaand()
        .select_for_update(of=("self",))
        .filter(pk=groep.pk, organisatie_id=groep.organisatie_id)
        .select_related("organisatie")
        .first()
    )
    if gevonden is None:
        raise DomainError(GROEP_NIET_GEVONDEN, rule="R24")
    return gevonden


def iso(datum: dt.date | dt.datetime | None) -> str | None:
    return datum.isoformat() if datum else None


def staat_groep(groep: Groep) -> dict:
    return {"naam": groep.naam, "opgeheven_op": iso(groep.opgeheven_op)}


def staat_machtiging(m: GroepMachtiging) -> dict:
    """What the audit trail keeps of a group machtiging, before and after a change."""
    return {
        "groep": m.groep_id,
        "scope": m.scope,
        "dienst": m.dienst_id,
        "niveau": m.niveau,
        "dienstverlener": m.dienstverlener_id,
        "status": m.status,
        "begint_op": iso(m.begint_op),
        "eindigt_op": iso(m.eindigt_op),
        "termijn_begint_op": iso(m.termijn_begint_op),
        "ingetrokken_op": iso(m.ingetrokken_op),
    }


def audit_regel(groep: Groep, *, actie, omschrijving: str, obj=None, voor=None, na=None) -> dict:
    obj = obj if obj is not None else groep
    return {
        "organisatie_id": groep.organisatie_id,
        "actie": actie,
        "omschrijving": omschrijving,
        "object_type": type(obj).__name__,
        "object_id": obj.pk,
        "voor": voor,
        "na": na,
    }


def ontvangers(groep: Groep, *, koppeling_ids=None, machtiging_ids=None) -> list[Persoon]:
    """R37: the current members (only those of `koppeling_ids` when given) for whom at least one of the group's
    running machtigingen (only those of `machtiging_ids` when given) counts, as the group's page shows it (R23,
    R30, R31): the people whose machtigingen change. Call it while those machtigingen still run. Three queries."""
    from groepen.selectors import groep_details

    details = groep_details(groep.organisatie_id, groep.pk, gemeenschappelijk=False)
    telt = [machtiging_ids is None or mr.machtiging.pk in machtiging_ids for mr in details.machtigingen]
    return [
        regel.persoon
        for regel in details.leden
        if (koppeling_ids is None or regel.koppeling.pk in koppeling_ids)
        and any(dekking.telt and mee for dekking, mee in zip(regel.dekking, telt, strict=True))
    ]
