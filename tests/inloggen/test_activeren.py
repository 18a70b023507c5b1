"""Activation through the link (R18): second factor first (from EH2+), then username and password → Actief."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.dates import vandaag
from common.niveau import Niveau
from gebruikers.models import Middel
from inloggen import activatie
from inloggen.models import ActivatieToken, SmsDevice
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.inloggen.helpers import laatste_sms_code, otp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def wachtend(organisatie):
    koppeling = KoppelingFactory(
        organisatie=organisatie,
        middel__wachten_op_activatie=True,
        middel__persoon__username=None,
        middel__persoon__mobiel="+31612300000",
    )
    return koppeling.middel


def _account(client, username="harry.hendriks", password="Zeer-Geheim-2026"):
    return client.post("/activeren/", {"username": username, "password1": password, "password2": password})


def test_r18_activation_with_sms_start_to_finish(client, wachtend):
    link = activatie.activatielink_maken(middel=wachtend)
    response = client.get(link)
    assert response.status_code == 302 and response.url == "/activeren/"
    pagina = client.get("/activeren/").content.decode()
    assert "Stap 1 van 2" in pagina and "••••••••00" in pagina and "•••••••••00" not in pagina  # national form
    # The password step is not reachable before the second factor is proven.
    assert _account(client).status_code == 200
    assert Middel.objects.get(pk=wachtend.pk).status == Middel.Status.WACHTEN_OP_ACTIVATIE

    assert client.post("/activeren/", {"code": laatste_sms_code("+31612300000")}).url == "/activeren/"
    assert "Stap 2 van 2" in client.get("/activeren/").content.decode()
    response = _account(client)
    assert response.status_code == 200
    assert "Uw eHerkenningsmiddel is geactiveerd" in response.content.decode()

    wachtend.refresh_from_db()
    assert wachtend.status == Middel.Status.ACTIEF
    assert wachtend.persoon.username == "harry.hendriks"
    assert SmsDevice.objects.get(user=wachtend.persoon).confirmed
    # The new person can log in with the chosen username, password and SMS code.
    client.post("/inloggen/", {"username": "harry.hendriks", "password": "Zeer-Geheim-2026"})
    assert client.post("/inloggen/code/", {"code": laatste_sms_code("+31612300000")}).url == "/profiel/"


def test_r18_activation_with_otp_device(client, organisatie, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off after a wrong code would delay the next try
    middel = KoppelingFactory(
        organisatie=organisatie,
        middel__wachten_op_activatie=True,
        middel__tweede_factor=Middel.TweedeFactor.OTP,
        middel__persoon__username=None,
    ).middel
    client.get(activatie.activatielink_maken(middel=middel))
    pagina = client.get("/activeren/").content.decode()
    assert "<svg" in pagina and 'data-testid="otp-geheim"' in pagina
    apparaat = TOTPDevice.objects.get(user=middel.persoon)
    assert not apparaat.confirmed
    assert client.post("/activeren/", {"code": "000000"}).status_code == 200
    assert client.post("/activeren/", {"code": otp_code(apparaat)}).url == "/activeren/"
    _account(client, username="ruben.smit")
    apparaat.refresh_from_db()
    assert apparaat.confirmed
    assert Middel.objects.get(pk=middel.pk).status == Middel.Status.ACTIEF


def test_r18_eh2_activation_has_no_second_factor_step(client, organisatie):
    middel = KoppelingFactory(
        organisatie=organisatie,
        middel__wachten_op_activatie=True,
        middel__niveau=Niveau.EH2,
        middel__tweede_factor=Middel.TweedeFactor.GEEN,
        middel__persoon__username=None,
    ).middel
    client.get(activatie.activatielink_maken(middel=middel))
    assert "Gebruikersnaam" in client.get("/activeren/").content.decode()
    _account(client, username="eh2.persoon")
    assert Middel.objects.get(pk=middel.pk).status == Middel.Status.ACTIEF


def test_r18_only_a_hash_of_the_token_is_stored(wachtend):
    link = activatie.activatielink_maken(middel=wachtend)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    opgeslagen = ActivatieToken.objects.get(middel=wachtend)
    assert token not in opgeslagen.token_hash
    assert opgeslagen.token_hash == ActivatieToken.hash(token)
    assert opgeslagen.geldig_tot == wachtend.activeren_tot


def test_r18_expired_link_says_so_and_offers_nothing_more(client, wachtend):
    link = activatie.activatielink_maken(middel=wachtend)
    Middel.objects.filter(pk=wachtend.pk).update(activeren_tot=vandaag())
    response = client.get(link)
    assert response.status_code == 410
    inhoud = response.content.decode()
    assert "Deze activatielink is verlopen." in inhoud
    assert "<form" not in inhoud and "/activeren/" not in inhoud


def test_r18_link_of_a_middel_whose_activation_expired(client, wachtend):
    link = activatie.activatielink_maken(middel=wachtend)
    Middel.objects.filter(pk=wachtend.pk).update(status=Middel.Status.ACTIVATIE_VERLOPEN)
    assert "Deze activatielink is verlopen." in client.get(link).content.decode()


def test_r18_a_new_invitation_does_not_revive_the_old_link(client, wachtend):
    oud = activatie.activatielink_maken(middel=wachtend)
    ActivatieToken.objects.update(geldig_tot=vandaag())
    Middel.objects.filter(pk=wachtend.pk).update(activeren_tot=vandaag() + dt.timedelta(days=30))
    assert "Deze activatielink is verlopen." in client.get(oud).content.decode()
    nieuw = activatie.activatielink_maken(middel=Middel.objects.get(pk=wachtend.pk))
    assert client.get(nieuw).status_code == 302


def test_r18_used_link_says_so(client, wachtend):
    link = activatie.activatielink_maken(middel=wachtend)
    client.get(link, follow=True)
    client.post("/activeren/", {"code": laatste_sms_code("+31612300000")})
    _account(client)
    response = client.get(link)
    assert response.status_code == 410
    assert "Deze activatielink is al gebruikt." in response.content.decode()
    assert "<form" not in response.content.decode()


def test_r18_unknown_link(client, db):
    response = client.get("/activeren/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze activatielink is ongeldig." in response.content.decode()


def test_r18_link_only_for_a_middel_waiting_for_activation(db):
    from common.errors import DomainError

    with pytest.raises(DomainError):
        activatie.activatielink_maken(middel=MiddelFactory())


def test_r18_username_taken_is_a_clear_error_in_place(client, wachtend, beheerder):
    client.get(activatie.activatielink_maken(middel=wachtend), follow=True)
    client.post("/activeren/", {"code": laatste_sms_code("+31612300000")})
    response = _account(client, username=beheerder.username)
    assert "Deze gebruikersnaam is al in gebruik." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Middel.objects.get(pk=wachtend.pk).status == Middel.Status.WACHTEN_OP_ACTIVATIE


def test_r18_weak_password_refused_by_the_validators(client, wachtend):
    client.get(activatie.activatielink_maken(middel=wachtend), follow=True)
    client.post("/activeren/", {"code": laatste_sms_code("+31612300000")})
    response = _account(client, password="12345")
    assert response.status_code == 200
    assert Middel.objects.get(pk=wachtend.pk).status == Middel.Status.WACHTEN_OP_ACTIVATIE


def test_r18_service_refuses_activation_without_proven_second_factor(wachtend):
    from common.errors import DomainError

    activatie.activatielink_maken(middel=wachtend)
    token = ActivatieToken.objects.get(middel=wachtend)
    with pytest.raises(DomainError) as fout:
        activatie.middel_activeren_met_link(
            token_id=token.pk, username="x.y", password="Zeer-Geheim-2026", apparaat=None, factor_bevestigd=False
        )
    assert fout.value.rule == "R2"


def test_r15_activatiebrief_is_a_pdf_to_the_company_address(wachtend, organisatie):
    pdf = activatie.activatiebrief_pdf(middel=wachtend)
    assert pdf.startswith(b"%PDF")
    assert ActivatieToken.objects.filter(middel=wachtend).count() == 1


def test_render_pdf_is_pdf_ua(db):
    from common.pdf import PDF_VARIANT, render_pdf

    assert PDF_VARIANT == "pdf/ua-1"
    pdf = render_pdf("inloggen/activatiebrief.html", {"middel": None, "persoon": None, "link": "x"})
    inhoud = _pdf_inhoud(pdf)
    # PDF/UA: tagged (structure tree), with the document language and the PDF/UA identification.
    for kenmerk in (b"StructTreeRoot", b"MarkInfo", b"/Lang", b"pdfuaid:part"):
        assert kenmerk in inhoud, kenmerk


def _pdf_inhoud(pdf: bytes) -> bytes:
    """The PDF with every compressed stream inflated, to look for what sits in object streams."""
    import contextlib
    import re
    import zlib

    delen = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            delen.append(zlib.decompress(stream))
    return b"".join(delen)
