"""R71: the answers a process keeps (api.beslissen._Bewaard, common.generaties) never outlive a change of the data
the register reads, however that change is written; and the clients kept by token never outlive a revocation."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from api.clients import trek_in
from common import generaties
from gebruikers.models import Koppeling, Middel
from groepen.models import GroepLid
from ketenmachtigingen.models import KetenmachtigingMiddel
from machtigingen.apps import REGISTER_LEEST
from machtigingen.models import Machtiging, Status
from tests.api.conftest import keten, machtiging, vraag
from tests.groepen.factories import GroepFactory, GroepMachtigingFactory
from tests.organisaties.factories import OrganisatieFactory


def ja(api, middel, dienst, organisatie) -> bool:
    response = api.evaluatie(vraag(middel, dienst, organisatie))
    assert response.status_code == 200
    return response.json()["decision"]


def test_r71_a_repeated_question_is_answered_from_memory(api, middel, dienst, organisatie, django_assert_num_queries):
    machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)
    with django_assert_num_queries(1):  # the log insert only
        assert ja(api, middel, dienst, organisatie)


@pytest.mark.parametrize(
    "wijziging",
    [
        "save",  # one row through the ORM
        "update",  # a queryset UPDATE (no signals)
        "raw",  # raw SQL
        "delete",
    ],
)
def test_r71_every_kind_of_write_drops_what_was_kept(api, middel, dienst, organisatie, wijziging):
    m = machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)
    if wijziging == "save":
        m.status = Status.INGETROKKEN
        m.save()
    elif wijziging == "update":
        Machtiging.objects.filter(pk=m.pk).update(status=Status.INGETROKKEN)
    elif wijziging == "raw":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Machtiging._meta.db_table} SET status = %s WHERE id = %s", [Status.INGETROKKEN, m.pk]
            )
    else:
        Machtiging.objects.filter(pk=m.pk).delete()
    assert not ja(api, middel, dienst, organisatie)


def test_r71_changes_to_what_surrounds_a_machtiging_drop_it_too(api, middel, dienst, organisatie):
    machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)
    Middel.objects.filter(pk=middel.pk).update(status=Middel.Status.BEEINDIGD)
    assert not ja(api, middel, dienst, organisatie)
    Middel.objects.filter(pk=middel.pk).update(status=Middel.Status.ACTIEF)
    assert ja(api, middel, dienst, organisatie)
    Koppeling.objects.filter(middel=middel).update(opzeggen_per=dt.date(2025, 1, 1))
    assert not ja(api, middel, dienst, organisatie)
    Koppeling.objects.filter(middel=middel).update(opzeggen_per=None)
    dienst.ingetrokken = True
    dienst.save()
    assert not ja(api, middel, dienst, organisatie)


def test_r24_leaving_a_group_drops_the_answer_it_gave(api, middel, dienst, organisatie):
    groep = GroepFactory(organisatie=organisatie)
    koppeling = Koppeling.objects.get(middel=middel, organisatie=organisatie)
    GroepLid.objects.create(groep=groep, koppeling=koppeling)
    GroepMachtigingFactory(groep=groep, dienst=dienst, begint_op=dt.date(2025, 1, 1), eindigt_op=dt.date(2027, 1, 1))
    assert ja(api, middel, dienst, organisatie)
    GroepLid.objects.filter(groep=groep).delete()
    assert not ja(api, middel, dienst, organisatie)


@pytest.mark.django_db(transaction=True)
def test_r71_a_commit_moves_the_generation_again():
    """Another process may compute an answer from the data before the commit, under the number the write moved
    to at once; the commit moves it again, so that answer is not used."""
    with transaction.atomic():
        organisatie = OrganisatieFactory()
        tijdens = generaties.huidig(generaties.REGISTER)
        organisatie.naam = "Nieuw"
        organisatie.save()
        assert generaties.huidig(generaties.REGISTER) != tijdens  # every write at once
        tijdens = generaties.huidig(generaties.REGISTER)
    na = generaties.huidig(generaties.REGISTER)
    assert tijdens is not None and na is not None and na != tijdens  # and once more at the commit


def test_r71_bookkeeping_in_stil_keeps_the_generation(middel, dienst, organisatie):
    m = machtiging(middel, organisatie, dienst=dienst)
    voor = generaties.huidig(generaties.REGISTER)
    with generaties.stil():
        Machtiging.objects.filter(pk=m.pk).update(laatst_gebruikt_op=dt.date(2025, 6, 15))
    assert generaties.huidig(generaties.REGISTER) == voor
    Machtiging.objects.filter(pk=m.pk).update(laatst_gebruikt_op=dt.date(2025, 6, 16))
    assert generaties.huidig(generaties.REGISTER) != voor


def test_r71_an_unreadable_cache_means_nothing_kept_is_used(api, middel, dienst, organisatie, monkeypatch):
    m = machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)

    def kapot(*args, **kwargs):
        raise ConnectionError("cache down")

    with generaties.stil():  # a change nobody hears of, as when the cache was down while it was written
        Machtiging.objects.filter(pk=m.pk).update(status=Status.INGETROKKEN)
    monkeypatch.setattr(caches[generaties.settings.GENERATIE_CACHE], "get_many", kapot)
    assert not ja(api, middel, dienst, organisatie)


def test_r71_a_client_revoked_after_use_is_refused_at_once(api, api_client_en_token, middel, dienst, organisatie):
    client, _token = api_client_en_token
    assert api.evaluatie(vraag(middel, dienst, organisatie)).status_code == 200
    trek_in(client)
    assert api.evaluatie(vraag(middel, dienst, organisatie)).status_code == 401


def test_r72_unlinking_a_middel_from_a_ketenmachtiging_drops_the_answer(api, dienst):
    k, middel = keten(dienst)
    klant = k.verlener
    assert ja(api, middel, dienst, klant)
    KetenmachtigingMiddel.objects.filter(middel=middel).delete()
    assert not ja(api, middel, dienst, klant)


def test_register_leest_names_every_table_the_decision_reads(api, middel, dienst, organisatie):
    """MachtigingenConfig.REGISTER_LEEST must cover what a decision through the API reads (a direct and a chain
    yes, so every query runs), or a change to a table it misses would leave a kept answer standing."""
    machtiging(middel, organisatie, dienst=dienst)
    k, keten_middel = keten(dienst)
    klant = k.verlener
    with CaptureQueriesContext(connection) as queries:
        assert ja(api, middel, dienst, organisatie)
        assert ja(api, keten_middel, dienst, klant)
    gelezen = set()
    for q in queries.captured_queries:
        if q["sql"].startswith("SELECT") or q["sql"].startswith("(SELECT"):
            gelezen.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"]))
    gevolgd = {apps.get_model(label)._meta.db_table for label in REGISTER_LEEST}
    assert {"machtigingen_machtiging", "ketenmachtigingen_ketenmachtiging", "groepen_groeplid"} <= gelezen
    gelezen.discard("api_apiclient")  # the token: kept under the clients' own generation (ApiConfig)
    assert gelezen <= gevolgd, gelezen - gevolgd


def test_r71_another_process_s_change_is_seen_within_the_max_age(settings, organisatie):
    """Deployed, a process reads the generations at most every GENERATIE_MAX_LEEFTIJD seconds; its own changes
    it sees at once."""
    settings.GENERATIE_MAX_LEEFTIJD = 60
    voor = generaties.huidig(generaties.REGISTER)
    sleutel = generaties._sleutel(generaties.REGISTER)
    caches[settings.GENERATIE_CACHE].incr(sleutel)  # as another process's write does
    assert generaties.huidig(generaties.REGISTER) == voor  # not read again yet
    settings.GENERATIE_MAX_LEEFTIJD = 0
    assert generaties.huidig(generaties.REGISTER) != voor  # read again: seen
    settings.GENERATIE_MAX_LEEFTIJD = 60
    gezien = generaties.huidig(generaties.REGISTER)
    organisatie.naam = "Anders"
    organisatie.save()  # this process's own write
    assert generaties.huidig(generaties.REGISTER) != gezien


@pytest.mark.parametrize(
    ("sql", "tabellen"),
    [
        ('INSERT INTO "a" ("x") VALUES (%s)', ["a"]),
        ('UPDATE "machtigingen_machtiging" SET "status" = %s', ["machtigingen_machtiging"]),
        ('DELETE FROM "b" WHERE "id" IN (SELECT "id" FROM "c")', ["b"]),
        # PostgreSQL's data-modifying CTE, as the expiry job writes it
        ('WITH v AS (UPDATE "m" SET s = %s RETURNING id) INSERT INTO "audit" (a) SELECT 1 FROM v', ["m", "audit"]),
        ('TRUNCATE "a", "b" RESTART IDENTITY CASCADE;', ["a", "b"]),
        ('SELECT * FROM "x" FOR UPDATE OF "x"', []),
        ('WITH x AS (SELECT 1) SELECT * FROM "y" FOR UPDATE', []),
        ('SAVEPOINT "s1"', []),
        # PostgreSQL's COPY, as common.bulk writes the bulk steps
        ('COPY "machtigingen_machtiging" ("middel_id", "scope") FROM STDIN', ["machtigingen_machtiging"]),
        ("copy audit from stdin", ["audit"]),
        ('COPY "x" ("a") TO STDOUT', []),
    ],
)
def test_the_tables_a_statement_writes(sql, tabellen):
    assert generaties.geschreven_tabellen(sql) == tabellen


def test_r71_an_answer_kept_ages_out(api, middel, dienst, organisatie, settings, django_assert_num_queries):
    machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)
    settings.REGISTER_BESLISCACHE_SECONDEN = -1  # everything kept is older than that
    with django_assert_num_queries(9):  # the token read again, then as a new question (see test_evaluatie)
        assert ja(api, middel, dienst, organisatie)


def test_r71_a_change_the_cache_did_not_hear_of_is_written_and_nothing_kept_is_trusted(
    api, middel, dienst, organisatie, monkeypatch, caplog
):
    monkeypatch.setattr(generaties, "_storing_tot", 0.0)  # and back to it after the test
    m = machtiging(middel, organisatie, dienst=dienst)
    assert ja(api, middel, dienst, organisatie)
    cache = caches[generaties.settings.GENERATIE_CACHE]

    def kapot(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", kapot)
    monkeypatch.setattr(cache, "set", kapot)
    Machtiging.objects.filter(pk=m.pk).update(status=Status.INGETROKKEN)  # goes ahead, unannounced
    assert Machtiging.objects.get(pk=m.pk).status == Status.INGETROKKEN
    assert "could not move generation register" in caplog.text
    assert generaties.huidig(generaties.REGISTER) is None  # this process trusts no generation for a while
    assert not ja(api, middel, dienst, organisatie)
