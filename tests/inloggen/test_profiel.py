"""Mijn profiel (R60), the own e-mail (R22), password, language, Inloghistorie and own (keten)machtigingen (R1)."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from inloggen.models import LoginPoging
from machtigingen.models import Scope
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gebruiker_client(client, gebruiker):
    return inloggen_geverifieerd(client, gebruiker)


def test_r60_profile_shows_the_manuals_fields(gebruiker_client, gebruiker):
    gebruiker.voornamen = "Joost Pieter"
    gebruiker.save()
    inhoud = gebruiker_client.get("/profiel/").content.decode()
    for tekst in (
        "J.P.",
        "Joost Pieter",
        gebruiker.achternaam,
        "17-05-1980",
        "Niet gekoppeld",
        gebruiker.email,
        # One way of writing a phone number on every screen: nationally, as in "SMS | 0641556520".
        "0" + gebruiker.mobiel.removeprefix("+31"),
        "eHerkenning niveau EH3",
        "••••••••",
        "SMS",
        "Ingestelde taal",
        "Inloghistorie",
    ):
        assert tekst in inhoud, tekst
    assert "demo-wachtwoord" not in inhoud
    assert gebruiker.mobiel not in inhoud  # never the stored +31 form next to the national one


def test_r60_profile_signed_out_goes_to_login(client, db):
    assert client.get("/profiel/").url.startswith("/inloggen/")


def test_r60_language_switch_persists_and_switches_every_screen(gebruiker_client, gebruiker):
    assert gebruiker_client.get("/profiel/taal/").status_code == 405
    response = gebruiker_client.post("/profiel/taal/", {"taal": "en"})
    assert response.url == "/profiel/"
    gebruiker.refresh_from_db()
    assert gebruiker.taal == "en"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en"' in gebruiker_client.get("/profiel/").content.decode()
    assert '<html lang="en"' in gebruiker_client.get("/profiel/inloghistorie/").content.decode()


def test_r60_language_is_applied_at_the_next_login(client, eh2_gebruiker):
    eh2_gebruiker.taal = "en"
    eh2_gebruiker.save()
    response = client.post("/inloggen/", {"username": eh2_gebruiker.username, "password": "demo-wachtwoord"})
    assert response.cookies["django_language"].value == "en"


def test_r60_invalid_language_refused(gebruiker_client, gebruiker):
    gebruiker_client.post("/profiel/taal/", {"taal": "de"})
    gebruiker.refresh_from_db()
    assert gebruiker.taal == "nl"


def test_r22_person_changes_the_own_email_after_activation(gebruiker_client, gebruiker):
    response = gebruiker_client.post("/profiel/e-mailadres/", {"email": "nieuw@example.nl"})
    assert response.url == "/profiel/"
    gebruiker.refresh_from_db()
    assert gebruiker.email == "nieuw@example.nl"
    assert AuditEntry.objects.filter(actie="persoon.email_gewijzigd").exists()
    assert "Uw e-mailadres is gewijzigd." in gebruiker_client.get("/profiel/").content.decode()


def test_r22_invalid_email_shown_in_place(gebruiker_client, gebruiker):
    response = gebruiker_client.post("/profiel/e-mailadres/", {"email": "geen-adres"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    gebruiker.refresh_from_db()
    assert gebruiker.email != "geen-adres"


def test_r60_change_own_password(gebruiker_client, gebruiker):
    fout = gebruiker_client.post(
        "/profiel/wachtwoord/", {"huidig": "onjuist", "nieuw1": "Nieuw-Geheim-2026", "nieuw2": "Nieuw-Geheim-2026"}
    )
    assert "Het huidige wachtwoord is onjuist." in fout.content.decode()
    response = gebruiker_client.post(
        "/profiel/wachtwoord/",
        {"huidig": "demo-wachtwoord", "nieuw1": "Nieuw-Geheim-2026", "nieuw2": "Nieuw-Geheim-2026"},
    )
    assert response.url == "/profiel/"
    gebruiker.refresh_from_db()
    assert gebruiker.check_password("Nieuw-Geheim-2026")
    # Still signed in and verified in this session.
    assert gebruiker_client.get("/profiel/").status_code == 200


def _pogingen(persoon, n):
    LoginPoging.objects.bulk_create(
        LoginPoging(persoon=persoon, uitkomst=LoginPoging.Uitkomst.GELUKT, ip_adres="10.0.0.1") for _ in range(n)
    )


@pytest.mark.parametrize("aantal", [2, 40])
def test_r60_inloghistorie_query_count_does_not_grow(gebruiker_client, gebruiker, django_assert_num_queries, aantal):
    _pogingen(gebruiker, aantal)
    # session, user, OTP device, middel, count, page of rows, the layout's beheer context, session save (3)
    with django_assert_num_queries(10):
        response = gebruiker_client.get("/profiel/inloghistorie/")
    assert response.status_code == 200
    assert response.content.decode().count("10.0.0.1") == min(aantal, 25)


def test_r60_inloghistorie_shows_only_the_own_attempts_most_recent_first(gebruiker_client, gebruiker, beheerder):
    LoginPoging.objects.create(persoon=beheerder, uitkomst=LoginPoging.Uitkomst.GELUKT, ip_adres="10.9.9.9")
    LoginPoging.objects.create(
        persoon=gebruiker,
        uitkomst=LoginPoging.Uitkomst.ONJUISTE_CODE,
        ip_adres="10.0.0.2",
        tijdstip=timezone.now() - dt.timedelta(days=1),
    )
    inhoud = gebruiker_client.get("/profiel/inloghistorie/").content.decode()
    assert "10.9.9.9" not in inhoud
    # the log-in of the fixture (today) comes before yesterday's failed attempt
    assert inhoud.index("Ingelogd") < inhoud.index("Mislukt: onjuiste code")


def _machtigingen(gebruiker, organisatie, n):
    middel = gebruiker.middel
    for _ in range(n):
        MachtigingFactory(middel=middel, organisatie=organisatie, dienst=DienstFactory())


@pytest.mark.parametrize("aantal", [2, 20])
def test_r1_own_machtigingen_query_count(gebruiker_client, gebruiker, organisatie, django_assert_num_queries, aantal):
    _machtigingen(gebruiker, organisatie, aantal)
    # session, user, OTP device, middel, koppelingen, machtigingen of the one organisation, those held through a
    # group (R24), ketenmachtigingen, the layout's beheer context, session save (3)
    with django_assert_num_queries(12):
        response = gebruiker_client.get("/profiel/machtigingen/")
    assert response.status_code == 200
    assert response.content.decode().count('class="utrecht-table__row"') == aantal + 1


def test_r1_gebruiker_sees_own_machtigingen_and_ketenmachtigingen_only(gebruiker_client, gebruiker, organisatie):
    from ketenmachtigingen.models import Ketenmachtiging

    _machtigingen(gebruiker, organisatie, 1)
    eigen = gebruiker.middel.machtigingen.get()
    ander = MachtigingFactory(organisatie=organisatie)
    klant = OrganisatieFactory(naam="Klant Verlener B.V.")
    keten = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=organisatie,
        scope=Scope.ALGEMEEN,
        niveau=3 * 10,
        begint_op=eigen.begint_op,
        eindigt_op=eigen.eindigt_op,
    )
    keten.middelen.add(gebruiker.middel) if hasattr(keten, "middelen") else None
    inhoud = gebruiker_client.get("/profiel/machtigingen/").content.decode()
    assert eigen.dienst.naam in inhoud
    assert ander.dienst.naam not in inhoud
    assert "Klant Verlener B.V." in inhoud


def test_r1_gebruiker_profile_has_no_beheermodule_menu(gebruiker_client):
    inhoud = gebruiker_client.get("/profiel/").content.decode()
    assert "bm-sidebar" not in inhoud and "bm-orgswitch" not in inhoud


def test_r60_beheerder_profile_within_the_beheermodule(beheerder_client):
    assert "bm-orgswitch" in beheerder_client.get("/profiel/").content.decode()


def test_profile_of_a_second_organisation_gebruiker(client, organisatie):
    persoon = KoppelingFactory(organisatie=OrganisatieFactory()).middel.persoon
    inloggen_geverifieerd(client, persoon)
    assert client.get("/profiel/machtigingen/").status_code == 200
