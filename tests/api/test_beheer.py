"""Support's side: API clients in the admin, the management command, the decision log's retention, the public id."""

import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone

from api import logboek
from api.clients import hash_token
from api.models import ApiClient, Beslissing
from api.tasks import verwijder_oude_beslissingen
from audit.models import AuditEntry
from gebruikers.models import Middel
from tests.api.conftest import machtiging, vraag
from tests.gebruikers.factories import MiddelFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.support.conftest import maak_support_medewerker

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_client(client):
    medewerker = maak_support_medewerker(username="support")
    # The audit migration's group is re-made for tests without the api app's grant (api 0002): add it again.
    groep = medewerker.groups.get()
    groep.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="api",
            codename__in=["view_apiclient", "add_apiclient", "change_apiclient", "view_beslissing"],
        )
    )
    # The admin asks the second factor (OTPAdminSite): a verified session.
    inloggen_geverifieerd(client, medewerker)
    return client


def test_command_prints_a_new_token_stored_only_as_hash(api, middel, dienst, organisatie, client):
    uit, fout = io.StringIO(), io.StringIO()
    call_command("api_client", "Signicat", "--kvk", organisatie.kvk_nummer, stdout=uit, stderr=fout)
    token = uit.getvalue().strip()
    nieuw = ApiClient.objects.get(naam="Signicat")
    assert nieuw.organisatie == organisatie
    assert nieuw.token_hash == hash_token(token) and token not in nieuw.token_hash
    assert AuditEntry.objects.filter(actie="apiclient.aangemaakt", object_id=str(nieuw.pk)).exists()
    assert api.evaluatie(vraag(middel, dienst, organisatie), token=token).status_code == 200


def test_command_refuses_an_unknown_organisation(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_client", "X", "--kvk", "99999999", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiClient.objects.filter(naam="X").exists()


def test_support_adds_a_client_and_sees_the_token_once(support_client, api, middel, dienst, organisatie):
    response = support_client.post("/admin/api/apiclient/add/", {"naam": "Makelaar B", "organisatie": ""}, follow=True)
    assert response.status_code == 200
    (bericht,) = [str(m) for m in response.context["messages"] if "token" in str(m)]
    token = bericht.rsplit(" ", 1)[-1]
    nieuw = ApiClient.objects.get(naam="Makelaar B")
    assert nieuw.token_hash == hash_token(token)
    assert api.evaluatie(vraag(middel, dienst, organisatie), token=token).status_code == 200
    # The change page never shows the token again.
    assert token not in support_client.get(f"/admin/api/apiclient/{nieuw.pk}/change/").content.decode()


def test_support_revokes_a_client(support_client, api, api_client_en_token, middel, dienst, organisatie):
    client, _token = api_client_en_token
    response = support_client.post(
        "/admin/api/apiclient/", {"action": "intrekken", "_selected_action": [client.pk]}, follow=True
    )
    assert response.status_code == 200
    client.refresh_from_db()
    assert client.ingetrokken_op is not None
    assert api.evaluatie(vraag(middel, dienst, organisatie)).status_code == 401
    assert AuditEntry.objects.filter(actie="apiclient.ingetrokken").count() == 1


def test_support_searches_the_decision_log(support_client, api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie))
    response = support_client.get("/admin/api/beslissing/", {"q": str(middel.publieke_id)})
    assert response.status_code == 200
    assert str(middel.publieke_id) in response.content.decode()
    rij = Beslissing.objects.get()
    assert support_client.get(f"/admin/api/beslissing/{rij.pk}/change/").status_code == 200
    assert support_client.post(f"/admin/api/beslissing/{rij.pk}/delete/").status_code == 403


@pytest.mark.parametrize("hoe", ["subject", "subject in capitals", "resource", "kvk", "request"])
def test_support_searches_the_log_by_each_id_asked(support_client, api, middel, dienst, organisatie, hoe):
    machtiging(middel, organisatie, dienst=dienst)
    api.evaluatie(vraag(middel, dienst, organisatie), HTTP_X_REQUEST_ID="broker-42")
    api.evaluatie(vraag(MiddelFactory(), dienst, organisatie))  # another subject: not a hit for the subject
    term = {
        "subject": str(middel.publieke_id),
        "subject in capitals": str(middel.publieke_id).upper(),
        "resource": str(dienst.service_uuid),
        "kvk": organisatie.kvk_nummer,
        "request": "broker-42",
    }[hoe]
    verwacht = 2 if hoe in ("resource", "kvk") else 1
    response = support_client.get("/admin/api/beslissing/", {"q": term})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == verwacht


def test_the_log_search_compares_exactly_each_column_through_its_own_index(db):
    """A case-insensitive comparison (the admin's `=field`) would read the whole log, millions of rows on a busy
    day: each column is compared exactly, and on PostgreSQL the plan reads all four indexes and no table scan."""
    qs = Beslissing.objects.filter(logboek.zoekfilter("3f2a"))
    sql = str(qs.query).upper()
    assert "UPPER(" not in sql and " LIKE " not in sql
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned whatever its indexes
        plan = qs.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert "Seq Scan" not in plan, plan
    for index in ("beslissing_subject", "beslissing_resource", "beslissing_kvk", "beslissing_request"):
        assert index in plan, plan


def test_admin_shows_the_middel_public_id_read_only(support_client, middel):
    html = support_client.get(f"/admin/gebruikers/middel/{middel.pk}/change/").content.decode()
    assert str(middel.publieke_id) in html
    assert 'name="publieke_id"' not in html


@override_settings(REGISTER_LOG_RETENTION_DAYS=30)
def test_the_log_is_purged_after_retention(api, api_client_en_token, middel, dienst, organisatie):
    api.evaluatie(vraag(middel, dienst, organisatie))
    api.evaluatie(vraag(middel, dienst, organisatie))
    oud, nieuw = Beslissing.objects.order_by("pk")
    Beslissing.objects.filter(pk=oud.pk).update(moment=timezone.now() - dt.timedelta(days=31))
    assert verwijder_oude_beslissingen.delay().get() == 1
    assert list(Beslissing.objects.all()) == [nieuw]


def test_the_purge_job_is_scheduled():
    from django.conf import settings

    taken = {t["task"] for t in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "api.tasks.verwijder_oude_beslissingen" in taken


def test_every_middel_has_its_own_stable_public_id(db):
    a, b = MiddelFactory(), MiddelFactory()
    assert isinstance(a.publieke_id, uuid.UUID) and a.publieke_id != b.publieke_id
    voor = a.publieke_id
    a.refresh_from_db()
    a.save()
    assert Middel.objects.get(pk=a.pk).publieke_id == voor


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_existing_middelen(db):
    executor = MigrationExecutor(connection)
    executor.migrate([("gebruikers", "0002_activatiebrief")])
    oude_apps = executor.loader.project_state([("gebruikers", "0002_activatiebrief")]).apps
    try:
        Persoon = oude_apps.get_model("gebruikers", "Persoon")
        OudMiddel = oude_apps.get_model("gebruikers", "Middel")
        for i in range(3):
            persoon = Persoon.objects.create(username=f"oud{i}", password="x")
            OudMiddel.objects.create(persoon=persoon, niveau=30)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    ids = list(Middel.objects.values_list("publieke_id", flat=True))
    assert len(ids) == 3 and len(set(ids)) == 3 and all(ids)
