"""R37: the person gets ONE e-mail per action when their machtigingen change (the hook is called once per
action, with each affected person once)."""

import datetime as dt
from unittest import mock

import pytest

from audit.acties import Actie
from common.dates import vandaag
from common.errors import DomainError
from machtigingen.services import (
    machtiging_intrekken,
    machtiging_toevoegen,
    machtiging_verlengen,
    machtigingen_wijzig_einddatum,
)

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meld():
    # The berichten function behind the R37 hook, as `machtigingen.services._common._meld_wijziging` calls it.
    with mock.patch("machtigingen.services._common.meld_machtigingen_gewijzigd_per_organisatie") as hook:
        yield hook


def _personen(hook) -> frozenset:
    (call,) = hook.call_args_list  # exactly once per action
    return frozenset(persoon_id for persoon_id, _organisatie_id in call.kwargs["paren"])


def test_r37_bulk_add_tells_each_person_once(beheerder, organisatie, dienst, dienst_eh2plus, meld):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[a, b], diensten=[dienst, dienst_eh2plus])
    assert _personen(meld) == {a.persoon_id, b.persoon_id}
    assert meld.call_args.kwargs["actie"] == Actie.MACHTIGING_TOEGEVOEGD


def test_r37_bulk_end_date_tells_each_person_once(beheerder, organisatie, dienst, dienst_eh2plus, meld):
    a, b = maak_middel(organisatie), maak_middel(organisatie)
    rijen = [
        MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst),
        MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst_eh2plus),
        MachtigingFactory(organisatie=organisatie, middel=b, dienst=dienst),
    ]
    machtigingen_wijzig_einddatum(
        actor=beheerder, organisatie=organisatie, machtigingen=rijen, eindigt_op=vandaag() + dt.timedelta(days=1)
    )
    assert _personen(meld) == {a.persoon_id, b.persoon_id}


def test_r37_verlengen_and_intrekken_tell_the_person(beheerder, organisatie, middel, dienst, meld):
    m = MachtigingFactory(organisatie=organisatie, middel=middel, dienst=dienst)
    machtiging_verlengen(actor=beheerder, machtiging=m, keuze="1")
    assert _personen(meld) == {middel.persoon_id}
    meld.reset_mock()
    machtiging_intrekken(actor=beheerder, machtiging=m)
    assert _personen(meld) == {middel.persoon_id}
    assert meld.call_args.kwargs["actie"] == Actie.MACHTIGING_INGETROKKEN


def test_r37_a_refused_action_tells_nobody(gebruiker, organisatie, middel, dienst, meld):
    with pytest.raises(DomainError) as refused:
        machtiging_toevoegen(actor=gebruiker, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    assert refused.value.rule == "R4", refused.value
    meld.assert_not_called()
