"""Test helpers for a fully signed-in session (password AND second factor), for every area's tests.

    from tests.inloggen.helpers import inloggen_geverifieerd
    inloggen_geverifieerd(client, beheerder)   # instead of client.force_login(beheerder)

Beheermodule views require a session verified by the second factor (R2); `force_login` alone is not.
"""

import re
import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.niveau import Niveau
from gebruikers.models import Middel
from inloggen import sudo
from inloggen.models import SmsDevice


def tweede_factor_apparaat(persoon):
    """The confirmed device of the person's second factor (created when missing), or None below EH2+."""
    middel = Middel.objects.filter(persoon=persoon).first()
    if middel is None and persoon.is_staff:
        # Support staff: the admin asks a TOTP code (config/urls.py SupportAdminSite).
        apparaat = TOTPDevice.objects.filter(user=persoon, confirmed=True).first()
        return apparaat or TOTPDevice.objects.create(user=persoon, name="Authenticator", confirmed=True)
    if middel is None or middel.niveau < Niveau.EH2_PLUS:
        return None
    if middel.tweede_factor == Middel.TweedeFactor.OTP:
        apparaat = TOTPDevice.objects.filter(user=persoon, confirmed=True).first()
        return apparaat or TOTPDevice.objects.create(user=persoon, name="OTP device", confirmed=True)
    apparaat = SmsDevice.objects.filter(user=persoon, confirmed=True).first()
    return apparaat or SmsDevice.objects.create(user=persoon, name="SMS", confirmed=True)


def inloggen_geverifieerd(client, persoon):
    """Sign the Django test client in as `persoon`, with the second factor verified in the session and the
    password just checked (sudo mode, inloggen/sudo.py), as the log-in screens leave it."""
    client.force_login(persoon)
    session = client.session
    apparaat = tweede_factor_apparaat(persoon)
    if apparaat is not None:
        session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    session[sudo.SESSIE_SLEUTEL] = time.time()
    session.save()
    return client


def laatste_sms_code(nummer: str) -> str:
    """The code in the latest SMS the development backend kept for this number."""
    from berichten.models import SmsBericht

    sms = SmsBericht.objects.filter(nummer=nummer).order_by("-verzonden_op", "-pk").first()
    assert sms is not None, f"no SMS sent to {nummer}"
    return re.search(r"\b(\d{6})\b", sms.tekst).group(1)


def otp_code(apparaat: TOTPDevice) -> str:
    """The code the OTP device shows now (or the next step's, when this step's code was used already)."""
    apparaat.refresh_from_db()
    nu = (int(time.time()) - apparaat.t0) // apparaat.step
    drift = max(apparaat.drift, apparaat.last_t + 1 - nu) if apparaat.last_t >= 0 else apparaat.drift
    code = totp(apparaat.bin_key, step=apparaat.step, t0=apparaat.t0, digits=apparaat.digits, drift=drift)
    return f"{code:0{apparaat.digits}d}"
