"""Fixtures for the overview, details and download tests: the people of the manual's Santos B.V. (§3.1, §3.6,
§3.7), and a signed-in session that passed the second factor (R2), as the Beheermodule requires.

Kept in a module of their own (this directory is shared with other screens' tests) and imported by name.
"""

import datetime as dt

import pytest

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from gebruikers.models import Middel
from tests.gebruikers.factories import KoppelingFactory


def volledig_inloggen(client, persoon):
    """Sign `persoon` in on a Django test client, second factor included: the session names a confirmed OTP
    device of the person, as `django_otp.login` leaves it after the log-in screens."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(persoon)
    apparaat = TOTPDevice.objects.create(user=persoon, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    session.save()
    return client


@pytest.fixture
def inloggen(client):
    """`inloggen(persoon)`: the test client, signed in as that person with the second factor passed."""
    return lambda persoon: volledig_inloggen(client, persoon)


@pytest.fixture
def bulters(organisatie):
    """K. Bulters: an Actief EH2+ gebruiker with SMS."""
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
        middel__persoon__email="katarina.bulters@example.com",
        middel__persoon__mobiel="+31612345678",
        abonnement_start=dt.date(2023, 3, 1),
    ).middel.persoon


@pytest.fixture
def hendriks(organisatie):
    """Harry Hendriks: beheerder, EH3, Wachten op activatie, a 3-year subscription (§3.7)."""
    return KoppelingFactory(
        organisatie=organisatie,
        beheerder=True,
        abonnement_jaren=3,
        abonnement_start=dt.date(2024, 1, 8),
        abonnement_eind=plus_jaren(dt.date(2024, 1, 8), 3),
        middel__wachten_op_activatie=True,
        middel__activeren_tot=vandaag() + dt.timedelta(days=30),
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Harry",
        middel__persoon__achternaam="Hendriks",
        middel__persoon__email="harry@example.com",
        middel__persoon__username=None,
    ).middel.persoon


@pytest.fixture
def smit(organisatie):
    """R. Smit: EH3 with an OTP device whose activation expired."""
    return KoppelingFactory(
        organisatie=organisatie,
        middel__status=Middel.Status.ACTIVATIE_VERLOPEN,
        middel__geactiveerd_op=None,
        middel__activatie_verlopen_op=vandaag() - dt.timedelta(days=3),
        middel__tweede_factor=Middel.TweedeFactor.OTP,
        middel__persoon__voornamen="Ruben",
        middel__persoon__achternaam="Smit",
        middel__persoon__email="r.smit@example.com",
        middel__persoon__username=None,
    ).middel.persoon


@pytest.fixture
def zeeuw(organisatie):
    """A. Zeeuw: a new request, Wachten op goedkeuring."""
    return KoppelingFactory(
        organisatie=organisatie,
        status="aangevraagd",
        abonnement_start=None,
        abonnement_eind=None,
        middel__wachten_op_goedkeuring=True,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Anouk",
        middel__persoon__achternaam="Zeeuw",
        middel__persoon__email="a.zeeuw@domein.nl",
        middel__persoon__username=None,
    ).middel.persoon


@pytest.fixture
def vreemde(db):
    """A person at another organisation only: never listed, exported or shown here."""
    return KoppelingFactory(
        middel__persoon__voornamen="Vera",
        middel__persoon__achternaam="Vreemd",
        middel__persoon__email="vera@elders.example",
    ).middel.persoon
