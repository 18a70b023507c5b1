"""Group machtigingen where they belong beyond the group's page (R24): the register's Laatst gebruikt (R76)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.niveau import Niveau
from tests.api.conftest import Api, vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, db):
    from api.clients import maak_client

    return Api(client, maak_client(naam="Makelaar")[1])


@pytest.fixture
def lid_koppeling(organisatie):
    return KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3)


def groep_machtiging(organisatie, koppeling, dienst):
    groep = GroepFactory(organisatie=organisatie)
    GroepLidFactory(groep=groep, koppeling=koppeling)
    vandaag = timezone.localdate()
    return GroepMachtigingFactory(
        groep=groep, dienst=dienst, begint_op=vandaag - dt.timedelta(days=5), eindigt_op=vandaag + dt.timedelta(days=5)
    )


def test_r76_r24_a_yes_through_a_group_records_the_last_use(api, organisatie, lid_koppeling):
    dienst = DienstFactory(niveau=Niveau.EH3)
    gm = groep_machtiging(organisatie, lid_koppeling, dienst)
    antwoord = api.evaluatie(vraag(lid_koppeling.middel, dienst, organisatie, tijd=None)).json()
    assert antwoord["decision"] is True and antwoord["context"]["pad"]["groep_machtiging_id"] == gm.pk
    gm.refresh_from_db()
    assert gm.laatst_gebruikt_op == timezone.localdate()


def test_r76_r24_at_most_one_write_per_group_machtiging_per_day(api, organisatie, lid_koppeling):
    dienst = DienstFactory(niveau=Niveau.EH3)
    gm = groep_machtiging(organisatie, lid_koppeling, dienst)
    api.evaluatie(vraag(lid_koppeling.middel, dienst, organisatie, tijd=None))
    with CaptureQueriesContext(connection) as queries:
        api.evaluatie(vraag(lid_koppeling.middel, dienst, organisatie, tijd=None))
    # This process marked it today and nothing the register reads changed since: no statement at all.
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "groepen_groepmachtiging"')]
    gm.refresh_from_db()
    assert gm.laatst_gebruikt_op == timezone.localdate()


def test_r76_r24_a_no_or_another_moment_records_nothing(api, organisatie, lid_koppeling):
    dienst = DienstFactory(niveau=Niveau.EH3)
    gm = groep_machtiging(organisatie, lid_koppeling, dienst)
    api.evaluatie(vraag(lid_koppeling.middel, dienst, organisatie))  # a question about June 2025
    api.evaluatie(vraag(lid_koppeling.middel, DienstFactory(), organisatie, tijd=None))  # a no
    gm.refresh_from_db()
    assert gm.laatst_gebruikt_op is None


# --- a person's details (rubriek Gebruikers) and the own profile ---------------------------------------------


@pytest.fixture
def salaris(organisatie):
    from tests.catalogus.factories import DienstverlenerFactory

    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    hoog = DienstFactory(
        dienstverlener=DienstverlenerFactory(naam="Gemeente Haarlem"), naam="Parkeren", niveau=Niveau.EH4
    )
    GroepMachtigingFactory(groep=groep, dienst=hoog)
    return groep


def test_r24_a_persons_details_list_group_machtigingen_via_groep(beheerder_client, organisatie, salaris):
    from django.urls import reverse

    eh3 = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3)
    GroepLidFactory(groep=salaris, koppeling=eh3)
    response = beheerder_client.get(reverse("gebruikers:details", args=[eh3.middel.persoon_id]))
    assert response.status_code == 200
    html = response.content.decode()
    groep_url = reverse("groepen:groep", args=[salaris.pk])
    assert f'<a class="utrecht-link" href="{groep_url}">via groep Salarisadministratie</a>' in html
    assert "Parkeren" in html and "Deze gebruiker heeft geen machtigingen." not in html
    # Below the dienst's niveau (EH4): shown as not covered (R31), and no edit actions for it here.
    assert "Telt niet: deze persoon heeft niet het benodigde niveau" in html
    deel = html.split('id="groep-machtiging-')[1].split("</li>")[0]
    assert "/einddatum/" not in deel and "/intrekken/" not in deel and "verlengen" not in deel


def test_r24_a_former_member_no_longer_sees_it(beheerder_client, organisatie, salaris):
    from django.urls import reverse

    k = KoppelingFactory(organisatie=organisatie)
    lid = GroepLidFactory(groep=salaris, koppeling=k)
    lid.delete()
    html = beheerder_client.get(reverse("gebruikers:details", args=[k.middel.persoon_id])).content.decode()
    assert "via groep" not in html


def test_r24_the_own_profile_lists_group_machtigingen(client, organisatie, salaris):
    from tests.inloggen.helpers import inloggen_geverifieerd

    k = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH4)
    GroepLidFactory(groep=salaris, koppeling=k)
    gebruiker_client = inloggen_geverifieerd(client, k.middel.persoon)
    response = gebruiker_client.get("/profiel/machtigingen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "via groep Salarisadministratie" in html and "Parkeren" in html
    assert "Geen machtigingen." not in html and "Telt niet" not in html


@pytest.mark.parametrize("aantal", [1, 5])
def test_r24_profile_query_count_does_not_grow_with_groups(client, organisatie, django_assert_num_queries, aantal):
    from tests.inloggen.helpers import inloggen_geverifieerd

    k = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH4)
    for _ in range(aantal):
        groep = GroepFactory(organisatie=organisatie)
        GroepLidFactory(groep=groep, koppeling=k)
        GroepMachtigingFactory(groep=groep)
    gebruiker_client = inloggen_geverifieerd(client, k.middel.persoon)
    gebruiker_client.get("/profiel/machtigingen/")
    with django_assert_num_queries(12):  # as tests/inloggen/test_profiel.py pins it
        assert gebruiker_client.get("/profiel/machtigingen/").status_code == 200
