"""Screens of *Ketenmachtigingen van relaties* (§5.1, R43, R47): the page without and with the module, inviting
one relation, the file with its preview, resend and withdraw; query counts pinned; foreign ids 404."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, Soort
from gebruikers.models import Aanvraag
from ketenmachtigingen import services
from ketenmachtigingen.models import KetenModule, Uitnodiging
from tests.catalogus.factories import DienstFactory
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    fixture_inter,
    fixture_inter_beheerder,
    fixture_inter_client,
    fixture_inter_module,
    fixture_register,
)
from tests.organisaties.factories import OrganisatieFactory

URL = reverse("ketenmachtigingen:van_relaties")


def test_r43_without_module_explains_and_requests_quote_with_spoed(inter_client, inter):
    r = inter_client.get(URL)
    assert r.status_code == 200
    assert "Offerte aanvragen" in r.text and "Spoedprocedure" in r.text
    assert reverse("ketenmachtigingen:relaties_uitnodigen") not in r.text
    r = inter_client.post(reverse("ketenmachtigingen:relaties_module_aanvragen"), {"spoed": "on"}, follow=True)
    assert r.status_code == 200 and "U ontvangt de offerte per e-mail" in r.text
    module = KetenModule.objects.get(organisatie=inter)
    assert module.spoed and Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE).spoed
    assert "in behandeling" in r.text
    # Asked twice: refused in place, nothing changes.
    r = inter_client.post(reverse("ketenmachtigingen:relaties_module_aanvragen"), follow=True)
    assert "al aangevraagd" in r.text and KetenModule.objects.count() == 1
    # Inviting before the module is enabled: sent back with the reason.
    r = inter_client.get(reverse("ketenmachtigingen:relaties_uitnodigen"), follow=True)
    assert "pas als de module" in r.text


def test_r43_invite_one_relation(inter_client, inter, inter_module, register):
    register.voeg_toe("11112222", "Bakkerij Klant")
    dienst = DienstFactory()
    url = reverse("ketenmachtigingen:relaties_uitnodigen")
    assert inter_client.get(url).status_code == 200
    # Nothing asked, bad KvK: refused in place, nothing sent.
    r = inter_client.post(url, {"kvk_nummer": "11112222", "email": "k@example.nl", "looptijd_jaren": "5"})
    assert r.status_code == 400 and "minstens één dienst" in r.text
    r = inter_client.post(
        url, {"kvk_nummer": "999", "email": "k@example.nl", "algemeen": ["30"], "looptijd_jaren": "5"}
    )
    assert r.status_code == 400 and "8 cijfers" in r.text
    r = inter_client.post(
        url,
        {"kvk_nummer": "88887777", "email": "k@example.nl", "algemeen": ["30"], "looptijd_jaren": "5"},
    )
    assert r.status_code == 400 and "niet gevonden in het Handelsregister" in r.text
    assert not Uitnodiging.objects.exists()
    r = inter_client.post(
        url,
        {
            "kvk_nummer": "11112222",
            "email": "k@example.nl",
            "algemeen": ["30"],
            "dienst": [dienst.pk],
            "looptijd_jaren": "3",
            "spoed": "on",
        },
        follow=True,
    )
    assert r.status_code == 200 and "De uitnodiging is verstuurd naar k@example.nl" in r.text
    u = Uitnodiging.objects.get()
    assert u.naam == "Bakkerij Klant" and u.spoed and u.looptijd_jaren == 3 and u.gevraagd.count() == 2
    assert "Verstuurd" in r.text and "Bakkerij Klant" in r.text
    assert Bericht.objects.filter(soort=Soort.UITNODIGING_KETENMACHTIGING, ontvanger="k@example.nl").count() == 1


def test_r43_an_id_beyond_the_databases_range_is_refused_in_place(inter_client, inter_module, register):
    """Found by the bad-input suite: a dienst or dienstverlener id past 64 bits reached SQLite's IN and failed."""
    register.voeg_toe("11112222", "Bakkerij Klant")
    DienstFactory()
    url = reverse("ketenmachtigingen:relaties_uitnodigen")
    for veld in ("dienst", "dienstverlener"):
        r = inter_client.post(
            url, {"kvk_nummer": "11112222", "email": "k@example.nl", veld: [str(2**63)], "looptijd_jaren": "5"}
        )
        assert r.status_code == 400 and "is geen beschikbare keuze" in r.text, veld
    assert not Uitnodiging.objects.exists()


def _xlsx(rijen) -> SimpleUploadedFile:
    wb = Workbook()
    for rij in rijen:
        wb.active.append(rij)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("relaties.xlsx", buf.getvalue())


def test_r43_file_preview_then_only_good_rows_sent(inter_client, inter, inter_module, register):
    register.voeg_toe("20000001", "Goed Een")
    register.voeg_toe("02000002", "Goed Twee")
    bestand = _xlsx(
        [
            ["kvk_nummer", "email", "naam", "niveau"],
            ["20000001", "een@example.nl", "", "EH3"],
            [2000002, "twee@example.nl", "Twee", "EH4"],  # a number: Excel dropped the leading zero
            ["123", "slecht@example.nl", "", "EH3"],
            ["29999999", "onbekend@example.nl", "", "EH3"],
            ["20000001", "dubbel@example.nl", "", "EH3"],
            ["02000002", "geen-adres", "", "EH3"],
        ]
    )
    r = inter_client.post(reverse("ketenmachtigingen:relaties_bestand"), {"bestand": bestand})
    assert r.status_code == 200
    assert "2 uitnodigingen worden verstuurd" in r.text
    assert "8 cijfers" in r.text and "Handelsregister" in r.text and "eerder in het bestand" in r.text
    assert not Uitnodiging.objects.exists() and not Bericht.objects.exists()  # the preview sends nothing
    r = inter_client.post(reverse("ketenmachtigingen:relaties_bestand_versturen"), follow=True)
    assert r.status_code == 200 and "2 uitnodiging(en) verstuurd" in r.text
    ontvangers = set(
        Bericht.objects.filter(soort=Soort.UITNODIGING_KETENMACHTIGING).values_list("ontvanger", flat=True)
    )
    assert ontvangers == {"een@example.nl", "twee@example.nl"}
    assert AuditEntry.objects.filter(actie=Actie.UITNODIGING_VERSTUURD, organisatie=inter).count() == 2
    # Sending again without a new file: nothing to send.
    r = inter_client.post(reverse("ketenmachtigingen:relaties_bestand_versturen"), follow=True)
    assert "geen bestand" in r.text and Uitnodiging.objects.count() == 2


@pytest.mark.parametrize(
    ("naam", "inhoud", "melding"),
    [
        ("relaties.pdf", b"%PDF-1.4", "type .xlsx of .csv"),
        ("relaties.csv", b"", "leeg"),
        ("relaties.csv", b"kvk_nummer;email\n", "alleen een kopregel"),
        ("relaties.csv", b"kvk;telefoon\n12345678;0612345678\n", "De kolommen kloppen niet"),
        ("relaties.csv", b'kvk_nummer;email\n=HYPERLINK("x");a@b.nl\n', "formule"),
        ("relaties.xlsx", b"dit is geen zip", "geen geldig Excel-bestand"),
        ("relaties.csv", b"\xff\xfe\x00k\x00v", "niet leesbaar"),
        ("relaties.csv", b"kvk_nummer;email\n" + b"12345678;a@example.nl\n" * 60_000, "groter dan 1 MB"),
    ],
)
def test_r43_bad_files_give_a_clear_message_and_change_nothing(
    inter_client, inter_module, register, naam, inhoud, melding
):
    r = inter_client.post(reverse("ketenmachtigingen:relaties_bestand"), {"bestand": SimpleUploadedFile(naam, inhoud)})
    assert r.status_code == 400
    assert melding in r.text
    assert not Uitnodiging.objects.exists() and not Bericht.objects.exists()
    assert "ketenmachtigingen_relaties_bestand" not in inter_client.session


def test_r43_xlsx_formula_refused(inter_client, inter_module, register):
    bestand = _xlsx([["kvk_nummer", "email"], ["=1+1", "a@example.nl"]])
    r = inter_client.post(reverse("ketenmachtigingen:relaties_bestand"), {"bestand": bestand})
    assert r.status_code == 400 and "formule" in r.text


def test_r47_states_resend_and_withdraw_on_screen(inter_client, inter, inter_beheerder, inter_module, register):
    register.voeg_toe("11112222", "Klant Een")
    v = services.relatie_uitnodigen(
        actor=inter_beheerder, intermediair=inter, kvk_nummer="11112222", email="k@example.nl", niveau=30
    )
    services.uitnodiging_openen(v.token)
    r = inter_client.get(URL)
    assert "Geopend" in r.text
    r = inter_client.post(
        reverse("ketenmachtigingen:relaties_uitnodiging_opnieuw", args=[v.uitnodiging.pk]), follow=True
    )
    assert "opnieuw verstuurd" in r.text
    r = inter_client.post(
        reverse("ketenmachtigingen:relaties_uitnodiging_intrekken", args=[v.uitnodiging.pk]), follow=True
    )
    assert "is ingetrokken" in r.text and "Ingetrokken" in r.text
    r = inter_client.post(
        reverse("ketenmachtigingen:relaties_uitnodiging_intrekken", args=[v.uitnodiging.pk]), follow=True
    )
    assert "Alleen een openstaande uitnodiging" in r.text


def test_r4_foreign_invitation_ids_404(inter_client, inter_module, register):
    ander = OrganisatieFactory()
    vreemd = Uitnodiging.objects.create(
        intermediair=ander,
        kvk_nummer="11112222",
        email="x@example.nl",
        token_hash="x" * 64,
        scope="algemeen",
        niveau=30,
        verloopt_op="2099-01-01T00:00:00Z",
    )
    for naam in ("relaties_uitnodiging_opnieuw", "relaties_uitnodiging_intrekken"):
        assert inter_client.post(reverse(f"ketenmachtigingen:{naam}", args=[vreemd.pk])).status_code == 404
    assert Uitnodiging.objects.get(pk=vreemd.pk).status == Uitnodiging.Status.OPEN


def test_method_restrictions(inter_client, inter_module):
    assert inter_client.post(URL).status_code == 405
    assert inter_client.get(reverse("ketenmachtigingen:relaties_module_aanvragen")).status_code == 405
    assert inter_client.get(reverse("ketenmachtigingen:relaties_bestand_versturen")).status_code == 405


def test_van_relaties_query_count_does_not_grow_with_rows(
    inter_client, inter, inter_beheerder, inter_module, register, django_assert_num_queries
):
    from ketenmachtigingen.models import KetenmachtigingMiddel
    from tests.gebruikers.factories import KoppelingFactory
    from tests.ketenmachtigingen.relaties_helpers import ketenmachtiging_van

    def vul(n, start):
        for i in range(n):
            kvk = f"{start + i}"
            register.voeg_toe(kvk, f"Relatie {kvk}")
            services.relatie_uitnodigen(
                actor=inter_beheerder, intermediair=inter, kvk_nummer=kvk, email=f"r{kvk}@example.nl", niveau=30
            )
            k = ketenmachtiging_van(OrganisatieFactory(), inter)
            m = KoppelingFactory(organisatie=inter).middel
            KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=m)

    vul(1, 30000000)
    inter_client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as een:
        assert inter_client.get(URL).status_code == 200
    vul(6, 31000000)
    with django_assert_num_queries(len(een.captured_queries)):
        r = inter_client.get(URL)
    assert r.text.count('data-testid="uitnodiging-') == 7 and r.text.count('data-testid="ontvangen-') == 7


def test_r43_kies_diensten_narrows_as_one_types_and_keeps_what_was_chosen(inter_client, inter_module):
    gezocht = DienstFactory(naam="Omgevingsloket")
    gekozen = DienstFactory(naam="Parkeervergunning")
    ander = DienstFactory(naam="Subsidieportaal")
    url = reverse("ketenmachtigingen:relaties_uitnodigen")
    r = inter_client.get(
        url, {"deel": "diensten", "zoek": "omgeving", "dienst": [gekozen.pk]}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="bm-relatie-diensten"')
    assert gezocht.naam in r.text and gekozen.naam in r.text and ander.naam not in r.text
    assert re.search(rf'<input[^>]*id="id_dienst_{gekozen.pk}"[^>]*checked', r.text)
    # An Algemene bevoegdheid from EH3: the least a middel using a ketenmachtiging has (R72).
    pagina = inter_client.get(url).text
    assert 'id="id_algemeen_30"' in pagina and 'id="id_algemeen_40"' in pagina and 'id="id_algemeen_20"' not in pagina
