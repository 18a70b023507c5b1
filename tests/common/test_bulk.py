"""common.bulk: many rows in one statement (COPY on PostgreSQL, executemany elsewhere), seen by the execute
wrappers and counted as one query. Runs on both databases: the first CI pass takes the executemany path, the
second the COPY path."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from common import generaties
from common.bulk import JsonPerObject, insert_rows
from machtigingen.models import Machtiging, Scope, Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

VELDEN = ("moment", "actor_label", "organisatie", "actie", "omschrijving", "object_type", "object_id", "voor", "na")


def _rij(organisatie_id, tekst, *, voor=None, na=None, als_json=None):
    als_json = als_json or JsonPerObject()
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        moment,
        "systeem",
        organisatie_id,
        "machtiging.toegevoegd",
        tekst,
        "Middel",
        "7",
        als_json(voor),
        als_json(na),
    )


@pytest.mark.django_db
def test_rows_are_written_as_they_are_read_back_in_one_query(django_assert_num_queries):
    organisatie = OrganisatieFactory()
    als_json = JsonPerObject()
    gedeeld = {"Dienst é": {"eindigt_op": "2029-02-28"}, "lijst": [1, None, "tab\tnieuwe\nregel\\"]}
    rijen = [_rij(organisatie.pk, f"regel {i}", na=gedeeld, als_json=als_json) for i in range(3)]
    rijen.append(_rij(organisatie.pk, "geen voor of na", als_json=als_json))
    with django_assert_num_queries(1):
        assert insert_rows(AuditEntry, VELDEN, rijen) == 4
    entries = list(AuditEntry.objects.filter(organisatie=organisatie).order_by("pk"))
    assert [e.omschrijving for e in entries] == ["regel 0", "regel 1", "regel 2", "geen voor of na"]
    assert [e.na for e in entries] == [gedeeld, gedeeld, gedeeld, None]
    assert entries[3].voor is None
    assert all(abs(e.moment - timezone.now()) < dt.timedelta(minutes=1) for e in entries)


@pytest.mark.django_db
def test_no_rows_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(AuditEntry, VELDEN, []) == 0


@pytest.mark.django_db
def test_the_statement_passes_the_execute_wrappers_and_moves_the_register_generation():
    """A COPY has no DB-API call of its own: without the wrappers the register would keep answers that a bulk
    step's new machtigingen made wrong."""
    organisatie = OrganisatieFactory()
    middel = KoppelingFactory(organisatie=organisatie).middel
    dienst = DienstFactory()
    gezien = []

    def wrapper(execute, sql, params, many, context):
        gezien.append(sql)
        return execute(sql, params, many, context)

    voor = generaties.huidig(generaties.REGISTER)
    begint, eindigt = (connection.ops.adapt_datefield_value(d) for d in (dt.date(2026, 12, 2), dt.date(2027, 12, 2)))
    rij = (middel.pk, organisatie.pk, Scope.DIENST, dienst.pk, begint, eindigt, Status.ACTIEF)
    rij += (connection.ops.adapt_datetimefield_value(timezone.now()),)
    with connection.execute_wrapper(wrapper):
        insert_rows(
            Machtiging,
            ("middel", "organisatie", "scope", "dienst", "begint_op", "eindigt_op", "status", "aangemaakt_op"),
            [rij],
        )
    assert len(gezien) == 1
    assert gezien[0].startswith("COPY" if connection.vendor == "postgresql" else "INSERT")
    assert generaties.geschreven_tabellen(gezien[0]) == [Machtiging._meta.db_table]
    assert generaties.huidig(generaties.REGISTER) != voor
    assert Machtiging.objects.get(middel=middel).eindigt_op == dt.date(2027, 12, 2)


@pytest.mark.django_db(transaction=True)
def test_a_refused_row_raises_djangos_error_and_writes_none_of_them():
    organisatie = OrganisatieFactory()
    rijen = [_rij(organisatie.pk, "goed"), _rij(organisatie.pk + 10_000, "organisatie bestaat niet")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(AuditEntry, VELDEN, rijen)
    assert not AuditEntry.objects.filter(omschrijving="goed").exists()


def test_json_is_written_once_per_object():
    als_json = JsonPerObject()
    a, b = {"x": 1}, {"x": 1}
    assert als_json(a) is als_json(a)  # the same text, not encoded again
    assert als_json(b) == als_json(a) and als_json(b) is not als_json(a)
    assert als_json(None) is None
    assert als_json([]) == "[]"
