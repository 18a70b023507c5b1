"""factory_boy factories for gebruikers (Persoon, Middel, Koppeling), with traits for the states the manual names."""

import datetime as dt

import factory
from django.utils import timezone

from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel, Persoon
from tests.organisaties.factories import OrganisatieFactory

DEMO_WACHTWOORD = "demo-wachtwoord"


class PersoonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persoon

    username = factory.Sequence(lambda n: f"persoon{n}")
    voornamen = factory.Faker("first_name", locale="nl_NL")
    achternaam = factory.Faker("last_name", locale="nl_NL")
    geboortedatum = dt.date(1980, 5, 17)
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.nl")
    mobiel = "+31612345678"
    password = factory.django.Password(DEMO_WACHTWOORD)


class MiddelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Middel

    persoon = factory.SubFactory(PersoonFactory)
    niveau = Niveau.EH3
    type = Middel.Type.REGULIER
    status = Middel.Status.ACTIEF
    tweede_factor = Middel.TweedeFactor.SMS
    geactiveerd_op = factory.LazyFunction(timezone.now)

    class Params:
        wachten_op_goedkeuring = factory.Trait(status=Middel.Status.WACHTEN_OP_GOEDKEURING, geactiveerd_op=None)
        wachten_op_activatie = factory.Trait(
            status=Middel.Status.WACHTEN_OP_ACTIVATIE,
            geactiveerd_op=None,
            goedgekeurd_op=factory.LazyFunction(timezone.now),
            activeren_tot=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30)),
        )
        belastingdienst = factory.Trait(type=Middel.Type.BELASTINGDIENST, niveau=Niveau.EH3)


class KoppelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Koppeling

    middel = factory.SubFactory(MiddelFactory)
    organisatie = factory.SubFactory(OrganisatieFactory)
    rol = Koppeling.Rol.GEBRUIKER
    status = Koppeling.Status.ACTIEF
    abonnement_jaren = 1
    abonnement_start = factory.LazyFunction(timezone.localdate)
    abonnement_eind = factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year + 1))

    class Params:
        beheerder = factory.Trait(rol=Koppeling.Rol.BEHEERDER)
