"""An id from a request is ASCII digits within 64 bits (common.forms.is_id): '¹'.isdigit() is true, yet int('¹')
raises, and a longer number fails in the database. Found by the bad-input suite."""

import pytest

from common.forms import is_id
from tests.groepen.factories import GroepFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("waarde,ja", [("12", True), ("¹", False), ("１２", False), (str(2**64), False), ("", False)])
def test_is_id(waarde, ja):
    assert is_id(waarde) is ja


def test_a_superscript_digit_is_no_server_error(beheerder_client, organisatie):
    groep = GroepFactory(organisatie=organisatie)
    response = beheerder_client.get(f"/beheer/groepen/{groep.pk}/machtigingen/", {"dienst": "¹", "dienstverlener": "²"})
    assert response.status_code == 200
    assert beheerder_client.get("/beheer/gebruikers/", {"na": "¹"}).status_code == 404
