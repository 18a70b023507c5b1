"""The rubriek Machtigingen (§4.1, §4.3, R38): the overview grouped by dienstverlener with its counts, the search,
the details of a scope in place, scoping to the chosen organisation (R4) and fixed query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from beheer.menu import menu_items
from common.dates import vandaag
from common.niveau import Niveau
from gebruikers.models import Koppeling
from machtigingen.models import Scope, Status
from machtigingen.views.overzicht import voeg_toe_url
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.machtigingen.factories import MachtigingFactory

from .conftest import algemeen, houder, machtiging

OVERZICHT = reverse("machtigingen:overzicht")
HTMX = {"HTTP_HX_REQUEST": "true"}
# Pinned: the middleware (session, person, device, organisations, own middel, session save) plus the screen's own.
# R24 adds one aggregate for the people holding a scope through a group, and to the details their rows.
OVERZICHT_QUERIES = 10  # 5 middleware reads, the two aggregates (direct, via groep), the session save (3)
DETAILS_QUERIES = 12  # the same, plus the holders and the holders via a group


def details_url(dienst):
    return reverse("machtigingen:details", args=[Scope.DIENST, dienst.pk])


def test_r38_overview_lists_the_dienst_under_its_dienstverlener_with_its_count(beheerder_client, santos):
    response = beheerder_client.get(OVERZICHT)
    assert response.status_code == 200
    html = response.content.decode()
    groep = html.index("Ministerie van Infrastructuur en Waterstaat")
    assert html.index("Landelijk Asbestvolgsysteem") > groep
    assert "2 Gebruikers" in html
    # R34: one of the two ends within two months.
    assert "1 verloopt binnenkort" in html
    assert "EH 2" in html


def test_r38_overview_lists_algemene_bevoegdheid_and_dienstverlenersmachtiging(
    beheerder_client, organisatie, wbakker, veenstra, ienw
):
    algemeen(organisatie, wbakker, Niveau.EH2_PLUS)
    algemeen(organisatie, veenstra, Niveau.EH2_PLUS)
    machtiging(organisatie, veenstra, None, scope=Scope.DIENSTVERLENER, dienstverlener=ienw)
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "Algemene bevoegdheid" in html
    assert "EH2+" in html
    assert "2 Gebruikers" in html
    assert "Dienstverlenersmachtiging (alle diensten)" in html
    assert "1 Gebruiker<" in html
    # Algemene bevoegdheid comes first, then the dienstverleners.
    assert html.index("Algemene bevoegdheid") < html.index("Ministerie van Infrastructuur en Waterstaat")


def test_r35_r38_revoked_expired_and_other_organisations_are_not_counted(
    beheerder_client, organisatie, asbest, santos, wbakker
):
    ander = houder(organisatie, "Piet", "Smit")
    machtiging(organisatie, ander, asbest, status=Status.INGETROKKEN)
    verlopen = houder(organisatie, "Ans", "Jong")
    machtiging(
        organisatie,
        verlopen,
        asbest,
        begint_op=vandaag() - dt.timedelta(days=30),
        eindigt_op=vandaag(),
    )
    geheim = DienstFactory(naam="Geheime dienst van een ander")
    MachtigingFactory(dienst=geheim)
    MachtigingFactory(dienst=asbest)
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "2 Gebruikers" in html
    assert "Geheime dienst van een ander" not in html


def test_r38_overview_without_machtigingen(beheerder_client):
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "Er zijn nog geen machtigingen toegewezen aan gebruikers." in html


def test_overview_appears_in_the_menu_and_links_voeg_toe_once_it_exists(beheerder_client, santos):
    assert any(item["url"] == OVERZICHT for item in menu_items("/"))
    html = beheerder_client.get(OVERZICHT).content.decode()
    if voeg_toe_url():
        assert f'href="{voeg_toe_url()}"' in html
        assert "Voeg toe" in html
    else:
        assert "bm-voeg-toe" not in html


def test_overview_answers_post_with_405(beheerder_client):
    assert beheerder_client.post(OVERZICHT).status_code == 405


def test_r4_not_a_beheerder_is_sent_to_the_profile(client, gebruiker):
    from tests.inloggen.helpers import inloggen_geverifieerd

    inloggen_geverifieerd(client, gebruiker)
    response = client.get(OVERZICHT)
    assert response.status_code == 302
    assert response.url == reverse("beheer:profiel")


# Search (loep, §2.1) ---------------------------------------------------------------------------------------


@pytest.fixture
def twee_diensten(organisatie, santos, wbakker):
    haarlem = DienstverlenerFactory(naam="Gemeente Haarlem")
    afval = DienstFactory(dienstverlener=haarlem, naam="Afvalpas aanvragen", niveau=Niveau.EH2)
    machtiging(organisatie, wbakker, afval)
    return afval


def test_search_by_dienst_name(beheerder_client, twee_diensten):
    html = beheerder_client.get(OVERZICHT, {"q": "asbest"}).content.decode()
    assert "Landelijk Asbestvolgsysteem" in html
    assert "Afvalpas aanvragen" not in html


def test_search_by_dienstverlener_name(beheerder_client, twee_diensten):
    html = beheerder_client.get(OVERZICHT, {"q": "haarlem"}).content.decode()
    assert "Afvalpas aanvragen" in html
    assert "Landelijk Asbestvolgsysteem" not in html


def test_search_by_person_keeps_the_full_count(beheerder_client, twee_diensten):
    html = beheerder_client.get(OVERZICHT, {"q": "veenstra"}).content.decode()
    assert "Landelijk Asbestvolgsysteem" in html
    assert "2 Gebruikers" in html  # found through Veenstra, still counting both holders
    assert "Afvalpas aanvragen" not in html


def test_search_without_result_says_so(beheerder_client, twee_diensten):
    html = beheerder_client.get(OVERZICHT, {"q": "onbestaand"}).content.decode()
    assert "Geen machtigingen gevonden voor “onbestaand”." in html


def test_search_with_htmx_answers_the_list_and_the_download_links(beheerder_client, twee_diensten):
    response = beheerder_client.get(OVERZICHT, {"q": "asbest"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="machtigingen-lijst"')
    assert "<html" not in html
    assert f"{reverse('machtigingen:download')}?formaat=csv&amp;q=asbest" in html
    assert "HX-Request" in response["Vary"]


def test_search_does_not_find_other_organisations_people(beheerder_client, santos, asbest):
    vreemd = KoppelingFactory(middel__persoon__achternaam="Vreemdeling").middel
    other = Koppeling.objects.get(middel=vreemd).organisatie
    MachtigingFactory(organisatie=other, middel=vreemd, dienst=DienstFactory(naam="Alleen bij de ander"))
    html = beheerder_client.get(OVERZICHT, {"q": "vreemdeling"}).content.decode()
    assert "Alleen bij de ander" not in html
    assert "Geen machtigingen gevonden" in html


# Details in place (§4.3) -------------------------------------------------------------------------------------


def test_r38_details_list_the_holders_with_niveau_and_r34_verleng(beheerder_client, santos, asbest):
    response = beheerder_client.get(details_url(asbest), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("W. Bakker") < html.index("S. Veenstra")
    assert "EH 2+" in html  # W. Bakker's niveau
    eind = santos["veenstra"].eindigt_op
    assert f"Geldig tot {eind:%d-%m-%Y}" in html
    assert reverse("machtigingen:verlengen", args=[santos["veenstra"].pk]) in html
    assert reverse("machtigingen:verlengen", args=[santos["bakker"].pk]) not in html
    # Per person "Algemeen": Machtiging sinds, Machtiging tot with the potlood, intrekken.
    assert "Algemeen" in html
    assert f"{santos['bakker'].begint_op:%d-%m-%Y}" in html
    assert f"{santos['bakker'].eindigt_op:%d-%m-%Y}" in html
    assert reverse("machtigingen:einddatum", args=[santos["bakker"].pk]) in html
    assert reverse("machtigingen:intrekken", args=[santos["bakker"].pk]) in html
    assert "<html" not in html


def test_details_without_javascript_is_a_page(beheerder_client, santos, asbest):
    response = beheerder_client.get(details_url(asbest))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terug naar Machtigingen" in html
    assert "S. Veenstra" in html


def test_details_of_algemene_bevoegdheid(beheerder_client, organisatie, wbakker):
    algemeen(organisatie, wbakker, Niveau.EH2)
    response = beheerder_client.get(reverse("machtigingen:details", args=[Scope.ALGEMEEN, int(Niveau.EH2)]), **HTMX)
    assert response.status_code == 200
    assert "W. Bakker" in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_r4_details_of_a_scope_held_only_elsewhere_is_404(beheerder_client, santos, htmx):
    elders = MachtigingFactory(dienst=DienstFactory(naam="Elders"))
    response = beheerder_client.get(details_url(elders.dienst), **(HTMX if htmx else {}))
    assert response.status_code == 404


def test_details_of_a_missing_dienst_or_niveau_is_404(beheerder_client, santos):
    assert beheerder_client.get(reverse("machtigingen:details", args=[Scope.DIENST, 999999])).status_code == 404
    assert beheerder_client.get(reverse("machtigingen:details", args=[Scope.ALGEMEEN, 33])).status_code == 404
    assert beheerder_client.get("/beheer/machtigingen/details/onzin/1/").status_code == 404


def test_reload_of_a_line_nobody_holds_any_more_removes_it(beheerder_client, santos, asbest):
    from machtigingen.models import Machtiging

    Machtiging.objects.update(status=Status.INGETROKKEN)
    response = beheerder_client.get(details_url(asbest), {"deel": "regel"}, **HTMX)
    assert response.status_code == 200
    assert response.content == b""


def test_reload_of_a_line_answers_it_open_with_its_holders(beheerder_client, santos, asbest):
    response = beheerder_client.get(details_url(asbest), {"deel": "regel"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="bm-scope" id="scope-dienst-{asbest.pk}"')
    assert '<details class="bm-scope__uitklap" open' in html
    assert "2 Gebruikers" in html and "S. Veenstra" in html


def test_details_answer_post_with_405(beheerder_client, santos, asbest):
    assert beheerder_client.post(details_url(asbest)).status_code == 405


# Query counts: the same whatever the number of diensten and people ---------------------------------------------


def _vul(organisatie, n):
    diensten = [DienstFactory(niveau=Niveau.EH2) for _ in range(n)]
    middelen = [houder(organisatie, "Jan", f"Jansen{i}") for i in range(n)]
    for d in diensten:
        for m in middelen:
            machtiging(organisatie, m, d, eindigt_op=vandaag() + dt.timedelta(days=10))
    algemeen(organisatie, middelen[0], Niveau.EH2)
    return diensten


def _queries(client, url, **extra) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **extra)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("htmx", [False, True])
def test_overview_query_count_does_not_grow_with_diensten_or_people(
    beheerder_client, organisatie, django_assert_num_queries, htmx
):
    extra = HTMX if htmx else {}
    _vul(organisatie, 1)
    een = _queries(beheerder_client, OVERZICHT, **extra)
    _vul(organisatie, 6)
    zes = _queries(beheerder_client, OVERZICHT, **extra)
    assert een == zes == OVERZICHT_QUERIES
    with django_assert_num_queries(een):
        html = beheerder_client.get(OVERZICHT, **extra).content.decode()
    assert html.count('class="bm-scope"') == 1 + 1 + 6


def test_overview_search_query_count_is_fixed(beheerder_client, organisatie):
    _vul(organisatie, 1)
    een = _queries(beheerder_client, OVERZICHT + "?q=jansen")
    _vul(organisatie, 5)
    vijf = _queries(beheerder_client, OVERZICHT + "?q=jansen")
    assert een == vijf


def test_details_fragment_query_count_does_not_grow_with_people(
    beheerder_client, organisatie, django_assert_num_queries
):
    (dienst,) = _vul(organisatie, 1)
    url = details_url(dienst)
    een = _queries(beheerder_client, url, **HTMX)
    for i in range(8):
        machtiging(organisatie, houder(organisatie, "Nieuw", f"Houder{i}"), dienst)
    negen = _queries(beheerder_client, url, **HTMX)
    assert een == negen == DETAILS_QUERIES
    with django_assert_num_queries(een):
        html = beheerder_client.get(url, **HTMX).content.decode()
    assert html.count("data-bm-machtiging") == 9


def test_overview_and_download_use_the_english_names_for_an_english_beheerder(beheerder_client, beheerder, santos):
    beheerder.taal = "en"
    beheerder.save(update_fields=["taal"])
    asbest = santos["bakker"].dienst
    asbest.naam_en = "National Asbestos Tracking"
    asbest.save(update_fields=["naam_en"])
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "Ministry of I&amp;W" in html
    assert "National Asbestos Tracking" in html
    tekst = b"".join(beheerder_client.get(reverse("machtigingen:download"), {"formaat": "csv"}).streaming_content)
    assert "Ministry of I&W;National Asbestos Tracking" in tekst.decode()
