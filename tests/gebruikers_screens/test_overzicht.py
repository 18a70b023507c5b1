"""The gebruikers overview (§3.1, R62, R13): badges, status, search, details in place, access and query count."""

import re

import pytest
from django.urls import reverse

from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers_screens import test_overzicht_fixtures as personen

# The shared fixtures of the overview tests (kept out of a conftest.py: this directory is shared).
bulters, hendriks, smit, zeeuw, vreemde = (
    personen.bulters,
    personen.hendriks,
    personen.smit,
    personen.zeeuw,
    personen.vreemde,
)
inloggen = personen.inloggen

URL = reverse("gebruikers:overzicht")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "gebruikers-lijst"}


def rij(html: str, persoon) -> str:
    """The <li> of one person in the overview."""
    match = re.search(rf'<li class="bm-gebruiker" data-testid="gebruiker-{persoon.pk}">(.*?)</li>', html, re.S)
    assert match, f"{persoon.naam} is not listed"
    return match.group(1)


def gelijst(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-testid="gebruiker-(\d+)"', html)}


def badges(fragment: str) -> list[str]:
    return [b.strip() for b in re.findall(r'<span class="bm-badge[^"]*"[^>]*>(.*?)</span>', fragment, re.S)]


@pytest.mark.django_db
class TestToegang:
    def test_beheerder_sees_the_overview_of_the_chosen_organisation(self, client, inloggen, beheerder, organisatie):
        inloggen(beheerder)

        response = client.get(URL)

        assert response.status_code == 200
        html = response.content.decode()
        assert "Santos B.V." in html and "<h1" in html and "Gebruikers</h1>" in html
        assert "J. Bakker" in html

    def test_gebruiker_of_the_same_organisation_is_sent_to_the_profile(self, client, inloggen, gebruiker):
        inloggen(gebruiker)

        response = client.get(URL)

        assert response.status_code == 302
        assert response["Location"] == reverse("beheer:profiel")

    def test_beheerder_of_another_organisation_sees_only_their_own_people(
        self, client, inloggen, andere_beheerder, beheerder, bulters
    ):
        inloggen(andere_beheerder)

        html = client.get(URL).content.decode()

        assert gelijst(html) == {andere_beheerder.pk}

    def test_signed_out_goes_to_the_log_in(self, client, organisatie):
        response = client.get(URL)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("beheer:inloggen"))

    def test_post_is_not_allowed(self, client, inloggen, beheerder):
        inloggen(beheerder)

        assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_r62_marks_beheerder_dit_ben_jij_niveau_and_status(client, inloggen, beheerder, bulters, hendriks, smit, zeeuw):
    inloggen(beheerder)

    html = client.get(URL).content.decode()

    assert badges(rij(html, beheerder)) == ["beheerder", "dit ben jij", "EH 3"]
    assert badges(rij(html, bulters)) == ["EH 2+"]
    assert badges(rij(html, hendriks)) == ["beheerder", "Wachten op activatie", "EH 3"]
    assert badges(rij(html, smit)) == ["Activatie verlopen", "EH 3"]
    assert badges(rij(html, zeeuw)) == ["Wachten op goedkeuring", "EH 2+"]
    assert "katarina.bulters@example.com" in rij(html, bulters)


@pytest.mark.django_db
def test_r62_dit_ben_jij_follows_the_signed_in_beheerder(client, inloggen, beheerder, hendriks, organisatie):
    Middel.objects.filter(persoon=hendriks).update(status=Middel.Status.ACTIEF)
    inloggen(hendriks)

    html = client.get(URL).content.decode()

    assert "dit ben jij" in rij(html, hendriks)
    assert "dit ben jij" not in rij(html, beheerder)


@pytest.mark.django_db
def test_r62_each_row_opens_its_details_in_place(client, inloggen, beheerder, bulters):
    inloggen(beheerder)

    html = rij(client.get(URL).content.decode(), bulters)

    details_url = reverse("gebruikers:details", args=[bulters.pk])
    # With JS: a GET of the details into the panel under the row, each time it opens (not when it closes).
    assert f'hx-get="{details_url}"' in html
    assert 'hx-trigger="bm-open"' in html  # sent by beheermodule.js when the <details> opens (no htmx eval)
    assert f'hx-target="#gebruiker-{bulters.pk}-details"' in html
    assert f'id="gebruiker-{bulters.pk}-details"' in html
    # Without JS: the panel links to the details as a page.
    assert f'href="{details_url}"' in html
    assert "<details" in html and "<summary" in html


@pytest.mark.django_db
def test_r62_terminated_and_rejected_are_not_listed(client, inloggen, beheerder, organisatie):
    beeindigd = KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD)
    afgekeurd = KoppelingFactory(organisatie=organisatie, middel__status=Middel.Status.AFGEKEURD)
    middel_beeindigd = KoppelingFactory(organisatie=organisatie, middel__status=Middel.Status.BEEINDIGD)
    inloggen(beheerder)

    html = client.get(URL).content.decode()

    for koppeling in (beeindigd, afgekeurd, middel_beeindigd):
        assert f'data-testid="gebruiker-{koppeling.middel.persoon_id}"' not in html
    assert f'data-testid="gebruiker-{beheerder.pk}"' in html


@pytest.mark.django_db
def test_r13_overview_marks_a_mutation_in_behandeling(client, inloggen, beheerder, bulters, organisatie):
    Aanvraag.objects.create(
        soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=bulters.middel, aangevraagd_door=beheerder
    )
    inloggen(beheerder)

    html = client.get(URL).content.decode()

    assert "Mutatie in behandeling" in badges(rij(html, bulters))
    assert "Mutatie in behandeling" not in rij(html, beheerder)


def _nieuwe_aanvraag(soort, organisatie, beheerder, zeeuw):
    """A person waiting for approval with the request itself still with support: a new middel (A. Zeeuw), or
    an Actief middel of another organisation being linked here."""
    if soort == "nieuw_middel":
        middel = zeeuw.middel
    else:
        middel = KoppelingFactory(
            organisatie=organisatie, status=Koppeling.Status.AANGEVRAAGD, middel__niveau=Niveau.EH3
        ).middel
    Aanvraag.objects.create(soort=soort, organisatie=organisatie, middel=middel, aangevraagd_door=beheerder)
    return middel


@pytest.mark.django_db
@pytest.mark.parametrize("soort", [Aanvraag.Soort.NIEUW_MIDDEL, Aanvraag.Soort.KOPPELING])
def test_a_new_request_shows_one_status_wachten_op_goedkeuring(client, inloggen, beheerder, organisatie, zeeuw, soort):
    """Defect: a new request showed both "Wachten op goedkeuring" and "Mutatie in behandeling"."""
    middel = _nieuwe_aanvraag(soort, organisatie, beheerder, zeeuw)
    inloggen(beheerder)

    html = client.get(URL).content.decode()

    assert badges(rij(html, middel.persoon)) == [
        "Wachten op goedkeuring",
        middel.get_niveau_display().replace("EH", "EH "),
    ]
    assert "Mutatie in behandeling" not in rij(html, middel.persoon)


@pytest.mark.django_db
def test_r13_a_mutation_of_a_person_waiting_for_activation_is_still_marked(
    client, inloggen, beheerder, organisatie, hendriks
):
    Aanvraag.objects.create(soort=Aanvraag.Soort.NIEUWE_ACTIVATIE, organisatie=organisatie, middel=hendriks.middel)
    inloggen(beheerder)

    html = client.get(URL).content.decode()

    assert badges(rij(html, hendriks)) == ["beheerder", "Wachten op activatie", "Mutatie in behandeling", "EH 3"]


@pytest.mark.django_db
class TestZoeken:
    def test_search_filters_by_name_and_email(self, client, inloggen, beheerder, bulters, hendriks):
        inloggen(beheerder)

        op_naam = client.get(URL, {"q": "bult"}).content.decode()
        op_email = client.get(URL, {"q": "harry@"}).content.decode()

        assert gelijst(op_naam) == {bulters.pk}
        assert gelijst(op_email) == {hendriks.pk}
        assert gelijst(client.get(URL, {"q": "BAKKER"}).content.decode()) == {beheerder.pk}
        # The term stays in the box, and the downloads honour it.
        assert 'value="bult"' in op_naam
        assert f"{reverse('gebruikers:download')}?formaat=csv&amp;q=bult" in op_naam

    def test_live_search_answers_with_the_list_only(self, client, inloggen, beheerder, bulters):
        inloggen(beheerder)

        response = client.get(URL, {"q": "bult"}, **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="gebruikers-lijst"')
        assert gelijst(html) == {bulters.pk}
        assert "<html" not in html and "bm-sidebar" not in html
        assert "HX-Request" in response["Vary"]

    def test_the_toolbar_searches_live_into_the_list(self, client, inloggen, beheerder):
        inloggen(beheerder)

        html = client.get(URL).content.decode()

        assert 'hx-target="#gebruikers-lijst"' in html
        assert 'id="gebruikers-lijst"' in html

    def test_history_restore_gets_the_whole_page(self, client, inloggen, beheerder):
        inloggen(beheerder)

        html = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()

        assert "<html" in html

    def test_no_match_says_so(self, client, inloggen, beheerder):
        inloggen(beheerder)

        html = client.get(URL, {"q": "niemand-heet-zo"}).content.decode()

        assert "Geen gebruikers gevonden" in html


@pytest.mark.django_db
def test_voeg_toe_button_appears_when_the_wizard_exists(client, inloggen, beheerder):
    from django.urls import NoReverseMatch

    inloggen(beheerder)
    html = client.get(URL).content.decode()

    try:
        toevoegen = reverse("gebruikers:toevoegen")
    except NoReverseMatch:
        assert "Voeg toe" not in html
    else:
        assert f'href="{toevoegen}"' in html and "Voeg toe" in html


def _maak_gebruikers(organisatie, aantal):
    for i in range(aantal):
        koppeling = KoppelingFactory(
            organisatie=organisatie,
            beheerder=i % 5 == 0,
            middel__niveau=Niveau.EH2_PLUS if i % 2 else Niveau.EH3,
            middel__status=Middel.Status.WACHTEN_OP_ACTIVATIE if i % 3 == 0 else Middel.Status.ACTIEF,
        )
        if i % 4 == 0:
            Aanvraag.objects.create(soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=koppeling.middel)


# Session, person, the verified second-factor device, the organisations the person manages, the own middel, the overview (ONE query), and the
# session saved again (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
OVERZICHT_QUERIES = 9


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_overview_query_count_does_not_grow_with_the_number_of_people(
    client, inloggen, beheerder, organisatie, django_assert_num_queries, htmx
):
    inloggen(beheerder)
    extra = HTMX if htmx else {}
    _maak_gebruikers(organisatie, 1)
    with django_assert_num_queries(OVERZICHT_QUERIES):
        klein = client.get(URL, **extra)

    _maak_gebruikers(organisatie, 28)
    with django_assert_num_queries(OVERZICHT_QUERIES):
        groot = client.get(URL, **extra)

    assert klein.content.decode().count('class="bm-gebruiker"') == 2
    assert groot.content.decode().count('class="bm-gebruiker"') == 30
