"""Wat mag deze persoon? on a person's details (R71): the resource search and the evaluation, on screen."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogus.models import Dienst
from common import generaties
from common.niveau import Niveau
from machtigingen.models import Scope
from tests.api.conftest import machtiging
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls_wat_mag")]


def geldig(middel, organisatie, **scope):
    vandaag = timezone.localdate()
    return machtiging(
        middel,
        organisatie,
        begint_op=vandaag - dt.timedelta(days=3),
        eindigt_op=vandaag + dt.timedelta(days=30),
        **scope,
    )


@pytest.fixture
def persoon_met_machtigingen(organisatie):
    middel = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3).middel
    gemeente = DienstverlenerFactory(naam="Gemeente Haarlem")
    parkeren = DienstFactory(dienstverlener=gemeente, naam="Parkeervergunning", niveau=Niveau.EH3)
    subsidie = DienstFactory(dienstverlener=gemeente, naam="Subsidieportaal", niveau=Niveau.EH2_PLUS)
    hoog = DienstFactory(naam="Zwaar beveiligd", niveau=Niveau.EH4)
    geldig(middel, organisatie, dienst=parkeren)
    return middel.persoon, parkeren, subsidie, hoog


def test_r71_lists_what_the_person_may_use_today_with_the_path(beheerder_client, persoon_met_machtigingen):
    persoon, parkeren, subsidie, _hoog = persoon_met_machtigingen
    response = beheerder_client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat mag deze persoon?" in html
    assert "Parkeervergunning" in html and "Machtiging voor deze dienst" in html
    assert "Subsidieportaal" not in html
    assert "<html" in html  # without HTMX: a page of its own


def test_r71_search_says_why_not(beheerder_client, persoon_met_machtigingen):
    persoon, _parkeren, _subsidie, _hoog = persoon_met_machtigingen
    response = beheerder_client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/", {"q": "zwaar"})
    html = response.content.decode()
    assert "Zwaar beveiligd" in html and "Mag niet inloggen" in html
    assert "Het niveau van het eHerkenningsmiddel is lager dan de dienst vereist." in html
    response = beheerder_client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/", {"q": "haarlem"})
    html = response.content.decode()
    assert "Parkeervergunning" in html and "Subsidieportaal" in html
    assert "Er is geen machtiging voor deze dienst." in html


def test_the_htmx_request_gets_the_fragment(beheerder_client, persoon_met_machtigingen):
    persoon, *_ = persoon_met_machtigingen
    response = beheerder_client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and f'id="wat-mag-{persoon.pk}"' in html
    assert "hx-trigger" not in html  # the loaded section does not load itself again


def test_algemene_bevoegdheid_picks_up_new_diensten(beheerder_client, organisatie):
    middel = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3).middel
    geldig(middel, organisatie, niveau=Niveau.EH3)
    DienstFactory(naam="Nieuw in de catalogus", niveau=Niveau.EH3)
    html = beheerder_client.get(f"/beheer/gebruikers/{middel.persoon.pk}/wat-mag/").content.decode()
    assert "Nieuw in de catalogus" in html and "Algemene bevoegdheid" in html


def test_a_person_of_another_organisation_is_404(beheerder_client, andere_beheerder):
    assert beheerder_client.get(f"/beheer/gebruikers/{andere_beheerder.pk}/wat-mag/").status_code == 404
    assert beheerder_client.get("/beheer/gebruikers/999999/wat-mag/").status_code == 404


def test_signed_out_goes_to_the_log_in(client, persoon_met_machtigingen):
    persoon, *_ = persoon_met_machtigingen
    response = client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_post_is_not_allowed(beheerder_client, persoon_met_machtigingen):
    persoon, *_ = persoon_met_machtigingen
    assert beheerder_client.post(f"/beheer/gebruikers/{persoon.pk}/wat-mag/").status_code == 405


def test_the_include_on_details_loads_the_section(rf, persoon_met_machtigingen):
    from django.template.loader import render_to_string

    persoon, *_ = persoon_met_machtigingen
    html = render_to_string("gebruikers/_wat_mag.html", {"persoon_id": persoon.pk, "laden": True})
    # Loaded when asked for (a link, also a page of its own), not with every opening of the details.
    assert f'hx-get="/beheer/gebruikers/{persoon.pk}/wat-mag/"' in html and 'hx-trigger="load"' not in html
    assert f'href="/beheer/gebruikers/{persoon.pk}/wat-mag/"' in html  # without JavaScript, a link


def test_withdrawn_dienst_is_explained(beheerder_client, persoon_met_machtigingen):
    persoon, parkeren, *_ = persoon_met_machtigingen
    Dienst.objects.filter(pk=parkeren.pk).update(ingetrokken=True)
    html = beheerder_client.get(f"/beheer/gebruikers/{persoon.pk}/wat-mag/", {"q": "parkeer"}).content.decode()
    assert "Deze dienst is uit de dienstencatalogus ingetrokken." in html


def test_r24_a_group_machtiging_names_its_group(beheerder_client, organisatie):
    koppeling = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3)
    groep = GroepFactory(organisatie=organisatie, naam="Salarisadministratie")
    GroepLidFactory(groep=groep, koppeling=koppeling)
    GroepMachtigingFactory(groep=groep, dienst=DienstFactory(naam="Werkgeversportaal", niveau=Niveau.EH3))
    GroepMachtigingFactory(groep=groep, scope=Scope.ALGEMEEN, dienst=None, niveau=Niveau.EH2)
    DienstFactory(naam="Loket EH2", niveau=Niveau.EH2)
    html = beheerder_client.get(f"/beheer/gebruikers/{koppeling.middel.persoon.pk}/wat-mag/").content.decode()
    assert "Machtiging voor deze dienst via groep Salarisadministratie" in html
    assert "Algemene bevoegdheid via groep Salarisadministratie" in html
    assert ">groep" not in html  # never the path's code


def test_the_screens_queries_do_not_grow_with_diensten_or_groups(beheerder_client, organisatie):
    koppeling = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH3)
    url = f"/beheer/gebruikers/{koppeling.middel.persoon.pk}/wat-mag/"

    def erbij(n):
        for _ in range(n):
            geldig(koppeling.middel, organisatie, dienst=DienstFactory(niveau=Niveau.EH3))
            groep = GroepFactory(organisatie=organisatie)
            GroepLidFactory(groep=groep, koppeling=koppeling)
            GroepMachtigingFactory(groep=groep, dienst=DienstFactory(niveau=Niveau.EH3))

    def gevraagd():
        beheerder_client.get(url)  # the session warm
        generaties.verhoog(generaties.REGISTER)  # and the register deciding anew, not from what it kept
        with CaptureQueriesContext(connection) as queries:
            tekst = beheerder_client.get(url).content.decode()
        return tekst.count("Mag inloggen"), len(queries)

    erbij(2)
    weinig = gevraagd()
    erbij(6)
    assert weinig[0] == 4 and gevraagd() == (16, weinig[1])
