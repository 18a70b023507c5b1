"""R74: one registry of audit actions (audit.acties.Actie), enforced on every write, and the migration that
renamed the entries stored under the names used before it."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from audit.acties import VORIGE_NAMEN, Actie
from audit.models import AuditEntry
from audit.services import SYSTEEM, audit_bulk, audit_log, audit_per_organisatie
from inloggen.services import persoon_wijzig_wachtwoord
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory, PersoonFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

migratie = importlib.import_module("audit.migrations.0005_vorige_namen")


# --- the registry


def test_every_name_is_onderwerp_dot_gebeurtenis_and_fits_the_column():
    max_length = AuditEntry._meta.get_field("actie").max_length
    for actie in Actie:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", actie.value), actie.value
        assert len(actie.value) <= max_length


def test_every_previous_name_maps_to_a_member_and_is_not_a_current_name():
    assert all(isinstance(nieuw, Actie) for nieuw in VORIGE_NAMEN.values())
    assert not set(VORIGE_NAMEN) & set(Actie.values)
    # One previous name per member, so the migration can be reversed.
    assert len(set(VORIGE_NAMEN.values())) == len(VORIGE_NAMEN)


# --- only registry members are written


@pytest.mark.django_db
@pytest.mark.parametrize("actie", ["x", "machtiging_toegevoegd", "Machtiging.Toegevoegd", ""])
def test_audit_log_refuses_an_actie_not_in_the_registry(actie):
    with pytest.raises(ValueError, match="unknown audit actie .* audit.acties.Actie"):
        audit_log(actor=None, organisatie=None, actie=actie, omschrijving="iets")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_audit_bulk_refuses_an_actie_not_in_the_registry_and_writes_none_of_the_entries():
    entries = [
        {"organisatie_id": None, "actie": Actie.TARIEF_GEWIJZIGD, "omschrijving": "goed"},
        {"organisatie_id": None, "actie": "tarief_gewijzigd", "omschrijving": "fout"},
    ]
    with pytest.raises(ValueError, match="'tarief_gewijzigd'"):
        audit_bulk(entries)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_audit_per_organisatie_refuses_an_actie_not_in_the_registry():
    with pytest.raises(ValueError, match="'ander'"):
        audit_per_organisatie(actor=None, organisaties=[OrganisatieFactory()], actie="ander", omschrijving="x")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_registry_member_is_stored_under_its_name():
    entry = audit_log(actor=None, organisatie=None, actie=Actie.MACHTIGING_VERLENGD, omschrijving="verlengd")
    entry.refresh_from_db()
    assert entry.actie == "machtiging.verlengd"
    assert entry.get_actie_display() == "Machtiging verlengd"


# --- one change, every organisation involved


@pytest.mark.django_db
def test_audit_per_organisatie_writes_one_entry_per_organisation_in_one_query(django_assert_num_queries):
    persoon = PersoonFactory()
    a, b, c = OrganisatieFactory(), OrganisatieFactory(), OrganisatieFactory()
    with django_assert_num_queries(1):
        # Organisations or their ids; a duplicate counts once.
        n = audit_per_organisatie(
            actor=persoon,
            organisaties=[a, b.pk, c, a.pk],
            actie=Actie.PERSOON_EMAIL_GEWIJZIGD,
            omschrijving="E-mailadres gewijzigd",
            object=persoon,
            voor={"email": "oud@example.com"},
            na={"email": "nieuw@example.com"},
        )
    assert n == 3
    rijen = list(AuditEntry.objects.order_by("id"))
    assert [r.organisatie_id for r in rijen] == [a.pk, b.pk, c.pk]
    for r in rijen:
        assert r.actie == Actie.PERSOON_EMAIL_GEWIJZIGD
        assert (r.actor_id, r.actor_label) == (persoon.pk, persoon.naam)
        assert (r.object_type, r.object_id) == ("Persoon", str(persoon.pk))
        assert (r.voor, r.na) == ({"email": "oud@example.com"}, {"email": "nieuw@example.com"})


@pytest.mark.django_db
def test_audit_per_organisatie_without_organisations_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        n = audit_per_organisatie(actor=None, organisaties=[], actie=Actie.MIDDEL_GEACTIVEERD, omschrijving="x")
    assert n == 0


@pytest.mark.django_db
def test_audit_bulk_entry_for_several_organisations(django_assert_num_queries):
    a, b = OrganisatieFactory(), OrganisatieFactory()
    entries = [
        {"organisaties": (a, b), "actie": Actie.KETENMACHTIGING_VERLOPEN, "omschrijving": "1", "object_id": 1},
        {"organisaties": (a.pk, b.pk), "actie": Actie.KETENMACHTIGING_VERLOPEN, "omschrijving": "2", "object_id": 2},
        {"organisatie_id": a.pk, "actie": Actie.UITNODIGING_VERLOPEN, "omschrijving": "3", "object_id": 3},
    ]
    with django_assert_num_queries(1):
        assert audit_bulk(entries) == 5
    assert list(AuditEntry.objects.order_by("id").values_list("object_id", "organisatie_id", "actor_label")) == [
        ("1", a.pk, SYSTEEM),
        ("1", b.pk, SYSTEEM),
        ("2", a.pk, SYSTEEM),
        ("2", b.pk, SYSTEEM),
        ("3", a.pk, SYSTEEM),
    ]


@pytest.mark.django_db
def test_a_persons_own_change_is_in_the_trail_of_each_of_their_organisations_once():
    eerste = KoppelingFactory()
    persoon = eerste.middel.persoon
    tweede = KoppelingFactory(middel=eerste.middel)
    persoon_wijzig_wachtwoord(persoon=persoon, huidig=DEMO_WACHTWOORD, nieuw="Een-heel-nieuw-wachtwoord-42")
    rijen = AuditEntry.objects.filter(actie=Actie.PERSOON_WACHTWOORD_GEWIJZIGD)
    assert sorted(rijen.values_list("organisatie_id", flat=True)) == sorted(
        [eerste.organisatie_id, tweede.organisatie_id]
    )
    assert {(r.actor_id, r.object_id) for r in rijen} == {(persoon.pk, str(persoon.pk))}


# --- the migration renaming stored entries


def _historische_apps():
    return MigrationExecutor(connection).loader.project_state(("audit", "0005_vorige_namen")).apps


@pytest.mark.django_db
def test_migration_renames_entries_stored_under_previous_names_and_back():
    # Rows as the old code stored them: written around audit_log, which refuses these names now.
    for actie in ("machtiging_toegevoegd", "relatie_uitgenodigd", "bericht.opnieuw_versturen", "koppeling.opgezegd"):
        AuditEntry.objects.create(actor_label=SYSTEEM, actie=actie, omschrijving=actie, object_type="")
    apps = _historische_apps()

    migratie.hernoemen(apps, None)

    assert dict(AuditEntry.objects.values_list("omschrijving", "actie")) == {
        "machtiging_toegevoegd": "machtiging.toegevoegd",
        "relatie_uitgenodigd": "uitnodiging.verstuurd",
        "bericht.opnieuw_versturen": "bericht.opnieuw_verstuurd",
        "koppeling.opgezegd": "koppeling.opgezegd",  # already a registry name: untouched
    }
    assert set(AuditEntry.objects.values_list("actie", flat=True)) <= set(Actie.values)

    migratie.terug(apps, None)

    assert dict(AuditEntry.objects.values_list("omschrijving", "actie")) == {
        "machtiging_toegevoegd": "machtiging_toegevoegd",
        "relatie_uitgenodigd": "relatie_uitgenodigd",
        "bericht.opnieuw_versturen": "bericht.opnieuw_versturen",
        "koppeling.opgezegd": "koppeling.opgezegd",
    }


# --- the admin shows the registry's labels


@pytest.mark.django_db
def test_admin_filters_and_lists_audit_entries_by_label(client):
    inloggen_geverifieerd(client, PersoonFactory(is_staff=True, is_superuser=True))
    audit_log(actor=None, organisatie=None, actie=Actie.HANDELSREGISTER_GELADEN, omschrijving="geladen")
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 200
    pagina = response.content.decode()
    assert "?actie__exact=machtiging.ingetrokken" in pagina and "Machtiging ingetrokken" in pagina
    assert "Handelsregister geladen" in pagina
