"""The overview in pages (§3.1, §2.1): the first screen shows OVERZICHT_PAGINA people whatever the organisation's
size; "Toon meer" (or scrolling to the last row) appends the next ones through HTMX, and is a plain link to the
next page without JavaScript; the search (loep) searches everyone, and paging keeps the search term."""

import re

import pytest
from django.urls import reverse

from bench.benchmarks.gebruikers_overzicht import maak_organisatie_met_personen, zichtbaar_aantal
from gebruikers import selectors
from gebruikers.models import Koppeling
from gebruikers.views.overzicht import TOON_MEER_ID
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers_screens import test_overzicht_fixtures as personen

inloggen, vreemde = personen.inloggen, personen.vreemde

URL = reverse("gebruikers:overzicht")
HTMX = {"HTTP_HX_REQUEST": "true"}
PAGINA = 3


def gelijst(html: str) -> list[int]:
    """The people listed, in the order shown."""
    return [int(pk) for pk in re.findall(r'data-testid="gebruiker-(\d+)"', html)]


def toon_meer(html: str) -> str | None:
    """The "Toon meer" link's URL, or None on the last page."""
    match = re.search(rf'<a [^>]*id="{TOON_MEER_ID}"[^>]*>', html)
    if not match:
        return None
    href = re.search(r'href="([^"]+)"', match.group(0)).group(1).replace("&amp;", "&")
    assert f'hx-get="{href.replace("&", "&amp;")}"' in match.group(0)
    return href


@pytest.fixture
def klein(monkeypatch):
    """Pages of three people, so a handful of people spans several pages."""
    monkeypatch.setattr(selectors, "OVERZICHT_PAGINA", PAGINA)


@pytest.fixture
def santos(organisatie, beheerder):
    """J. Bakker (the beheerder) and seven more, their names chosen so the order is known."""
    namen = ["Aalders", "Bulters", "Claes", "Dekker", "Evers", "Faber", "Gerritsen"]
    for achternaam in namen:
        KoppelingFactory(
            organisatie=organisatie,
            middel__persoon__voornamen="Sanne",
            middel__persoon__achternaam=achternaam,
            middel__persoon__email=f"{achternaam.lower()}@santos.example",
        )
    # In the overview's order: by achternaam, voornamen, koppeling.
    return list(
        Koppeling.objects.filter(organisatie=organisatie)
        .order_by(*selectors.OVERZICHT_VOLGORDE)
        .values_list("middel__persoon_id", flat=True)
    )


def koppeling_van(persoon_id: int) -> int:
    return Koppeling.objects.get(middel__persoon_id=persoon_id).pk


@pytest.mark.django_db
class TestPaginas:
    def test_the_first_screen_shows_the_first_page_and_toon_meer(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)

        html = client.get(URL).content.decode()

        assert gelijst(html) == santos[:PAGINA]
        assert toon_meer(html) == f"{URL}?na={koppeling_van(santos[PAGINA - 1])}"
        assert "Toon meer" in html

    def test_toon_meer_appends_the_next_people_to_the_list(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)
        volgende = toon_meer(client.get(URL).content.decode())

        response = client.get(volgende, **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html and "bm-sidebar" not in html and 'id="gebruikers-lijst"' not in html
        # The rows go to the end of the list (out of band); the response itself replaces the link.
        assert html.lstrip().startswith('<ul hx-swap-oob="beforeend:#gebruikers-rijen">')
        assert gelijst(html) == santos[PAGINA : 2 * PAGINA]
        assert 'id="gebruikers-meer"' in html
        assert toon_meer(html) == f"{URL}?na={koppeling_van(santos[2 * PAGINA - 1])}"
        assert "HX-Request" in response["Vary"]

    def test_following_toon_meer_lists_everyone_once_in_order(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)
        html = client.get(URL).content.decode()
        gezien = gelijst(html)

        while volgende := toon_meer(html):
            html = client.get(volgende, **HTMX).content.decode()
            gezien += gelijst(html)

        assert gezien == santos
        assert len(santos) == 8 and 'id="gebruikers-meer"' not in html

    def test_the_last_row_loads_the_next_page_when_it_scrolls_into_view(
        self, client, inloggen, beheerder, santos, klein
    ):
        inloggen(beheerder)

        html = client.get(URL).content.decode()

        volgende = toon_meer(html)
        laatste = koppeling_van(santos[PAGINA - 1])
        rijen = re.findall(r'<li class="bm-gebruiker" .*?</li>', html, re.S)
        assert len(rijen) == PAGINA
        assert all("gebruikers-laadpunt" not in li for li in rijen[:-1])
        assert (
            f'<span id="gebruikers-laadpunt-{laatste}" hx-get="{volgende.replace("&", "&amp;")}" '
            'hx-trigger="intersect once" hx-target="#gebruikers-meer" hx-swap="outerHTML" '
            'hx-sync="#gebruikers-lijst:drop"></span>'
        ) in rijen[-1]
        # Loaded (by "Toon meer" or that laadpunt), the next page removes it: nobody is loaded twice.
        html = client.get(volgende, **HTMX).content.decode()
        assert f'<span id="gebruikers-laadpunt-{laatste}" hx-swap-oob="delete"></span>' in html
        assert f"gebruikers-laadpunt-{koppeling_van(santos[2 * PAGINA - 1])}" in html

    def test_the_last_page_has_no_toon_meer_and_no_trigger(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)

        html = client.get(URL, {"na": koppeling_van(santos[5])}, **HTMX).content.decode()

        assert gelijst(html) == santos[6:]
        assert toon_meer(html) is None and 'hx-trigger="intersect' not in html

    def test_choosing_toon_meer_moves_the_focus_to_the_first_new_person(
        self, client, inloggen, beheerder, santos, klein
    ):
        inloggen(beheerder)
        volgende = toon_meer(client.get(URL).content.decode())

        gekozen = client.get(volgende, HTTP_HX_TRIGGER=TOON_MEER_ID, **HTMX).content.decode()
        gescrold = client.get(volgende, **HTMX).content.decode()

        summaries = re.findall(r'<summary class="bm-gebruiker__rij"[^>]*>', gekozen)
        assert "autofocus" in summaries[0] and not any("autofocus" in s for s in summaries[1:])
        # Scrolling loads without taking the focus away from where the beheerder is (e.g. the search box).
        assert "autofocus" not in gescrold

    def test_without_javascript_toon_meer_is_the_next_page(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)
        volgende = toon_meer(client.get(URL).content.decode())

        html = client.get(volgende).content.decode()

        assert "<html" in html and 'id="gebruikers-lijst"' in html
        assert gelijst(html) == santos[PAGINA : 2 * PAGINA]
        assert toon_meer(html) == f"{URL}?na={koppeling_van(santos[2 * PAGINA - 1])}"

    def test_a_person_added_meanwhile_is_not_listed_twice(
        self, client, inloggen, beheerder, organisatie, santos, klein
    ):
        inloggen(beheerder)
        volgende = toon_meer(client.get(URL).content.decode())
        nieuw = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Aa").middel.persoon_id

        html = client.get(volgende, **HTMX).content.decode()

        # Paged along the order, not by an offset: the page continues after the last person shown.
        assert gelijst(html) == santos[PAGINA : 2 * PAGINA] and nieuw not in gelijst(html)

    def test_a_koppeling_of_another_organisation_or_no_number_is_not_found(
        self, client, inloggen, beheerder, santos, vreemde, klein
    ):
        inloggen(beheerder)

        assert client.get(URL, {"na": koppeling_van(vreemde.pk)}, **HTMX).status_code == 404
        assert client.get(URL, {"na": "abc"}).status_code == 404
        assert client.get(URL, {"na": "987654"}).status_code == 404


@pytest.mark.django_db
class TestZoekenOverAlleMensen:
    def test_the_search_finds_people_beyond_the_first_page(self, client, inloggen, beheerder, santos, klein):
        inloggen(beheerder)

        html = client.get(URL, {"q": "gerrit"}, **HTMX).content.decode()

        assert gelijst(html) == [santos[-1]]
        assert toon_meer(html) is None

    def test_paging_keeps_the_search_term(self, client, inloggen, beheerder, santos, klein):
        """Seven people named Sanne (all but J. Bakker): the search pages through them, the term in every link."""
        inloggen(beheerder)
        html = client.get(URL, {"q": "sanne"}, **HTMX).content.decode()
        gezien = gelijst(html)
        links = 0

        while volgende := toon_meer(html):
            assert "q=sanne" in volgende
            links += 1
            html = client.get(volgende, **HTMX).content.decode()
            gezien += gelijst(html)

        assert gezien == [p for p in santos if p != beheerder.pk]
        assert links == 2


# The same as the overview's (test_overzicht.OVERZICHT_QUERIES): session, person, second-factor device, managed
# organisations, own middel, ONE query for the page, the session saved (3). The next page looks up where it starts.
PAGINA_QUERIES = 9
VOLGENDE_QUERIES = 10


@pytest.mark.django_db
@pytest.mark.parametrize("personen", [5, 250], ids=["5-people", "250-people"])
def test_page_and_next_page_query_counts_do_not_grow_with_the_organisation(
    client, inloggen, django_assert_num_queries, personen
):
    organisatie, beheerder = maak_organisatie_met_personen(personen)
    inloggen(beheerder)
    met_volgende = personen > selectors.OVERZICHT_PAGINA

    with django_assert_num_queries(PAGINA_QUERIES):
        eerste = client.get(URL).content.decode()
    with django_assert_num_queries(PAGINA_QUERIES):
        gezocht = client.get(URL, {"q": "bench"}, **HTMX).content.decode()
    na = Koppeling.objects.filter(organisatie=organisatie, middel__persoon_id=gelijst(eerste)[-1]).get().pk
    with django_assert_num_queries(VOLGENDE_QUERIES):
        volgende = client.get(URL, {"na": na}, **HTMX).content.decode()

    zichtbaar = zichtbaar_aantal(organisatie)
    assert len(gelijst(eerste)) == min(zichtbaar, selectors.OVERZICHT_PAGINA)
    assert len(gelijst(gezocht)) == len(gelijst(eerste))
    assert (toon_meer(eerste) is not None) is met_volgende
    assert not set(gelijst(volgende)) & set(gelijst(eerste))
    if met_volgende:
        assert len(gelijst(volgende)) == min(zichtbaar - selectors.OVERZICHT_PAGINA, selectors.OVERZICHT_PAGINA)
