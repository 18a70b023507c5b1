"""R36 under concurrency: two beheerders adding the same pair at the same moment make one machtiging."""

import threading

import pytest
from django.db import connection, transaction

from common.dates import plus_jaren, vandaag
from machtigingen.models import Machtiging, Status
from machtigingen.services import machtiging_toevoegen


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_r36_concurrent_adds_of_the_same_pair_make_one_machtiging(beheerder, organisatie, middel, dienst):
    eerste_klaar, loslaten = threading.Event(), threading.Event()
    fouten = []

    def eerste():
        try:
            with transaction.atomic():
                machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
                eerste_klaar.set()
                loslaten.wait(10)  # keep the transaction open while the second one starts
        except Exception as exc:  # pragma: no cover - reported below
            fouten.append(exc)
        finally:
            connection.close()

    def tweede():
        try:
            eerste_klaar.wait(10)
            machtiging_toevoegen(
                actor=beheerder,
                organisatie=organisatie,
                middelen=[middel],
                diensten=[dienst],
                eindigt_op=plus_jaren(vandaag(), 1),
            )
        except Exception as exc:  # pragma: no cover - reported below
            fouten.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=eerste), threading.Thread(target=tweede)]
    for t in threads:
        t.start()
    eerste_klaar.wait(10)
    threading.Event().wait(0.5)  # the second transaction is now waiting for the first one's lock
    loslaten.set()
    for t in threads:
        t.join(20)

    assert fouten == []
    assert list(Machtiging.objects.filter(status=Status.ACTIEF).values_list("eindigt_op", flat=True)) == [
        plus_jaren(vandaag(), 1)
    ]
