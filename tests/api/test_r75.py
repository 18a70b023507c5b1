"""R75 over HTTP: a dienst needing the dienstverlener's approval answers through a ketenmachtiging only with it."""

import datetime as dt

import pytest

from catalogus.models import Dienst, IntermediairGoedkeuring
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Scope
from tests.api.conftest import DAG, vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

# Approvals count from the moment they were recorded: these before the day asked about.
VOOR_DAG = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


@pytest.fixture
def keten():
    klant = OrganisatieFactory(naam="Santos B.V.")
    intermediair = OrganisatieFactory(naam="Accountants Vries")
    middel = KoppelingFactory(organisatie=intermediair).middel
    k = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=intermediair,
        scope=Scope.DIENSTVERLENER,
        dienstverlener=DienstFactory().dienstverlener,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=100),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=middel)
    return klant, intermediair, middel, k


def _dienst(k, waarde):
    return DienstFactory(dienstverlener=k.dienstverlener, niveau=20, intermediatie=waarde)


@pytest.mark.parametrize(
    ("waarde", "toegestaan"),
    [
        (Dienst.Intermediatie.ALGEMEEN, True),
        (Dienst.Intermediatie.GEEN, False),
        (Dienst.Intermediatie.ALLEEN_DIENSTVERLENER, False),
        (Dienst.Intermediatie.NA_GOEDKEURING, False),
    ],
)
def test_r75_every_value_without_approval(api, keten, waarde, toegestaan):
    klant, intermediair, middel, k = keten
    body = api.evaluatie(vraag(middel, _dienst(k, waarde), klant)).json()
    assert body["decision"] is toegestaan
    if toegestaan:
        assert body["context"]["pad"]["soort"] == "ketenmachtiging"
        return
    verwacht = (
        "dienst_niet_via_intermediair" if waarde == Dienst.Intermediatie.GEEN else "intermediair_niet_goedgekeurd"
    )
    (reden,) = [r for r in body["context"]["redenen"] if r["code"] == verwacht]
    assert reden["nl"] and reden["en"]


@pytest.mark.parametrize("waarde", [Dienst.Intermediatie.ALLEEN_DIENSTVERLENER, Dienst.Intermediatie.NA_GOEDKEURING])
def test_r75_with_the_approval_of_the_intermediair_yes(api, keten, waarde):
    klant, intermediair, middel, k = keten
    dienst = _dienst(k, waarde)
    IntermediairGoedkeuring.objects.create(dienst=dienst, intermediair=intermediair, goedgekeurd_op=VOOR_DAG)
    body = api.evaluatie(vraag(middel, dienst, klant)).json()
    assert body["decision"] is True
    assert body["context"]["pad"]["ketenmachtiging_id"] == k.pk


def test_r75_batch_of_evaluations_each_value(api, keten):
    klant, intermediair, middel, k = keten
    diensten = [_dienst(k, w) for w in Dienst.Intermediatie.values]
    goedgekeurd = _dienst(k, Dienst.Intermediatie.NA_GOEDKEURING)
    IntermediairGoedkeuring.objects.create(dienst=goedgekeurd, intermediair=intermediair, goedgekeurd_op=VOOR_DAG)
    evaluaties = [vraag(middel, d, klant) for d in [*diensten, goedgekeurd]]
    response = api.evaluaties({"evaluations": evaluaties})
    assert response.status_code == 200
    uitkomst = [e["decision"] for e in response.json()["evaluations"]]
    verwacht = {"generalAvailable": True}
    assert uitkomst == [verwacht.get(w, False) for w in Dienst.Intermediatie.values] + [True]
