import os

import pytest

from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.organisaties.factories import OrganisatieFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need PostgreSQL and Redis. Without them they skip, except in CI's second
    pass (REQUIRE_SERVICES=1), where a missing server must fail the run rather than skip silently."""
    have_pg = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    have_redis = bool(os.environ.get("REDIS_URL"))
    if have_pg and have_redis:
        return
    if REQUIRE_SERVICES:
        raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL (PostgreSQL) or REDIS_URL is not set")
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def organisatie(db):
    return OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")


@pytest.fixture
def beheerder(organisatie):
    koppeling = KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        middel__persoon__voornamen="Joost",
        middel__persoon__achternaam="Bakker",
    )
    return koppeling.middel.persoon


@pytest.fixture
def gebruiker(organisatie):
    return KoppelingFactory(organisatie=organisatie).middel.persoon


@pytest.fixture
def andere_beheerder(db):
    """A beheerder of another organisation: every foreign id must answer 404 to them."""
    return KoppelingFactory(beheerder=True).middel.persoon


@pytest.fixture
def beheerder_client(client, beheerder):
    # Signed in with the second factor verified: Beheermodule views require it (R2).
    from tests.inloggen.helpers import inloggen_geverifieerd

    return inloggen_geverifieerd(client, beheerder)


@pytest.fixture
def csrf_client(client):
    client.handler.enforce_csrf_checks = True
    return client


@pytest.fixture
def wachten_op_activatie_middel(organisatie):
    return MiddelFactory(wachten_op_activatie=True)


@pytest.fixture(autouse=True)
def _leeg_cache():
    """Rate-limit counters (common.ratelimit, the API's) start at zero in every test."""
    from django.core.cache import caches

    for alias in ("default", "api"):
        caches[alias].clear()
    yield


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, with the second factor the admin asks (OTPAdminSite, config/urls.py)."""
    from tests.inloggen.helpers import inloggen_geverifieerd

    return inloggen_geverifieerd(client, admin_user)
