"""The Lopende aanvragen screen and its withdrawal pop-up: statuses, scoping, query count, refusals in place."""

import pytest
from django.urls import reverse

from gebruikers import services
from gebruikers.models import Aanvraag, Middel
from ketenmachtigingen.services import ketenmodule_aanvragen, ketenmodule_offerte_versturen
from organisaties.models import Organisatie
from tests.gebruikers.helpers import aanvraag_kwargs, beheerder_van, persoon_gegevens
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

LIJST = reverse("beheer:lopende_aanvragen")


def intrekken_url(aanvraag):
    return reverse("beheer:aanvraag_intrekken", args=[aanvraag.pk])


def aanvragen(beheerder, organisatie, n):
    return [
        services.middel_aanvragen(
            **aanvraag_kwargs(
                beheerder,
                organisatie,
                persoon_gegevens=persoon_gegevens(achternaam=f"Nieuw{i}", email=f"nieuw{i}@example.com"),
            )
        )
        for i in range(n)
    ]


def test_the_list_shows_each_open_aanvraag_with_its_state_and_date(beheerder_client, beheerder, organisatie, tarieven):
    (aanvraag,) = aanvragen(beheerder, organisatie, 1)
    response = beheerder_client.get(LIJST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nieuw eHerkenningsmiddel" in html and "K. Nieuw0" in html and "In behandeling" in html
    assert aanvraag.aangevraagd_op.astimezone().strftime("%d-%m-%Y") in html
    assert intrekken_url(aanvraag) in html  # made by this beheerder: may be withdrawn


def test_another_beheerders_aanvraag_is_listed_without_the_withdraw_action(client, beheerder, organisatie, tarieven):
    (aanvraag,) = aanvragen(beheerder, organisatie, 1)
    collega = beheerder_van(organisatie).middel.persoon
    inloggen_geverifieerd(client, collega)
    html = client.get(LIJST).content.decode()
    assert "K. Nieuw0" in html and intrekken_url(aanvraag) not in html
    # Asking anyway: the refusal in place, nothing changes.
    response = client.post(intrekken_url(aanvraag))
    assert response.status_code == 200
    assert "Alleen de beheerder die de aanvraag heeft gedaan" in response.content.decode()
    aanvraag.refresh_from_db()
    assert aanvraag.status == Aanvraag.Status.IN_BEHANDELING


def test_aanvragen_of_other_organisations_are_not_listed_and_their_ids_are_404(beheerder_client, tarieven):
    ander = OrganisatieFactory(naam="Vreemd B.V.")
    (vreemd,) = aanvragen(beheerder_van(ander).middel.persoon, ander, 1)
    assert "K. Nieuw0" not in beheerder_client.get(LIJST).content.decode()
    assert beheerder_client.get(intrekken_url(vreemd)).status_code == 404
    assert beheerder_client.post(intrekken_url(vreemd)).status_code == 404
    assert beheerder_client.get(reverse("beheer:aanvraag_intrekken", args=[999_999])).status_code == 404
    vreemd.refresh_from_db()
    assert vreemd.status == Aanvraag.Status.IN_BEHANDELING


@pytest.mark.parametrize("aantal", [1, 4])
def test_the_list_takes_the_same_queries_for_one_or_many(
    beheerder_client, beheerder, organisatie, tarieven, django_assert_num_queries, aantal
):
    aanvragen(beheerder, organisatie, aantal)
    beheerder_client.get(LIJST)  # warm the session
    # Session, user, OTP device, the middleware's organisations and middel, ONE query for the rows, and the session
    # saved again (a savepoint, the update, its release).
    with django_assert_num_queries(9):
        response = beheerder_client.get(LIJST)
    assert response.content.decode().count('data-testid="lopende-aanvraag"') == aantal


def test_withdrawing_without_javascript_confirms_then_redirects_with_a_confirmation(
    beheerder_client, beheerder, organisatie, tarieven
):
    (aanvraag,) = aanvragen(beheerder, organisatie, 1)
    bevestiging = beheerder_client.get(intrekken_url(aanvraag))
    assert bevestiging.status_code == 200
    assert "Weet u zeker dat u deze aanvraag wilt intrekken?" in bevestiging.content.decode()
    response = beheerder_client.post(intrekken_url(aanvraag), follow=True)
    assert response.redirect_chain == [(LIJST, 302)]
    html = response.content.decode()
    assert "De aanvraag ‘Nieuw eHerkenningsmiddel’ is ingetrokken." in html
    assert "Er zijn geen lopende aanvragen." in html
    aanvraag.middel.refresh_from_db()
    assert aanvraag.middel.status == Middel.Status.BEEINDIGD
    # Again: it is no longer open, so the refusal says so and nothing changes.
    nogmaals = beheerder_client.post(intrekken_url(aanvraag))
    assert nogmaals.status_code == 200
    assert "al behandeld" in nogmaals.content.decode()


def test_withdrawing_with_htmx_opens_a_popup_and_redirects_on_success(
    beheerder_client, beheerder, organisatie, tarieven
):
    (aanvraag,) = aanvragen(beheerder, organisatie, 1)
    popup = beheerder_client.get(intrekken_url(aanvraag), headers={"HX-Request": "true"})
    assert popup.status_code == 200
    assert popup["HX-Retarget"] == "body" and popup["HX-Reswap"] == "beforeend"
    assert popup.content.decode().lstrip().startswith("<dialog") or "<dialog" in popup.content.decode()
    response = beheerder_client.post(
        intrekken_url(aanvraag), headers={"HX-Request": "true", "HX-Target": "bm-popup-inhoud"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == LIJST


def test_the_overview_is_get_only(beheerder_client):
    assert beheerder_client.post(LIJST).status_code == 405


def test_the_start_page_links_to_lopende_aanvragen_and_the_logboek(beheerder_client):
    html = beheerder_client.get(reverse("beheer:start")).content.decode()
    assert LIJST in html and reverse("logboek:overzicht") in html


def test_the_ketenmodule_shows_its_own_state_and_is_withdrawable_only_before_the_quote(
    beheerder_client, beheerder, organisatie, support
):
    module = ketenmodule_aanvragen(actor=beheerder, organisatie=organisatie)
    aanvraag = Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE)
    html = beheerder_client.get(LIJST).content.decode()
    assert "Module ketenmachtigingen" in html and "Aangevraagd" in html and intrekken_url(aanvraag) in html
    ketenmodule_offerte_versturen(door=support, module=module)
    html = beheerder_client.get(LIJST).content.decode()
    assert "Offerte verstuurd" in html and intrekken_url(aanvraag) not in html


def test_a_new_organisation_asked_from_here_is_listed_and_can_be_withdrawn(beheerder_client, beheerder, organisatie):
    nieuw = OrganisatieFactory(naam="Test NV Katrien", status=Organisatie.Status.AANGEVRAAGD)
    aanvraag = Aanvraag.objects.create(
        soort=Aanvraag.Soort.NIEUWE_ORGANISATIE,
        organisatie=nieuw,
        aangevraagd_door=beheerder,
        gegevens={"vanuit": organisatie.pk, "koppelingen": []},
    )
    html = beheerder_client.get(LIJST).content.decode()
    assert "Nieuwe organisatie" in html and intrekken_url(aanvraag) in html
    response = beheerder_client.post(intrekken_url(aanvraag))
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    nieuw.refresh_from_db()
    assert aanvraag.status == Aanvraag.Status.INGETROKKEN and nieuw.status == Organisatie.Status.OPGEZEGD
