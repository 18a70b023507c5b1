"""+ Voeg toe in the rubriek Machtigingen (§4.2, §4.4, §4.5): the steps on one page, the state in the URL."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from berichten.models import Bericht
from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from machtigingen.models import Machtiging, Status
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory

from .conftest import houder, machtiging

pytestmark = pytest.mark.django_db

WIZARD = "machtigingen:toevoegen"


def url(naam, **params):
    from urllib.parse import urlencode

    return reverse(naam) + ("?" + urlencode(params, doseq=True) if params else "")


@pytest.fixture
def kbulters(organisatie):
    return houder(organisatie, "Klaas", "Bulters", Niveau.EH2_PLUS)


@pytest.fixture
def parkeren(ienw):
    return DienstFactory(
        dienstverlener=DienstverlenerFactory(naam="Gemeente Haarlem"),
        naam="Tijdelijke parkeervergunning",
        niveau=Niveau.EH3,
        omschrijving="Vraag een tijdelijke parkeervergunning aan.",
    )


def test_wizard_shows_the_four_steps(beheerder_client):
    response = beheerder_client.get(url(WIZARD))
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in ("1. Kies diensten", "2. Kies gebruikers", "3. Kies einddatum", "4. Controleer en voeg toe"):
        assert tekst in html
    assert "Voeg machtiging(en) toe</button>" not in html  # no summary before the steps are done


def test_kies_diensten_grouped_with_description_and_search(beheerder_client, asbest, parkeren):
    response = beheerder_client.get(url("machtigingen:kies_diensten"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dialog class="bm-popup"' in html
    assert "Ministerie van Infrastructuur en Waterstaat</legend>" in html
    assert "Gemeente Haarlem</legend>" in html
    assert "Vraag een tijdelijke parkeervergunning aan." in html  # R70: the ServiceDescription
    assert "Ook toekomstige diensten vallen hieronder." in html
    assert "Algemene bevoegdheid EH3" in html and "Voeg diensten toe" in html
    response = beheerder_client.get(
        url("machtigingen:kies_diensten", deel="lijst", zoek="parkeer"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Tijdelijke parkeervergunning" in html and "Landelijk Asbestvolgsysteem" not in html
    assert "<dialog" not in html


def test_r39_diensten_above_own_niveau_not_offered(organisatie, client, asbest):
    from tests.inloggen.helpers import inloggen_geverifieerd

    beheerder = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    DienstFactory(naam="Alleen op EH4", niveau=Niveau.EH4)
    inloggen_geverifieerd(client, beheerder)
    html = client.get(url("machtigingen:kies_diensten")).content.decode()
    assert "Landelijk Asbestvolgsysteem" in html
    assert "Alleen op EH4" not in html and "Algemene bevoegdheid EH3" not in html


def test_r31_kies_gebruikers_below_niveau_shown_not_selectable(beheerder_client, organisatie, parkeren, kbulters):
    veenstra = houder(organisatie, "Sanne", "Veenstra", Niveau.EH3)
    response = beheerder_client.get(url("machtigingen:kies_gebruikers", dienst=parkeren.pk))
    html = response.content.decode()
    assert f'value="{kbulters.pk}" id="id_middel_{kbulters.pk}" disabled' in html
    assert (
        "Let op! Deze persoon heeft niet het benodigde niveau om namens uw bedrijf bij de gekozen dienst(en) in te "
        "loggen." in html
    )
    assert f'value="{veenstra.pk}" id="id_middel_{veenstra.pk}" disabled' not in html
    # The other steps' state travels along as hidden inputs.
    assert f'<input type="hidden" name="dienst" value="{parkeren.pk}">' in html


def test_r30_kies_gebruikers_lists_actief_people_only(beheerder_client, organisatie, asbest, kbulters):
    from tests.gebruikers.factories import MiddelFactory

    wacht = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True)).middel
    vreemd = KoppelingFactory().middel
    html = beheerder_client.get(url("machtigingen:kies_gebruikers", dienst=asbest.pk)).content.decode()
    assert kbulters.persoon.naam in html
    assert wacht.persoon.naam not in html and vreemd.persoon.naam not in html


def test_whole_flow_adds_and_changes_with_summary(beheerder_client, organisatie, asbest, parkeren, kbulters):
    veenstra = houder(organisatie, "Sanne", "Veenstra", Niveau.EH3)
    bestaand = machtiging(organisatie, veenstra, asbest, eindigt_op=vandaag() + dt.timedelta(days=20))
    eigen = vandaag() + dt.timedelta(days=200)
    staat = {
        "dienst": [asbest.pk],
        "middel": [kbulters.pk, veenstra.pk],
        "keuze": "zelf",
        "datum_dag": eigen.day,
        "datum_maand": eigen.month,
        "datum_jaar": eigen.year,
    }
    html = beheerder_client.get(url(WIZARD, **staat)).content.decode()
    assert "Controleer het overzicht: 2 machtigingen, geldig tot" in html
    assert "1 bestaande machtiging krijgt de nieuwe einddatum." in html
    assert f"(was {(vandaag() + dt.timedelta(days=20)).strftime('%d-%m-%Y')})" in html
    response = beheerder_client.post(url(WIZARD), staat, follow=True)
    assert response.status_code == 200
    assert "Gelukt: 1 machtiging toegevoegd en van 1 machtiging de einddatum gewijzigd" in response.content.decode()
    bestaand.refresh_from_db()
    assert bestaand.eindigt_op == eigen
    assert Machtiging.objects.get(middel=kbulters).eindigt_op == eigen
    assert Bericht.objects.count() == 2  # R37: one per person


def test_all_or_nothing_refusal_per_pair_on_screen(beheerder_client, organisatie, asbest, parkeren, kbulters):
    staat = {"dienst": [asbest.pk, parkeren.pk], "middel": [kbulters.pk], "keuze": "5"}
    html = beheerder_client.get(url(WIZARD, **staat)).content.decode()
    assert "bm-wizard__rij--geweigerd" in html
    response = beheerder_client.post(url(WIZARD), staat)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er is niets toegevoegd of gewijzigd" in html
    assert f"{kbulters.persoon.naam}</strong> – Gemeente Haarlem – Tijdelijke parkeervergunning" in html
    assert not Machtiging.objects.exists()


def test_r33_date_of_ones_own_out_of_range_refused_in_place(beheerder_client, organisatie, asbest, kbulters):
    te_laat = plus_jaren(vandaag(), 5) + dt.timedelta(days=1)
    staat = {
        "dienst": [asbest.pk],
        "middel": [kbulters.pk],
        "keuze": "zelf",
        "datum_dag": te_laat.day,
        "datum_maand": te_laat.month,
        "datum_jaar": te_laat.year,
    }
    html = beheerder_client.get(url(WIZARD, **staat)).content.decode()
    assert "De einddatum van een machtiging kan maximaal 5 jaar vooruit worden gezet." in html
    assert beheerder_client.post(url(WIZARD), staat).status_code == 200
    staat.update(datum_dag="31", datum_maand="2")
    html = beheerder_client.get(url(WIZARD, **staat)).content.decode()
    assert "Vul een bestaande datum in" in html
    assert not Machtiging.objects.exists()


def test_post_without_the_steps_is_refused(beheerder_client):
    response = beheerder_client.post(url(WIZARD), {"dienst": ["1"]})
    assert response.status_code == 200
    assert "Doorloop eerst de stappen 1, 2 en 3." in response.content.decode()


def test_foreign_people_and_unknown_diensten_are_not_shown_nor_added(beheerder_client, asbest):
    vreemd = KoppelingFactory(middel__persoon__achternaam="Vreemdeling").middel
    staat = {"dienst": [asbest.pk], "middel": [vreemd.pk], "keuze": "5"}
    html = beheerder_client.get(url(WIZARD, **staat)).content.decode()
    assert "Vreemdeling" not in html
    response = beheerder_client.post(url(WIZARD), staat)
    assert response.status_code == 200
    assert "Vreemdeling" not in response.content.decode()
    assert not Machtiging.objects.exists()
    html = beheerder_client.get(url(WIZARD, dienst=[999999])).content.decode()
    assert "Deze dienst bestaat niet (meer) in de dienstencatalogus." in html


def test_kies_einddatum_keeps_the_state(beheerder_client, asbest, kbulters):
    html = beheerder_client.get(
        url("machtigingen:kies_einddatum", dienst=asbest.pk, middel=kbulters.pk, keuze="3")
    ).content.decode()
    assert "5 jaar (meest gekozen)" in html and "Bepaal zelf de datum" in html
    assert re.search(r'<input type="radio" name="keuze" value="3"[^>]* checked', html)
    assert not re.search(r'<input type="radio" name="keuze" value="5"[^>]* checked', html)
    # The other steps travel along; its own step is the radio, not a hidden input.
    assert f'<input type="hidden" name="middel" value="{kbulters.pk}">' in html
    assert '<input type="hidden" name="keuze"' not in html


def test_popups_without_javascript_are_pages(beheerder_client, asbest):
    for naam in ("machtigingen:kies_diensten", "machtigingen:kies_gebruikers", "machtigingen:kies_einddatum"):
        html = beheerder_client.get(url(naam, dienst=asbest.pk)).content.decode()
        assert "<dialog" not in html and "Terug naar Voeg machtiging(en) toe" in html
        assert f'action="{reverse(WIZARD)}"' in html


def test_r24_a_chosen_group_stays_a_group(beheerder_client, organisatie, parkeren, kbulters):
    from groepen.models import Groep, GroepLid

    veenstra = houder(organisatie, "Sanne", "Veenstra", Niveau.EH3)
    groep = Groep.objects.create(organisatie=organisatie, naam="Financiën")
    for m in (kbulters, veenstra):
        GroepLid.objects.create(groep=groep, koppeling=m.koppelingen.get(organisatie=organisatie))
    html = beheerder_client.get(url("machtigingen:kies_gebruikers", dienst=parkeren.pk)).content.decode()
    assert "Financiën" in html and "Voor 1 lid telt de machtiging niet (niveau)." in html
    # R24: the group stays a group in the wizard's state (its members are not added one by one).
    response = beheerder_client.get(url(WIZARD, dienst=parkeren.pk, groep=groep.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groep Financiën" in html and "2 leden, 1 niet gedekt (niveau)" in html
    assert f"groep={groep.pk}" in html  # carried on to the next steps


# Session, person, organisation and beheer-koppeling are a part of each; the rest is the page's own.
WIZARD_QUERIES = 14
KIES_DIENSTEN_QUERIES = 10
KIES_GEBRUIKERS_QUERIES = 13


@pytest.mark.parametrize("aantal", [2, 20])
def test_wizard_and_popups_query_count_does_not_grow(
    beheerder_client, organisatie, ienw, django_assert_num_queries, aantal
):
    diensten = [DienstFactory(dienstverlener=ienw, niveau=Niveau.EH2) for _ in range(aantal)]
    middelen = [houder(organisatie, "P", f"Persoon{i}") for i in range(aantal)]
    staat = {"dienst": [d.pk for d in diensten], "middel": [m.pk for m in middelen], "keuze": "5"}
    beheerder_client.get(url(WIZARD, **staat))
    with django_assert_num_queries(WIZARD_QUERIES):
        assert beheerder_client.get(url(WIZARD, **staat)).status_code == 200
    with django_assert_num_queries(KIES_DIENSTEN_QUERIES):
        beheerder_client.get(url("machtigingen:kies_diensten", **staat), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(KIES_GEBRUIKERS_QUERIES):
        beheerder_client.get(url("machtigingen:kies_gebruikers", **staat), HTTP_HX_REQUEST="true")


def test_no_state_in_the_session(beheerder_client, asbest, kbulters):
    voor = dict(beheerder_client.session.items())
    beheerder_client.get(url(WIZARD, dienst=asbest.pk, middel=kbulters.pk))
    assert dict(beheerder_client.session.items()) == voor


def test_expired_and_revoked_machtiging_is_added_anew(beheerder_client, organisatie, asbest, kbulters):
    oud = machtiging(organisatie, kbulters, asbest, status=Status.INGETROKKEN)
    staat = {"dienst": [asbest.pk], "middel": [kbulters.pk], "keuze": "1"}
    beheerder_client.post(url(WIZARD), staat)
    assert Machtiging.objects.filter(middel=kbulters, status=Status.ACTIEF).exclude(pk=oud.pk).count() == 1


def test_r23_belastingdienstmiddel_greyed_unless_only_belastingdienst(beheerder_client, organisatie, asbest):
    from machtigingen.register_feiten import belastingdienst_oin
    from tests.gebruikers.factories import MiddelFactory

    bd = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True)).middel
    mijn_bd = DienstFactory(
        dienstverlener=DienstverlenerFactory(naam="Belastingdienst", oin=belastingdienst_oin()), niveau=Niveau.EH3
    )
    html = beheerder_client.get(url("machtigingen:kies_gebruikers", dienst=asbest.pk)).content.decode()
    assert f'value="{bd.pk}" id="id_middel_{bd.pk}" disabled' in html
    assert "Met een EH3 Belastingdienstmiddel kan alleen een machtiging voor diensten van de Belastingdienst" in html
    html = beheerder_client.get(url("machtigingen:kies_gebruikers", dienst=mijn_bd.pk)).content.decode()
    assert f'value="{bd.pk}" id="id_middel_{bd.pk}" disabled' not in html
