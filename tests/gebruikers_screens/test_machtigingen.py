"""Screens of the machtigingen of one person (§3.9–§3.11): toevoegen, einddatum, verlengen, intrekken."""

import datetime as dt

import pytest
from django.urls import reverse

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from machtigingen.models import Machtiging, Status
from machtigingen.services import machtiging_toevoegen
from tests.catalogus.factories import DienstFactory
from tests.datum import datum_velden
from tests.gebruikers.factories import KoppelingFactory


@pytest.fixture
def bulters(organisatie):
    return KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH2_PLUS).middel


@pytest.fixture
def machtiging(beheerder, organisatie, bulters):
    dienst = DienstFactory(niveau=Niveau.EH2_PLUS)
    (m,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[bulters], diensten=[dienst])
    return m


def url(naam, middel, m=None):
    args = [middel.persoon.pk] + ([m.pk] if m else [])
    return reverse(f"gebruikers:{naam}", args=args)


def test_r31_dienst_above_niveau_shown_but_not_selectable(beheerder_client, bulters):
    hoog = DienstFactory(niveau=Niveau.EH3, naam="Tijdelijke parkeervergunning")
    response = beheerder_client.get(url("machtiging_toevoegen", bulters))
    html = response.content.decode()
    assert "Tijdelijke parkeervergunning" in html
    assert f'value="{hoog.pk}" id="id_dienst_{hoog.pk}" disabled' in html
    assert "Let op! Deze gebruiker heeft niet het benodigde niveau voor deze machtiging." in html
    response = beheerder_client.post(url("machtiging_toevoegen", bulters), {"dienst": [hoog.pk]})
    assert "Let op! Deze gebruiker heeft niet het benodigde niveau" in response.content.decode()
    assert not Machtiging.objects.filter(middel=bulters).exists()


def test_r33_added_for_five_years_in_one_call(beheerder_client, bulters):
    a, b = DienstFactory(niveau=Niveau.EH2), DienstFactory(niveau=Niveau.EH2_PLUS)
    response = beheerder_client.post(url("machtiging_toevoegen", bulters), {"dienst": [a.pk, b.pk], "algemeen": ["20"]})
    assert response.status_code == 302
    eind = set(Machtiging.objects.filter(middel=bulters).values_list("eindigt_op", flat=True))
    assert eind == {plus_jaren(vandaag(), 5)}
    assert Machtiging.objects.filter(middel=bulters).count() == 3


def test_r30_not_actief_gets_no_machtiging(beheerder_client, organisatie):
    from tests.gebruikers.factories import MiddelFactory

    m = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True)).middel
    dienst = DienstFactory(niveau=Niveau.EH2)
    response = beheerder_client.post(url("machtiging_toevoegen", m), {"dienst": [dienst.pk]})
    assert "Alleen actieve gebruikers kunnen een machtiging krijgen." in response.content.decode()
    assert not Machtiging.objects.filter(middel=m).exists()


def test_r33_einddatum_tomorrow_at_the_earliest(beheerder_client, bulters, machtiging):
    response = beheerder_client.post(
        url("machtiging_einddatum", bulters, machtiging), datum_velden("eindigt_op", vandaag())
    )
    assert "De einddatum kan op zijn vroegst de volgende dag zijn." in response.content.decode()
    morgen = vandaag() + dt.timedelta(days=1)
    response = beheerder_client.post(
        url("machtiging_einddatum", bulters, machtiging), datum_velden("eindigt_op", morgen)
    )
    assert response.status_code == 302
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == morgen


def test_r33_verlengen_3_jaar(beheerder_client, bulters, machtiging):
    response = beheerder_client.post(url("machtiging_verlengen", bulters, machtiging), {"keuze": "3"})
    assert response.status_code == 302
    machtiging.refresh_from_db()
    assert machtiging.eindigt_op == plus_jaren(vandaag(), 3)


def test_r35_intrekken_confirmation_page_then_gone_and_addable_again(beheerder_client, bulters, machtiging):
    response = beheerder_client.get(url("machtiging_intrekken", bulters, machtiging))
    assert response.status_code == 200
    machtiging.refresh_from_db()
    assert machtiging.status == Status.ACTIEF  # GET changes nothing
    response = beheerder_client.post(url("machtiging_intrekken", bulters, machtiging))
    assert response.status_code == 302
    machtiging.refresh_from_db()
    assert machtiging.status == Status.INGETROKKEN
    assert beheerder_client.post(url("machtiging_intrekken", bulters, machtiging)).status_code == 404
    response = beheerder_client.post(url("machtiging_toevoegen", bulters), {"dienst": [machtiging.dienst_id]})
    assert response.status_code == 302
    assert Machtiging.objects.filter(middel=bulters, status=Status.ACTIEF).count() == 1


def test_foreign_machtiging_is_404(beheerder_client, bulters, machtiging):
    ander = KoppelingFactory(organisatie=bulters.koppelingen.first().organisatie).middel
    assert beheerder_client.get(url("machtiging_verlengen", ander, machtiging)).status_code == 404


@pytest.mark.parametrize("aantal", [2, 20])
def test_toevoegen_popup_query_count_does_not_grow(beheerder_client, bulters, django_assert_num_queries, aantal):
    DienstFactory.create_batch(aantal, niveau=Niveau.EH2)
    beheerder_client.get(url("machtiging_toevoegen", bulters), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(13):
        beheerder_client.get(url("machtiging_toevoegen", bulters), HTTP_HX_REQUEST="true")
