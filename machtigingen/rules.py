"""Predicates of the machtigingen: which middel may get which machtiging, granted by whom (R30, R31, R39).

The services refuse with these and the screens grey out choices with the same ones, so a choice that is offered
is one the service accepts. Pure functions on loaded values; no queries.
"""

from django.utils.translation import gettext_lazy as _

from gebruikers.models import Koppeling, Middel

# Why a choice cannot be made (the rule), or None when it can.
WEIGERING_NIVEAU_TE_LAAG = "R31"
WEIGERING_BOVEN_EIGEN_NIVEAU = "R39"
# Its message, shown by the screens and raised by the services.
BOVEN_EIGEN_NIVEAU = _("U kunt alleen machtigingen verlenen tot en met uw eigen niveau.")


def mag_machtiging_krijgen(middel: Middel, koppeling: Koppeling) -> bool:
    """R30: only an Actief middel with an actief koppeling to the organisation gets machtigingen."""
    return middel.status == Middel.Status.ACTIEF and koppeling.status == Koppeling.Status.ACTIEF


def niveau_volstaat(middel_niveau: int, vereist_niveau: int | None) -> bool:
    """R31: the middel reaches the niveau the scope asks for (a scope asking none is always reached)."""
    return vereist_niveau is None or middel_niveau >= vereist_niveau


def binnen_eigen_niveau(niveau: int | None, beheerder_niveau: int) -> bool:
    """R39: a beheerder grants nothing above the own niveau."""
    return niveau is None or niveau <= beheerder_niveau


def keuze_weigering(*, niveau: int, middel_niveau: int | None, beheerder_niveau: int) -> str | None:
    """For one dienst or Algemene bevoegdheid of `niveau` offered to a middel (None: nobody chosen yet): the rule
    that refuses it (R31 first, as the manual warns about the user's niveau), or None when it can be chosen."""
    if middel_niveau is not None and not niveau_volstaat(middel_niveau, niveau):
        return WEIGERING_NIVEAU_TE_LAAG
    if not binnen_eigen_niveau(niveau, beheerder_niveau):
        return WEIGERING_BOVEN_EIGEN_NIVEAU
    return None
