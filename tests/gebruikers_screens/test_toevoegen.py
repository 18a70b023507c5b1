"""Rubriek Gebruikers, "+ Voeg toe" (§3.2, §3.2.1): the four steps, the live cost overview and every refusal in place.

Rules through the screen: R10 (levels up to the own niveau), R14 (personal and ID data, uploads), R15
(identificatieadres), R16 (second factor), R17 (subscription, extra organisations, costs accepted), R8 and R23
(the EH3 Belastingdienstmiddel).
"""

import datetime as dt
import json
import re
import socket
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beheer.middleware import SESSION_KEY
from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from handelsregister.services import handelsregister_laden
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import PDF, PNG, tarieven  # noqa: F401 (the fixture, used by every test)
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

URL = reverse("gebruikers:toevoegen")
KOSTEN_URL = reverse("gebruikers:toevoegen_kosten")
HTMX = {"HTTP_HX_REQUEST": "true"}
DATA_FILE = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tarieven")]


def bestand(naam="paspoort.png", inhoud=PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(naam, inhoud)


def datum(prefix: str, waarde: dt.date) -> dict:
    return {f"{prefix}_dag": str(waarde.day), f"{prefix}_maand": str(waarde.month), f"{prefix}_jaar": str(waarde.year)}


def gegevens(**wijzigingen) -> dict:
    """A complete, valid "+ Voeg toe" for an EH3 gebruiker with a paspoort and SMS; None leaves a field out."""
    data = {
        "niveau": str(int(Niveau.EH3)),
        "type": "regulier",
        "rol": "gebruiker",
        "voornamen": "Katarina",
        "tussenvoegsel": "",
        "achternaam": "Bulters",
        **datum("geboortedatum", dt.date(1990, 3, 1)),
        "email": "katarina.bulters@example.com",
        "document_type": "paspoort",
        "documentnummer": "NXC4R8KL2",
        "geslacht": "V",
        **datum("geldigheidsdatum", plus_maanden(vandaag(), 24)),
        "uploadwijze": "een",
        "document": bestand(),
        "land": "Nederland",
        "postcode": "1012 AB",
        "huisnummer": "1",
        "toevoeging": "",
        "straat": "Stationsplein",
        "plaats": "Amsterdam",
        "tweede_factor": "sms",
        "mobiel": "06 12345678",
        "kosten_geaccepteerd": "on",
    }
    data.update(wijzigingen)
    return {k: v for k, v in data.items() if v is not None}


def stand() -> tuple[int, int, int, int]:
    return Persoon.objects.count(), Middel.objects.count(), Koppeling.objects.count(), Aanvraag.objects.count()


def fout_bij(html: str, veld_id: str) -> str:
    """The error message rendered next to one field (its id ends in _error, as Django's aria-describedby says)."""
    match = re.search(rf'id="{re.escape(veld_id)}_error">(.*?)</div>', html, re.S)
    assert match, f"no error next to {veld_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def gekozen(html: str, veld_id: str) -> bool:
    """Whether the radio button or checkbox with this id is checked."""
    match = re.search(rf'<input[^>]*\sid="{re.escape(veld_id)}"[^>]*>', html)
    assert match, f"no input {veld_id}"
    return bool(re.search(r"\schecked[\s>]", match.group(0)))


def bedragen(html: str) -> list[str]:
    # Whitespace folded, except the non-breaking space that keeps € with its amount.
    return [
        re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
        for r in re.findall(r'<tr class="utrecht-table__row">(.*?)</tr>', html, re.S)
    ]


@pytest.fixture
def ketelaar(beheerder):
    """J. Bakker is also beheerder of Ketelaar Klip (§3.2.1)."""
    org = OrganisatieFactory(naam="Ketelaar Klip", kvk_nummer="99966564")
    KoppelingFactory(organisatie=org, middel=beheerder.middel, beheerder=True)
    return org


@pytest.fixture
def ingelogd(client, beheerder, organisatie):
    """J. Bakker, signed in with Santos B.V. chosen (the organisation he starts "+ Voeg toe" from)."""
    inloggen_geverifieerd(client, beheerder)
    session = client.session
    session[SESSION_KEY] = organisatie.pk
    session.save()
    return client


def beheerder_op(organisatie, niveau):
    persoon = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=niveau).middel.persoon
    return persoon


# --- access ---------------------------------------------------------------------------------------------


class TestToegang:
    def test_beheerder_sees_the_four_steps(self, ingelogd):
        response = ingelogd.get(URL)

        assert response.status_code == 200
        html = response.content.decode()
        for kop in (
            "1. Kies het betrouwbaarheidsniveau",
            "2. Kies de rol",
            "3. Geef de gegevens van de gebruiker op",
            "4. eHerkenning opties",
            "Kosten eHerkenning",
        ):
            assert kop in html
        assert "Voornaam (zoals op ID bewijs)" in html
        assert "Upload identiteitsdocument gebruiker" in html
        assert "Ja, ik ga akkoord met de kosten voor deze gebruiker" in html
        assert "Voeg gebruiker toe" in html

    def test_gebruiker_of_the_same_organisation_is_sent_away_and_adds_nothing(self, client, gebruiker):
        inloggen_geverifieerd(client, gebruiker)
        voor = stand()

        assert client.get(URL)["Location"] == reverse("beheer:profiel")
        response = client.post(URL, gegevens())

        assert response.status_code == 302
        assert response["Location"] == reverse("beheer:profiel")
        assert stand() == voor

    def test_signed_out_goes_to_the_log_in_and_adds_nothing(self, client, organisatie):
        voor = stand()

        response = client.post(URL, gegevens())

        assert response.status_code == 302
        assert reverse("beheer:inloggen") in response["Location"] or "login" in response["Location"]
        assert stand() == voor
        assert client.get(KOSTEN_URL).status_code == 302

    def test_r4_beheerder_of_another_organisation_cannot_link_to_ours(
        self,
        client,
        andere_beheerder,
        organisatie,
    ):
        inloggen_geverifieerd(client, andere_beheerder)

        page = client.get(URL).content.decode()
        response = client.post(URL, gegevens(organisaties=[str(organisatie.pk)]))

        assert "Santos B.V." not in page
        assert response.status_code == 200
        assert "geen beschikbare keuze" in fout_bij(response.content.decode(), "id_organisaties")
        assert not Koppeling.objects.filter(organisatie=organisatie, status=Koppeling.Status.AANGEVRAAGD).exists()
        assert not Persoon.objects.filter(achternaam="Bulters").exists()

    def test_other_methods_are_refused(self, ingelogd):
        assert ingelogd.put(URL).status_code == 405
        assert ingelogd.post(KOSTEN_URL).status_code == 405

    def test_csrf_is_enforced(self, csrf_client, beheerder):
        inloggen_geverifieerd(csrf_client, beheerder)

        response = csrf_client.post(URL, gegevens())

        assert response.status_code == 403
        assert not Persoon.objects.filter(achternaam="Bulters").exists()

    def test_query_count_of_the_form_page_does_not_grow_with_organisations(
        self, ingelogd, beheerder, django_assert_num_queries
    ):
        KoppelingFactory(middel=beheerder.middel, beheerder=True)
        with django_assert_num_queries(12):
            ingelogd.get(URL)
        for _ in range(5):
            KoppelingFactory(middel=beheerder.middel, beheerder=True)
        with django_assert_num_queries(12):
            html = ingelogd.get(URL).content.decode()
        assert html.count('name="organisaties"') == 6

    def test_query_count_of_the_cost_fragment_is_fixed(self, ingelogd, beheerder, django_assert_num_queries):
        extra = [KoppelingFactory(middel=beheerder.middel, beheerder=True).organisatie for _ in range(2)]
        params = {"niveau": "30", "tweede_factor": "otp", "organisaties": [str(o.pk) for o in extra]}
        with django_assert_num_queries(9):
            ingelogd.get(KOSTEN_URL, params, **HTMX)
        extra += [KoppelingFactory(middel=beheerder.middel, beheerder=True).organisatie for _ in range(8)]
        params["organisaties"] = [str(o.pk) for o in extra]
        with django_assert_num_queries(9):
            ingelogd.get(KOSTEN_URL, params, **HTMX)


# --- a successful add ------------------------------------------------------------------------------------


class TestToevoegen:
    def test_r17_add_creates_one_aanvraag_middel_persoon_and_the_koppelingen(self, ingelogd, organisatie, ketelaar):
        voor = stand()

        response = ingelogd.post(URL, gegevens(organisaties=[str(ketelaar.pk)], drie_jaar="on"))

        assert response.status_code == 302
        assert stand() == (voor[0] + 1, voor[1] + 1, voor[2] + 2, voor[3] + 1)
        persoon = Persoon.objects.get(achternaam="Bulters")
        middel = persoon.middel
        assert (persoon.voornamen, persoon.geboortedatum, persoon.mobiel) == (
            "Katarina",
            dt.date(1990, 3, 1),
            "+31612345678",
        )
        assert middel.status == Middel.Status.WACHTEN_OP_GOEDKEURING
        assert (middel.niveau, middel.tweede_factor, middel.id_postcode) == (Niveau.EH3, "sms", "1012 AB")
        koppelingen = Koppeling.objects.filter(middel=middel)
        assert {k.organisatie_id for k in koppelingen} == {organisatie.pk, ketelaar.pk}
        assert {(k.rol, k.status, k.abonnement_jaren) for k in koppelingen} == {("gebruiker", "aangevraagd", 3)}
        aanvraag = Aanvraag.objects.get(middel=middel)
        assert aanvraag.organisatie == organisatie
        assert aanvraag.id_document_voorzijde.read().startswith(b"\x89PNG")
        assert aanvraag.gegevens["kosten"]["totaal"] == "148.80"  # 89,85 + 58,95 per 3 jaar

    def test_success_is_confirmed_and_the_new_person_waits_for_approval(self, ingelogd):
        response = ingelogd.post(URL, gegevens(), follow=True)

        html = response.content.decode()
        assert "De gebruiker is succesvol toegevoegd." in html
        assert response.redirect_chain[-1][0] == reverse("gebruikers:overzicht")
        assert "K. Bulters" in html and "Wachten op goedkeuring" in html

    def test_typed_data_is_kept_after_an_error_and_the_upload_must_be_chosen_again(self, ingelogd):
        response = ingelogd.post(URL, gegevens(kosten_geaccepteerd=None, tussenvoegsel="van", tweede_factor="otp"))

        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="Katarina"' in html and 'value="van"' in html and 'value="Bulters"' in html
        assert gekozen(html, "id_niveau_30")
        assert gekozen(html, "id_rol_gebruiker")
        assert re.search(r'<option value="paspoort" selected>', html)
        assert re.search(r'<option value="otp" selected>', html)
        assert 'value="Stationsplein"' in html
        assert "Kies het bestand opnieuw" in html and "paspoort.png" in html
        assert not Persoon.objects.filter(achternaam="Bulters").exists()


# --- R10 ------------------------------------------------------------------------------------------------------


class TestNiveau:
    @pytest.mark.parametrize(
        ("eigen", "aangeboden", "niet"),
        [
            (Niveau.EH2_PLUS, ["EH 2+"], ["EH 3", "EH 4"]),
            (Niveau.EH3, ["EH 2+", "EH 3"], ["EH 4"]),
            (Niveau.EH4, ["EH 2+", "EH 3", "EH 4"], []),
        ],
    )
    def test_r10_only_levels_up_to_the_own_niveau_are_offered(self, client, organisatie, eigen, aangeboden, niet):
        inloggen_geverifieerd(client, beheerder_op(organisatie, eigen))

        html = client.get(URL).content.decode()

        badges = re.findall(r'<span class="bm-badge bm-badge--niveau">(.*?)</span>', html)
        assert badges == aangeboden
        assert all(n not in badges for n in niet)

    def test_levels_show_their_yearly_price_from_the_tariff_table(self, ingelogd):
        Tarief.objects.filter(code="middel_eh3", periode="1").update(bedrag="43.50")

        html = ingelogd.get(URL).content.decode()

        assert "eHerkenning niveau 2+" in html and "vanaf €\u00a016,00 per jaar" in html
        assert "eHerkenning niveau 3" in html and "vanaf €\u00a043,50 per jaar" in html

    def test_r10_a_level_above_the_own_niveau_is_refused_in_place(self, client, organisatie):
        inloggen_geverifieerd(client, beheerder_op(organisatie, Niveau.EH2_PLUS))
        voor = stand()

        response = client.post(URL, gegevens(niveau=str(int(Niveau.EH3))))

        assert response.status_code == 200
        assert "Nieuwe middelen kunnen alleen aangevraagd worden op hetzelfde niveau of lager" in fout_bij(
            response.content.decode(), "id_niveau"
        )
        assert stand() == voor

    def test_no_level_chosen(self, ingelogd):
        response = ingelogd.post(URL, gegevens(niveau=None))

        assert fout_bij(response.content.decode(), "id_niveau") == "Kies het betrouwbaarheidsniveau."


# --- R14 ------------------------------------------------------------------------------------------------------


class TestGegevens:
    def test_r14_every_missing_field_is_named_at_once(self, ingelogd):
        voor = stand()
        leeg = {
            k: None
            for k in ("voornamen", "achternaam", "email", "document_type", "documentnummer", "geslacht", "document")
        }

        response = ingelogd.post(
            URL, gegevens(**leeg, geboortedatum_dag=None, geboortedatum_maand=None, geboortedatum_jaar=None)
        )

        html = response.content.decode()
        for veld in (
            "id_voornamen",
            "id_achternaam",
            "id_email",
            "id_document_type",
            "id_documentnummer",
            "id_geslacht",
            "id_geboortedatum",
        ):
            assert fout_bij(html, veld)
        assert "De gebruiker is nog niet toegevoegd" in html
        assert stand() == voor

    def test_r14_birth_date_must_be_a_real_date_in_the_past(self, ingelogd):
        html = ingelogd.post(URL, gegevens(geboortedatum_dag="31", geboortedatum_maand="2")).content.decode()
        assert "Vul een bestaande datum in" in fout_bij(html, "id_geboortedatum")

        html = ingelogd.post(URL, gegevens(**datum("geboortedatum", vandaag() + dt.timedelta(days=1)))).content.decode()
        assert fout_bij(html, "id_geboortedatum") == "Vul een geldige geboortedatum in."
        assert not Persoon.objects.filter(achternaam="Bulters").exists()

    def test_r14_email_is_checked(self, ingelogd):
        html = ingelogd.post(URL, gegevens(email="katarina@")).content.decode()

        assert fout_bij(html, "id_email") == "Vul een geldig e-mailadres in."

    def test_r14_documentnummer_is_checked(self, ingelogd):
        html = ingelogd.post(URL, gegevens(documentnummer="12")).content.decode()

        assert fout_bij(html, "id_documentnummer") == "Vul een geldig documentnummer in."

    def test_r14_document_must_be_valid_at_least_two_more_months(self, ingelogd):
        bijna_verlopen = plus_maanden(vandaag(), 2) - dt.timedelta(days=1)

        response = ingelogd.post(URL, gegevens(**datum("geldigheidsdatum", bijna_verlopen)))

        assert "nog minimaal 2 maanden geldig" in fout_bij(response.content.decode(), "id_geldigheidsdatum")
        assert not Aanvraag.objects.exists()
        precies = plus_maanden(vandaag(), 2)
        assert ingelogd.post(URL, gegevens(**datum("geldigheidsdatum", precies))).status_code == 302

    def test_r14_upload_is_checked_by_content_not_by_name(self, ingelogd):
        response = ingelogd.post(URL, gegevens(document=bestand("paspoort.png", b"MZ\x90\x00 not an image")))

        html = response.content.decode()
        assert "past niet bij het bestandstype" in fout_bij(html, "id_document")
        assert "Kies het bestand opnieuw" in html and "paspoort.png" in html
        assert not Aanvraag.objects.exists()

    def test_r14_upload_type_must_be_one_the_manual_lists(self, ingelogd):
        response = ingelogd.post(URL, gegevens(document=bestand("paspoort.docx", PDF)))

        assert "Ondersteunde bestandstypes zijn" in fout_bij(response.content.decode(), "id_document")
        assert not Aanvraag.objects.exists()

    def test_r14_upload_of_more_than_5_mb_is_refused(self, ingelogd):
        groot = bestand("paspoort.pdf", PDF + b"0" * (5 * 1024 * 1024))

        response = ingelogd.post(URL, gegevens(document=groot))

        assert fout_bij(response.content.decode(), "id_document") == "Het bestand mag maximaal 5MB groot zijn."
        assert not Aanvraag.objects.exists()

    def test_r14_an_upload_is_required(self, ingelogd):
        response = ingelogd.post(URL, gegevens(document=None))

        assert fout_bij(response.content.decode(), "id_document") == "Upload een kopie van het identiteitsdocument."

    def test_r14_identiteitskaart_in_two_files_needs_the_back(self, ingelogd):
        response = ingelogd.post(
            URL,
            gegevens(document_type="identiteitskaart", uploadwijze="twee", document=None, voorkant=bestand("voor.png")),
        )

        assert "zowel de voorzijde als de achterzijde" in fout_bij(response.content.decode(), "id_achterkant")
        assert not Aanvraag.objects.exists()

    def test_r14_identiteitskaart_front_and_back_in_two_files(self, ingelogd):
        response = ingelogd.post(
            URL,
            gegevens(
                document_type="rijbewijs",
                documentnummer="1234567890",
                uploadwijze="twee",
                document=None,
                voorkant=bestand("voor.png"),
                achterkant=bestand("achter.pdf", PDF),
            ),
        )

        assert response.status_code == 302
        aanvraag = Aanvraag.objects.get()
        assert aanvraag.id_document_voorzijde.read().startswith(b"\x89PNG")
        assert aanvraag.id_document_achterzijde.read().startswith(b"%PDF")

    def test_r14_identiteitskaart_front_and_back_in_one_file(self, ingelogd):
        response = ingelogd.post(URL, gegevens(document_type="identiteitskaart", uploadwijze="een"))

        assert response.status_code == 302
        assert Aanvraag.objects.get().gegevens["id_document"]["voor_en_achter_in_een_bestand"] is True


# --- R15 ------------------------------------------------------------------------------------------------------


class TestIdentificatieadres:
    def test_r15_eh3_needs_an_identificatieadres(self, ingelogd):
        leeg = {"postcode": "", "huisnummer": "", "straat": "", "plaats": ""}

        response = ingelogd.post(URL, gegevens(**leeg))

        html = response.content.decode()
        for veld in ("id_postcode", "id_huisnummer", "id_straat", "id_plaats"):
            assert fout_bij(html, veld)
        assert not Aanvraag.objects.exists()

    def test_r15_postcode_is_checked(self, ingelogd):
        response = ingelogd.post(URL, gegevens(postcode="1234 SS"))

        assert "Vul een geldige postcode in" in fout_bij(response.content.decode(), "id_postcode")
        assert not Aanvraag.objects.exists()

    def test_r15_eh2plus_needs_no_address_the_letter_goes_to_the_company(self, ingelogd, organisatie):
        html = ingelogd.get(URL).content.decode()
        assert "activatiebrief naar het bedrijfsadres" in html and organisatie.adres in html
        assert "Identificatie adres" in html

        response = ingelogd.post(
            URL, gegevens(niveau=str(int(Niveau.EH2_PLUS)), postcode="", straat="", plaats="", huisnummer="")
        )

        assert response.status_code == 302
        middel = Middel.objects.get(persoon__achternaam="Bulters")
        assert middel.niveau == Niveau.EH2_PLUS and middel.id_postcode == ""


# --- R16 ------------------------------------------------------------------------------------------------------


class TestTweedeFactor:
    def test_r16_a_second_factor_must_be_chosen(self, ingelogd):
        response = ingelogd.post(URL, gegevens(tweede_factor=""))

        assert fout_bij(response.content.decode(), "id_tweede_factor") == "Kies een tweede factor: SMS of OTP device."
        assert not Aanvraag.objects.exists()

    def test_r16_sms_needs_a_valid_dutch_mobile_number(self, ingelogd):
        html = ingelogd.post(URL, gegevens(mobiel="")).content.decode()
        assert fout_bij(html, "id_mobiel")

        html = ingelogd.post(URL, gegevens(mobiel="020 1234567")).content.decode()
        assert "Vul een geldig Nederlands mobiel telefoonnummer in" in fout_bij(html, "id_mobiel")
        assert not Aanvraag.objects.exists()

    def test_r16_otp_device_needs_no_number_and_costs_once(self, ingelogd):
        response = ingelogd.post(URL, gegevens(tweede_factor="otp", mobiel=""))

        assert response.status_code == 302
        aanvraag = Aanvraag.objects.get()
        assert aanvraag.middel.tweede_factor == Middel.TweedeFactor.OTP
        assert [r["code"] for r in aanvraag.gegevens["kosten"]["regels"]] == ["middel_eh3", "otp_device"]

    def test_the_otp_option_names_its_price_from_the_tariff_table(self, ingelogd):
        Tarief.objects.filter(code="otp_device").update(bedrag="42.00")

        assert "Met een OTP device, eenmalige kosten €\u00a042,00" in ingelogd.get(URL).content.decode()


# --- R17 ------------------------------------------------------------------------------------------------------


class TestKosten:
    def test_r17_nothing_is_sent_without_accepting_the_costs(self, ingelogd):
        voor = stand()

        response = ingelogd.post(URL, gegevens(kosten_geaccepteerd=None))

        assert fout_bij(response.content.decode(), "id_kosten_geaccepteerd") == (
            "Ga akkoord met de kosten om de aanvraag te versturen."
        )
        assert stand() == voor

    def test_r17_fragment_one_year(self, ingelogd):
        html = ingelogd.get(KOSTEN_URL, {"niveau": "30"}, **HTMX).content.decode()

        assert bedragen(html) == ["1x eHerkenning niveau 3 €\u00a041,00 per 1 jaar"]

    def test_r17_fragment_three_years_shows_the_three_year_prices(self, ingelogd, ketelaar):
        params = {"niveau": "30", "organisaties": [str(ketelaar.pk)]}

        een = bedragen(ingelogd.get(KOSTEN_URL, params, **HTMX).content.decode())
        drie = bedragen(ingelogd.get(KOSTEN_URL, {**params, "drie_jaar": "on"}, **HTMX).content.decode())

        assert een == [
            "1x eHerkenning niveau 3 €\u00a041,00 per 1 jaar",
            "1x extra KVK koppeling €\u00a021,00 per 1 jaar",
        ]
        assert drie == [
            "1x eHerkenning niveau 3 €\u00a041,00 €\u00a089,85 per 3 jaar",
            "1x extra KVK koppeling €\u00a021,00 €\u00a058,95 per 3 jaar",
        ]

    def test_r17_fragment_counts_extra_organisations_and_the_otp_device(self, ingelogd, beheerder, ketelaar):
        signicat = KoppelingFactory(
            middel=beheerder.middel, beheerder=True, organisatie__naam="Signicat AS"
        ).organisatie
        params = {"niveau": "30", "organisaties": [str(ketelaar.pk), str(signicat.pk)], "tweede_factor": "otp"}

        html = ingelogd.get(KOSTEN_URL, params, **HTMX).content.decode()

        assert bedragen(html) == [
            "1x eHerkenning niveau 3 €\u00a041,00 per 1 jaar",
            "2x extra KVK koppeling €\u00a021,00 per 1 jaar",
            "1x OTP device €\u00a040,00 eenmalig",
        ]
        alles = bedragen(ingelogd.get(KOSTEN_URL, {"niveau": "30", "alles_selecteren": "on"}, **HTMX).content.decode())
        assert alles[1] == "2x extra KVK koppeling €\u00a021,00 per 1 jaar"

    def test_r17_fragment_ignores_organisations_where_the_beheerder_is_not_beheerder(self, ingelogd):
        vreemd = OrganisatieFactory()

        html = ingelogd.get(KOSTEN_URL, {"niveau": "30", "organisaties": [str(vreemd.pk)]}, **HTMX).content.decode()

        assert bedragen(html) == ["1x eHerkenning niveau 3 €\u00a041,00 per 1 jaar"]

    def test_r17_prices_come_from_the_tariff_table(self, ingelogd):
        Tarief.objects.filter(code="middel_eh3", periode="1").update(bedrag="44.44")

        html = ingelogd.get(KOSTEN_URL, {"niveau": "30"}, **HTMX).content.decode()

        assert bedragen(html) == ["1x eHerkenning niveau 3 €\u00a044,44 per 1 jaar"]

    def test_r17_button_is_enabled_only_once_the_costs_are_accepted(self, ingelogd):
        zonder = ingelogd.get(KOSTEN_URL, {"niveau": "30"}, **HTMX).content.decode()
        met = ingelogd.get(KOSTEN_URL, {"niveau": "30", "kosten_geaccepteerd": "on"}, **HTMX).content.decode()

        knop = r'<button type="submit"[^>]*id="bm-voeg-toe"[^>]*>'
        assert "disabled" in re.search(knop, zonder).group(0)
        assert 'hx-swap-oob="true"' in re.search(knop, met).group(0)
        assert "disabled" not in re.search(knop, met).group(0)

    def test_fragment_asks_for_a_level_first(self, ingelogd):
        html = ingelogd.get(KOSTEN_URL, **HTMX).content.decode()

        assert "Kies eerst het betrouwbaarheidsniveau" in html
        assert bedragen(html) == []

    def test_r17_a_missing_price_is_said_clearly_and_nothing_is_sent(self, client, organisatie):
        inloggen_geverifieerd(client, beheerder_op(organisatie, Niveau.EH4))
        Tarief.objects.filter(code="middel_eh4").delete()

        fragment = client.get(KOSTEN_URL, {"niveau": "40"}, **HTMX).content.decode()
        response = client.post(URL, gegevens(niveau="40"))

        assert "Voor EH4 middel is geen tarief vastgesteld. Neem contact op met We-ID." in fragment
        assert "Voor EH4 middel is geen tarief vastgesteld" in response.content.decode()
        assert not Aanvraag.objects.exists()


# --- R8 and R23: the EH3 Belastingdienstmiddel ---------------------------------------------------------------


@pytest.fixture
def register(db):
    """The shipped embedded Handelsregister, Santos B.V. (12345678) only: Maria Santos may act alone,
    Pedro Santos only jointly."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["organisaties"] = [o for o in data["organisaties"] if o["basisprofiel"]["kvkNummer"] == "12345678"]
    handelsregister_laden(data=data)


def maria(**wijzigingen) -> dict:
    velden = {
        "type": "belastingdienst",
        "voornamen": "Maria",
        "achternaam": "Santos",
        **datum("geboortedatum", dt.date(1979, 3, 14)),
    }
    return gegevens(**{**velden, **wijzigingen})


class TestBelastingdienstmiddel:
    def test_r23_offered_only_to_a_beheerder_who_may_choose_eh3(self, client, organisatie):
        inloggen_geverifieerd(client, beheerder_op(organisatie, Niveau.EH2_PLUS))
        assert "Type eHerkenningmiddel" not in client.get(URL).content.decode()

        inloggen_geverifieerd(client, beheerder_op(organisatie, Niveau.EH3))
        html = client.get(URL).content.decode()
        assert (
            "Type eHerkenningmiddel" in html
            and "Belastingdienst (EH3)" in html
            and "vanaf €\u00a025,00 per jaar" in html
        )

    def test_r23_for_a_wettelijk_vertegenwoordiger(self, ingelogd, register):
        response = ingelogd.post(URL, maria())

        assert response.status_code == 302
        middel = Middel.objects.get(persoon__achternaam="Santos")
        assert middel.type == Middel.Type.BELASTINGDIENST
        aanvraag = Aanvraag.objects.get(middel=middel)
        assert aanvraag.gegevens["is_wettelijk_vertegenwoordiger"] is True
        assert aanvraag.gegevens["kosten"]["regels"][0]["code"] == "belastingdienst_eh3"

    def test_r8_a_belastingdienst_middel_is_never_beheerder(self, ingelogd, register):
        ingelogd.post(URL, maria(rol="beheerder"))

        assert not Koppeling.objects.filter(middel__type=Middel.Type.BELASTINGDIENST, rol="beheerder").exists()
        assert Koppeling.objects.get(middel__persoon__achternaam="Santos").rol == "gebruiker"

    def test_r23_refused_for_someone_who_is_not_a_wettelijk_vertegenwoordiger(self, ingelogd, register):
        response = ingelogd.post(URL, gegevens(type="belastingdienst"))

        assert "wettelijk vertegenwoordiger" in fout_bij(response.content.decode(), "id_type")
        assert not Aanvraag.objects.exists()

    def test_r23_refused_for_a_jointly_authorised_bestuurder(self, ingelogd, register):
        response = ingelogd.post(URL, maria(voornamen="Pedro", **datum("geboortedatum", dt.date(1976, 9, 27))))

        assert "volledig bevoegd" in fout_bij(response.content.decode(), "id_type")
        assert not Aanvraag.objects.exists()

    def test_r23_at_most_one_per_kvk_nummer(self, ingelogd, organisatie, register):
        KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True))

        response = ingelogd.post(URL, maria())

        assert "maximaal 1 EH3 Belastingdienstmiddel per KvK-nummer" in fout_bij(response.content.decode(), "id_type")
        assert not Aanvraag.objects.exists()

    def test_r23_register_unreachable_is_said_in_place(self, ingelogd, settings):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            poort = s.getsockname()[1]
        settings.HANDELSREGISTER_BACKEND = "kvk"
        settings.KVK_API_BASE_URL = f"http://127.0.0.1:{poort}"
        settings.KVK_API_KEY = "test"
        settings.KVK_API_TIMEOUT = 1.0

        response = ingelogd.post(URL, maria())

        assert "Het Handelsregister is op dit moment niet bereikbaar" in fout_bij(response.content.decode(), "id_type")
        assert not Aanvraag.objects.exists()

    def test_the_type_choice_counts_only_at_eh3(self, ingelogd):
        response = ingelogd.post(URL, gegevens(type="belastingdienst", niveau=str(int(Niveau.EH2_PLUS))))

        assert response.status_code == 302
        assert Middel.objects.get(persoon__achternaam="Bulters").type == Middel.Type.REGULIER
