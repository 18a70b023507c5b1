"""R5 under concurrency, on PostgreSQL: two beheerders demoting or terminating each other at the same moment."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections

from audit import services as audit_services
from common.dates import vandaag
from common.errors import DomainError
from gebruikers import services
from gebruikers.models import Koppeling, Middel
from gebruikers.services import opzeggen, rollen
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

_echte_audit_log = audit_services.audit_log


def _trage_audit_log(**kwargs):
    # Widen the window between the R5 check and the commit, so without the row locks both would pass the check.
    time.sleep(0.3)
    return _echte_audit_log(**kwargs)


def _gelijktijdig(*acties):
    """Run the actions in threads that start together; return (successes, DomainErrors, other errors)."""
    barrier = threading.Barrier(len(acties))
    gelukt, geweigerd, fouten = [], [], []

    def run(actie):
        try:
            barrier.wait(timeout=10)
            actie()
            gelukt.append(actie)
        except DomainError as exc:
            geweigerd.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            fouten.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in acties]
    with (
        mock.patch.object(rollen, "audit_log", _trage_audit_log),
        mock.patch.object(opzeggen, "audit_log", _trage_audit_log),
    ):
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    return gelukt, geweigerd, fouten


def _actieve_beheerders(organisatie) -> int:
    return Koppeling.objects.filter(
        organisatie=organisatie, rol="beheerder", status="actief", middel__status=Middel.Status.ACTIEF
    ).count()


@pytest.fixture
def twee_beheerders():
    assert connection.vendor == "postgresql"
    organisatie = OrganisatieFactory()
    a = KoppelingFactory(organisatie=organisatie, beheerder=True)
    b = KoppelingFactory(organisatie=organisatie, beheerder=True)
    KoppelingFactory(organisatie=organisatie)  # a gebruiker remains, so the organisation itself stays
    return organisatie, a, b


def test_r5_two_beheerders_demoting_each_other_at_once(twee_beheerders):
    organisatie, a, b = twee_beheerders
    gelukt, geweigerd, fouten = _gelijktijdig(
        lambda: services.koppeling_wijzig_rol(actor=a.middel.persoon, koppeling=b, rol="gebruiker"),
        lambda: services.koppeling_wijzig_rol(actor=b.middel.persoon, koppeling=a, rol="gebruiker"),
    )
    assert fouten == []
    assert len(gelukt) == 1
    assert len(geweigerd) == 1
    assert _actieve_beheerders(organisatie) == 1


def test_r5_two_beheerders_terminating_each_other_at_once(twee_beheerders):
    organisatie, a, b = twee_beheerders
    gelukt, geweigerd, fouten = _gelijktijdig(
        lambda: services.middel_opzeggen(actor=a.middel.persoon, koppeling=b, moment="per_direct"),
        lambda: services.middel_opzeggen(actor=b.middel.persoon, koppeling=a, moment="per_direct"),
    )
    assert fouten == []
    assert len(gelukt) == 1
    assert len(geweigerd) == 1
    assert _actieve_beheerders(organisatie) == 1


def test_r5_demotion_and_termination_crossing(twee_beheerders):
    organisatie, a, b = twee_beheerders
    gelukt, geweigerd, fouten = _gelijktijdig(
        lambda: services.koppeling_wijzig_rol(actor=a.middel.persoon, koppeling=b, rol="gebruiker"),
        lambda: services.middel_opzeggen(actor=b.middel.persoon, koppeling=a, moment="per_direct"),
    )
    assert fouten == []
    assert (len(gelukt), len(geweigerd)) == (1, 1)
    assert _actieve_beheerders(organisatie) == 1


def _beheerders_na_alle_plannen(organisatie) -> int:
    """R5 at every future date: the Actief beheerders left once every planned termination has been carried out."""
    return (
        Koppeling.objects.filter(
            organisatie=organisatie, rol="beheerder", status="actief", middel__status=Middel.Status.ACTIEF
        )
        .filter(opzeggen_per__isnull=True)
        .count()
    )


@pytest.mark.parametrize("soort", ["degraderen", "plannen", "per_direct"])
def test_r5_planned_termination_crossing_a_demotion_or_another_plan(twee_beheerders, soort):
    """Issue #14 leftover: a planned end of A crossing a demotion of B, a plan for B on another day, or B's end
    now. Each alone is fine; together no beheerder is left on the later day. The count inside the locks lets one
    through; the other is refused for R5 (or, A's own plan coming second, for R20: the own middel of the last
    beheerder). The actors stay beheerder in either order, so no refusal is for R1."""
    organisatie, a, b = twee_beheerders
    over = vandaag() + dt.timedelta(days=10)
    eerder = vandaag() + dt.timedelta(days=3)
    pa, pb = a.middel.persoon, b.middel.persoon
    acties = {
        "degraderen": (
            lambda: services.middel_opzeggen(actor=pa, koppeling=a, moment="datum", datum=over),
            lambda: services.koppeling_wijzig_rol(actor=pa, koppeling=b, rol="gebruiker"),
        ),
        "plannen": (
            lambda: services.middel_opzeggen(actor=pb, koppeling=a, moment="datum", datum=over),
            lambda: services.middel_opzeggen(actor=pa, koppeling=b, moment="datum", datum=eerder),
        ),
        "per_direct": (
            lambda: services.middel_opzeggen(actor=pa, koppeling=a, moment="datum", datum=over),
            lambda: services.middel_opzeggen(actor=pa, koppeling=b, moment="per_direct"),
        ),
    }
    gelukt, geweigerd, fouten = _gelijktijdig(*acties[soort])
    assert fouten == []
    assert (len(gelukt), len(geweigerd)) == (1, 1)
    assert geweigerd[0].rule in ("R5", "R20")
    assert _beheerders_na_alle_plannen(organisatie) == 1
