"""The Instellingen screens (§2.4, §3.3): what they show, their refusals in place, scoping and query counts."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht
from facturatie.models import Tarief
from gebruikers.models import Aanvraag
from organisaties.models import Organisatie
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.instellingen.conftest import DAGOBERT, DONALD, KATRIEN
from tests.organisaties.factories import OrganisatieFactory

IBAN, BIC = "NL91ABNA0417164300", "ABNANL2A"


def _client_voor(client, organisatie):
    persoon = KoppelingFactory(organisatie=organisatie, beheerder=True).middel.persoon
    return inloggen_geverifieerd(client, persoon)


# --- Algemeen (R50, R51) -----------------------------------------------------------------------------------------


def test_r50_algemeen_shows_the_bedrijfsgegevens(beheerder_client, organisatie):
    organisatie.rsin, organisatie.telefoon = "123456782", "0101234567"
    organisatie.save()
    html = beheerder_client.get(reverse("instellingen:algemeen")).content.decode()
    for tekst in (
        "Bedrijfsnaam",
        "Santos B.V.",
        "KvK nummer",
        "12345678",
        "RSIN",
        "123456782",
        "Adres",
        "Stationsplein 1, 1012 AB Amsterdam",
        "Telefoonnummer",
        "Algemeen",
        "Facturatie",
        "Organisaties",
    ):
        assert tekst in html
    assert reverse("instellingen:vestigingsnummer_verwijderen") not in html


@pytest.mark.parametrize("aantal", [1, 4])
def test_tab_pages_query_counts_do_not_depend_on_rows(client, db, django_assert_num_queries, aantal):
    org = OrganisatieFactory()
    persoon = KoppelingFactory(organisatie=org, beheerder=True).middel.persoon
    for _ in range(aantal):
        KoppelingFactory(organisatie=org)
        KoppelingFactory(middel=persoon.middel, organisatie=OrganisatieFactory(), beheerder=True)
    inloggen_geverifieerd(client, persoon)
    for naam, queries in (
        ("instellingen:algemeen", 8),
        ("instellingen:facturatie", 10),
        ("instellingen:organisaties", 9),
    ):
        with django_assert_num_queries(queries):
            assert client.get(reverse(naam)).status_code == 200


def test_r51_potlood_removes_the_vestigingsnummer(client, register):
    org = OrganisatieFactory(kvk_nummer=DAGOBERT[0], vestigingsnummer=DAGOBERT[1])
    c = _client_voor(client, org)
    html = c.get(reverse("instellingen:algemeen")).content.decode()
    assert reverse("instellingen:vestigingsnummer_verwijderen") in html and "UWV en de Belastingdienst" in html
    response = c.post(reverse("instellingen:vestigingsnummer_verwijderen"))
    assert response.status_code == 302 and response.url == reverse("instellingen:algemeen")
    org.refresh_from_db()
    assert org.vestigingsnummer == ""
    assert "Het vestigingsnummer is verwijderd" in c.get(reverse("instellingen:algemeen")).content.decode()


def test_r51_several_vestigingen_show_the_route_and_a_direct_post_is_refused(client, register):
    org = OrganisatieFactory(kvk_nummer=DONALD[0], vestigingsnummer=DONALD[1])
    c = _client_voor(client, org)
    html = c.get(reverse("instellingen:algemeen")).content.decode()
    assert reverse("instellingen:vestigingsnummer_verwijderen") not in html
    assert "meerdere vestigingen" in html and "wijzigingsformulier" in html
    response = c.post(reverse("instellingen:vestigingsnummer_verwijderen"))
    assert response.status_code == 200 and "wijzigingsformulier" in response.content.decode()
    org.refresh_from_db()
    assert org.vestigingsnummer == DONALD[1]
    assert not AuditEntry.objects.filter(actie=Actie.ORGANISATIE_VESTIGINGSNUMMER_VERWIJDERD).exists()


# --- Facturatie (R52) --------------------------------------------------------------------------------------------


def test_r52_facturatie_lists_the_manuals_fields_and_the_extra_costs(beheerder_client, organisatie):
    Tarief.objects.create(code=Tarief.Code.TOESLAG_BANKOVERSCHRIJVING, periode="F", bedrag="2.50")
    html = beheerder_client.get(reverse("instellingen:facturatie")).content.decode()
    assert "Bankoverschrijving" in html and "extra kosten per factuur: €\u00a02,50" in html
    assert "Factuur per post" in html and "(extra kosten per factuur)" in html
    assert reverse("instellingen:facturatie_rekening") in html and reverse("instellingen:facturatie_email") in html
    organisatie.betaalwijze, organisatie.iban, organisatie.machtigingskenmerk = "incasso", "NL08INGB0000000555", "K1"
    organisatie.facturatiewijze, organisatie.factuur_email, organisatie.klantnummer = "email", "f@test.nl", "989898"
    organisatie.save()
    html = beheerder_client.get(reverse("instellingen:facturatie")).content.decode()
    for tekst in (
        "Klantnummer",
        "989898",
        "Betaalwijze",
        "Automatische incasso",
        "Rekeningnummer",
        "NL08 INGB 0000 0005 55",
        "Machtigingskenmerk",
        "K1",
        "Incassant",
        "Connectis - We-ID",
        "Incassant ID",
        "NL85ZZZ390787490000",
        "Facturatiewijze",
        "Factuur per e-mail",
        "Factuur e-mailadres",
        "f@test.nl",
    ):
        assert tekst in html
    assert "extra kosten" not in html
    assert "via de beheermodule niet mogelijk" in html


def test_r52_betaal_automatisch_and_the_way_back_refused_by_direct_post(beheerder_client, organisatie):
    url = reverse("instellingen:facturatie_rekening")
    response = beheerder_client.post(url, {"iban": "NL91 ABNA 0417 1643 00", "bic": BIC, "akkoord_voorwaarden": "on"})
    assert response.status_code == 302
    organisatie.refresh_from_db()
    assert organisatie.betaalwijze == "incasso" and organisatie.machtigingskenmerk
    html = beheerder_client.get(reverse("instellingen:facturatie")).content.decode()
    assert "De betaalwijze is gewijzigd in automatische incasso." in html and organisatie.machtigingskenmerk in html
    response = beheerder_client.post(
        url, {"iban": IBAN, "bic": BIC, "akkoord_voorwaarden": "on", "betaalwijze": "bankoverschrijving"}
    )
    assert response.status_code == 200
    assert "Het omzetten van automatische incasso naar bankoverschrijving is via de beheermodule niet mogelijk." in (
        response.content.decode()
    )
    assert Organisatie.objects.get(pk=organisatie.pk).betaalwijze == "incasso"


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        ({"iban": "NL91ABNA0417164301", "bic": BIC, "akkoord_voorwaarden": "on"}, "Vul een geldig IBAN in"),
        ({"iban": IBAN, "bic": "12", "akkoord_voorwaarden": "on"}, "Vul een geldige BIC in"),
        ({"iban": IBAN, "bic": BIC}, "Ga akkoord met de algemene voorwaarden"),
    ],
)
def test_r52_bad_input_has_a_clear_message_and_changes_nothing(beheerder_client, organisatie, data, melding):
    response = beheerder_client.post(reverse("instellingen:facturatie_rekening"), data)
    assert response.status_code == 200 and melding in response.content.decode()
    assert (
        Organisatie.objects.get(pk=organisatie.pk).betaalwijze == "bankoverschrijving" and not Bericht.objects.exists()
    )


def test_r52_factuur_per_email_and_never_back_to_post(beheerder_client, organisatie):
    url = reverse("instellingen:facturatie_email")
    assert beheerder_client.post(url, {"email": "geen-email"}).status_code == 200
    assert Organisatie.objects.get(pk=organisatie.pk).facturatiewijze == "post"
    assert beheerder_client.post(url, {"email": "facturen@santos.nl"}).status_code == 302
    organisatie.refresh_from_db()
    assert (organisatie.facturatiewijze, organisatie.factuur_email) == ("email", "facturen@santos.nl")
    response = beheerder_client.post(url, {"email": "facturen@santos.nl", "facturatiewijze": "post"})
    assert "Het omzetten van factuur per e-mail naar factuur per post is via de beheermodule niet mogelijk." in (
        response.content.decode()
    )
    assert Organisatie.objects.get(pk=organisatie.pk).facturatiewijze == "email"


# --- Organisaties and Organisatie toevoegen (R53) ----------------------------------------------------------------


def _doorloop_stappen(c, *, nummer=KATRIEN):
    r = c.post(reverse("instellingen:organisatie_toevoegen"), {"nummer": nummer})
    assert r.status_code == 302 and r.url == reverse("instellingen:toevoegen_niveau")
    html = c.get(r.url).content.decode()
    assert "Test NV Katrien" in html and "vanaf €\u00a019,65 per jaar" in html and "vanaf €\u00a013,30 per jaar" in html
    assert c.post(r.url, {"niveau": "30"}).status_code == 302
    html = c.get(reverse("instellingen:toevoegen_beheerder")).content.decode()
    assert "U wordt altijd zelf beheerder van de nieuwe organisatie" in html
    r = c.post(
        reverse("instellingen:toevoegen_beheerder"),
        {
            "voornamen": "Joost",
            "achternaam": "Bakker",
            "geboortedatum_dag": "4",
            "geboortedatum_maand": "3",
            "geboortedatum_jaar": "1975",
            "email": "j.bakker@example.nl",
            "tweede_factor": "sms",
            "mobiel": "0612345678",
        },
    )
    assert r.status_code == 302
    html = c.get(reverse("instellingen:toevoegen_vertegenwoordigers")).content.decode()
    assert "Katrien Duck" in html and "Willie Wortel" in html and "Sla deze stap over" in html
    r = c.post(
        reverse("instellingen:toevoegen_vertegenwoordigers"), {"vertegenwoordigers": ["Katrien Duck", "Gijs Gans"]}
    )
    assert r.status_code == 302 and r.url == reverse("instellingen:toevoegen_kosten")


KOSTEN = {
    "drie_jaar": "on",
    "factuur_email": "factuur@katrien.nl",
    "betaalwijze": "incasso",
    "iban": IBAN,
    "bic": BIC,
    "inkoopordernummer": "PO-42",
    "akkoord_gegevens": "on",
    "akkoord_voorwaarden": "on",
}


def test_r53_organisatie_toevoegen_to_the_contract(beheerder_client, organisatie, register, tarieven, tmp_path):
    html = beheerder_client.get(reverse("instellingen:organisaties")).content.decode()
    assert "Santos B.V." in html and "Voeg toe" in html
    _doorloop_stappen(beheerder_client)
    html = beheerder_client.get(reverse("instellingen:toevoegen_kosten")).content.decode()
    assert "Koppeling extra organisatie EH3" in html and "58,95" in html and "<del>€\u00a063,00" in html
    assert "LET OP: het contract moet worden geprint" in html
    r = beheerder_client.post(reverse("instellingen:toevoegen_kosten"), {**KOSTEN, "akkoord_voorwaarden": ""})
    assert r.status_code == 200 and "Ga akkoord met de algemene voorwaarden." in r.content.decode()
    assert not Aanvraag.objects.exists()
    r = beheerder_client.post(reverse("instellingen:toevoegen_kosten"), KOSTEN)
    aanvraag = Aanvraag.objects.get(soort=Aanvraag.Soort.NIEUWE_ORGANISATIE)
    assert r.status_code == 302 and r.url == reverse("instellingen:organisatie_aangevraagd", args=[aanvraag.pk])
    html = beheerder_client.get(r.url).content.decode()
    assert "De aanvraag voor Test NV Katrien is ontvangen" in html
    assert "Wachten op goedkeuring" in beheerder_client.get(reverse("instellingen:organisaties")).content.decode()

    response = beheerder_client.get(reverse("instellingen:organisatie_contract", args=[aanvraag.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for woord in (
        "Test NV Katrien",
        KATRIEN,
        "Katrien Duck",
        "Gijs Gans",
        "€\u00a058,95",
        "per 3 jaar",
        "Handtekening",
        "geprint",
        "ondertekend",
        "per post",
        "PO-42",
        aanvraag.organisatie.machtigingskenmerk,
    ):
        assert woord in tekst, woord
    assert "Willie Wortel" not in tekst
    # The session's steps are gone: a new addition starts at step 1.
    assert beheerder_client.get(reverse("instellingen:toevoegen_kosten")).url == reverse(
        "instellingen:organisatie_toevoegen"
    )


def test_r53_refusals_of_step_one_in_place(beheerder_client, organisatie, register):
    url = reverse("instellingen:organisatie_toevoegen")
    for nummer, melding in (
        ("12345678", "U bent al beheerder van een organisatie met dit KvK-nummer"),
        ("123", "Vul een KvK-nummer (8 cijfers) of een vestigingsnummer (12 cijfers) in."),
        ("11112222", "Geen organisatie gevonden met KvK-nummer 11112222."),
        ("", "Vul het KVK- of vestigingsnummer in."),
    ):
        response = beheerder_client.post(url, {"nummer": nummer})
        assert response.status_code == 200 and melding in response.content.decode(), nummer


def test_r53_later_steps_without_the_earlier_ones_go_back_to_step_one(beheerder_client, organisatie):
    for naam in ("toevoegen_niveau", "toevoegen_beheerder", "toevoegen_vertegenwoordigers", "toevoegen_kosten"):
        response = beheerder_client.post(reverse(f"instellingen:{naam}"), {})
        assert response.status_code == 302 and response.url == reverse("instellingen:organisatie_toevoegen")
    assert not Aanvraag.objects.exists()


def test_contract_and_confirmation_of_someone_elses_aanvraag_are_404(beheerder_client, organisatie, andere_beheerder):
    vreemd = Aanvraag.objects.create(
        soort=Aanvraag.Soort.NIEUWE_ORGANISATIE, organisatie=OrganisatieFactory(), aangevraagd_door=andere_beheerder
    )
    andere_soort = Aanvraag.objects.create(soort=Aanvraag.Soort.KOPPELING, organisatie=organisatie)
    for aanvraag in (vreemd, andere_soort):
        for naam in ("instellingen:organisatie_contract", "instellingen:organisatie_aangevraagd"):
            assert beheerder_client.get(reverse(naam, args=[aanvraag.pk])).status_code == 404
