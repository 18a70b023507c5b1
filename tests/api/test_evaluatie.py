"""POST /access/v1/evaluation: the register's decision over HTTP (R71, R72, R77)."""

import datetime as dt

import pytest

from api.models import Beslissing
from common.niveau import Niveau
from tests.api.conftest import DAG, TIJD, keten, machtiging, vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def test_r71_yes_with_the_direct_path_and_niveau(api, middel, dienst, organisatie):
    m = machtiging(middel, organisatie, dienst=dienst)
    response = api.evaluatie(vraag(middel, dienst, organisatie))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["decision"] is True
    pad = body["context"]["pad"]
    assert pad["soort"] == "direct" and pad["machtiging_id"] == m.pk
    assert pad["eindigt_op"] == m.eindigt_op.isoformat()
    assert body["context"]["niveau"] == "EH3"
    assert body["context"]["niveau_urn"] == "urn:etoegang:core:assurance-class:loa3"
    assert body["context"]["dag"] == DAG.isoformat()
    assert "redenen" not in body["context"]


def test_r71_algemene_bevoegdheid_and_dienstverlenersmachtiging_paths(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, niveau=dienst.niveau)
    assert api.evaluatie(vraag(middel, dienst, organisatie)).json()["context"]["pad"]["soort"] == (
        "algemene_bevoegdheid"
    )
    machtiging(middel, organisatie, dienstverlener=dienst.dienstverlener)
    assert api.evaluatie(vraag(middel, dienst, organisatie)).json()["context"]["pad"]["soort"] == (
        "dienstverlenersmachtiging"
    )


def test_r71_no_is_200_false_with_reasons_in_both_languages(api, middel, dienst, organisatie):
    response = api.evaluatie(vraag(middel, dienst, organisatie))
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] is False
    assert "pad" not in body["context"]
    (reden,) = body["context"]["redenen"]
    assert reden["code"] == "geen_machtiging"
    assert reden["nl"] == "Er is geen machtiging voor deze dienst."
    assert reden["en"] == "There is no authorisation for this service."


def test_r72_ketenmachtiging_path_names_the_intermediair(api, dienst):
    keten_, middel = keten(dienst)
    klant, intermediair = keten_.verlener, keten_.intermediair
    body = api.evaluatie(vraag(middel, dienst, klant)).json()
    assert body["decision"] is True
    pad = body["context"]["pad"]
    assert pad["soort"] == "ketenmachtiging" and pad["ketenmachtiging_id"] == keten_.pk
    assert pad["intermediair"] == {
        "kvk_nummer": intermediair.kvk_nummer,
        "vestigingsnummer": "",
        "naam": intermediair.naam,
    }


def test_r77_valid_for_four_hours_from_the_question(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    context = api.evaluatie(vraag(middel, dienst, organisatie)).json()["context"]
    assert context["tijd"] == TIJD
    assert context["geldig_tot"] == "2025-06-15T14:00:00+02:00"


def test_r77_never_past_the_end_of_the_machtiging(api, middel, dienst, organisatie):
    # The machtiging ends at the start of 16 June (eindigt_op is exclusive); asked at 22:30 on the 15th.
    machtiging(middel, organisatie, dienst=dienst, eindigt_op=DAG + dt.timedelta(days=1))
    context = api.evaluatie(vraag(middel, dienst, organisatie, tijd="2025-06-15T22:30:00+02:00")).json()["context"]
    assert context["geldig_tot"] == "2025-06-16T00:00:00+02:00"
    assert context["pad"]["eindigt"] == "2025-06-16T00:00:00+02:00"


def test_r77_a_no_is_valid_four_hours_too(api, middel, dienst, organisatie):
    context = api.evaluatie(vraag(middel, dienst, organisatie)).json()["context"]
    assert context["geldig_tot"] == "2025-06-15T14:00:00+02:00"


def test_time_is_amsterdams_day(api, middel, dienst, organisatie):
    # 23:30 UTC on 15 June is already 16 June in Amsterdam: a machtiging ending on the 16th no longer counts.
    machtiging(middel, organisatie, dienst=dienst, eindigt_op=DAG + dt.timedelta(days=1))
    body = api.evaluatie(vraag(middel, dienst, organisatie, tijd="2025-06-15T23:30:00Z")).json()
    assert body["decision"] is False
    assert body["context"]["dag"] == "2025-06-16"
    assert [r["code"] for r in body["context"]["redenen"]] == ["machtiging_verlopen"]


def test_without_time_decides_now(api, middel, dienst, organisatie):
    machtiging(
        middel,
        organisatie,
        dienst=dienst,
        begint_op=dt.date.today() - dt.timedelta(days=1),
        eindigt_op=dt.date.today() + dt.timedelta(days=10),
    )
    body = api.evaluatie(vraag(middel, dienst, organisatie, tijd=None)).json()
    assert body["decision"] is True


def test_unknown_ids_and_types_are_a_no_not_an_error(api, middel, dienst, organisatie):
    data = vraag(middel, dienst, organisatie)
    data["subject"]["id"] = "not-a-uuid"
    body = api.evaluatie(data).json()
    assert body["decision"] is False and [r["code"] for r in body["context"]["redenen"]] == ["middel_onbekend"]

    data = vraag(middel, dienst, organisatie)
    data["resource"]["id"] = "00000000-0000-0000-0000-00000000abcd"
    assert [r["code"] for r in api.evaluatie(data).json()["context"]["redenen"]] == ["dienst_onbekend"]

    data = vraag(middel, dienst, organisatie, actie="uploaden")
    data["subject"]["type"] = "user"
    codes = [r["code"] for r in api.evaluatie(data).json()["context"]["redenen"]]
    assert codes == ["subject_type_onbekend", "actie_onbekend"]

    data = vraag(middel, dienst, organisatie)
    data["resource"]["properties"]["kvk_nummer"] = "99999999"
    response = api.evaluatie(data)
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["context"]["redenen"]] == ["organisatie_onbekend"]


def test_vestigingsnummer_chooses_the_vestiging(api, middel, dienst, organisatie):
    vestiging = OrganisatieFactory(kvk_nummer=organisatie.kvk_nummer, vestigingsnummer="000012345678")
    KoppelingFactory(organisatie=vestiging, middel=middel)
    machtiging(middel, vestiging, dienst=dienst)
    assert api.evaluatie(vraag(middel, dienst, organisatie, vestigingsnummer="000012345678")).json()["decision"]
    # Without a vestigingsnummer the KvK-nummer means the organisation registered without one.
    assert not api.evaluatie(vraag(middel, dienst, organisatie)).json()["decision"]


def test_the_same_question_gets_the_same_answer(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    eerste = api.evaluatie(vraag(middel, dienst, organisatie)).json()
    assert api.evaluatie(vraag(middel, dienst, organisatie)).json() == eerste


def test_unknown_fields_are_ignored(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    data = vraag(middel, dienst, organisatie)
    data["extra"] = {"x": 1}
    data["subject"]["properties"] = {"iets": True}
    data["action"]["properties"] = {"method": "GET"}
    assert api.evaluatie(data).json()["decision"] is True


def test_x_request_id_and_traceparent_echoed(api, middel, dienst, organisatie):
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    response = api.evaluatie(
        vraag(middel, dienst, organisatie), HTTP_X_REQUEST_ID="req-42", HTTP_TRACEPARENT=traceparent
    )
    assert response["X-Request-ID"] == "req-42"
    assert response["traceparent"] == traceparent
    # Also on an error.
    assert api.evaluatie("{", HTTP_X_REQUEST_ID="req-43")["X-Request-ID"] == "req-43"


def test_every_decision_is_logged(api, api_client_en_token, middel, dienst, organisatie):
    m = machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie), HTTP_X_REQUEST_ID="req-1")
    (rij,) = Beslissing.objects.all()
    assert rij.client == api_client_en_token[0]
    assert rij.subject_id == str(middel.publieke_id) and rij.resource_id == str(dienst.service_uuid)
    assert rij.kvk_nummer == organisatie.kvk_nummer and rij.actie == "inloggen"
    assert rij.toegestaan and rij.pad["machtiging_id"] == m.pk and rij.request_id == "req-1"
    assert rij.gevraagd_moment == dt.datetime.fromisoformat(TIJD)


def test_queries_per_evaluation_pinned(api, middel, dienst, organisatie, django_assert_num_queries, settings):
    machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie))  # the client is kept, its last use written once a minute
    andere = DienstFactory(niveau=Niveau.EH2)
    machtiging(middel, organisatie, dienst=andere)
    # A question not asked before: middel, organisatie, the register's other five (the API's middel query is the
    # register's first), the log insert. (The question is about another day than today, so no last use is written.)
    with django_assert_num_queries(8):
        assert api.evaluatie(vraag(middel, andere, organisatie)).json()["decision"]
    # Asked again, unchanged data: answered from what the process kept; only the log insert.
    with django_assert_num_queries(1):
        assert api.evaluatie(vraag(middel, andere, organisatie)).json()["decision"]
    # Without keeping answers: middel, organisatie, the register's other five, the log insert.
    settings.REGISTER_BESLISCACHE = False
    with django_assert_num_queries(8):
        assert api.evaluatie(vraag(middel, andere, organisatie)).json()["decision"]
