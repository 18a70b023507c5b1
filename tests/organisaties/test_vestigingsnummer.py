"""R51: removing the vestigingsnummer (§2.4.2), in the domain layer."""

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from common.errors import DomainError
from organisaties import rules
from organisaties.services import vestigingsnummer_verwijderen
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.conftest import DAGOBERT, DONALD
from tests.organisaties.factories import OrganisatieFactory


@pytest.fixture
def dagobert(register):
    return OrganisatieFactory(naam="Test EMZ Dagobert", kvk_nummer=DAGOBERT[0], vestigingsnummer=DAGOBERT[1])


def _beheerder(organisatie):
    return KoppelingFactory(organisatie=organisatie, beheerder=True).middel.persoon


def test_r51_removes_vestigingsnummer_leaving_the_kvk_nummer(dagobert):
    door = _beheerder(dagobert)
    vestigingsnummer_verwijderen(door=door, organisatie=dagobert)
    dagobert.refresh_from_db()
    assert (dagobert.kvk_nummer, dagobert.vestigingsnummer) == (DAGOBERT[0], "")
    entry = AuditEntry.objects.get(actie=Actie.ORGANISATIE_VESTIGINGSNUMMER_VERWIJDERD)
    assert entry.organisatie == dagobert and entry.actor == door
    assert entry.voor["vestigingsnummer"] == DAGOBERT[1] and entry.na["vestigingsnummer"] == ""


def test_r51_several_vestigingen_go_by_the_wijzigingsformulier(register):
    donald = OrganisatieFactory(kvk_nummer=DONALD[0], vestigingsnummer=DONALD[1])
    with pytest.raises(DomainError) as fout:
        vestigingsnummer_verwijderen(door=_beheerder(donald), organisatie=donald)
    assert fout.value.message == rules.MEERDERE_VESTIGINGEN
    assert "wijzigingsformulier" in str(fout.value)
    donald.refresh_from_db()
    assert donald.vestigingsnummer == DONALD[1]
    assert not AuditEntry.objects.filter(actie=Actie.ORGANISATIE_VESTIGINGSNUMMER_VERWIJDERD).exists()


def test_r51_refused_when_the_bare_kvk_nummer_is_already_an_organisation(dagobert):
    OrganisatieFactory(kvk_nummer=DAGOBERT[0], vestigingsnummer="")
    with pytest.raises(DomainError) as fout:
        vestigingsnummer_verwijderen(door=_beheerder(dagobert), organisatie=dagobert)
    assert fout.value.message == rules.KVK_AL_IN_GEBRUIK
    dagobert.refresh_from_db()
    assert dagobert.vestigingsnummer == DAGOBERT[1]


def test_r51_refused_without_vestigingsnummer_or_unknown_in_register(register):
    zonder = OrganisatieFactory(kvk_nummer=DAGOBERT[0])
    with pytest.raises(DomainError) as fout:
        vestigingsnummer_verwijderen(door=_beheerder(zonder), organisatie=zonder)
    assert fout.value.message == rules.GEEN_VESTIGINGSNUMMER
    onbekend = OrganisatieFactory(kvk_nummer="11112222", vestigingsnummer="000011112222")
    with pytest.raises(DomainError) as fout:
        vestigingsnummer_verwijderen(door=_beheerder(onbekend), organisatie=onbekend)
    assert fout.value.message == rules.REGISTER_ONBEKEND


def test_r51_only_a_beheerder_of_the_organisation(dagobert, andere_beheerder):
    with pytest.raises(DomainError):
        vestigingsnummer_verwijderen(door=andere_beheerder, organisatie=dagobert)
    dagobert.refresh_from_db()
    assert dagobert.vestigingsnummer == DAGOBERT[1]
