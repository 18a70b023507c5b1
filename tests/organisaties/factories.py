"""factory_boy factories for organisaties."""

import factory

from organisaties.models import Organisatie


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    naam = factory.Sequence(lambda n: f"Organisatie {n} B.V.")
    kvk_nummer = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    straat = "Stationsplein"
    huisnummer = "1"
    postcode = "1012 AB"
    plaats = "Amsterdam"
    status = Organisatie.Status.ACTIEF
