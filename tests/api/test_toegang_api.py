"""Access to EVERY register API URL (issue #14, tenant isolation), discovered from the URL resolver (namespace
`api`: api/urls.py, mounted in config/urls.py) so a new endpoint is covered or fails `test_every_api_url_...`.

Who asks: nobody, a revoked token, an unknown token, client A's token, and the session cookie of a beheerder, a
gebruiker and support staff (a session gives no access to the API: it is token-only). A method an endpoint does not
take is 405. And API tokens of one client never see another's log (trust framework logging, api/logboek.py):
client B asks first, then every endpoint is asked as A, and nothing of B's questions comes back; the decision
log is visible to support in the admin only.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import URLResolver, get_resolver

from api.clients import maak_client, trek_in
from api.models import Beslissing
from common.niveau import Niveau
from tests.api.conftest import machtiging, vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, PersoonFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory
from tests.support.conftest import maak_support_medewerker

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_URL
METHODEN = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Endpoint:
    methoden: frozenset
    token: bool  # a bearer token is required (401 without one)


# Every URL of the API, by its name in the `api` namespace. A new endpoint fails until it is listed here.
TABEL = {
    "configuratie": Endpoint(frozenset({"GET"}), token=False),  # AuthZEN discovery is public
    "evaluatie": Endpoint(frozenset({"POST"}), token=True),
    "evaluaties": Endpoint(frozenset({"POST"}), token=True),
    "zoek_subject": Endpoint(frozenset({"POST"}), token=True),
    "zoek_resource": Endpoint(frozenset({"POST"}), token=True),
    "zoek_actie": Endpoint(frozenset({"POST"}), token=True),
    # The OpenAPI document and its Swagger page: public, like the protocol they describe.
    "openapi-json": Endpoint(frozenset({"GET"}), token=False),
    "openapi-view": Endpoint(frozenset({"GET"}), token=False),
}

# Endpoints known to answer a method they should refuse, each with why: none today (the schema and docs views
# were, until api.views gave django-ninja's docs_decorator require_safe).
BEKENDE_GATEN: dict[tuple[str, str], str] = {}


def _api_urls() -> dict[str, str]:
    """{name: path} of every pattern in the `api` namespace."""
    gevonden = {}

    def walk(resolver, namespace, prefix):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, p.namespace or namespace, prefix + str(p.pattern))
            elif namespace == "api" and p.name:
                gevonden[p.name] = "/" + prefix + str(p.pattern)

    walk(get_resolver(), None, "")
    return gevonden


URLS = _api_urls()


def test_every_api_url_is_in_the_table():
    assert set(URLS) == set(TABEL), set(URLS) ^ set(TABEL)
    assert URLS["evaluatie"] == "/access/v1/evaluation"
    assert URLS["configuratie"] == "/.well-known/authzen-configuration"


# --- the world: client A and client B, each asking about its own organisation, middel and dienst


@dataclass
class Kant:
    client: object
    token: str
    organisatie: object
    middel: object
    dienst: object


def _kant(naam: str, kvk: str) -> Kant:
    organisatie = OrganisatieFactory(naam=f"Organisatie van {naam}", kvk_nummer=kvk)
    middel = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3).middel
    dienst = DienstFactory(niveau=Niveau.EH3, naam=f"Dienst van {naam}")
    machtiging(middel, organisatie, dienst=dienst)
    client, token = maak_client(naam=f"Makelaar {naam}")
    return Kant(client, token, organisatie, middel, dienst)


@pytest.fixture
def a(db):
    return _kant("A", "11110000")


@pytest.fixture
def b(db):
    return _kant("B", "22220000")


def _vragen(k: Kant) -> dict[str, dict]:
    """A valid body per token endpoint, about this side's own world."""
    evaluatie = vraag(k.middel, k.dienst, k.organisatie)
    resource = {
        "type": "dienst",
        "id": str(k.dienst.service_uuid),
        "properties": {"kvk_nummer": k.organisatie.kvk_nummer},
    }
    subject = {"type": "eherkenningsmiddel", "id": str(k.middel.publieke_id)}
    context = evaluatie["context"]
    return {
        "evaluatie": evaluatie,
        "evaluaties": {"evaluations": [evaluatie, evaluatie]},
        "zoek_subject": {
            "subject": {"type": "eherkenningsmiddel"},
            "resource": resource,
            "action": {"name": "inloggen"},
            "context": context,
        },
        "zoek_resource": {
            "subject": subject,
            "resource": {"type": "dienst", "properties": resource["properties"]},
            "action": {"name": "inloggen"},
            "context": context,
        },
        "zoek_actie": {"subject": subject, "resource": resource, "context": context},
    }


def _vraag(client, naam, methode="POST", *, token=None, data=None, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    doen = getattr(client, methode.lower())
    if methode == "GET":
        return doen(URLS[naam], **headers)
    import json

    body = data if isinstance(data, str) else json.dumps(data if data is not None else {})
    return doen(URLS[naam], body, content_type="application/json", **headers)


# --- who may ask

TOKEN_URLS = sorted(n for n, e in TABEL.items() if e.token)
OPEN_URLS = sorted(n for n, e in TABEL.items() if not e.token)


@pytest.fixture(params=["geen", "ingetrokken", "onbekend", "leeg"])
def geen_geldig_token(request, a):
    if request.param == "ingetrokken":
        client, token = maak_client(naam="Ingetrokken makelaar")
        trek_in(client)
        return token
    return {"geen": None, "onbekend": "x" * 43, "leeg": ""}[request.param]


@pytest.mark.parametrize("naam", TOKEN_URLS)
def test_without_a_valid_token_every_decision_endpoint_answers_401_and_logs_nothing(client, a, geen_geldig_token, naam):
    response = _vraag(client, naam, token=geen_geldig_token, data=_vragen(a)[naam])
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthorized"
    assert not Beslissing.objects.exists()


@pytest.mark.parametrize("naam", TOKEN_URLS)
def test_with_a_clients_token_every_decision_endpoint_answers(client, a, naam):
    response = _vraag(client, naam, token=a.token, data=_vragen(a)[naam])
    assert response.status_code == 200, response.content
    assert Beslissing.objects.filter(client=a.client).exists()


@pytest.mark.parametrize("naam", OPEN_URLS)
def test_the_public_endpoints_answer_anyone(client, naam):
    assert _vraag(client, naam, "GET").status_code == 200


@pytest.fixture(params=["beheerder", "gebruiker", "support"])
def sessie(request, client, organisatie, beheerder, gebruiker):
    persoon = {"beheerder": beheerder, "gebruiker": gebruiker}.get(request.param) or maak_support_medewerker(
        username="support"
    )
    inloggen_geverifieerd(client, persoon)
    return client


@pytest.mark.parametrize("naam", TOKEN_URLS)
def test_a_session_cookie_gives_no_access_to_the_api(sessie, a, naam):
    # Signed in to the Beheermodule or the admin, with a verified second factor: still no token, so 401.
    response = _vraag(sessie, naam, data=_vragen(a)[naam])
    assert response.status_code == 401, response.content
    assert not Beslissing.objects.exists()


def _methode_params():
    for naam in sorted(TABEL):
        for methode in METHODEN:
            if methode in TABEL[naam].methoden:
                continue
            gat = BEKENDE_GATEN.get((naam, methode))
            marks = [pytest.mark.xfail(strict=True, reason=gat)] if gat else []
            yield pytest.param(naam, methode, marks=marks, id=f"{naam}-{methode}")


@pytest.mark.parametrize(("naam", "methode"), list(_methode_params()))
def test_a_method_the_endpoint_does_not_take_is_405_with_or_without_token(client, a, naam, methode):
    for token in (None, a.token):
        response = _vraag(client, naam, methode, token=token, data=_vragen(a).get(naam, {}))
        assert response.status_code == 405, (methode, token is not None, response.status_code)
    assert not Beslissing.objects.exists()


def test_the_known_gaps_name_listed_endpoints():
    assert {naam for naam, _m in BEKENDE_GATEN} <= set(TABEL)


# --- API tokens of one client never see another's log


def _b_vraagt(client, b) -> list[str]:
    """B asks every decision endpoint, each with its own request id; returns the request ids."""
    ids = []
    for naam, data in _vragen(b).items():
        request_id = f"b-verzoek-{uuid.uuid4().hex}"
        assert _vraag(client, naam, token=b.token, data=data, HTTP_X_REQUEST_ID=request_id).status_code == 200
        ids.append(request_id)
    return ids


def _b_waarden(b, request_ids) -> list[str]:
    """What is specific to B's questions and its log: none of it may ever reach A."""
    return [
        *request_ids,
        str(b.middel.publieke_id),
        b.organisatie.kvk_nummer,
        str(b.dienst.service_uuid),
        b.client.naam,
        b.client.token_begin,
    ]


def _alles_van(response) -> str:
    inhoud = b"".join(response.streaming_content) if response.streaming else response.content
    return inhoud.decode(errors="replace") + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items())


def test_api_tokens_of_one_client_never_see_anothers_log(client, a, b):
    request_ids = _b_vraagt(client, b)
    # B's questions are in the log (a sweep over an empty log would prove nothing).
    assert set(Beslissing.objects.filter(client=b.client).values_list("request_id", flat=True)) >= set(request_ids)
    verboden = _b_waarden(b, request_ids)

    eigen = f"a-verzoek-{uuid.uuid4().hex}"
    lege = {"evaluations": []}
    gezien = set()
    for naam in TABEL:
        for methode in METHODEN:
            bodies = [_vragen(a).get(naam), {}, lege, "[]", "niet json"] if methode != "GET" else [None]
            for data in bodies:
                response = _vraag(client, naam, methode, token=a.token, data=data, HTTP_X_REQUEST_ID=eigen)
                tekst = _alles_van(response)
                for waarde in verboden:
                    assert waarde not in tekst, (naam, methode, data, waarde)
                if response.status_code == 200:
                    gezien.add(naam)
    # A's own answers do come back from every endpoint (the sweep reads real answers, not only errors).
    assert gezien == set(TABEL)
    antwoord = _vraag(client, "zoek_subject", token=a.token, data=_vragen(a)["zoek_subject"], HTTP_X_REQUEST_ID=eigen)
    assert str(a.middel.publieke_id) in _alles_van(antwoord) and antwoord["X-Request-ID"] == eigen
    # A's questions went to A's log, never to B's.
    assert not Beslissing.objects.filter(client=b.client, request_id=eigen).exists()
    assert Beslissing.objects.filter(client=a.client, request_id=eigen).exists()


# --- the decision log in the admin: support only

LOG_URLS = [f"{ADMIN}api/beslissing/", f"{ADMIN}api/beslissing/?q=b-verzoek", f"{ADMIN}api/apiclient/"]


def _log_detail(b) -> str:
    return f"{ADMIN}api/beslissing/{Beslissing.objects.filter(client=b.client).first().pk}/change/"


@pytest.fixture
def support_met_logrecht(client):
    medewerker = maak_support_medewerker(username="support")
    # The audit migration's group is re-made for tests without the api app's grant (api 0002): add it again.
    medewerker.groups.get().permissions.add(
        *Permission.objects.filter(content_type__app_label="api", codename__in=["view_apiclient", "view_beslissing"])
    )
    return inloggen_geverifieerd(client, medewerker)


def test_support_reads_the_decision_log_in_the_admin(client, b, support_met_logrecht):
    request_ids = _b_vraagt(client, b)
    response = support_met_logrecht.get(f"{ADMIN}api/beslissing/?q={request_ids[0]}")
    assert response.status_code == 200
    assert str(b.middel.publieke_id) in response.content.decode()
    assert support_met_logrecht.get(_log_detail(b)).status_code == 200


def test_staff_without_the_log_permission_get_403_in_the_admin(client, b):
    request_ids = _b_vraagt(client, b)
    inloggen_geverifieerd(client, PersoonFactory(is_staff=True))
    for url in [*LOG_URLS, _log_detail(b)]:
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)
        for waarde in request_ids:
            assert waarde not in response.content.decode(errors="replace")


@pytest.fixture(params=["afgemeld", "beheerder", "gebruiker"])
def geen_staff(request, client, beheerder, gebruiker):
    if request.param != "afgemeld":
        inloggen_geverifieerd(client, {"beheerder": beheerder, "gebruiker": gebruiker}[request.param])
    return client


def test_no_one_but_staff_reaches_the_log_in_the_admin(client, b, geen_staff):
    _b_vraagt(client, b)
    for url in [*LOG_URLS, _log_detail(b)]:
        response = geen_staff.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response.url.startswith(f"{ADMIN}login/"), (url, response.url)
