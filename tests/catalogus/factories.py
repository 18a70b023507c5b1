"""factory_boy factories for the catalogus (dienstverleners and their diensten)."""

import uuid

import factory

from catalogus.models import Dienst, Dienstverlener
from common.niveau import Niveau


class DienstverlenerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dienstverlener

    oin = factory.Sequence(lambda n: f"{n:020d}")
    naam = factory.Sequence(lambda n: f"Dienstverlener {n}")


class DienstFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dienst

    service_uuid = factory.LazyFunction(uuid.uuid4)
    dienstverlener = factory.SubFactory(DienstverlenerFactory)
    naam = factory.Sequence(lambda n: f"Dienst {n}")
    niveau = Niveau.EH3
    intermediatie = Dienst.Intermediatie.ALGEMEEN
