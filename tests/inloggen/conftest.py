import pytest

from common.niveau import Niveau
from gebruikers.models import Middel
from tests.gebruikers.factories import KoppelingFactory


@pytest.fixture(autouse=True)
def _axes_leeg(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


@pytest.fixture
def sms_beheerder(organisatie):
    return KoppelingFactory(
        organisatie=organisatie, beheerder=True, middel__persoon__mobiel="+31641556520"
    ).middel.persoon


@pytest.fixture
def otp_beheerder(organisatie):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    persoon = KoppelingFactory(
        organisatie=organisatie, beheerder=True, middel__tweede_factor=Middel.TweedeFactor.OTP
    ).middel.persoon
    TOTPDevice.objects.create(user=persoon, name="OTP device", confirmed=True)
    return persoon


@pytest.fixture
def eh2_gebruiker(organisatie):
    """An older EH2 middel: password only (R2), profile only (R1)."""
    return KoppelingFactory(
        organisatie=organisatie, middel__niveau=Niveau.EH2, middel__tweede_factor=Middel.TweedeFactor.GEEN
    ).middel.persoon


def inloggen_stap1(client, persoon, password="demo-wachtwoord", **extra):
    return client.post("/inloggen/", {"username": persoon.username, "password": password}, **extra)
