"""Fixtures for the Machtigingenregister API: a client with its token, and a way to ask over HTTP."""

import datetime as dt
import json

import pytest
from django.core.cache import caches

from api.clients import maak_client
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Machtiging, Scope
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

DAG = dt.date(2025, 6, 15)
# 10:00 in Amsterdam (summer time) on DAG.
TIJD = "2025-06-15T10:00:00+02:00"


@pytest.fixture(autouse=True)
def _lege_rate_cache():
    caches["api"].clear()
    yield
    caches["api"].clear()


@pytest.fixture
def api_client_en_token(db):
    return maak_client(naam="Makelaar")


@pytest.fixture
def token(api_client_en_token):
    return api_client_en_token[1]


class Api:
    """Asks the API over HTTP with the Django test client."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def post(self, pad, data, *, token=..., content_type="application/json", **headers):
        token = self.token if token is ... else token
        if token is not None:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
        body = data if isinstance(data, (str, bytes)) else json.dumps(data)
        return self.client.post(pad, body, content_type=content_type, **headers)

    def evaluatie(self, data, **kwargs):
        return self.post("/access/v1/evaluation", data, **kwargs)

    def evaluaties(self, data, **kwargs):
        return self.post("/access/v1/evaluations", data, **kwargs)


@pytest.fixture
def api(client, token):
    return Api(client, token)


def vraag(middel, dienst, organisatie, *, tijd=TIJD, actie="inloggen", vestigingsnummer=None):
    properties = {"kvk_nummer": organisatie.kvk_nummer}
    if vestigingsnummer:
        properties["vestigingsnummer"] = vestigingsnummer
    data = {
        "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id)},
        "resource": {"type": "dienst", "id": str(dienst.service_uuid), "properties": properties},
        "action": {"name": actie},
    }
    if tijd:
        data["context"] = {"time": tijd}
    return data


def machtiging(
    middel, organisatie, *, begint_op=DAG - dt.timedelta(days=10), eindigt_op=DAG + dt.timedelta(days=30), **scope
):
    if "dienst" in scope:
        scope.setdefault("scope", Scope.DIENST)
    elif "niveau" in scope:
        scope.setdefault("scope", Scope.ALGEMEEN)
    else:
        scope.setdefault("scope", Scope.DIENSTVERLENER)
    return Machtiging.objects.create(
        middel=middel, organisatie=organisatie, begint_op=begint_op, eindigt_op=eindigt_op, **scope
    )


@pytest.fixture
def dienst(db):
    return DienstFactory(niveau=Niveau.EH3)


@pytest.fixture
def middel(organisatie):
    return KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3).middel


def keten(dienst, *, verlener=None, intermediair=None):
    """A ketenmachtiging for `dienst` from a client to an intermediair, running on DAG, linked to a middel of the
    intermediair: (ketenmachtiging, the intermediair's middel)."""
    verlener = verlener or OrganisatieFactory(naam="Santos B.V.")
    intermediair = intermediair or OrganisatieFactory(naam="Accountants Vries")
    middel = KoppelingFactory(organisatie=intermediair).middel
    k = Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=100),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=middel)
    return k, middel
