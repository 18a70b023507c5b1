"""Intrekken (R35): at once, for good, no longer listed, and the same machtiging can be added again."""

import datetime as dt

import pytest

from common.dates import vandaag
from common.errors import DomainError
from machtigingen.models import Machtiging, Status
from machtigingen.selectors import ScopeSleutel, machtiging_houders, machtigingen_van_middel
from machtigingen.services import machtiging_intrekken, machtiging_toevoegen

from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def machtiging(beheerder, organisatie, middel, dienst):
    (m,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    return m


def test_r35_intrekken_ends_the_machtiging_at_once(beheerder, machtiging):
    machtiging_intrekken(actor=beheerder, machtiging=machtiging)
    machtiging.refresh_from_db()
    assert machtiging.status == Status.INGETROKKEN
    assert machtiging.ingetrokken_op is not None


def test_r35_revoked_machtiging_is_not_listed(beheerder, organisatie, middel, dienst, machtiging):
    assert machtigingen_van_middel(organisatie, middel) == [machtiging]
    machtiging_intrekken(actor=beheerder, machtiging=machtiging)
    assert machtigingen_van_middel(organisatie, middel) == []
    assert machtiging_houders(organisatie, ScopeSleutel.van(machtiging)) == []


def test_r35_expired_machtiging_is_not_listed(organisatie, middel, dienst):
    # Past its end date, whether or not the job has flipped it yet.
    MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=90),
        eindigt_op=vandaag(),
    )
    MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=90),
        eindigt_op=vandaag() - dt.timedelta(days=1),
        status=Status.VERLOPEN,
    )
    assert machtigingen_van_middel(organisatie, middel) == []


def test_r35_revoking_is_for_good(beheerder, machtiging):
    machtiging_intrekken(actor=beheerder, machtiging=machtiging)
    with pytest.raises(DomainError, match="niet meer actief"):
        machtiging_intrekken(actor=beheerder, machtiging=machtiging)


def test_r35_the_same_machtiging_can_be_added_again_as_a_new_one(beheerder, organisatie, middel, dienst, machtiging):
    machtiging_intrekken(actor=beheerder, machtiging=machtiging)
    (opnieuw,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    assert opnieuw.pk != machtiging.pk
    assert dict(Machtiging.objects.values_list("pk", "status")) == {
        machtiging.pk: Status.INGETROKKEN,
        opnieuw.pk: Status.ACTIEF,
    }
    assert machtigingen_van_middel(organisatie, middel) == [opnieuw]


def test_r4_only_a_beheerder_of_the_organisation_revokes(gebruiker, andere_beheerder, machtiging):
    for actor in (gebruiker, andere_beheerder):
        with pytest.raises(DomainError, match="Alleen een beheerder"):
            machtiging_intrekken(actor=actor, machtiging=machtiging)
    machtiging.refresh_from_db()
    assert machtiging.status == Status.ACTIEF
