"""Factories for machtigingen tests: rows made directly, bypassing the services (for selectors and the job)."""

import factory

from common.dates import plus_jaren, vandaag
from machtigingen.models import Machtiging, Scope, Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory


class MachtigingFactory(factory.django.DjangoModelFactory):
    """A running machtiging for one dienst; pass `middel` and `organisatie` of an existing koppeling."""

    class Meta:
        model = Machtiging

    middel = factory.LazyAttribute(lambda o: KoppelingFactory(organisatie=o.organisatie).middel)
    organisatie = factory.SubFactory("tests.organisaties.factories.OrganisatieFactory")
    scope = Scope.DIENST
    dienst = factory.SubFactory(DienstFactory)
    begint_op = factory.LazyFunction(vandaag)
    eindigt_op = factory.LazyAttribute(lambda o: plus_jaren(o.begint_op, 5))
    status = Status.ACTIEF

    class Params:
        algemeen = factory.Trait(scope=Scope.ALGEMEEN, dienst=None)
