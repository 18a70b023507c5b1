"""What the audit trail keeps of a Middel and a Koppeling before and after a change (R74), as plain JSON.

Outside `gebruikers.services` so that activation (`inloggen.activatie`) audits the same way without importing
the services package."""

import datetime as dt
from decimal import Decimal

from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel


def als_json(waarde):
    """Audit `voor`/`na` are plain JSON: dates as ISO text, Decimals as text."""
    if isinstance(waarde, dict):
        return {k: als_json(v) for k, v in waarde.items()}
    if isinstance(waarde, list | tuple):
        return [als_json(v) for v in waarde]
    if isinstance(waarde, dt.date | dt.datetime):
        return waarde.isoformat()
    if isinstance(waarde, Decimal):
        return str(waarde)
    return waarde


def middel_stand(middel: Middel) -> dict:
    return als_json(
        {
            "status": middel.status,
            "niveau": Niveau(middel.niveau).label,
            "type": middel.type,
            "tweede_factor": middel.tweede_factor,
            "activeren_tot": middel.activeren_tot,
        }
    )


def koppeling_stand(koppeling: Koppeling) -> dict:
    return als_json(
        {
            "rol": koppeling.rol,
            "status": koppeling.status,
            "abonnement_jaren": koppeling.abonnement_jaren,
            "abonnement_start": koppeling.abonnement_start,
            "abonnement_eind": koppeling.abonnement_eind,
            "opzeggen_per": koppeling.opzeggen_per,
            "opzegmoment": koppeling.opzegmoment,
        }
    )
