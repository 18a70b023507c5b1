"""Factories for groepen tests: rows made directly, bypassing the services."""

import factory

from common.dates import plus_jaren, vandaag
from groepen.models import Groep, GroepLid, GroepMachtiging
from machtigingen.models import Scope, Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory


class GroepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Groep

    organisatie = factory.SubFactory("tests.organisaties.factories.OrganisatieFactory")
    naam = factory.Sequence(lambda n: f"Groep {n}")


class GroepLidFactory(factory.django.DjangoModelFactory):
    """A member; pass `groep` (the koppeling is made at the group's organisation unless given)."""

    class Meta:
        model = GroepLid

    groep = factory.SubFactory(GroepFactory)
    koppeling = factory.LazyAttribute(lambda o: KoppelingFactory(organisatie=o.groep.organisatie))


class GroepMachtigingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroepMachtiging

    groep = factory.SubFactory(GroepFactory)
    scope = Scope.DIENST
    dienst = factory.SubFactory(DienstFactory)
    begint_op = factory.LazyFunction(vandaag)
    eindigt_op = factory.LazyAttribute(lambda o: plus_jaren(o.begint_op, 5))
    status = Status.ACTIEF
