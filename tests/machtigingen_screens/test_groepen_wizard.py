"""+ Voeg toe with a group chosen in Kies gebruikers (R24): the group itself gets the machtiging, in the same
step (and transaction) as the chosen people."""

from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from groepen.models import GroepMachtiging
from machtigingen.models import Machtiging, Scope, Status
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

from .conftest import houder

pytestmark = pytest.mark.django_db

WIZARD = reverse("machtigingen:toevoegen")


def lid_van(groep, middel):
    return GroepLidFactory(groep=groep, koppeling=middel.koppelingen.get(organisatie=groep.organisatie))


@pytest.fixture
def parkeren(db):
    return DienstFactory(
        dienstverlener=DienstverlenerFactory(naam="Gemeente Haarlem"), naam="Parkeervergunning", niveau=Niveau.EH3
    )


@pytest.fixture
def salaris(organisatie):
    """Salarisadministratie: two members at EH3 and one at EH2+ (below the niveau of parkeren)."""
    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    for naam, niveau in (("Anna", Niveau.EH3), ("Bram", Niveau.EH3), ("Cor", Niveau.EH2_PLUS)):
        lid_van(groep, houder(organisatie, naam, "Lid", niveau))
    return groep


def staat(**params):
    return {"keuze": "5", **params}


def test_r24_summary_names_the_group_with_members_and_not_covered(beheerder_client, parkeren, salaris):
    response = beheerder_client.get(f"{WIZARD}?{urlencode(staat(dienst=parkeren.pk, groep=salaris.pk))}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groep Salarisadministratie</strong> – 3 leden, 1 niet gedekt (niveau)" in html
    assert f'<input type="hidden" name="groep" value="{salaris.pk}">' in html
    assert "Voeg machtiging(en) toe</button>" in html


def test_r24_the_group_gets_the_machtiging_not_its_members(beheerder_client, parkeren, salaris):
    response = beheerder_client.post(WIZARD, staat(dienst=parkeren.pk, groep=salaris.pk))
    assert response.status_code == 302
    (gm,) = GroepMachtiging.objects.filter(groep=salaris)
    assert (gm.scope, gm.dienst_id, gm.status) == (Scope.DIENST, parkeren.pk, Status.ACTIEF)
    assert gm.eindigt_op == plus_jaren(vandaag(), 5)
    assert not Machtiging.objects.exists()  # no member got one of their own
    (bericht,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "voor groep Salarisadministratie" in bericht


def test_r24_people_and_group_in_one_step(beheerder_client, organisatie, parkeren, salaris):
    kees = houder(organisatie, "Kees", "Los", Niveau.EH3)
    response = beheerder_client.post(WIZARD, staat(dienst=parkeren.pk, groep=salaris.pk, middel=kees.pk))
    assert response.status_code == 302
    assert Machtiging.objects.filter(middel=kees, dienst=parkeren).count() == 1
    assert GroepMachtiging.objects.filter(groep=salaris, dienst=parkeren).count() == 1
    (bericht,) = [str(m) for m in get_messages(response.wsgi_request)]  # one confirmation for both
    assert "1 persoon" in bericht and "voor groep Salarisadministratie" in bericht


def test_r24_a_refused_person_leaves_the_group_unchanged_too(beheerder_client, organisatie, parkeren, salaris):
    laag = houder(organisatie, "Lia", "Laag", Niveau.EH2_PLUS)
    response = beheerder_client.post(WIZARD, staat(dienst=parkeren.pk, groep=salaris.pk, middel=laag.pk))
    assert response.status_code == 200
    assert "Er is niets toegevoegd of gewijzigd" in response.content.decode()
    assert not GroepMachtiging.objects.exists() and not Machtiging.objects.exists()


def test_r24_a_failing_group_rolls_back_the_people(beheerder_client, organisatie, parkeren, salaris, monkeypatch):
    """All or nothing across both: the people are written first, so a group refused afterwards undoes them."""
    from common.errors import DomainError
    from machtigingen.services import met_groepen

    def weiger(**kwargs):
        raise DomainError("geweigerd", rule="R24")

    monkeypatch.setattr(met_groepen, "groep_machtiging_toevoegen", weiger)
    kees = houder(organisatie, "Kees", "Los", Niveau.EH3)
    response = beheerder_client.post(WIZARD, staat(dienst=parkeren.pk, groep=salaris.pk, middel=kees.pk))
    assert response.status_code == 200 and "geweigerd" in response.content.decode()
    assert not Machtiging.objects.exists() and not GroepMachtiging.objects.exists()


@pytest.mark.parametrize("soort", ["vreemd", "verwijderd"])
def test_r24_a_foreign_or_deleted_group_refuses_the_step(beheerder_client, organisatie, parkeren, salaris, soort):
    opgeheven = {} if soort == "vreemd" else {"organisatie": organisatie, "opgeheven_op": timezone.now()}
    groep = GroepFactory(**opgeheven)
    kees = houder(organisatie, "Kees", "Los", Niveau.EH3)
    keuze = staat(dienst=parkeren.pk, groep=[salaris.pk, groep.pk], middel=kees.pk)
    html = beheerder_client.get(f"{WIZARD}?{urlencode(keuze, doseq=True)}").content.decode()
    assert "Deze groep bestaat niet (meer)." in html and "Voeg machtiging(en) toe</button>" not in html
    response = beheerder_client.post(WIZARD, keuze)
    assert response.status_code == 200
    assert "Deze groep bestaat niet (meer)." in response.content.decode()
    assert not Machtiging.objects.exists() and not GroepMachtiging.objects.exists()


def test_r24_r36_a_group_holding_the_scope_gets_the_new_end_date(beheerder_client, parkeren, salaris):
    bestaand = GroepMachtigingFactory(groep=salaris, dienst=parkeren, eindigt_op=plus_jaren(vandaag(), 1))
    response = beheerder_client.post(WIZARD, staat(dienst=parkeren.pk, groep=salaris.pk, keuze="3"))
    assert response.status_code == 302
    bestaand.refresh_from_db()
    assert bestaand.eindigt_op == plus_jaren(vandaag(), 3)
    assert GroepMachtiging.objects.count() == 1
    (bericht,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "de einddatum gewijzigd" in bericht


def test_r24_kies_gebruikers_offers_every_group(beheerder_client, organisatie, parkeren):
    """A group whose members are all below the niveau can still be chosen: a later member may be covered."""
    groep = GroepFactory(organisatie=organisatie, naam="Laag")
    lid_van(groep, houder(organisatie, "Lia", "Laag", Niveau.EH2_PLUS))
    url = reverse("machtigingen:kies_gebruikers") + f"?dienst={parkeren.pk}"
    html = beheerder_client.get(url).content.decode()
    assert f'name="groep" value="{groep.pk}"' in html
    assert f'name="groep" value="{groep.pk}" disabled' not in html
    assert "Voor 1 lid telt de machtiging niet (niveau)." in html


# Session, person, organisation, beheer-koppeling, the scopes, the chosen groups and their members: no bulk plan
# without people, so fewer than test_toevoegen.WIZARD_QUERIES.
WIZARD_MET_GROEPEN_QUERIES = 12


@pytest.mark.parametrize("aantal", [1, 6])
def test_r24_wizard_with_groups_query_count_does_not_grow(
    beheerder_client, organisatie, parkeren, django_assert_num_queries, aantal
):
    groepen = [GroepFactory(organisatie=organisatie) for _ in range(aantal)]
    for groep in groepen:
        for i in range(aantal):
            lid_van(groep, houder(organisatie, "P", f"Lid{i}"))
    url = f"{WIZARD}?{urlencode(staat(dienst=parkeren.pk, groep=[g.pk for g in groepen]), doseq=True)}"
    beheerder_client.get(url)
    with django_assert_num_queries(WIZARD_MET_GROEPEN_QUERIES):
        assert beheerder_client.get(url).status_code == 200


@pytest.mark.parametrize("aantal", [1, 6])
def test_r24_kies_gebruikers_with_groups_query_count_does_not_grow(
    beheerder_client, organisatie, parkeren, django_assert_num_queries, aantal
):
    from .test_toevoegen import KIES_GEBRUIKERS_QUERIES

    for _ in range(aantal):
        groep = GroepFactory(organisatie=organisatie)
        for i in range(aantal):
            lid_van(groep, houder(organisatie, "P", f"Lid{i}"))
    url = reverse("machtigingen:kies_gebruikers") + f"?dienst={parkeren.pk}"
    beheerder_client.get(url, HTTP_HX_REQUEST="true")
    # The pinned count without groups, plus the members of the groups (one query).
    with django_assert_num_queries(KIES_GEBRUIKERS_QUERIES + 1):
        assert beheerder_client.get(url, HTTP_HX_REQUEST="true").status_code == 200
