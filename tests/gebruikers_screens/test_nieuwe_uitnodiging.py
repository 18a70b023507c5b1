"""§3.5.3 Verstuur nieuwe uitnodiging (R18) with the seeded tariffs only, as in the demo."""

import datetime as dt

import pytest
from django.urls import reverse

from common.dates import vandaag
from facturatie.models import Tarief
from gebruikers.models import Aanvraag, Middel
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verlopen(organisatie):
    middel = MiddelFactory(
        status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=vandaag() - dt.timedelta(days=1)
    )
    KoppelingFactory(organisatie=organisatie, middel=middel)
    return middel


def url(middel) -> str:
    return reverse("gebruikers:nieuwe_uitnodiging", args=[middel.persoon.pk])


def test_a_new_activation_letter_has_a_seeded_example_price():
    # Defect: no price was seeded, so the demo refused every new invitation ("geen tarief vastgesteld").
    assert Tarief.objects.get(code=Tarief.Code.NIEUWE_ACTIVATIE, periode=Tarief.Periode.EENMALIG).bedrag > 0


def test_a_new_invitation_can_be_sent_with_the_seeded_tariffs(beheerder_client, verlopen):
    response = beheerder_client.post(url(verlopen), {"akkoord": "on"})

    assert response.status_code == 302
    assert Aanvraag.objects.filter(middel=verlopen, soort=Aanvraag.Soort.NIEUWE_ACTIVATIE).count() == 1


def test_a_missing_price_is_said_once(beheerder_client, verlopen):
    Tarief.objects.filter(code=Tarief.Code.NIEUWE_ACTIVATIE).delete()

    response = beheerder_client.post(url(verlopen), {"akkoord": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("is geen tarief vastgesteld") == 1
    assert not Aanvraag.objects.filter(middel=verlopen).exists()
