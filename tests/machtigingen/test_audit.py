"""R74: every change is in the audit trail (who, organisation, what, before and after), which nobody edits."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry, AuditTrailIsReadOnly
from common.dates import plus_jaren, vandaag
from machtigingen.models import Status
from machtigingen.services import (
    machtiging_intrekken,
    machtiging_toevoegen,
    machtiging_wijzig_einddatum,
    verloop_machtigingen,
)

from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def test_r74_adding_is_audited_with_actor_organisation_and_after(beheerder, organisatie, middel, dienst):
    (m,) = machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_TOEGEVOEGD)
    assert (entry.actor, entry.organisatie, entry.object_type, entry.object_id) == (
        beheerder,
        organisatie,
        "Machtiging",
        str(m.pk),
    )
    assert entry.voor is None
    assert entry.na["status"] == Status.ACTIEF
    assert entry.na["eindigt_op"] == plus_jaren(vandaag(), 5).isoformat()
    assert "Tijdelijke parkeervergunning" in entry.omschrijving and middel.persoon.naam in entry.omschrijving


def test_r74_end_date_change_keeps_before_and_after(beheerder, organisatie, middel, dienst):
    m = MachtigingFactory(
        organisatie=organisatie, middel=middel, dienst=dienst, eindigt_op=vandaag() + dt.timedelta(days=9)
    )
    nieuw = vandaag() + dt.timedelta(days=1)
    machtiging_wijzig_einddatum(actor=beheerder, machtiging=m, eindigt_op=nieuw)
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD)
    assert entry.voor["eindigt_op"] == (vandaag() + dt.timedelta(days=9)).isoformat()
    assert entry.na["eindigt_op"] == nieuw.isoformat()
    assert entry.actor == beheerder


def test_r74_revoking_keeps_before_and_after(beheerder, organisatie, middel, dienst):
    m = MachtigingFactory(organisatie=organisatie, middel=middel, dienst=dienst)
    machtiging_intrekken(actor=beheerder, machtiging=m)
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_INGETROKKEN)
    assert (entry.voor["status"], entry.na["status"]) == (Status.ACTIEF, Status.INGETROKKEN)
    assert entry.voor["ingetrokken_op"] is None and entry.na["ingetrokken_op"]


def test_r74_expiry_job_is_audited_as_the_system(organisatie, middel, dienst):
    m = MachtigingFactory(
        organisatie=organisatie,
        middel=middel,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=30),
        eindigt_op=vandaag(),
    )
    verloop_machtigingen()
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_VERLOPEN)
    assert (entry.actor, entry.actor_label, entry.organisatie, entry.object_id) == (
        None,
        "systeem",
        organisatie,
        str(m.pk),
    )
    assert entry.voor == {"status": Status.ACTIEF, "eindigt_op": vandaag().isoformat()}
    assert entry.na == {"status": Status.VERLOPEN, "eindigt_op": vandaag().isoformat()}


def test_r74_audit_rows_cannot_be_changed_or_deleted(beheerder, organisatie, middel, dienst):
    machtiging_toevoegen(actor=beheerder, organisatie=organisatie, middelen=[middel], diensten=[dienst])
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_TOEGEVOEGD)
    entry.omschrijving = "vervalst"
    with pytest.raises(AuditTrailIsReadOnly):
        entry.save()
    with pytest.raises(AuditTrailIsReadOnly):
        entry.delete()
    with pytest.raises(AuditTrailIsReadOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(omschrijving="vervalst")
    with pytest.raises(AuditTrailIsReadOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).omschrijving != "vervalst"
