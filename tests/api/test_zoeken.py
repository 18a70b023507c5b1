"""The searches (subject, resource, action): the same decision as the evaluation, with paging."""

import datetime as dt

import pytest
from django.test import override_settings

from api.models import Beslissing
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Scope
from tests.api.conftest import DAG, TIJD, machtiging, vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def subject_zoekvraag(dienst, organisatie, **page):
    data = {
        "subject": {"type": "eherkenningsmiddel"},
        "resource": {
            "type": "dienst",
            "id": str(dienst.service_uuid),
            "properties": {"kvk_nummer": organisatie.kvk_nummer},
        },
        "action": {"name": "inloggen"},
        "context": {"time": TIJD},
    }
    if page:
        data["page"] = page
    return data


def resource_zoekvraag(middel, organisatie, **page):
    data = {
        "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id)},
        "resource": {"type": "dienst", "properties": {"kvk_nummer": organisatie.kvk_nummer}},
        "action": {"name": "inloggen"},
        "context": {"time": TIJD},
    }
    if page:
        data["page"] = page
    return data


def ids(response):
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def test_subject_search_finds_who_may_log_in_direct_and_through_a_chain(api, organisatie, dienst):
    ja = KoppelingFactory(organisatie=organisatie).middel
    nee = KoppelingFactory(organisatie=organisatie).middel
    machtiging(ja, organisatie, dienst=dienst)
    intermediair = OrganisatieFactory()
    via_keten = KoppelingFactory(organisatie=intermediair).middel
    keten = Ketenmachtiging.objects.create(
        verlener=organisatie,
        intermediair=intermediair,
        scope=Scope.ALGEMEEN,
        niveau=40,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=keten, middel=via_keten)
    response = api.post("/access/v1/search/subject", subject_zoekvraag(dienst, organisatie))
    assert sorted(ids(response)) == sorted([str(ja.publieke_id), str(via_keten.publieke_id)])
    assert response.json()["page"] == {"next_token": ""}
    assert response.json()["results"][0]["type"] == "eherkenningsmiddel"
    # Search and evaluation agree, candidate by candidate.
    for m, verwacht in ((ja, True), (nee, False), (via_keten, True)):
        assert api.evaluatie(vraag(m, dienst, organisatie)).json()["decision"] is verwacht


def test_resource_search_finds_the_diensten_and_agrees_with_evaluation(api, middel, organisatie):
    diensten = DienstFactory.create_batch(4)
    machtiging(middel, organisatie, dienst=diensten[1])
    machtiging(middel, organisatie, dienstverlener=diensten[3].dienstverlener)
    response = api.post("/access/v1/search/resource", resource_zoekvraag(middel, organisatie))
    assert ids(response) == [str(diensten[1].service_uuid), str(diensten[3].service_uuid)]
    assert [r["properties"]["pad"] for r in response.json()["results"]] == ["direct", "dienstverlenersmachtiging"]
    # The decisions the search gave are in the log.
    assert Beslissing.objects.filter(toegestaan=True, subject_id=str(middel.publieke_id)).count() == 2
    for i, d in enumerate(diensten):
        assert api.evaluatie(vraag(middel, d, organisatie)).json()["decision"] is (i in (1, 3))


def test_action_search(api, middel, dienst, organisatie):
    data = vraag(middel, dienst, organisatie)
    del data["action"]
    assert api.post("/access/v1/search/action", data).json() == {"results": [], "page": {"next_token": ""}}
    machtiging(middel, organisatie, dienst=dienst)
    assert api.post("/access/v1/search/action", data).json()["results"] == [{"name": "inloggen"}]


@override_settings(API_SEARCH_PAGE_SIZE=2)
def test_resource_search_pages_with_next_token(api, middel, organisatie):
    diensten = DienstFactory.create_batch(5)
    machtiging(middel, organisatie, niveau=40)  # Algemene bevoegdheid: every dienst up to EH4
    gezien, token, paginas = [], None, 0
    while True:
        page = {"next_token": token} if token else {}
        response = api.post("/access/v1/search/resource", resource_zoekvraag(middel, organisatie, **page))
        gevonden = ids(response)
        assert len(gevonden) <= 2
        gezien += gevonden
        paginas += 1
        token = response.json()["page"]["next_token"]
        if not token:
            break
    assert gezien == [str(d.service_uuid) for d in diensten]
    assert paginas == 3
    # A client may ask for smaller pages.
    assert len(ids(api.post("/access/v1/search/resource", resource_zoekvraag(middel, organisatie, limit=1)))) == 1


def test_unknown_ids_give_no_results(api, middel, dienst, organisatie):
    data = resource_zoekvraag(middel, organisatie)
    data["subject"]["id"] = "onbekend"
    assert api.post("/access/v1/search/resource", data).json() == {"results": [], "page": {"next_token": ""}}
    data = subject_zoekvraag(dienst, organisatie)
    data["resource"]["id"] = "00000000-0000-0000-0000-000000000001"
    assert ids(api.post("/access/v1/search/subject", data)) == []
    data = subject_zoekvraag(dienst, organisatie)
    data["resource"]["properties"]["kvk_nummer"] = "99999999"
    assert ids(api.post("/access/v1/search/subject", data)) == []


def test_search_requests_are_read_strictly(api, middel, dienst, organisatie):
    data = subject_zoekvraag(dienst, organisatie)
    del data["action"]
    assert api.post("/access/v1/search/subject", data).status_code == 400
    data = resource_zoekvraag(middel, organisatie, next_token="x12")
    assert api.post("/access/v1/search/resource", data).status_code == 400
    data = resource_zoekvraag(middel, organisatie, limit=0)
    assert api.post("/access/v1/search/resource", data).status_code == 400
    assert api.post("/access/v1/search/action", "[]").status_code == 400
    assert api.post("/access/v1/search/subject", subject_zoekvraag(dienst, organisatie), token=None).status_code == 401
