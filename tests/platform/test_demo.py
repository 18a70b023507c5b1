"""`manage.py demo` loads the manual's organisations and people in every status, and is idempotent."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from beheer.selectors import beheerbare_organisaties
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen.models import Machtiging
from organisaties.models import Organisatie

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Organisatie, Persoon, Middel, Koppeling, Aanvraag, Machtiging, Ketenmachtiging)]


def test_demo_is_idempotent_and_complete():
    call_command("demo", stdout=io.StringIO())
    eerste = _counts()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == eerste

    namen = set(Organisatie.objects.values_list("naam", flat=True))
    assert {
        "Santos B.V.",
        "Ketelaar Klip",
        "Signicat AS",
        "Accountants Vries",
        "Connected Information Systems B.V.",
    } <= namen
    assert set(Middel.objects.values_list("status", flat=True)) >= {
        "actief",
        "wachten_op_activatie",
        "wachten_op_goedkeuring",
        "activatie_verlopen",
    }
    assert Middel.objects.filter(type="belastingdienst", persoon__achternaam="Jong").exists()

    bakker = Persoon.objects.get(username="jbakker")
    assert bakker.check_password("demo-wachtwoord")
    assert [o.naam for o in beheerbare_organisaties(bakker)] == ["Ketelaar Klip", "Santos B.V.", "Signicat AS"]
    assert not beheerbare_organisaties(Persoon.objects.get(username="kbulters"))

    binnen_twee_maanden = dt.date.today() + dt.timedelta(days=61)
    assert Machtiging.objects.filter(status="actief", eindigt_op__lt=binnen_twee_maanden).exists()
    assert Ketenmachtiging.objects.filter(intermediair__naam="Accountants Vries").exists()

    support = Persoon.objects.get(username="support")
    assert support.is_staff and not support.is_superuser


def test_demo_otp_people_can_log_in_with_a_code():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("demo", stdout=io.StringIO())
    apparaat = TOTPDevice.objects.get(user__username="gdegroot", confirmed=True)
    uit = io.StringIO()
    call_command("otp_code", "gdegroot", stdout=uit)
    assert apparaat.verify_token(uit.getvalue().strip())
