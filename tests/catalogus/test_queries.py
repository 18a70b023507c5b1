"""The importer works in bulk: its statement count follows the number of batches, not of diensten."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogus.generate import generate_catalogus
from catalogus.importer import catalogus_import
from catalogus.models import Dienst


def importeer_en_tel(xml: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        catalogus_import(inhoud=xml.encode(), bron="bench.xml")
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_fresh_import_query_count_is_pinned(django_assert_num_queries):
    # savepoint, select dienstverleners, insert dienstverleners, select diensten, insert diensten,
    # insert import log, insert audit entry, release savepoint.
    with django_assert_num_queries(8):
        catalogus_import(inhoud=generate_catalogus(diensten=40, dienstverleners=5, seed=1).encode(), bron="a.xml")


@pytest.mark.django_db
def test_update_query_count_is_pinned(django_assert_num_queries):
    catalogus_import(inhoud=generate_catalogus(diensten=40, dienstverleners=5, seed=1).encode(), bron="a.xml")
    gewijzigd = generate_catalogus(diensten=40, dienstverleners=5, seed=1).replace("online regelen", "digitaal")
    # savepoint, select dienstverleners, select diensten, insert scratch rows, one UPDATE, delete scratch
    # rows, insert import log, insert audit entry, release savepoint.
    with django_assert_num_queries(9):
        catalogus_import(inhoud=gewijzigd.encode(), bron="b.xml")


@pytest.mark.django_db
def test_query_count_does_not_grow_per_dienst():
    klein = importeer_en_tel(generate_catalogus(diensten=20, dienstverleners=3, seed=1))
    groot = importeer_en_tel(generate_catalogus(diensten=3000, dienstverleners=150, seed=2))
    # The big one withdraws 20 and adds 3000 in batches (SQLite: ~80 rows per INSERT); far below one per row.
    assert klein <= 9
    assert groot < klein + 3000 / 50


@pytest.mark.django_db
def test_5000_changed_diensten_are_applied_in_one_go():
    # Speed is measured in bench/ (make bench); here only that a large edition lands completely.
    xml = generate_catalogus(diensten=5000, dienstverleners=250, seed=4)
    anders = xml.replace("online regelen", "digitaal regelen")
    catalogus_import(inhoud=xml.encode(), bron="a.xml")
    resultaat = catalogus_import(inhoud=anders.encode(), bron="b.xml")
    assert len(resultaat.gewijzigd) == 5000
    assert not Dienst.objects.filter(omschrijving__contains="online regelen").exists()
