"""The pop-ups on one machtiging in the rubriek Machtigingen (§4.3): Wijzig de einddatum (potlood), Verleng
machtiging (R34) and Intrekken (R35); refusals on the form (R33, R73), audit (R74), confirmation, 404 for foreign
or no longer running machtigingen (R4)."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import plus_jaren, vandaag
from machtigingen.models import Machtiging, Status
from tests.datum import datum_velden
from tests.machtigingen.factories import MachtigingFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
ACTIES = ("einddatum", "verlengen", "intrekken")


def url(actie, m):
    return reverse(f"machtigingen:{actie}", args=[m.pk])


def details_url(m):
    return reverse("machtigingen:details", args=["dienst", m.dienst_id])


# Wijzig de einddatum (potlood, §3.11.1) ------------------------------------------------------------------------


def test_einddatum_without_javascript_is_a_page_naming_person_and_dienst(beheerder_client, santos):
    response = beheerder_client.get(url("einddatum", santos["bakker"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terug naar Machtigingen" in html
    assert "W. Bakker: Ministerie van Infrastructuur en Waterstaat – Landelijk Asbestvolgsysteem" in html
    assert "Ja, wijzig einddatum" in html


def test_einddatum_with_htmx_is_a_dialog(beheerder_client, santos):
    response = beheerder_client.get(url("einddatum", santos["bakker"]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<dialog class="bm-popup"')
    assert f'hx-post="{url("einddatum", santos["bakker"])}"' in html


def test_r33_r74_einddatum_changed_audited_and_confirmed(beheerder_client, santos, beheerder):
    m = santos["bakker"]
    nieuw = vandaag() + dt.timedelta(days=100)
    response = beheerder_client.post(url("einddatum", m), datum_velden("eindigt_op", nieuw))
    assert response.status_code == 302
    assert response.url == details_url(m)
    m.refresh_from_db()
    assert m.eindigt_op == nieuw
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD, object_id=str(m.pk))
    assert entry.actor == beheerder and entry.organisatie_id == m.organisatie_id
    html = beheerder_client.get(response.url).content.decode()
    assert f"is gewijzigd naar {nieuw:%d-%m-%Y}" in html


def test_einddatum_with_htmx_closes_the_dialog_and_reloads_the_line(beheerder_client, santos):
    m = santos["bakker"]
    nieuw = vandaag() + dt.timedelta(days=100)
    response = beheerder_client.post(url("einddatum", m), datum_velden("eindigt_op", nieuw), **HTMX)
    assert response.status_code == 200
    trigger = response["HX-Trigger"]
    assert f"bm-machtigingen-dienst-{m.dienst_id}" in trigger
    assert "bm-popup-sluiten" in trigger
    assert trigger.index("bm-machtigingen-dienst") < trigger.index("bm-popup-sluiten")
    assert response["HX-Reswap"] == "none"
    assert "is gewijzigd naar" in response.content.decode()


@pytest.mark.parametrize(
    ("dagen", "melding"),
    [
        (0, "De einddatum kan op zijn vroegst de volgende dag zijn."),
        (5 * 366 + 2, "De einddatum van een machtiging kan maximaal 5 jaar vooruit worden gezet."),
    ],
)
def test_r33_r73_refused_einddatum_is_shown_and_changes_nothing(beheerder_client, santos, dagen, melding):
    m = santos["bakker"]
    voor = m.eindigt_op
    response = beheerder_client.post(
        url("einddatum", m), datum_velden("eindigt_op", vandaag() + dt.timedelta(days=dagen)), **HTMX
    )
    assert response.status_code == 200
    assert melding in response.content.decode()
    m.refresh_from_db()
    assert m.eindigt_op == voor
    assert not AuditEntry.objects.filter(object_id=str(m.pk)).exists()


def test_einddatum_that_is_not_a_date_is_refused(beheerder_client, santos):
    m = santos["bakker"]
    response = beheerder_client.post(
        url("einddatum", m), {"eindigt_op_dag": "morgen", "eindigt_op_maand": "1", "eindigt_op_jaar": "2027"}
    )
    assert response.status_code == 200
    assert "Vul een bestaande datum in: dag, maand en jaar in cijfers." in response.content.decode()


# Verleng machtiging (R34) --------------------------------------------------------------------------------------


def test_r34_verlengen_3_jaar(beheerder_client, santos):
    m = santos["veenstra"]
    response = beheerder_client.get(url("verlengen", m), **HTMX)
    assert "5 jaar (meest gekozen)" in response.content.decode()
    response = beheerder_client.post(url("verlengen", m), {"keuze": "3"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.eindigt_op == plus_jaren(vandaag(), 3)
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_VERLENGD, object_id=str(m.pk)).count() == 1


def test_r34_verlengen_own_date_needs_a_date(beheerder_client, santos):
    m = santos["veenstra"]
    voor = m.eindigt_op
    response = beheerder_client.post(url("verlengen", m), {"keuze": "zelf"})
    assert response.status_code == 200
    assert "Vul de einddatum in: dag, maand en jaar." in response.content.decode()
    response = beheerder_client.post(url("verlengen", m), {"keuze": "7"})
    assert response.status_code == 200
    m.refresh_from_db()
    assert m.eindigt_op == voor
    datum = vandaag() + dt.timedelta(days=300)
    response = beheerder_client.post(url("verlengen", m), {"keuze": "zelf", **datum_velden("datum", datum)})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.eindigt_op == datum


# Intrekken (R35) -----------------------------------------------------------------------------------------------


def test_r35_intrekken_confirmation_page_then_revoked_for_good(beheerder_client, santos):
    m = santos["bakker"]
    response = beheerder_client.get(url("intrekken", m))
    assert response.status_code == 200
    assert "Wilt u de machtiging" in response.content.decode()
    response = beheerder_client.post(url("intrekken", m))
    assert response.status_code == 302
    assert response.url == details_url(m)  # Veenstra still holds it
    m.refresh_from_db()
    assert m.status == Status.INGETROKKEN
    assert AuditEntry.objects.filter(actie=Actie.MACHTIGING_INGETROKKEN, object_id=str(m.pk)).count() == 1
    html = beheerder_client.get(response.url).content.decode()
    assert "is ingetrokken." in html
    assert "W. Bakker" not in html
    assert "1 Gebruiker<" in html
    # Once revoked, nothing can be done with it any more.
    for actie in ACTIES:
        assert beheerder_client.get(url(actie, m)).status_code == 404


def test_r35_revoking_the_last_holder_goes_back_to_the_overview(beheerder_client, santos):
    beheerder_client.post(url("intrekken", santos["bakker"]))
    response = beheerder_client.post(url("intrekken", santos["veenstra"]))
    assert response.status_code == 302
    assert response.url == reverse("machtigingen:overzicht")


def test_r35_delayed_intrekken_with_htmx_reloads_the_line(beheerder_client, santos):
    m = santos["bakker"]
    response = beheerder_client.post(url("intrekken", m), HTTP_HX_TARGET=f"machtiging-{m.pk}", **HTMX)
    assert response.status_code == 200
    assert f"bm-machtigingen-dienst-{m.dienst_id}" in response["HX-Trigger"]


def test_r35_refused_delayed_intrekken_opens_a_dialog_and_reloads_the_line(beheerder_client, santos, monkeypatch):
    from common.errors import DomainError
    from machtigingen import services

    def weiger(**kwargs):
        raise DomainError(services.MACHTIGING_NIET_ACTIEF, rule="R35")

    monkeypatch.setattr(services, "machtiging_intrekken", weiger)
    m = santos["bakker"]
    response = beheerder_client.post(url("intrekken", m), HTTP_HX_TARGET=f"machtiging-{m.pk}", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<dialog class="bm-popup"')
    assert "Deze machtiging is niet meer actief." in html
    assert response["HX-Retarget"] == "body"
    assert f"bm-machtigingen-dienst-{m.dienst_id}" in response["HX-Trigger"]
    m.refresh_from_db()
    assert m.status == Status.ACTIEF


# Scoping (R4) and methods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("actie", ACTIES)
@pytest.mark.parametrize("methode", ["get", "post"])
def test_r4_machtiging_of_another_organisation_is_404(beheerder_client, santos, actie, methode):
    vreemd = MachtigingFactory()
    response = getattr(beheerder_client, methode)(url(actie, vreemd), {"keuze": "5"})
    assert response.status_code == 404
    vreemd.refresh_from_db()
    assert vreemd.status == Status.ACTIEF and vreemd.eindigt_op == plus_jaren(vreemd.begint_op, 5)


@pytest.mark.parametrize("actie", ACTIES)
def test_r4_missing_machtiging_is_404(beheerder_client, santos, actie):
    assert beheerder_client.get(reverse(f"machtigingen:{actie}", args=[999999])).status_code == 404


@pytest.mark.parametrize("actie", ACTIES)
def test_actions_answer_put_with_405(beheerder_client, santos, actie):
    assert beheerder_client.put(url(actie, santos["bakker"])).status_code == 405


def test_r4_another_beheerder_cannot_reach_our_machtiging(client, santos, andere_beheerder):
    from tests.inloggen.helpers import inloggen_geverifieerd

    inloggen_geverifieerd(client, andere_beheerder)
    m = santos["bakker"]
    for actie in ACTIES:
        assert client.post(url(actie, m), {"keuze": "5"}).status_code == 404
    assert Machtiging.objects.get(pk=m.pk).status == Status.ACTIEF


@pytest.mark.parametrize(("actie", "template"), [(a, f"machtigingen/popup/{a}.html") for a in ACTIES])
def test_both_rubrieken_serve_the_same_pop_up(beheerder_client, santos, actie, template):
    """The rubriek Gebruikers and the rubriek Machtigingen share one form, one template, one handler."""
    m = santos["bakker"]
    van_gebruiker = reverse(f"gebruikers:machtiging_{actie}", args=[m.middel.persoon_id, m.pk])
    for pad in (url(actie, m), van_gebruiker):
        response = beheerder_client.get(pad, **HTMX)
        assert response.status_code == 200
        assert template in [t.name for t in response.templates]
