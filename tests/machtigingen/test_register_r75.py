"""R75: intermediation is deny by default; approvals of intermediairs recorded by support (register, issuing, admin)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils import timezone

from audit.acties import Actie
from audit.models import AuditEntry
from catalogus import goedkeuringen
from catalogus.models import Dienst, IntermediairGoedkeuring
from common.errors import DomainError
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from ketenmachtigingen.services._common import controleer_dienst_via_intermediair
from machtigingen.models import Machtiging, Scope
from machtigingen.register import PadSoort, RedenCode, Vraag, beslis, beslis_batch
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, PersoonFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

DAG = dt.date(2025, 6, 15)
IM = Dienst.Intermediatie
MET_GOEDKEURING = [IM.ALLEEN_DIENSTVERLENER, IM.NA_GOEDKEURING]


def codes(b):
    return {r.code for r in b.redenen}


def op(dag: dt.date, uur: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dag, dt.time(uur)))


@pytest.fixture
def keten(db):
    """Client B gave intermediair A an Algemene bevoegdheid EH4; G (EH3, regular) works at A and is linked."""
    klant = OrganisatieFactory(naam="Klant B")
    intermediair = OrganisatieFactory(naam="Intermediair A")
    g = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel
    k = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=intermediair,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH4,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=g)
    return klant, intermediair, g, k


def goedkeuring(dienst, intermediair, *, op_=None, ingetrokken_op=None):
    return IntermediairGoedkeuring.objects.create(
        dienst=dienst,
        intermediair=intermediair,
        goedgekeurd_op=op_ or op(DAG - dt.timedelta(days=5)),
        ingetrokken_op=ingetrokken_op,
    )


# ------------------------------------------------------------------------------------------ the decision


def test_r75_general_available_permits_through_a_ketenmachtiging(keten):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=IM.ALGEMEEN)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert b.toegestaan and b.pad.soort == PadSoort.KETENMACHTIGING and b.pad.ketenmachtiging_id == k.pk


def test_r75_no_intermediation_never_even_with_an_approval(keten):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=IM.GEEN)
    goedkeuring(dienst, intermediair)  # stray data (the service refuses it): still no
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and codes(b) == {RedenCode.GEEN_KOPPELING, RedenCode.KETEN_GEEN_INTERMEDIATIE}


@pytest.mark.parametrize("waarde", MET_GOEDKEURING)
def test_r75_approval_needed_refused_without_it(keten, waarde):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and b.pad is None
    assert codes(b) == {RedenCode.GEEN_KOPPELING, RedenCode.KETEN_INTERMEDIAIR_NIET_GOEDGEKEURD}
    assert str(b.redenen[-1].tekst).startswith("De dienstverlener heeft deze intermediair niet goedgekeurd")


@pytest.mark.parametrize("waarde", MET_GOEDKEURING)
def test_r75_approval_needed_permits_with_the_approval_of_this_intermediair(keten, waarde):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
    goedkeuring(dienst, intermediair)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert b.toegestaan and b.pad.soort == PadSoort.KETENMACHTIGING and b.pad.intermediair_id == intermediair.pk


@pytest.mark.parametrize("waarde", MET_GOEDKEURING)
def test_r75_approval_of_another_intermediair_or_dienst_does_not_count(keten, waarde):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
    ander = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde, dienstverlener=dienst.dienstverlener)
    goedkeuring(dienst, OrganisatieFactory(naam="Andere intermediair"))
    goedkeuring(ander, intermediair)
    b = beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG)
    assert not b.toegestaan and RedenCode.KETEN_INTERMEDIAIR_NIET_GOEDGEKEURD in codes(b)
    assert beslis(middel=g, organisatie=klant, dienst=ander, moment=DAG).toegestaan


@pytest.mark.parametrize("waarde", MET_GOEDKEURING)
def test_r75_approval_counts_only_while_it_runs(keten, waarde):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
    goedkeuring(dienst, intermediair, op_=op(DAG - dt.timedelta(days=5)), ingetrokken_op=op(DAG, uur=9))
    # Revoked this morning: no longer today, still on the days before.
    assert not beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG).toegestaan
    assert beslis(middel=g, organisatie=klant, dienst=dienst, moment=DAG - dt.timedelta(days=1)).toegestaan
    # Recorded later in the day asked about: counts that day, not the day before.
    later = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
    goedkeuring(later, intermediair, op_=op(DAG, uur=16))
    assert beslis(middel=g, organisatie=klant, dienst=later, moment=DAG).toegestaan
    assert not beslis(middel=g, organisatie=klant, dienst=later, moment=DAG - dt.timedelta(days=1)).toegestaan


def test_r75_direct_machtiging_is_not_affected(keten):
    klant, intermediair, g, k = keten
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=IM.NA_GOEDKEURING)
    eigen = KoppelingFactory(organisatie=klant, middel__niveau=Niveau.EH3).middel
    Machtiging.objects.create(
        middel=eigen,
        organisatie=klant,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=DAG,
        eindigt_op=DAG + dt.timedelta(1),
    )
    assert beslis(middel=eigen, organisatie=klant, dienst=dienst, moment=DAG).pad.soort == PadSoort.DIRECT


@pytest.mark.parametrize("aantal", [1, 6])
def test_r75_batch_with_approvals_constant_queries(keten, aantal, django_assert_num_queries):
    klant, intermediair, g, k = keten
    diensten = []
    for i in range(aantal):
        waarde = [IM.ALGEMEEN, IM.GEEN, IM.ALLEEN_DIENSTVERLENER, IM.NA_GOEDKEURING][i % 4]
        d = DienstFactory(niveau=Niveau.EH3, intermediatie=waarde)
        if i % 2 == 0:
            goedkeuring(d, intermediair)
            goedkeuring(d, OrganisatieFactory())
        diensten.append(d)
    # A second linked ketenmachtiging of another intermediair: one row per approval in the join.
    andere = OrganisatieFactory()
    KoppelingFactory(organisatie=andere, middel=g)
    k2 = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=andere,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH4,
        begint_op=DAG - dt.timedelta(days=1),
        eindigt_op=DAG + dt.timedelta(days=10),
    )
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k2, middel=g)
    with django_assert_num_queries(6):
        batch = beslis_batch([Vraag(middel=g, organisatie=klant, dienst=d) for d in diensten], moment=DAG)
    enkel = [beslis(middel=g, organisatie=klant, dienst=d, moment=DAG) for d in diensten]
    assert [b.toegestaan for b in batch] == [b.toegestaan for b in enkel]
    verwacht = [
        d.intermediatie == IM.ALGEMEEN or (d.intermediatie != IM.GEEN and i % 2 == 0) for i, d in enumerate(diensten)
    ]
    assert [b.toegestaan for b in batch] == verwacht


# ------------------------------------------------------------------------------------------ issuing


@pytest.mark.parametrize("waarde", MET_GOEDKEURING)
def test_r75_issuing_a_single_dienst_needs_the_approval(db, waarde):
    intermediair = OrganisatieFactory()
    dienst = DienstFactory(intermediatie=waarde)
    with pytest.raises(DomainError) as e:
        controleer_dienst_via_intermediair(dienst, intermediair)
    assert e.value.rule == "R75" and "niet goedgekeurd" in str(e.value)
    goedkeuring(dienst, intermediair)
    controleer_dienst_via_intermediair(dienst, intermediair)
    # An intermediair not registered yet has no approval.
    with pytest.raises(DomainError):
        controleer_dienst_via_intermediair(dienst, type(intermediair)(naam="Nieuw"))


def test_r75_issuing_general_available_and_no_intermediation(db):
    intermediair = OrganisatieFactory()
    controleer_dienst_via_intermediair(DienstFactory(intermediatie=IM.ALGEMEEN), intermediair)
    with pytest.raises(DomainError) as e:
        controleer_dienst_via_intermediair(DienstFactory(intermediatie=IM.GEEN), intermediair)
    assert e.value.rule == "R72"


# ------------------------------------------------------------------------------------------ the register of approvals


def test_r75_r74_record_and_revoke_are_audited(db):
    actor = PersoonFactory(is_staff=True)
    intermediair = OrganisatieFactory()
    dienst = DienstFactory(intermediatie=IM.NA_GOEDKEURING)
    g = goedkeuringen.goedkeuring_vastleggen(
        actor=actor, dienst=dienst, intermediair=intermediair, kenmerk=" brief 12 "
    )
    assert (
        g.kenmerk == "brief 12" and g.goedgekeurd_door == actor and goedkeuringen.is_goedgekeurd(dienst, intermediair)
    )
    entry = AuditEntry.objects.get(actie=Actie.INTERMEDIAIR_GOEDKEURING_VASTGELEGD)
    assert entry.organisatie == intermediair and entry.actor == actor and entry.na["dienst"] == str(dienst.service_uuid)
    with pytest.raises(DomainError):
        goedkeuringen.goedkeuring_vastleggen(actor=actor, dienst=dienst, intermediair=intermediair)
    goedkeuringen.goedkeuring_intrekken(actor=actor, goedkeuring=g)
    assert not goedkeuringen.is_goedgekeurd(dienst, intermediair)
    entry = AuditEntry.objects.get(actie=Actie.INTERMEDIAIR_GOEDKEURING_INGETROKKEN)
    assert entry.voor["ingetrokken_op"] is None and entry.na["ingetrokken_op"]
    with pytest.raises(DomainError):
        goedkeuringen.goedkeuring_intrekken(actor=actor, goedkeuring=g)
    # After revoking, a new approval may be recorded; the old one stays as history.
    goedkeuringen.goedkeuring_vastleggen(actor=actor, dienst=dienst, intermediair=intermediair)
    assert IntermediairGoedkeuring.objects.filter(dienst=dienst, intermediair=intermediair).count() == 2


@pytest.mark.parametrize("waarde", [IM.ALGEMEEN, IM.GEEN])
def test_r75_no_approval_recorded_for_a_dienst_that_needs_none(db, waarde):
    with pytest.raises(DomainError) as e:
        goedkeuringen.goedkeuring_vastleggen(
            actor=None, dienst=DienstFactory(intermediatie=waarde), intermediair=OrganisatieFactory()
        )
    assert e.value.rule == "R75"
    assert not IntermediairGoedkeuring.objects.exists() and not AuditEntry.objects.exists()


def _support_client(client):
    importlib.import_module("audit.migrations.0003_support_groep").maak_groep(django_apps, None)
    importlib.import_module("catalogus.migrations.0005_support_rechten_goedkeuringen").Migration.operations[0].code(
        django_apps, None
    )
    medewerker = PersoonFactory(is_staff=True)
    medewerker.groups.add(Group.objects.get(name="Support"))
    inloggen_geverifieerd(client, medewerker)
    return medewerker


def test_r75_support_adds_and_revokes_in_the_admin(client, db):
    medewerker = _support_client(client)
    intermediair = OrganisatieFactory()
    dienst = DienstFactory(intermediatie=IM.ALLEEN_DIENSTVERLENER)
    url = "/admin/catalogus/intermediairgoedkeuring/"
    assert client.get(url).status_code == 200
    assert client.get(url + "add/").status_code == 200
    response = client.post(url + "add/", {"dienst": dienst.pk, "intermediair": intermediair.pk, "kenmerk": "mail"})
    assert response.status_code == 302
    g = IntermediairGoedkeuring.objects.get()
    assert g.goedgekeurd_door == medewerker
    assert AuditEntry.objects.filter(actie=Actie.INTERMEDIAIR_GOEDKEURING_VASTGELEGD, actor=medewerker).count() == 1
    # A second one for the same pair, or one for a dienst without the need, is refused on the form.
    response = client.post(url + "add/", {"dienst": dienst.pk, "intermediair": intermediair.pk})
    assert response.status_code == 200 and IntermediairGoedkeuring.objects.count() == 1
    algemeen = DienstFactory(intermediatie=IM.ALGEMEEN)
    response = client.post(url + "add/", {"dienst": algemeen.pk, "intermediair": intermediair.pk})
    assert response.status_code == 200 and IntermediairGoedkeuring.objects.count() == 1
    # Nothing to edit or delete; revoking is the action.
    assert client.get(f"{url}{g.pk}/change/").status_code == 200
    assert client.post(f"{url}{g.pk}/delete/").status_code == 403
    response = client.post(url, {"action": "intrekken", "_selected_action": [g.pk]})
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.ingetrokken_op is not None and g.ingetrokken_door == medewerker
    assert AuditEntry.objects.filter(actie=Actie.INTERMEDIAIR_GOEDKEURING_INGETROKKEN).count() == 1
