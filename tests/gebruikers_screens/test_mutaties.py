"""Screens of the actions on one person (§3.1.1–§3.8): personas, refusals shown in place, rules through the screen."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from common.dates import vandaag
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel
from tests.datum import datum_velden
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import tarieven  # noqa: F401


@pytest.fixture
def bulters(organisatie):
    return KoppelingFactory(
        organisatie=organisatie,
        middel__niveau=Niveau.EH2_PLUS,
        middel__persoon__voornamen="Katarina",
        middel__persoon__achternaam="Bulters",
    )


def url(naam, persoon):
    return reverse(f"gebruikers:{naam}", args=[persoon.pk])


def test_rol_wijzigen_beheerder_changes_role(beheerder_client, bulters):
    response = beheerder_client.get(url("rol_wijzigen", bulters.middel.persoon))
    assert response.status_code == 200
    assert "Let op! Beheerders hebben beheerrechten" not in response.content.decode()  # split by <strong>
    assert "Reguliere gebruiker" in response.content.decode()
    response = beheerder_client.post(url("rol_wijzigen", bulters.middel.persoon), {"rol": "beheerder"})
    assert response.status_code == 302
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.BEHEERDER


def test_rol_wijzigen_htmx_get_is_a_dialog_and_post_closes_it(beheerder_client, bulters):
    response = beheerder_client.get(url("rol_wijzigen", bulters.middel.persoon), HTTP_HX_REQUEST="true")
    assert b"<dialog" in response.content
    response = beheerder_client.post(
        url("rol_wijzigen", bulters.middel.persoon), {"rol": "beheerder"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert list(json.loads(response["HX-Trigger"])) == [f"bm-details-{bulters.middel.persoon_id}", "bm-popup-sluiten"]


def test_gebruiker_is_redirected_without_effect(client, gebruiker, bulters):
    client.force_login(gebruiker)
    response = client.post(url("rol_wijzigen", bulters.middel.persoon), {"rol": "beheerder"})
    assert response.status_code == 302
    bulters.refresh_from_db()
    assert bulters.rol == Koppeling.Rol.GEBRUIKER


def test_person_of_other_organisation_gets_404(beheerder_client, bulters):
    # A foreign id answers as a missing one (R4): the beheerder of Santos asks for someone elsewhere.
    vreemd = KoppelingFactory(organisatie__naam="Zeeland B.V.").middel.persoon
    for naam in ("rol_wijzigen", "opzeggen", "telefoon_wijzigen", "koppelen", "type_wijzigen", "niveau_wijzigen"):
        assert beheerder_client.get(url(naam, vreemd)).status_code == 404
        assert beheerder_client.post(url(naam, vreemd), {"rol": "beheerder"}).status_code == 404


def test_signed_out_goes_to_login(client, bulters):
    response = client.get(url("rol_wijzigen", bulters.middel.persoon))
    assert response.status_code == 302
    assert "inloggen" in response["Location"] or "login" in response["Location"]


def test_put_is_not_allowed(beheerder_client, bulters):
    assert beheerder_client.put(url("rol_wijzigen", bulters.middel.persoon)).status_code == 405


def test_r6_own_role_refused_in_place(beheerder_client, beheerder, organisatie):
    KoppelingFactory(organisatie=organisatie, beheerder=True)
    response = beheerder_client.post(url("rol_wijzigen", beheerder), {"rol": "gebruiker"})
    assert response.status_code == 200
    assert "U kunt uw eigen rol niet wijzigen" in response.content.decode()
    assert Koppeling.objects.get(middel__persoon=beheerder, organisatie=organisatie).rol == "beheerder"


def test_r8_belastingdienst_never_beheerder_in_place(beheerder_client, organisatie):
    k = KoppelingFactory(organisatie=organisatie, middel__belastingdienst=True)
    response = beheerder_client.post(url("rol_wijzigen", k.middel.persoon), {"rol": "beheerder"})
    assert "Er zijn geen beheerders met een Belastingdienstmiddel" in response.content.decode()
    k.refresh_from_db()
    assert k.rol == "gebruiker"


def test_r13_open_mutation_refuses_koppelen(beheerder_client, beheerder, organisatie, bulters, tarieven):  # noqa: F811
    andere = KoppelingFactory(middel=beheerder.middel, beheerder=True, organisatie__naam="Zeeland B.V.").organisatie
    Aanvraag.objects.create(
        soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=bulters.middel, aangevraagd_door=beheerder
    )
    response = beheerder_client.post(
        url("koppelen", bulters.middel.persoon), {"rol": "gebruiker", "organisaties": [andere.pk], "akkoord": "on"}
    )
    assert "Er is al een mutatie voor deze gebruiker in behandeling" in response.content.decode()
    assert not Koppeling.objects.filter(middel=bulters.middel, organisatie=andere).exists()


def test_r19_opzeggen_per_direct_removes_person(beheerder_client, bulters):
    response = beheerder_client.post(url("opzeggen", bulters.middel.persoon), {"moment": "per_direct"})
    assert response.status_code == 302
    bulters.refresh_from_db()
    assert bulters.status == Koppeling.Status.BEEINDIGD
    assert beheerder_client.get(url("opzeggen", bulters.middel.persoon)).status_code == 404


def test_r19_opzeggen_op_datum_in_the_past_refused_in_place(beheerder_client, bulters):
    response = beheerder_client.post(
        url("opzeggen", bulters.middel.persoon), {"moment": "datum", **datum_velden("datum", vandaag())}
    )
    assert "Kies een datum in de toekomst" in response.content.decode()
    bulters.refresh_from_db()
    assert bulters.opzeggen_per is None


def test_r20_sole_beheerder_sees_refusal(beheerder_client, beheerder, bulters):
    response = beheerder_client.get(url("opzeggen", beheerder))
    assert "Helaas is het op dit moment niet mogelijk" in response.content.decode()
    response = beheerder_client.post(url("opzeggen", beheerder), {"moment": "per_direct"})
    assert "Helaas is het op dit moment niet mogelijk" in response.content.decode()
    assert Koppeling.objects.get(middel__persoon=beheerder).status == Koppeling.Status.ACTIEF


def test_r20_last_one_warned_then_whole_organisation(beheerder_client, beheerder, organisatie):
    response = beheerder_client.get(url("opzeggen", beheerder))
    assert "eHerkenning voor de hele organisatie opzegt" in response.content.decode()
    response = beheerder_client.get(url("opzeggen", beheerder) + "?doorgaan=1")
    assert 'name="bevestig_opzeggen_organisatie"' in response.content.decode()
    response = beheerder_client.post(
        url("opzeggen", beheerder), {"moment": "per_direct", "bevestig_opzeggen_organisatie": "True"}
    )
    assert response.status_code == 302
    organisatie.refresh_from_db()
    assert organisatie.status == organisatie.Status.OPGEZEGD


def test_r21_phone_of_other_changed(beheerder_client, bulters):
    response = beheerder_client.post(
        url("telefoon_wijzigen", bulters.middel.persoon), {"land": "NL", "mobiel": "06 22955550"}
    )
    assert response.status_code == 302
    bulters.middel.persoon.refresh_from_db()
    assert bulters.middel.persoon.mobiel == "+31622955550"


def test_r21_own_phone_refused_in_place(beheerder_client, beheerder):
    response = beheerder_client.post(url("telefoon_wijzigen", beheerder), {"land": "NL", "mobiel": "0622955550"})
    assert "wijzigingsformulier" in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.mobiel != "+31622955550"


def test_r22_email_after_activation_refused_in_place(beheerder_client, bulters):
    response = beheerder_client.post(url("email_wijzigen", bulters.middel.persoon), {"email": "nieuw@example.com"})
    assert "alleen de gebruiker zelf" in response.content.decode()
    assert 'value="nieuw@example.com"' in response.content.decode()  # the input is kept


def test_r22_email_before_activation_changed(beheerder_client, organisatie):
    k = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True))
    response = beheerder_client.post(url("email_wijzigen", k.middel.persoon), {"email": "a.zeeuw@domein.nl"})
    assert response.status_code == 302
    k.middel.persoon.refresh_from_db()
    assert k.middel.persoon.email == "a.zeeuw@domein.nl"


def test_r23_type_change_needs_acknowledgement(beheerder_client, organisatie, tarieven):  # noqa: F811
    k = KoppelingFactory(organisatie=organisatie, middel__belastingdienst=True)
    response = beheerder_client.get(url("type_wijzigen", k.middel.persoon))
    assert "Kies uw middel" in response.content.decode()
    response = beheerder_client.post(
        url("type_wijzigen", k.middel.persoon), {"type": "regulier", "abonnement_jaren": "1"}
    )
    assert "Bevestig dat u zich bewust bent" in response.content.decode()
    k.middel.refresh_from_db()
    assert k.middel.type == Middel.Type.BELASTINGDIENST
    response = beheerder_client.post(
        url("type_wijzigen", k.middel.persoon), {"type": "regulier", "abonnement_jaren": "1", "bevestigd": "on"}
    )
    assert response.status_code == 302
    k.middel.refresh_from_db()
    assert k.middel.type == Middel.Type.REGULIER


def test_nieuwe_uitnodiging_needs_cost_acceptance(beheerder_client, organisatie, tarieven):  # noqa: F811
    m = MiddelFactory(status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=vandaag() - dt.timedelta(days=1))
    k = KoppelingFactory(organisatie=organisatie, middel=m)
    response = beheerder_client.get(url("nieuwe_uitnodiging", k.middel.persoon))
    assert "Let op: Aan het opvragen van een nieuwe activatiebrief zijn kosten verbonden." in response.content.decode()
    response = beheerder_client.post(url("nieuwe_uitnodiging", k.middel.persoon), {})
    assert "Ga akkoord met de kosten" in response.content.decode()
    assert not Aanvraag.objects.filter(middel=m).exists()
    response = beheerder_client.post(url("nieuwe_uitnodiging", k.middel.persoon), {"akkoord": "on"})
    assert response.status_code == 302
    assert Aanvraag.objects.filter(middel=m, soort=Aanvraag.Soort.NIEUWE_ACTIVATIE).exists()


def test_r11_niveau_upgrade_request(beheerder_client, bulters, tarieven):  # noqa: F811
    response = beheerder_client.get(url("niveau_wijzigen", bulters.middel.persoon))
    assert "Kies het gewenste niveau van de gebruiker" in response.content.decode()
    response = beheerder_client.post(
        url("niveau_wijzigen", bulters.middel.persoon),
        {
            "niveau": str(int(Niveau.EH3)),
            "rol": "gebruiker",
            "akkoord": "on",
            "postcode": "1012AB",
            "huisnummer": "1",
            "straat": "Stationsplein",
            "plaats": "Amsterdam",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Aanvraag.objects.filter(middel=bulters.middel, soort=Aanvraag.Soort.UPGRADE).exists()


@pytest.mark.parametrize("naam", ["rol_wijzigen", "telefoon_wijzigen", "opzeggen", "niveau_wijzigen", "koppelen"])
def test_popup_query_count_is_pinned(beheerder_client, bulters, django_assert_num_queries, naam, tarieven):  # noqa: F811
    beheerder_client.get(url(naam, bulters.middel.persoon), HTTP_HX_REQUEST="true")  # warm up
    expected = {"rol_wijzigen": 12, "telefoon_wijzigen": 12, "opzeggen": 12, "niveau_wijzigen": 16, "koppelen": 15}[
        naam
    ]
    with django_assert_num_queries(expected):
        beheerder_client.get(url(naam, bulters.middel.persoon), HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("naam", ["niveau_wijzigen", "koppelen", "type_wijzigen"])
def test_r17_the_live_cost_block_asks_its_own_url_again(beheerder_client, organisatie, tarieven, naam):  # noqa: F811
    """The re-rendered cost block must ask the action's URL, not a relative '?deel=kosten' of the page around the
    pop-up (which swapped the whole Gebruikers list into "5. Kosten eHerkenning", §3.8.1)."""
    k = KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH2_PLUS)
    if naam == "type_wijzigen":
        k = KoppelingFactory(organisatie=organisatie, middel__belastingdienst=True)
    actie = url(naam, k.middel.persoon)
    response = beheerder_client.get(actie + "?deel=kosten&drie_jaar=on", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="bm-kosten"')
    assert f'hx-get="{actie}?deel=kosten"' in html
