"""R70: diensten are keyed by ServiceUUID; a withdrawn dienst is kept, so machtigingen keep pointing at it."""

import datetime
import uuid

from catalogus.models import Dienst
from machtigingen.models import Machtiging, Scope
from tests.catalogus.edities import dienst, editie
from tests.gebruikers.factories import MiddelFactory
from tests.organisaties.factories import OrganisatieFactory

A, B, C = (uuid.UUID(int=n, version=4) for n in (1, 2, 3))


def machtiging_voor(service_uuid) -> Machtiging:
    return Machtiging.objects.create(
        scope=Scope.DIENST,
        dienst=Dienst.objects.get(service_uuid=service_uuid),
        middel=MiddelFactory(),
        organisatie=OrganisatieFactory(),
        begint_op=datetime.date(2026, 1, 1),
        eindigt_op=datetime.date(2027, 1, 1),
    )


def test_r70_withdrawn_dienst_is_kept_and_machtigingen_keep_pointing_at_it(importeer):
    importeer(editie(dienst(A, "Aangifte omzetbelasting"), dienst(B)))
    machtiging = machtiging_voor(A)

    importeer(editie(dienst(B)))

    machtiging.refresh_from_db()
    assert machtiging.dienst.service_uuid == A
    assert machtiging.dienst.ingetrokken
    assert machtiging.dienst.naam == "Aangifte omzetbelasting"
    assert Dienst.objects.filter(service_uuid=A).exists()


def test_r70_service_uuid_is_the_key_not_the_name(importeer):
    importeer(editie(dienst(A, "Loonheffingen")))
    machtiging = machtiging_voor(A)

    # Renamed in a new edition, and a new dienst takes the old name: the machtiging follows the UUID.
    resultaat = importeer(editie(dienst(A, "Loonheffingen (nieuw)"), dienst(B, "Loonheffingen")))

    assert resultaat.samenvatting == "added 1, changed 1, withdrawn 0, unchanged 0"
    machtiging.refresh_from_db()
    assert machtiging.dienst.service_uuid == A
    assert machtiging.dienst.naam == "Loonheffingen (nieuw)"


def test_r70_adding_diensten_needs_no_change_to_existing_rows(importeer, momentopname):
    importeer(editie(dienst(A), dienst(B)))
    machtiging = machtiging_voor(A)
    diensten_voor = momentopname()[0]

    resultaat = importeer(editie(dienst(A), dienst(B), dienst(C)))

    assert resultaat.samenvatting == "added 1, changed 0, withdrawn 0, unchanged 2"
    na = momentopname()[0]
    assert [d for d in na if d["service_uuid"] != C] == diensten_voor
    assert Machtiging.objects.get().dienst_id == machtiging.dienst_id
