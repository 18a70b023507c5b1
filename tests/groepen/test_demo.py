import io

import pytest
from django.core.management import call_command

from groepen.models import Groep, GroepLid, GroepMachtiging

pytestmark = pytest.mark.django_db


def test_demo_salarisadministratie_idempotent():
    """The manual's main organisation gets Salarisadministratie with two members and one group machtiging."""
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    groep = Groep.objects.get(naam="Salarisadministratie")
    assert groep.organisatie.kvk_nummer == "12345678"
    assert GroepLid.objects.filter(groep=groep).count() == 2
    assert GroepMachtiging.objects.filter(groep=groep).count() == 1
