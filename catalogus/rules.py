"""Predicates on the catalogue the register and the ketenmachtiging services share (R75)."""

from catalogus.models import INTERMEDIATIE_MET_GOEDKEURING, Dienst


def via_intermediair_toegestaan(intermediatie: str, *, goedgekeurd: bool) -> bool:
    """R75, deny by default: may an intermediair use a dienst with this `ServiceIntermediation` value?

    `goedgekeurd`: support recorded the dienstverlener's approval of that intermediair for that dienst.
    An unknown value is refused like `noIntermediation`.
    """
    if intermediatie == Dienst.Intermediatie.ALGEMEEN:
        return True
    if intermediatie in INTERMEDIATIE_MET_GOEDKEURING:
        return goedgekeurd
    return False
