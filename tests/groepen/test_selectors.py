"""groepen.selectors: what *Kies gebruikers* (rubriek Machtigingen) and the screens read."""

import pytest

from gebruikers.models import Koppeling, Middel
from groepen.selectors import kiesbare_groepen
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory

pytestmark = pytest.mark.django_db


def test_r24_kiesbare_groepen_names_and_actief_members(organisatie):
    salaris = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    inkoop = GroepFactory(organisatie=organisatie, naam="inkoop")
    lid = GroepLidFactory(groep=salaris)
    GroepLidFactory(
        groep=salaris, koppeling=KoppelingFactory(organisatie=organisatie, middel__wachten_op_activatie=True)
    )
    GroepLidFactory(
        groep=salaris, koppeling=KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD)
    )
    GroepFactory(naam="Elders")  # another organisation's group is never offered

    groepen = kiesbare_groepen(organisatie)

    assert [(g.pk, g.naam) for g in groepen] == [(inkoop.pk, "inkoop"), (salaris.pk, "Salarisadministratie")]
    assert groepen[0].leden == []
    assert groepen[1].leden == [lid.koppeling.middel_id]


def test_r24_kiesbare_groepen_leaves_out_deleted_groups(organisatie):
    from django.utils import timezone

    GroepFactory(organisatie=organisatie, opgeheven_op=timezone.now())
    assert kiesbare_groepen(organisatie) == []


@pytest.mark.parametrize("aantal", [1, 6])
def test_r24_kiesbare_groepen_constant_queries(organisatie, aantal, django_assert_num_queries):
    for _ in range(aantal):
        groep = GroepFactory(organisatie=organisatie)
        for _ in range(aantal):
            GroepLidFactory(groep=groep)
    with django_assert_num_queries(2):
        groepen = kiesbare_groepen(organisatie)
    assert all(len(g.leden) == aantal for g in groepen)
    assert all(Middel.objects.get(pk=m).is_actief for g in groepen for m in g.leden)


def test_r24_groepen_and_groepsmachtigingen_van_middel(organisatie, django_assert_num_queries):
    from groepen.selectors_leden import groepen_van_middel, groepsmachtigingen_van_middel
    from tests.groepen.factories import GroepMachtigingFactory

    lid = GroepLidFactory(groep=GroepFactory(organisatie=organisatie, naam="Salarisadministratie"))
    middel = lid.koppeling.middel
    GroepLidFactory(groep=GroepFactory(organisatie=organisatie, naam="Inkoop"), koppeling=lid.koppeling)
    GroepFactory(organisatie=organisatie, naam="Zonder hem")
    gm = GroepMachtigingFactory(groep=lid.groep)
    with django_assert_num_queries(1):
        assert [g.naam for g in groepen_van_middel(organisatie, middel)] == ["Inkoop", "Salarisadministratie"]
    with django_assert_num_queries(1):
        assert [(m.pk, m.groep.naam) for m in groepsmachtigingen_van_middel(organisatie, middel)] == [
            (gm.pk, "Salarisadministratie")
        ]
    Koppeling.objects.filter(pk=lid.koppeling_id).update(status=Koppeling.Status.BEEINDIGD)
    assert groepen_van_middel(organisatie, middel) == []
    assert groepsmachtigingen_van_middel(organisatie, middel) == []


def test_r24_overzicht_counts_current_members_and_running_machtigingen(organisatie, django_assert_num_queries):
    import datetime as dt

    from common.dates import vandaag
    from groepen.selectors import overzicht
    from machtigingen.models import Status
    from tests.groepen.factories import GroepMachtigingFactory

    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    GroepLidFactory.create_batch(2, groep=groep)
    GroepLidFactory(groep=groep, koppeling=KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD))
    GroepMachtigingFactory.create_batch(2, groep=groep)
    GroepMachtigingFactory(groep=groep, status=Status.INGETROKKEN)
    GroepMachtigingFactory(groep=groep, begint_op=vandaag() - dt.timedelta(days=9), eindigt_op=vandaag())
    leeg = GroepFactory(organisatie=organisatie, naam="Archief")
    with django_assert_num_queries(1):
        rijen = overzicht(organisatie)
    assert [(g.pk, g.aantal_leden, g.aantal_machtigingen) for g in rijen] == [(leeg.pk, 0, 0), (groep.pk, 2, 2)]
    assert [g.naam for g in overzicht(organisatie, zoek="salaris")] == ["Salarisadministratie"]
