"""Predicates of the rubriek Gebruikers: the one place that says whether someone may do something.

The services call these to refuse (raising a `DomainError`), and the views call the same ones to show or hide an
action, so a screen and its refusal never disagree. Predicates only read; they never change data.
"""

from gebruikers.models import Koppeling


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
