"""The gebruikers overview and a person's details (R13, R62, R63)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.dates import vandaag
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.selectors import gebruiker_details, gebruikers_overzicht, koppelbare_organisaties
from machtigingen.models import Machtiging
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import middel_bij
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def test_overview_badges_status_and_left_out_rows(organisatie, beheerder, gebruiker):
    wacht = middel_bij(organisatie, wachten_op_activatie=True, niveau=Niveau.EH2_PLUS)
    middel_bij(organisatie, status=Middel.Status.AFGEKEURD)
    weg = middel_bij(organisatie)
    Koppeling.objects.filter(pk=weg.pk).update(status=Koppeling.Status.BEEINDIGD)
    KoppelingFactory()  # another organisation's user

    rijen = {r.persoon_id: r for r in gebruikers_overzicht(organisatie=organisatie, persoon=beheerder)}
    assert set(rijen) == {beheerder.pk, gebruiker.pk, wacht.middel.persoon_id}
    assert rijen[beheerder.pk].is_beheerder and rijen[beheerder.pk].is_zelf
    assert not rijen[gebruiker.pk].is_beheerder and not rijen[gebruiker.pk].is_zelf
    assert rijen[gebruiker.pk].toon_status is False
    assert rijen[wacht.middel.persoon_id].status_label == "Wachten op activatie"
    assert rijen[wacht.middel.persoon_id].niveau_badge == "EH 2+"


def _vul(organisatie, n):
    for _ in range(n):
        k = middel_bij(organisatie)
        Aanvraag.objects.create(soort="upgrade", organisatie=organisatie, middel=k.middel)


def test_overview_constant_number_of_queries(organisatie, beheerder):
    _vul(organisatie, 1)
    with CaptureQueriesContext(connection) as een:
        assert len(gebruikers_overzicht(organisatie=organisatie)) == 2
    _vul(organisatie, 20)
    with CaptureQueriesContext(connection) as veel:
        rijen = gebruikers_overzicht(organisatie=organisatie)
        assert len(rijen) == 22
        assert sum(r.mutatie_in_behandeling for r in rijen) == 21
        [r.naam for r in rijen]
    assert len(een.captured_queries) == len(veel.captured_queries) == 1


def test_overview_search(organisatie, beheerder, gebruiker):
    assert [r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie, zoek="Bakker")] == [beheerder.pk]


def test_details_scoped_to_organisation(organisatie, gebruiker, andere_beheerder):
    tweede = OrganisatieFactory(naam="Signicat AS")
    KoppelingFactory(organisatie=tweede, middel=gebruiker.middel)
    dienst = DienstFactory()
    Machtiging.objects.create(
        middel=gebruiker.middel,
        organisatie=organisatie,
        scope="dienst",
        dienst=dienst,
        begint_op=vandaag(),
        eindigt_op=vandaag() + dt.timedelta(days=30),
    )
    details = gebruiker_details(organisatie=organisatie, persoon_id=gebruiker.pk)
    assert details.middel == gebruiker.middel
    assert details.andere_organisaties == [tweede]
    assert len(details.machtigingen) == 1 and details.machtigingen[0].verloopt_binnenkort
    assert details.open_aanvraag is None
    with pytest.raises(Koppeling.DoesNotExist):
        gebruiker_details(organisatie=organisatie, persoon_id=andere_beheerder.pk)


def test_r63_another_persons_ended_koppeling_does_not_hide_an_other_organisation(organisatie, gebruiker):
    tweede = OrganisatieFactory(naam="Signicat AS")
    KoppelingFactory(organisatie=tweede, middel=gebruiker.middel)
    KoppelingFactory(organisatie=tweede, status=Koppeling.Status.BEEINDIGD)  # someone else, ended there
    derde = OrganisatieFactory(naam="Verlaten BV")
    KoppelingFactory(organisatie=derde, middel=gebruiker.middel, status=Koppeling.Status.BEEINDIGD)
    details = gebruiker_details(organisatie=organisatie, persoon_id=gebruiker.pk)
    assert details.andere_organisaties == [tweede]


def test_r12_koppelbare_organisaties(organisatie, beheerder, gebruiker):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    assert koppelbare_organisaties(actor=beheerder, middel=gebruiker.middel) == [tweede]
    assert koppelbare_organisaties(actor=beheerder, middel=MiddelFactory()) == sorted(
        [organisatie, tweede], key=lambda o: (o.naam, o.pk)
    )


def test_the_overview_order_follows_a_changed_name(organisatie, beheerder):
    """The overview sorts on Koppeling's copy of the name (its index serves the first page of a large
    organisation without a sort): a new koppeling gets the copy, a changed name moves the person."""
    anna = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Aalders").middel.persoon
    assert Koppeling.objects.get(middel__persoon=anna).persoon_achternaam == "Aalders"
    assert [r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie)] == [anna.pk, beheerder.pk]

    anna.achternaam = "Zwart"
    anna.save()
    assert [r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie)] == [beheerder.pk, anna.pk]
    # Also for a person read from the database again, as the admin and the services do.
    weer = Persoon.objects.get(pk=anna.pk)
    weer.achternaam = "Aap"
    weer.save()
    assert Koppeling.objects.get(middel__persoon=anna).persoon_achternaam == "Aap"
    assert [r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie)] == [anna.pk, beheerder.pk]


def test_saving_a_person_without_a_name_change_writes_no_koppeling(organisatie, beheerder, django_assert_num_queries):
    persoon = Persoon.objects.get(pk=beheerder.pk)
    persoon.email = "nieuw@example.nl"
    with django_assert_num_queries(1):
        persoon.save()
