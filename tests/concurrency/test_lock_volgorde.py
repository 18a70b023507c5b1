"""Issue #14, deterministically: the crossings that deadlocked (or raced) under parallel use, each forced by
holding a row or widening the window between two locks, so a service that leaves the one lock order of
`common.locks` fails here every time, not 3 times in 1,600 calls. PostgreSQL only.
"""

import contextlib
import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from common.dates import vandaag
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Koppeling, Middel
from gebruikers.services import opzeggen, rollen
from gebruikers.services import type as type_
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from ketenmachtigingen.services import beheer as keten_beheer
from ketenmachtigingen.services import ketenmachtiging_koppel_middel
from machtigingen.models import Machtiging, Scope, Status
from machtigingen.services import machtiging_toevoegen, machtigingen_bulk_toevoegen, toevoegen
from tests.catalogus.factories import DienstFactory
from tests.concurrency.conftest import Uitkomst, gelijktijdig
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _traag(functie, seconden=0.3):
    """`functie`, but it first waits: widens the window between the locks taken before and after it."""

    def trage(*args, **kwargs):
        time.sleep(seconden)
        return functie(*args, **kwargs)

    return trage


class Treffen:
    """A meeting point inside two services: the first time each thread gets there it waits (at most `wacht`
    seconds) for the other. Without a shared lock before that point both arrive and go on together, which forces
    the crossing; with one, the second thread is still waiting for that lock, the first goes on alone."""

    def __init__(self, wacht: float = 1.5):
        self.barrier = threading.Barrier(2)
        self.wacht = wacht
        self.geweest = threading.local()

    def voor(self, functie):
        def ontmoet(*args, **kwargs):
            if not getattr(self.geweest, "ja", False):
                self.geweest.ja = True
                with contextlib.suppress(threading.BrokenBarrierError):
                    self.barrier.wait(timeout=self.wacht)
            return functie(*args, **kwargs)

        return ontmoet


def _actieve_beheerders(organisatie) -> int:
    return Koppeling.objects.filter(
        organisatie=organisatie, rol="beheerder", status="actief", middel__status=Middel.Status.ACTIEF
    ).count()


@pytest.fixture
def santos(postgresql):
    organisatie = OrganisatieFactory(naam="Santos B.V.")
    a = KoppelingFactory(organisatie=organisatie, beheerder=True)
    b = KoppelingFactory(organisatie=organisatie, beheerder=True)
    return organisatie, a, b


def test_adding_machtigingen_while_the_middel_is_terminated(santos):
    """machtiging_toevoegen locked the middel, then its machtigingen; a termination locked the machtigingen, then
    ended the middel: each waited for the other. Now both take the organisation, then the middel, first."""
    organisatie, a, _b = santos
    koppeling = KoppelingFactory(organisatie=organisatie)
    dienst, andere = DienstFactory(niveau=Niveau.EH3), DienstFactory(niveau=Niveau.EH3)
    machtiging_toevoegen(
        actor=a.middel.persoon, organisatie=organisatie, middelen=[koppeling.middel], diensten=[dienst]
    )
    # toevoegen meets opzeggen holding the middel; opzeggen meets it holding the machtigingen.
    treffen = Treffen()
    with (
        mock.patch.object(toevoegen, "_controleer_niveau", treffen.voor(toevoegen._controleer_niveau)),
        mock.patch.object(opzeggen, "_middelen_beeindigen", treffen.voor(opzeggen._middelen_beeindigen)),
    ):
        uitkomst = gelijktijdig(
            lambda: machtiging_toevoegen(
                actor=a.middel.persoon,
                organisatie=organisatie,
                middelen=[koppeling.middel],
                diensten=[dienst, andere],
                eindigt_op="1",
            ),
            lambda: services.middel_opzeggen(actor=a.middel.persoon, koppeling=koppeling, moment="per_direct"),
        )
    assert uitkomst.fouten == []
    koppeling.middel.refresh_from_db()
    assert koppeling.middel.status == Middel.Status.BEEINDIGD
    # Whichever ran first, an ended middel keeps no running machtiging.
    assert not Machtiging.objects.filter(middel=koppeling.middel, status=Status.ACTIEF).exists()


def test_bulk_and_per_user_additions_for_the_same_people_in_another_order(santos):
    """The bulk step read (and locked) the people by name, machtiging_toevoegen by pk: with the second person
    held elsewhere, each ended up holding what the other waited for. Now both lock the people by pk."""
    organisatie, a, _b = santos
    eerste = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Zwart").middel  # lower pk
    tweede = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Aalders").middel
    dienst = DienstFactory(niveau=Niveau.EH3)
    actor = a.middel.persoon
    vast, los = threading.Event(), threading.Event()
    uitkomst = Uitkomst()

    def houd_tweede_vast():
        try:
            with transaction.atomic():
                list(Middel.objects.select_for_update().filter(pk=tweede.pk))
                vast.set()
                los.wait(10)
        finally:
            connections.close_all()

    def draad(actie):
        def run():
            try:
                uitkomst.run(actie)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    houder = threading.Thread(target=houd_tweede_vast)
    houder.start()
    vast.wait(10)
    # The bulk step queues first (on `tweede`, or on the organisation), the per-user step second.
    bulk = draad(
        lambda: machtigingen_bulk_toevoegen(
            actor=actor, organisatie=organisatie, middelen=[eerste, tweede], diensten=[dienst], eindigt_op="3"
        )
    )
    per_gebruiker = draad(
        lambda: machtiging_toevoegen(
            actor=actor, organisatie=organisatie, middelen=[eerste, tweede], diensten=[dienst], eindigt_op="1"
        )
    )
    bulk.start()
    time.sleep(0.3)
    per_gebruiker.start()
    time.sleep(0.3)
    los.set()
    for t in (houder, bulk, per_gebruiker):
        t.join(30)

    assert uitkomst.fouten == []
    assert len(uitkomst.gelukt) == 2
    lopend = Machtiging.objects.filter(status=Status.ACTIEF, organisatie=organisatie)
    assert sorted(lopend.values_list("middel_id", flat=True)) == sorted([eerste.pk, tweede.pk])  # R36: no duplicate


def test_linking_the_same_ketenmachtiging_twice_at_once(santos):
    """Two links of the same pair both passed the 'already linked' check and the second hit the unique
    constraint (a 500). Now the second waits for the first and is refused."""
    organisatie, a, b = santos
    middel = KoppelingFactory(organisatie=organisatie).middel
    k = Ketenmachtiging.objects.create(
        verlener=OrganisatieFactory(),
        intermediair=organisatie,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH3,
        begint_op=vandaag(),
        eindigt_op=vandaag() + dt.timedelta(days=365),
    )
    treffen = Treffen()  # both meet before the "already linked" check
    with mock.patch.object(keten_beheer, "keten_middel_fout", treffen.voor(keten_beheer.keten_middel_fout)):
        uitkomst = gelijktijdig(
            lambda: ketenmachtiging_koppel_middel(actor=a.middel.persoon, ketenmachtiging=k, middel=middel),
            lambda: ketenmachtiging_koppel_middel(actor=b.middel.persoon, ketenmachtiging=k, middel=middel),
        )
    assert uitkomst.fouten == []
    assert (len(uitkomst.gelukt), len(uitkomst.geweigerd)) == (1, 1)
    assert uitkomst.geweigerd[0].rule == "R44"
    assert KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=middel).count() == 1


def test_r5_two_planned_terminations_crossing(santos):
    """Two beheerders' terminations planned at the same moment, both per tomorrow: beyond that date one
    beheerder must remain (R5), so one of the two is refused; the job later leaves that beheerder."""
    organisatie, a, b = santos
    KoppelingFactory(organisatie=organisatie)  # a gebruiker remains, so the organisation itself stays
    # The actor c is a beheerder whose own termination per tomorrow is planned: beyond tomorrow only a and b
    # count, so one of the two calls is refused with R5, whichever runs first.
    c = KoppelingFactory(organisatie=organisatie, beheerder=True)
    morgen = vandaag() + dt.timedelta(days=1)
    Koppeling.objects.filter(pk=c.pk).update(opzeggen_per=morgen, opzegmoment="datum")
    with mock.patch.object(opzeggen, "audit_log", _traag(opzeggen.audit_log)):
        uitkomst = gelijktijdig(
            lambda: services.middel_opzeggen(actor=c.middel.persoon, koppeling=a, moment="datum", datum=morgen),
            lambda: services.middel_opzeggen(actor=c.middel.persoon, koppeling=b, moment="datum", datum=morgen),
        )
    assert uitkomst.fouten == []
    assert (len(uitkomst.gelukt), len(uitkomst.geweigerd)) == (1, 1)
    assert uitkomst.geweigerd[0].rule == "R5"
    services.opzeggingen_uitvoeren(peildatum=morgen)
    assert _actieve_beheerders(organisatie) == 1


def test_type_change_and_promotion_at_another_organisation(santos, register, tarieven):
    """R8 across organisations: Maria's middel becomes Belastingdienst at Santos while a beheerder of her other
    organisation makes her beheerder there. The type change locks every organisation of the middel, so one of
    the two sees the other and is refused: never a Belastingdienstmiddel that is beheerder."""
    organisatie, a, _b = santos
    organisatie.kvk_nummer = "12345678"  # in the register, with Maria Santos as wettelijk vertegenwoordiger
    organisatie.save(update_fields=["kvk_nummer"])
    maria = KoppelingFactory(
        organisatie=organisatie,
        middel__persoon__voornamen="Maria",
        middel__persoon__achternaam="Santos",
        middel__persoon__geboortedatum=dt.date(1979, 3, 14),
    ).middel
    ander = OrganisatieFactory(naam="Santos Rotterdam", kvk_nummer="12345678", vestigingsnummer="000012345678")
    ander_beheerder = KoppelingFactory(organisatie=ander, beheerder=True).middel.persoon
    bij_ander = KoppelingFactory(organisatie=ander, middel=maria)
    with (
        mock.patch.object(rollen, "audit_log", _traag(rollen.audit_log)),
        mock.patch.object(type_, "audit_log", _traag(type_.audit_log)),
    ):
        uitkomst = gelijktijdig(
            lambda: services.middel_wijzig_type(
                actor=a.middel.persoon,
                organisatie=organisatie,
                middel=maria,
                type=Middel.Type.BELASTINGDIENST,
                abonnement_jaren=1,
                bevestigd=True,
            ),
            lambda: services.koppeling_wijzig_rol(actor=ander_beheerder, koppeling=bij_ander, rol="beheerder"),
        )
    assert uitkomst.fouten == []
    assert len(uitkomst.gelukt) == 1 and uitkomst.geweigerd[0].rule == "R8"
    maria.refresh_from_db()
    bij_ander.refresh_from_db()
    assert not (maria.type == Middel.Type.BELASTINGDIENST and bij_ander.rol == "beheerder")


def test_postgresql_is_used(santos):
    assert connection.vendor == "postgresql"
