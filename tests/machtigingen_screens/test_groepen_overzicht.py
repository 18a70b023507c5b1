"""The rubriek Machtigingen with group machtigingen (R38 with R24): people holding a scope through a group count
on its line (once, covered members only), are listed in its details "via groep X", and are in the download."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from common.niveau import Niveau
from machtigingen.models import Scope
from machtigingen.selectors import machtigingen_overzicht
from machtigingen.views.weergave import details_url as _details_url
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

from .conftest import houder, machtiging

pytestmark = pytest.mark.django_db

OVERZICHT = reverse("machtigingen:overzicht")
HTMX = {"HTTP_HX_REQUEST": "true"}


def lid_van(groep, middel):
    return GroepLidFactory(groep=groep, koppeling=middel.koppelingen.get(organisatie=groep.organisatie))


@pytest.fixture
def parkeren(db):
    return DienstFactory(
        dienstverlener=DienstverlenerFactory(naam="Gemeente Haarlem"), naam="Parkeervergunning", niveau=Niveau.EH3
    )


@pytest.fixture
def salaris(organisatie, parkeren):
    """Salarisadministratie holds Parkeervergunning; Anna and Bram (EH3) are covered, Cor (EH2+) is not."""
    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    for naam, niveau in (("Anna", Niveau.EH3), ("Bram", Niveau.EH3), ("Cor", Niveau.EH2_PLUS)):
        lid_van(groep, houder(organisatie, naam, "Lid", niveau))
    GroepMachtigingFactory(groep=groep, dienst=parkeren)
    return groep


def aantallen(organisatie):
    return {
        r.sleutel.dienst_id or r.sleutel.niveau: (r.aantal, r.via_groep) for r in machtigingen_overzicht(organisatie)
    }


def details_url(dienst):
    from machtigingen.selectors import ScopeSleutel

    return _details_url(ScopeSleutel(Scope.DIENST, dienst_id=dienst.pk))


def test_r38_r24_covered_members_count_on_a_line_held_only_by_a_group(organisatie, parkeren, salaris):
    assert aantallen(organisatie) == {parkeren.pk: (2, 2)}  # Cor is below the niveau (R31)


def test_r38_r24_a_person_counts_once_whether_direct_or_through_groups(organisatie, parkeren, salaris):
    anna = salaris.leden.get(koppeling__middel__persoon__voornamen="Anna").koppeling.middel
    machtiging(organisatie, anna, parkeren)  # Anna also holds it herself
    tweede = GroepFactory(organisatie=organisatie, naam="Tweede")
    bram = salaris.leden.get(koppeling__middel__persoon__voornamen="Bram").koppeling.middel
    lid_van(tweede, bram)
    GroepMachtigingFactory(groep=tweede, dienst=parkeren)  # Bram through two groups
    machtiging(organisatie, houder(organisatie, "Dirk", "Direct"), parkeren)
    assert aantallen(organisatie) == {parkeren.pk: (3, 1)}  # Anna, Dirk direct; Bram through groups


def test_r38_r24_algemene_bevoegdheid_of_a_group(organisatie):
    groep = GroepFactory(organisatie=organisatie)
    lid_van(groep, houder(organisatie, "Eva", "Hoog", Niveau.EH3))
    lid_van(groep, houder(organisatie, "Fer", "Laag", Niveau.EH2))
    GroepMachtigingFactory(groep=groep, scope=Scope.ALGEMEEN, dienst=None, niveau=Niveau.EH2_PLUS)
    assert aantallen(organisatie) == {Niveau.EH2_PLUS: (1, 1)}


def test_r38_r24_the_overview_shows_the_count_and_the_details_name_the_group(
    beheerder_client, organisatie, parkeren, salaris
):
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "Parkeervergunning" in html and "2 Gebruikers" in html
    response = beheerder_client.get(details_url(parkeren), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    groep_url = reverse("groepen:groep", args=[salaris.pk])
    assert f'<a class="utrecht-link" href="{groep_url}">via groep Salarisadministratie</a>' in html
    assert "A. Lid" in html and "B. Lid" in html and "C. Lid" not in html
    # No end-date change or intrekken for them here: that is done on the group's page.
    assert html.count("bm-houder--groep") == 2 and 'id="machtiging-' not in html
    assert "/intrekken/" not in html and "/einddatum/" not in html


def test_r38_r24_search_by_a_member_finds_the_group_line(organisatie, parkeren, salaris):
    (regel,) = machtigingen_overzicht(organisatie, zoek="Anna")
    assert (regel.sleutel.dienst_id, regel.aantal) == (parkeren.pk, 2)
    assert machtigingen_overzicht(organisatie, zoek="Cor") == []  # not covered: not a holder


def test_r38_r24_the_download_marks_rows_via_groep(beheerder_client, organisatie, parkeren, salaris):
    machtiging(organisatie, houder(organisatie, "Dirk", "Direct"), parkeren)
    response = beheerder_client.get(reverse("machtigingen:download"), {"formaat": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rijen = [[c.value for c in rij] for rij in sheet.iter_rows()]
    assert rijen[0][-1] == "Via groep"
    assert sorted((r[4], r[-1]) for r in rijen[1:]) == [
        ("A. Lid", "Salarisadministratie"),
        ("B. Lid", "Salarisadministratie"),
        ("D. Direct", None),
    ]


def _vul_groepen(organisatie, dienst, aantal):
    for _ in range(aantal):
        groep = GroepFactory(organisatie=organisatie)
        GroepMachtigingFactory(groep=groep, dienst=dienst)
        GroepMachtigingFactory(groep=groep, dienst=DienstFactory())
        for i in range(aantal):
            lid_van(groep, houder(organisatie, "L", f"Lid{i}"))


def _queries(client, url, **extra):
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_r38_r24_query_counts_do_not_grow_with_groups_or_members(beheerder_client, organisatie, parkeren):
    from .test_overzicht import DETAILS_QUERIES, OVERZICHT_QUERIES

    _vul_groepen(organisatie, parkeren, 1)
    een = (_queries(beheerder_client, OVERZICHT), _queries(beheerder_client, details_url(parkeren), **HTMX))
    _vul_groepen(organisatie, parkeren, 5)
    zes = (_queries(beheerder_client, OVERZICHT), _queries(beheerder_client, details_url(parkeren), **HTMX))
    assert een == zes == (OVERZICHT_QUERIES, DETAILS_QUERIES)
