"""An id from a request is ASCII digits within 64 bits (common.forms.is_id): '¹'.isdigit() is true, yet int('¹')
raises, and a longer number fails in the database. Found by the bad-input suite."""

import pytest
from django import forms

from catalogus.models import Dienst
from common.forms import IdsMultipleChoiceField, is_id
from tests.catalogus.factories import DienstFactory
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


def test_a_choice_of_ids_refuses_one_past_64_bits_with_djangos_message():
    veld = IdsMultipleChoiceField(queryset=Dienst.objects.all())
    with pytest.raises(forms.ValidationError) as fout:
        veld.clean(["1", str(2**63)])
    assert fout.value.code == "invalid_pk_value"
    dienst = DienstFactory()
    assert list(veld.clean([str(dienst.pk)])) == [dienst]
