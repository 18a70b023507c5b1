"""Fixtures for the support back office: the Support group from its data migration, staff accounts, aanvragen."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gebruikers import services
from tests.gebruikers.factories import PersoonFactory
from tests.gebruikers.helpers import aanvraag_kwargs, persoon_gegevens, tarieven  # noqa: F401
from tests.inloggen.helpers import inloggen_geverifieerd

groep_migratie = importlib.import_module("audit.migrations.0003_support_groep")


def support_groep() -> Group:
    """The group as the migration makes it (again after a transactional test flushed the tables)."""
    groep_migratie.maak_groep(django_apps, None)
    return Group.objects.get(name=groep_migratie.GROEP)


def maak_support_medewerker(**kwargs):
    medewerker = PersoonFactory(is_staff=True, voornamen="Sam", achternaam="Support", **kwargs)
    medewerker.groups.add(support_groep())
    return medewerker


@pytest.fixture
def medewerker(db):
    """A support agent: staff, in the Support group, not a superuser."""
    return maak_support_medewerker(username="support")


@pytest.fixture
def medewerker_client(client, medewerker):
    inloggen_geverifieerd(client, medewerker)
    return client


@pytest.fixture
def staff_zonder_rechten(db):
    return PersoonFactory(is_staff=True)


@pytest.fixture
def nieuwe_aanvraag(beheerder, organisatie, tarieven):  # noqa: F811
    return services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie))


def aanvraag_voor(beheerder, organisatie, n: int, **kwargs):
    return services.middel_aanvragen(
        **aanvraag_kwargs(
            beheerder,
            organisatie,
            persoon_gegevens=persoon_gegevens(achternaam=f"Persoon{n}", email=f"p{n}@example.com"),
            **kwargs,
        )
    )


@pytest.fixture
def tel_queries():
    def _tel(functie) -> int:
        with CaptureQueriesContext(connection) as ctx:
            functie()
        return len(ctx.captured_queries)

    return _tel
