"""Screens of Ketenmachtigingen afgegeven (§5.2): the overview, + Voeg toe, informing the intermediair (PDF),
extending, revoking and Verwijder bedrijf (R39–R42, R45, R46, R72, R73, R74)."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, Soort
from catalogus.models import Dienst
from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from handelsregister.services import handelsregister_laden
from ketenmachtigingen import services as keten
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Scope, Status
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.datum import datum_velden
from tests.gebruikers.factories import KoppelingFactory
from tests.handelsregister.conftest import DATA_FILE
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

OVERZICHT = reverse("ketenmachtigingen:afgegeven")
TOEVOEGEN = reverse("ketenmachtigingen:afgegeven_toevoegen")


@pytest.fixture
def register(db):
    """The embedded Handelsregister with Accountants Vries (47474747) and Santos B.V. (12345678)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    handelsregister_laden(data=data)


@pytest.fixture
def tarief(db):
    return Tarief.objects.update_or_create(
        code=Tarief.Code.KETENMACHTIGING, periode=Tarief.Periode.JAAR, defaults={"bedrag": Decimal("19.95")}
    )[0]


@pytest.fixture
def intermediair(db):
    return OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")


@pytest.fixture
def medewerker(intermediair):
    """A regular EH3 middel at the intermediair, linkable to received ketenmachtigingen (R44)."""
    return KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel


@pytest.fixture
def intermediair_beheerder(intermediair):
    return KoppelingFactory(organisatie=intermediair, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon


def geef(verlener, intermediair, *, scope=Scope.ALGEMEEN, niveau=Niveau.EH3, jaren=5, **extra):
    return Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=scope,
        niveau=niveau if scope == Scope.ALGEMEEN else None,
        begint_op=vandaag(),
        eindigt_op=plus_jaren(vandaag(), jaren),
        **extra,
    )


def invoer(inhoud: str, id_: str) -> str:
    """The <input> of that id, as the form renderer draws it."""
    return re.search(rf'<input[^>]*id="{id_}"[^>]*>', inhoud).group(0)


def html(response) -> str:
    return response.content.decode()


# --- The overview (R41) --------------------------------------------------------------------------------------


def test_r41_empty_overview_shows_the_manual_texts(beheerder_client):
    response = beheerder_client.get(OVERZICHT)
    assert response.status_code == 200
    inhoud = html(response)
    assert "Er zijn nog geen ketenmachtigingen aangemaakt" in inhoud
    assert "Initieer één of meerdere nieuwe ketenmachtigingen" in inhoud
    assert "Hier kunt u namens uw organisatie, een ketenmachtiging afgeven" in inhoud
    assert f'href="{TOEVOEGEN}"' in inhoud
    # The menu item appears once the screen exists.
    assert "Ketenmachtigingen afgegeven" in inhoud


def test_r41_overview_groups_per_intermediair_with_details(beheerder_client, organisatie, intermediair):
    k = geef(organisatie, intermediair)
    dienst = DienstFactory(naam="Aangifte loonheffingen", niveau=Niveau.EH3)
    geef(organisatie, intermediair, scope=Scope.DIENST, dienst=dienst)
    # Another verlener's ketenmachtiging and a revoked one are not listed.
    geef(OrganisatieFactory(), OrganisatieFactory(naam="Vreemde Intermediair"))
    geef(organisatie, OrganisatieFactory(naam="Oud Kantoor"), status=Status.INGETROKKEN)

    inhoud = html(beheerder_client.get(OVERZICHT))
    assert "Accountants Vries" in inhoud and "2 machtigingen" in inhoud
    assert "Algemene bevoegdheid" in inhoud and "Alle diensten tot en met EH3" in inhoud
    assert f"geldig tot: {k.eindigt_op:%d-%m-%Y}" in inhoud
    assert "Aangifte loonheffingen" in inhoud
    assert "Intermediair informatie" in inhoud and "Bedrijfsnaam" in inhoud and "47474747" in inhoud
    assert "Voeg machtiging toe" in inhoud and "Verwijder bedrijf" in inhoud
    assert "Vreemde Intermediair" not in inhoud and "Oud Kantoor" not in inhoud


def test_r41_one_machtiging_in_the_singular(beheerder_client, organisatie, intermediair):
    geef(organisatie, intermediair)
    assert "1 machtiging<" in html(beheerder_client.get(OVERZICHT))


def _vul(organisatie, intermediairs: int, per: int):
    for i in range(intermediairs):
        org = OrganisatieFactory(naam=f"Intermediair {i}")
        for niveau in list(Niveau)[:per]:
            geef(organisatie, org, niveau=niveau)


# Session, user, the beheer context (organisations, middel), the second factor, the menu and ONE query for
# every intermediair with all its ketenmachtigingen.
OVERZICHT_QUERIES = 9


def test_r41_overview_query_count_does_not_grow(beheerder_client, organisatie, django_assert_num_queries):
    _vul(organisatie, 1, 1)
    with django_assert_num_queries(OVERZICHT_QUERIES):
        assert beheerder_client.get(OVERZICHT).status_code == 200
    _vul(organisatie, 6, 4)
    with django_assert_num_queries(OVERZICHT_QUERIES):
        response = beheerder_client.get(OVERZICHT)
    assert html(response).count('data-testid="intermediair-') == 7


# --- R40: who may issue -------------------------------------------------------------------------------------------


@pytest.fixture
def eh2plus_client(client, organisatie):
    persoon = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    return inloggen_geverifieerd(client, persoon)


def test_r40_eh2plus_beheerder_sees_why_and_no_actions(eh2plus_client, organisatie, intermediair):
    k = geef(organisatie, intermediair)
    response = eh2plus_client.get(OVERZICHT)
    assert response.status_code == 200
    inhoud = html(response)
    assert "regulier eHerkenningsmiddel op niveau EH3 of hoger nodig" in inhoud
    assert f'href="{TOEVOEGEN}"' not in inhoud
    assert reverse("ketenmachtigingen:afgegeven_machtiging_toevoegen", args=[intermediair.pk]) not in inhoud
    assert reverse("ketenmachtigingen:afgegeven_verlengen", args=[k.pk]) not in inhoud


def test_r40_eh2plus_beheerder_refused_by_direct_post(eh2plus_client, organisatie, intermediair, register, tarief):
    assert eh2plus_client.get(TOEVOEGEN).status_code == 403
    response = eh2plus_client.post(
        TOEVOEGEN, {"kvk": "47474747", "algemeen": [Niveau.EH2], "duur": "5", "akkoord": "on"}
    )
    assert response.status_code == 403
    assert "EH3 of hoger" in html(response)
    assert not Ketenmachtiging.objects.exists()
    k = geef(organisatie, intermediair)
    eind = k.eindigt_op
    response = eh2plus_client.post(reverse("ketenmachtigingen:afgegeven_verlengen", args=[k.pk]), {"duur": "1"})
    assert response.status_code == 403
    k.refresh_from_db()
    assert k.eindigt_op == eind


def test_r40_r23_belastingdienst_middel_never_reaches_the_screen(client, organisatie, register, tarief):
    # R8: a Belastingdienst middel is never beheerder, so the Beheermodule sends it to the own profile.
    persoon = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__belastingdienst=True).middel.persoon
    inloggen_geverifieerd(client, persoon)
    for response in (
        client.get(OVERZICHT),
        client.get(TOEVOEGEN),
        client.post(TOEVOEGEN, {"kvk": "47474747", "algemeen": [Niveau.EH3], "duur": "5", "akkoord": "on"}),
    ):
        assert response.status_code == 302 and response.url == "/profiel/"
    assert not Ketenmachtiging.objects.exists()


# --- + Voeg toe (R40, R39, R72, R73) ----------------------------------------------------------------------------------


def test_r40_step_one_asks_the_kvk_nummer(beheerder_client):
    response = beheerder_client.get(TOEVOEGEN)
    assert response.status_code == 200
    inhoud = html(response)
    assert "Leg een nieuwe ketenmachtiging vast" in inhoud and "KVK-nummer" in inhoud
    assert "Selecteer bedrijf" in inhoud and "2. Kies diensten" not in inhoud


@pytest.mark.parametrize(
    ("kvk", "melding"),
    [
        ("1234", "Een KvK-nummer bestaat uit precies 8 cijfers."),
        ("abcdefgh", "Een KvK-nummer bestaat uit precies 8 cijfers."),
        ("11111111", "Geen organisatie gevonden met KvK-nummer 11111111."),
        ("12345678", "U kunt geen ketenmachtiging aan uw eigen organisatie afgeven."),
    ],
)
def test_r40_malformed_unknown_or_own_kvk_refused(beheerder_client, register, kvk, melding):
    response = beheerder_client.get(TOEVOEGEN, {"kvk": kvk})
    assert response.status_code == 200
    inhoud = html(response)
    assert melding in inhoud and "2. Kies diensten" not in inhoud


def test_r40_selecteer_bedrijf_shows_the_handelsregister_data_and_costs(beheerder_client, register, tarief):
    response = beheerder_client.get(TOEVOEGEN, {"kvk": "4747 4747"})
    assert response.status_code == 200
    inhoud = html(response)
    assert "Accountants Vries" in inhoud and "47474747" in inhoud and "PC + plaats" in inhoud
    assert "2. Kies diensten" in inhoud and "3. Kies de duur van de machtigingen" in inhoud
    assert "5 jaar (meest gekozen)" in inhoud
    assert "De kosten voor het vastleggen van een nieuwe intermediair zijn €\u00a019,95 per jaar." in inhoud
    assert "Ja, ik ga akkoord met de kosten voor vastlegging van deze nieuwe intermediair." in inhoud


def _post(client, url=TOEVOEGEN, **data):
    data.setdefault("duur", "5")
    return client.post(url, data)


def test_r40_r42_leg_ketenmachtiging_vast(beheerder_client, beheerder, organisatie, register, tarief):
    dienstverlener = DienstverlenerFactory(naam="UWV")
    DienstFactory(dienstverlener=dienstverlener, niveau=Niveau.EH3)
    response = _post(
        beheerder_client,
        kvk="47474747",
        algemeen=[Niveau.EH3],
        dienstverlener=[dienstverlener.pk],
        email="info@accountantsvries.nl",
        akkoord="on",
    )
    assert response.status_code == 302
    ketens = list(Ketenmachtiging.objects.order_by("pk"))
    assert len(ketens) == 2
    intermediair = ketens[0].intermediair
    assert response.url == reverse("ketenmachtigingen:afgegeven_informatie", args=[intermediair.pk])
    assert intermediair.naam == "Accountants Vries" and intermediair.kvk_nummer == "47474747"
    assert {k.eindigt_op for k in ketens} == {plus_jaren(vandaag(), 5)}  # R73 default
    assert {k.afgegeven_door for k in ketens} == {beheerder}
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_AFGEGEVEN, organisatie=organisatie).count() == 2
    bericht = Bericht.objects.get(soort=Soort.INTERMEDIAIR_GEINFORMEERD)
    assert bericht.ontvanger == "info@accountantsvries.nl"

    pagina = beheerder_client.get(response.url)
    assert pagina.status_code == 200
    inhoud = html(pagina)
    assert "De ketenmachtiging voor Accountants Vries is vastgelegd." in inhoud
    assert "info@accountantsvries.nl" in inhoud
    assert "Informeer uw intermediair" in inhoud
    for feit in ("12345678", "47474747", "Dienstverlenersmachtiging voor UWV", "Algemene bevoegdheid", "We-ID"):
        assert feit in inhoud


def test_r40_costs_must_be_accepted(beheerder_client, register, tarief):
    response = _post(beheerder_client, kvk="47474747", algemeen=[Niveau.EH3])
    assert response.status_code == 200
    assert "Ga akkoord met de kosten voor het vastleggen van deze nieuwe intermediair." in html(response)
    assert not Ketenmachtiging.objects.exists()


def test_r40_nothing_chosen_refused(beheerder_client, register, tarief):
    response = _post(beheerder_client, kvk="47474747", akkoord="on")
    assert response.status_code == 200
    assert "Kies ten minste één dienst" in html(response)
    assert not Ketenmachtiging.objects.exists()


def test_r73_own_end_date_past_five_years_refused(beheerder_client, register, tarief):
    te_laat = plus_jaren(vandaag(), 5) + dt.timedelta(days=1)
    response = _post(
        beheerder_client,
        kvk="47474747",
        algemeen=[Niveau.EH3],
        akkoord="on",
        duur="zelf",
        **datum_velden("datum", te_laat),
    )
    assert response.status_code == 200
    assert "Een ketenmachtiging loopt ten hoogste 5 jaar" in html(response)
    assert not Ketenmachtiging.objects.exists()
    response = _post(beheerder_client, kvk="47474747", algemeen=[Niveau.EH3], akkoord="on", duur="zelf")
    assert "Vul de einddatum in: dag, maand en jaar." in html(response)


def test_r39_dienst_above_own_niveau_shown_but_refused(beheerder_client, register, tarief):
    hoog = DienstFactory(naam="Zware Dienst", niveau=Niveau.EH4)
    inhoud = html(beheerder_client.get(TOEVOEGEN, {"kvk": "47474747"}))
    assert "Zware Dienst" in inhoud
    assert "disabled" in invoer(inhoud, f"id_dienst_{hoog.pk}")
    assert "disabled" in invoer(inhoud, "id_algemeen_40") and "disabled" not in invoer(inhoud, "id_algemeen_30")
    assert "U kunt alleen ketenmachtigingen afgeven tot en met uw eigen niveau." in inhoud
    response = _post(beheerder_client, kvk="47474747", dienst=[hoog.pk], akkoord="on")
    assert response.status_code == 200
    assert "tot en met uw eigen niveau" in html(response)
    assert not Ketenmachtiging.objects.exists()


def test_r72_dienst_without_intermediation_not_offered_and_refused(beheerder_client, register, tarief):
    geen = DienstFactory(naam="Alleen Zelf", intermediatie=Dienst.Intermediatie.GEEN)
    assert "Alleen Zelf" not in html(beheerder_client.get(TOEVOEGEN, {"kvk": "47474747"}))
    response = _post(beheerder_client, kvk="47474747", dienst=[geen.pk], akkoord="on")
    assert response.status_code == 200
    assert "kan niet via een intermediair worden gebruikt" in html(response)
    assert not Ketenmachtiging.objects.exists()


def test_diensten_search_as_htmx_fragment_keeps_choices(beheerder_client, register):
    gezocht = DienstFactory(naam="Omgevingsloket")
    gekozen = DienstFactory(naam="Parkeervergunning")
    ander = DienstFactory(naam="Subsidieportaal")
    response = beheerder_client.get(
        TOEVOEGEN,
        {"kvk": "47474747", "deel": "diensten", "zoek": "omgeving", "dienst": [gekozen.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    inhoud = html(response)
    assert inhoud.lstrip().startswith('<div id="bm-keten-diensten"')
    assert "Omgevingsloket" in inhoud and "Parkeervergunning" in inhoud and "Subsidieportaal" not in inhoud
    assert "checked" in invoer(inhoud, f"id_dienst_{gekozen.pk}")
    assert gezocht.pk and ander.pk


def test_voeg_machtiging_toe_skips_the_kvk_steps_and_costs(beheerder_client, organisatie, intermediair):
    geef(organisatie, intermediair)
    url = reverse("ketenmachtigingen:afgegeven_machtiging_toevoegen", args=[intermediair.pk])
    inhoud = html(beheerder_client.get(url))
    assert "Accountants Vries" in inhoud and "Selecteer bedrijf" not in inhoud and "€" not in inhoud
    dienstverlener = DienstverlenerFactory(naam="Belastingdienst")
    DienstFactory(dienstverlener=dienstverlener)
    response = _post(beheerder_client, url, dienstverlener=[dienstverlener.pk])
    assert response.status_code == 302
    assert Ketenmachtiging.objects.filter(intermediair=intermediair, scope=Scope.DIENSTVERLENER).count() == 1


def test_r4_foreign_intermediair_answers_404(beheerder_client, intermediair):
    # An intermediair of another verlener, or one this verlener gave nothing (any more).
    geef(OrganisatieFactory(), intermediair)
    for naam in (
        "afgegeven_machtiging_toevoegen",
        "afgegeven_informatie",
        "afgegeven_informatie_pdf",
        "afgegeven_verwijderen",
    ):
        url = reverse(f"ketenmachtigingen:{naam}", args=[intermediair.pk])
        assert beheerder_client.get(url).status_code == 404, naam
    assert (
        beheerder_client.post(reverse("ketenmachtigingen:afgegeven_verwijderen", args=[intermediair.pk])).status_code
        == 404
    )
    assert Ketenmachtiging.objects.get().status == Status.ACTIEF


def test_r4_foreign_ketenmachtiging_answers_404(beheerder_client, intermediair):
    k = geef(OrganisatieFactory(), intermediair)
    for naam in ("afgegeven_verlengen", "afgegeven_intrekken"):
        url = reverse(f"ketenmachtigingen:{naam}", args=[k.pk])
        assert beheerder_client.get(url).status_code == 404
        assert beheerder_client.post(url, {"duur": "1"}).status_code == 404
    k.refresh_from_db()
    assert k.status == Status.ACTIEF and k.eindigt_op == plus_jaren(vandaag(), 5)


# --- R42: the PDF ---------------------------------------------------------------------------------------------------


def test_r42_informatie_as_pdf(beheerder_client, organisatie, intermediair):
    from pypdf import PdfReader

    geef(organisatie, intermediair)
    response = beheerder_client.get(reverse("ketenmachtigingen:afgegeven_informatie_pdf", args=[intermediair.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ketenmachtiging-12345678-47474747.pdf"' in response["Content-Disposition"]
    tekst = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    tekst = " ".join(tekst.split())
    for feit in ("Santos B.V.", "12345678", "Accountants Vries", "47474747", "Algemene bevoegdheid", "We-ID"):
        assert feit in tekst, feit


# --- R46 extend in place, R45 intrekken, R41 Verwijder bedrijf --------------------------------------------------------


def test_r46_verlengen_in_place_keeps_links(
    beheerder_client, organisatie, intermediair, intermediair_beheerder, medewerker
):
    k = geef(organisatie, intermediair, jaren=1)
    keten.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    url = reverse("ketenmachtigingen:afgegeven_verlengen", args=[k.pk])
    assert "Verleng ketenmachtiging" in html(beheerder_client.get(url))
    response = beheerder_client.post(url, {"duur": "3"})
    assert response.status_code == 302 and response.url.startswith(OVERZICHT)
    k.refresh_from_db()
    assert k.eindigt_op == plus_jaren(vandaag(), 3) and k.begint_op == vandaag() and k.status == Status.ACTIEF
    assert KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=medewerker).exists()
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_VERLENGD, organisatie=organisatie).count() == 1
    assert f"is verlengd tot {k.eindigt_op:%d-%m-%Y}" in html(beheerder_client.get(response.url))


def test_r73_verlengen_past_five_years_refused(beheerder_client, organisatie, intermediair):
    k = geef(organisatie, intermediair, jaren=1)
    te_laat = plus_jaren(vandaag(), 5) + dt.timedelta(days=1)
    response = beheerder_client.post(
        reverse("ketenmachtigingen:afgegeven_verlengen", args=[k.pk]),
        {"duur": "zelf", **datum_velden("datum", te_laat)},
    )
    assert response.status_code == 200
    assert "Een ketenmachtiging loopt ten hoogste 5 jaar" in html(response)
    k.refresh_from_db()
    assert k.eindigt_op == plus_jaren(vandaag(), 1)


def test_verlengen_with_htmx_opens_a_dialog_and_redirects(beheerder_client, organisatie, intermediair):
    k = geef(organisatie, intermediair, jaren=1)
    url = reverse("ketenmachtigingen:afgegeven_verlengen", args=[k.pk])
    response = beheerder_client.get(url, headers={"HX-Request": "true", "HX-Target": "inhoud"})
    assert response.status_code == 200 and html(response).lstrip().startswith("<dialog")
    response = beheerder_client.post(url, {"duur": "5"}, headers={"HX-Request": "true", "HX-Target": "bm-popup-inhoud"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(OVERZICHT)


def test_r45_intrekken_ends_the_links(beheerder_client, organisatie, intermediair, intermediair_beheerder, medewerker):
    k = geef(organisatie, intermediair)
    keten.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    url = reverse("ketenmachtigingen:afgegeven_intrekken", args=[k.pk])
    inhoud = html(beheerder_client.get(url))
    assert "Wilt u de ketenmachtiging Algemene bevoegdheid aan Accountants Vries intrekken?" in inhoud
    response = beheerder_client.post(url)
    assert response.status_code == 302
    k.refresh_from_db()
    assert k.status == Status.INGETROKKEN
    assert not KetenmachtigingMiddel.objects.filter(ketenmachtiging=k).exists()
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_INGETROKKEN, organisatie=organisatie).exists()
    assert "is ingetrokken" in html(beheerder_client.get(response.url))
    # Revoked: no longer listed, and its URLs answer 404.
    assert beheerder_client.post(url).status_code == 404


def test_r41_verwijder_bedrijf(beheerder_client, organisatie, intermediair, intermediair_beheerder, medewerker):
    k1 = geef(organisatie, intermediair)
    k2 = geef(organisatie, intermediair, niveau=Niveau.EH2)
    keten.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k1, middel=medewerker)
    url = reverse("ketenmachtigingen:afgegeven_verwijderen", args=[intermediair.pk])
    inhoud = html(beheerder_client.get(url))
    assert "Weet u zeker dat u de intermediair en de daaraan gekoppelde machtigingen wilt verwijderen?" in inhoud
    assert "Let op! Dit kan niet ongedaan gemaakt worden." in inhoud and "Ja, verwijder intermediair" in inhoud
    response = beheerder_client.post(url)
    assert response.status_code == 302 and response.url == OVERZICHT
    assert set(Ketenmachtiging.objects.values_list("status", flat=True)) == {Status.INGETROKKEN}
    assert not KetenmachtigingMiddel.objects.exists()
    assert k2.pk
    inhoud = html(beheerder_client.get(OVERZICHT))
    assert "zijn verwijderd" in inhoud and "Er zijn nog geen ketenmachtigingen aangemaakt" in inhoud


def test_without_javascript_zoeken_posts_back_and_keeps_choices(beheerder_client, register, tarief):
    gekozen = DienstFactory(naam="Parkeervergunning")
    DienstFactory(naam="Subsidieportaal")
    response = _post(
        beheerder_client, kvk="47474747", actie="zoek", zoek="parkeer", dienst=[gekozen.pk], email="a@b.nl"
    )
    assert response.status_code == 200
    inhoud = html(response)
    assert "Parkeervergunning" in inhoud and "Subsidieportaal" not in inhoud
    assert "checked" in invoer(inhoud, f"id_dienst_{gekozen.pk}")
    assert 'value="a@b.nl"' in inhoud
    assert not Ketenmachtiging.objects.exists()


def test_change_the_intermediair_goes_back_to_step_one_prefilled(beheerder_client, register):
    inhoud = html(beheerder_client.get(TOEVOEGEN, {"kvk": "47474747"}))
    assert f"{TOEVOEGEN}?wijzig=47474747" in inhoud
    inhoud = html(beheerder_client.get(TOEVOEGEN, {"wijzig": "47474747"}))
    assert 'value="47474747"' in inhoud and "Selecteer bedrijf" in inhoud and "2. Kies diensten" not in inhoud


def test_r40_selecteer_bedrijf_without_a_number_says_what_is_missing(beheerder_client):
    inhoud = html(beheerder_client.get(TOEVOEGEN, {"kvk": ""}))
    assert "Vul het KVK-nummer van de intermediair in." in inhoud and "Dit veld is verplicht" not in inhoud
