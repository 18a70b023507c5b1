"""Inloggegevens vergeten (R3): username by e-mail, password reset by e-mail link + second factor from EH2+."""

import re

import pytest
from django.core import mail

from inloggen.models import LoginPoging
from tests.inloggen.conftest import inloggen_stap1
from tests.inloggen.helpers import laatste_sms_code

# Transactional: the recovery e-mails go through the outbox and are delivered after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

VERSTUURD = "Als dit e-mailadres bij ons bekend is"


def _herstellink(bericht) -> str:
    return re.search(r"https?://[^/\s]+(/inloggen/herstellen/\S+/)", bericht.body).group(1)


def _main(response) -> str:
    inhoud = response.content.decode()
    return inhoud[inhoud.index("<main") : inhoud.index("</main>")]


def test_r3_username_is_sent_by_email(client, sms_beheerder):
    response = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email.upper()})
    assert VERSTUURD in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sms_beheerder.email]
    assert sms_beheerder.username in mail.outbox[0].body


def test_r3_unknown_address_gets_the_same_answer_and_no_mail(client, sms_beheerder):
    bekend = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email})
    onbekend = client.post("/inloggen/vergeten/gebruikersnaam/", {"email": "niemand@example.nl"})
    assert _main(bekend) == _main(onbekend)
    assert len(mail.outbox) == 1
    client.post("/inloggen/vergeten/wachtwoord/", {"email": "niemand@example.nl"})
    assert len(mail.outbox) == 1


def test_r3_vergeten_is_reached_from_the_login_page(client, db):
    assert "/inloggen/vergeten/" in client.get("/inloggen/").content.decode()
    assert client.get("/inloggen/vergeten/").status_code == 200
    assert client.get("/inloggen/vergeten/gebruikersnaam/").status_code == 405


def test_r3_password_reset_asks_the_second_factor_from_eh2plus(client, sms_beheerder):
    client.post("/inloggen/vergeten/wachtwoord/", {"email": sms_beheerder.email})
    link = _herstellink(mail.outbox[0])
    assert client.get(link).url == "/inloggen/herstellen/"
    pagina = client.get("/inloggen/herstellen/").content.decode()
    assert "Code" in pagina and "Nieuw wachtwoord" not in pagina
    # Posting a password before the code changes nothing.
    client.post("/inloggen/herstellen/", {"new_password1": "Nieuw-Geheim-2026", "new_password2": "Nieuw-Geheim-2026"})
    sms_beheerder.refresh_from_db()
    assert sms_beheerder.check_password("demo-wachtwoord")

    client.post("/inloggen/herstellen/", {"code": laatste_sms_code(sms_beheerder.mobiel)})
    assert "Nieuw wachtwoord" in client.get("/inloggen/herstellen/").content.decode()
    response = client.post(
        "/inloggen/herstellen/", {"new_password1": "Nieuw-Geheim-2026", "new_password2": "Nieuw-Geheim-2026"}
    )
    assert response.url == "/inloggen/"
    sms_beheerder.refresh_from_db()
    assert sms_beheerder.check_password("Nieuw-Geheim-2026")
    # The link works once.
    assert client.get(link).status_code == 410


def test_r3_eh2_password_reset_without_second_factor(client, eh2_gebruiker):
    client.post("/inloggen/vergeten/wachtwoord/", {"email": eh2_gebruiker.email})
    client.get(_herstellink(mail.outbox[0]))
    assert "Nieuw wachtwoord" in client.get("/inloggen/herstellen/").content.decode()
    client.post("/inloggen/herstellen/", {"new_password1": "Nieuw-Geheim-2026", "new_password2": "Nieuw-Geheim-2026"})
    eh2_gebruiker.refresh_from_db()
    assert eh2_gebruiker.check_password("Nieuw-Geheim-2026")


def test_r3_wrong_codes_in_recovery_count_as_failed_logins(client, sms_beheerder):
    client.post("/inloggen/vergeten/wachtwoord/", {"email": sms_beheerder.email})
    client.get(_herstellink(mail.outbox[0]), follow=True)
    code = laatste_sms_code(sms_beheerder.mobiel)
    response = client.post("/inloggen/herstellen/", {"code": "000000" if code != "000000" else "111111"})
    assert "De code is onjuist of verlopen." in response.content.decode()
    assert LoginPoging.objects.filter(persoon=sms_beheerder, uitkomst=LoginPoging.Uitkomst.ONJUISTE_CODE).exists()


def test_r3_password_reset_lifts_the_lockout(client, eh2_gebruiker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": eh2_gebruiker.username, "password": "fout-fout-fout"})
    assert inloggen_stap1(client, eh2_gebruiker).status_code == 429
    client.post("/inloggen/vergeten/wachtwoord/", {"email": eh2_gebruiker.email})
    client.get(_herstellink(mail.outbox[0]), follow=True)
    client.post("/inloggen/herstellen/", {"new_password1": "Nieuw-Geheim-2026", "new_password2": "Nieuw-Geheim-2026"})
    assert inloggen_stap1(client, eh2_gebruiker, password="Nieuw-Geheim-2026").url == "/profiel/"


def test_r3_mail_in_the_persons_language(client, sms_beheerder):
    sms_beheerder.taal = "en"
    sms_beheerder.save()
    client.post("/inloggen/vergeten/gebruikersnaam/", {"email": sms_beheerder.email})
    assert sms_beheerder.username in mail.outbox[0].body


def test_recovering_without_an_address_says_what_is_missing(client):
    for url in ("/inloggen/vergeten/gebruikersnaam/", "/inloggen/vergeten/wachtwoord/"):
        tekst = client.post(url, {}).content.decode()
        assert "Vul het e-mailadres in waarmee u bij ons bekend bent." in tekst, url
        assert "Dit veld is verplicht" not in tekst, url
