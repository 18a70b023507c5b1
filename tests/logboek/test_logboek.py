"""Logboek (R74): beheerders read, search, page and download the audit trail of their organisation, and only that."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.acties import Actie
from audit.models import AuditEntry
from audit.selectors import PAGINA, cursor_van, lees_cursor, wijzigingen
from audit.services import audit_log
from gebruikers.models import Koppeling
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

OVERZICHT = reverse("logboek:overzicht")
DOWNLOAD = reverse("logboek:download")


def regel(organisatie, actie=Actie.KOPPELING_ROL_GEWIJZIGD, *, op=None, door=None, monkeypatch=None, **kwargs):
    """One entry; `op` (an aware datetime) sets its moment (auto_now_add reads timezone.now)."""
    velden = {"omschrijving": "Rol van P. de Jong gewijzigd", "voor": {"rol": "gebruiker"}, "na": {"rol": "beheerder"}}
    velden.update(kwargs)
    if op is not None:
        monkeypatch.setattr("django.utils.timezone.now", lambda: op)
    try:
        return audit_log(actor=door, organisatie=organisatie, actie=actie, **velden)
    finally:
        if op is not None:
            monkeypatch.undo()


def rijen(response) -> list[str]:
    return response.content.decode().split('data-testid="logboek-regel"')[1:]


def test_r74_the_logboek_shows_who_when_what_before_and_after(beheerder_client, organisatie, beheerder):
    regel(organisatie, door=beheerder)
    response = beheerder_client.get(OVERZICHT)
    assert response.status_code == 200
    (tekst,) = rijen(response)
    assert "J. Bakker" in tekst and "Rol gewijzigd" in tekst and "Rol van P. de Jong gewijzigd" in tekst
    assert "gebruiker" in tekst and "beheerder" in tekst  # before and after, field by field
    assert timezone.localdate().strftime("%d-%m-%Y") in tekst


def test_r74_entries_of_other_organisations_are_never_shown_nor_downloaded(beheerder_client, organisatie):
    regel(organisatie, omschrijving="Eigen regel")
    regel(OrganisatieFactory(), omschrijving="Vreemde regel")
    regel(None, omschrijving="Regel zonder organisatie")
    html = beheerder_client.get(OVERZICHT).content.decode()
    assert "Eigen regel" in html and "Vreemde regel" not in html and "zonder organisatie" not in html
    inhoud = b"".join(beheerder_client.get(DOWNLOAD, {"formaat": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Eigen regel" in inhoud and "Vreemde regel" not in inhoud


def test_r7_a_demoted_beheerder_sees_no_logboek(client, organisatie, beheerder):
    regel(organisatie)
    collega = KoppelingFactory(organisatie=organisatie, beheerder=True).middel.persoon
    inloggen_geverifieerd(client, beheerder)
    Koppeling.objects.filter(middel__persoon=beheerder).update(rol=Koppeling.Rol.GEBRUIKER)
    for url in (OVERZICHT, DOWNLOAD):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/profiel/"
    assert collega  # the organisation still has a beheerder (R5); the demoted one simply has no access


def test_r74_search_by_kind_person_and_period(beheerder_client, organisatie, monkeypatch):
    oud = timezone.make_aware(dt.datetime(2026, 1, 10, 12, 0))
    nieuw = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
    regel(
        organisatie,
        Actie.MACHTIGING_TOEGEVOEGD,
        omschrijving="Machtiging voor K. Bulters",
        op=oud,
        monkeypatch=monkeypatch,
    )
    regel(
        organisatie, Actie.KOPPELING_ROL_GEWIJZIGD, omschrijving="Rol van P. de Jong", op=nieuw, monkeypatch=monkeypatch
    )

    per_soort = beheerder_client.get(OVERZICHT, {"actie": Actie.MACHTIGING_TOEGEVOEGD})
    assert [("K. Bulters" in r) for r in rijen(per_soort)] == [True]
    assert "selected>Machtiging toegevoegd" in per_soort.content.decode().replace('" selected', " selected")

    per_persoon = beheerder_client.get(OVERZICHT, {"persoon": "de jong"})
    assert [("P. de Jong" in r) for r in rijen(per_persoon)] == [True]

    periode = {
        "van_dag": "1",
        "van_maand": "3",
        "van_jaar": "2026",
        "tot_dag": "5",
        "tot_maand": "3",
        "tot_jaar": "2026",
    }
    per_periode = beheerder_client.get(OVERZICHT, periode)
    assert [("P. de Jong" in r) for r in rijen(per_periode)] == [True]  # the last day counts in full

    leeg = beheerder_client.get(OVERZICHT, {"persoon": "niemand"})
    assert rijen(leeg) == [] and "Geen regels gevonden voor deze zoekopdracht." in leeg.content.decode()


@pytest.mark.parametrize(
    ("params", "melding"),
    [
        ({"van_dag": "31", "van_maand": "2", "van_jaar": "2026"}, "Vul een bestaande datum in"),
        ({"van_dag": "1", "van_maand": "", "van_jaar": "2026"}, "Vul dag, maand en jaar in."),
        (
            {
                "van_dag": "2",
                "van_maand": "3",
                "van_jaar": "2026",
                "tot_dag": "1",
                "tot_maand": "3",
                "tot_jaar": "2026",
            },
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"actie": "bestaat.niet"}, "Selecteer een geldige keuze"),
    ],
)
def test_a_search_that_cannot_be_read_says_why_and_shows_nothing(beheerder_client, organisatie, params, melding):
    regel(organisatie)
    response = beheerder_client.get(OVERZICHT, params)
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert rijen(response) == []
    # The download of such a search goes back to the screen instead of downloading something else.
    download = beheerder_client.get(DOWNLOAD, {**params, "formaat": "csv"})
    assert download.status_code == 302 and download.url.startswith(OVERZICHT)


def test_keyset_pages_follow_each_other_without_gaps_or_repeats(beheerder_client, organisatie):
    for i in range(PAGINA + 3):
        regel(organisatie, omschrijving=f"Regel nummer {i:03d}.")
    eerste = beheerder_client.get(OVERZICHT, {"actie": Actie.KOPPELING_ROL_GEWIJZIGD})
    assert len(rijen(eerste)) == PAGINA
    html = eerste.content.decode()
    assert "Regel nummer 052." in html and "Regel nummer 002." not in html  # newest first
    volgende = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "actie=koppeling.rol_gewijzigd" in volgende  # the search is kept
    tweede = beheerder_client.get(volgende)
    teksten = rijen(tweede)
    assert len(teksten) == 3 and "Regel nummer 000." in teksten[-1]
    assert 'rel="next"' not in tweede.content.decode()
    assert "Nieuwste regels" in tweede.content.decode()


def test_cursor_round_trip_and_garbage_is_the_first_page(organisatie):
    entry = regel(organisatie)
    assert lees_cursor(cursor_van(entry)) == (entry.moment, entry.pk)
    for onzin in ("", "x", "1-2-3", "99999999999999999999999-1", None):
        assert lees_cursor(onzin) is None


@pytest.mark.parametrize("aantal", [1, PAGINA + 5])
def test_the_page_takes_the_same_queries_however_long_the_logboek(
    beheerder_client, organisatie, django_assert_num_queries, aantal
):
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(organisatie=organisatie, actor_label="x", actie=Actie.MACHTIGING_TOEGEVOEGD, omschrijving="r")
            for _ in range(aantal)
        ]
    )
    beheerder_client.get(OVERZICHT)
    # Session, user, OTP device, the middleware's organisations and middel, ONE query for the page, and the
    # session saved again (savepoint, update, release).
    with django_assert_num_queries(9):
        response = beheerder_client.get(OVERZICHT, {"actie": Actie.MACHTIGING_TOEGEVOEGD})
    assert len(rijen(response)) == min(aantal, PAGINA)


def test_nobody_edits_the_logboek_here(beheerder_client):
    assert beheerder_client.post(OVERZICHT).status_code == 405
    assert beheerder_client.post(DOWNLOAD).status_code == 405


def test_r74_before_and_after_field_by_field():
    assert [
        (w.veld, w.voor, w.na) for w in wijzigingen({"rol": "gebruiker", "x": 1}, {"rol": "beheerder", "x": 1})
    ] == [("rol", "gebruiker", "beheerder")]
    assert [(w.veld, w.voor, w.na) for w in wijzigingen(None, {"status": "actief"})] == [("status", "–", "actief")]
    assert wijzigingen(None, None) == []
    assert [(w.voor, w.na) for w in wijzigingen(None, ["a"])] == [("–", '["a"]')]


# --- the download --------------------------------------------------------------------------------------------


GEVAARLIJK = '=HYPERLINK("http://x")'


def test_r74_csv_download_streams_the_search_formula_safe(beheerder_client, organisatie, beheerder):
    regel(organisatie, door=beheerder, omschrijving=GEVAARLIJK)
    regel(organisatie, Actie.MACHTIGING_TOEGEVOEGD, omschrijving="Niet gezocht")
    response = beheerder_client.get(DOWNLOAD, {"formaat": "csv", "actie": Actie.KOPPELING_ROL_GEWIJZIGD})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="logboek-{organisatie.kvk_nummer}-' in response["Content-Disposition"]
    inhoud = b"".join(response.streaming_content).decode("utf-8")
    assert inhoud.startswith("\ufeff")
    kop, *data = list(csv.reader(io.StringIO(inhoud.lstrip("\ufeff")), delimiter=";"))
    assert kop == ["Moment", "Door", "Soort wijziging", "Omschrijving", "Object", "Voor", "Na"]
    assert len(data) == 1
    moment, door, soort, omschrijving, _object, voor, na = data[0]
    assert door == "J. Bakker" and soort == "Rol gewijzigd"
    assert omschrijving == "'" + GEVAARLIJK  # neutralised
    assert voor == '{"rol": "gebruiker"}' and na == '{"rol": "beheerder"}'
    assert dt.datetime.strptime(moment, "%d-%m-%Y %H:%M:%S")


def test_r74_xlsx_download_keeps_text_as_text(beheerder_client, organisatie, beheerder):
    regel(organisatie, door=beheerder, omschrijving=GEVAARLIJK)
    response = beheerder_client.get(DOWNLOAD)  # xlsx by default
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    kop, *data = list(sheet.iter_rows(values_only=True))
    assert kop[:4] == ("Moment", "Door", "Soort wijziging", "Omschrijving")
    (rij,) = [r for r in data if r[2] == "Rol gewijzigd"]
    assert isinstance(rij[0], dt.datetime)
    cel = next(c for c in sheet.iter_rows(min_row=2) if c[2].value == "Rol gewijzigd")[3]
    assert cel.value == GEVAARLIJK and cel.data_type == "s"  # a string cell, never a formula


def test_r74_the_download_is_kept_in_the_logboek_and_an_unknown_format_is_404(beheerder_client, organisatie):
    assert beheerder_client.get(DOWNLOAD, {"formaat": "pdf"}).status_code == 404
    beheerder_client.get(DOWNLOAD, {"formaat": "csv", "persoon": "Bakker"})
    entry = AuditEntry.objects.get(actie=Actie.LOGBOEK_GEDOWNLOAD)
    assert entry.organisatie == organisatie and entry.na == {"zoekopdracht": {"persoon": "Bakker"}}


def test_r74_nested_before_and_after_show_the_field_that_changed():
    voor = {"status": "in_behandeling", "middel": {"status": "wachten_op_goedkeuring", "niveau": "EH3"}}
    na = {"status": "ingetrokken", "middel": {"status": "beeindigd", "niveau": "EH3"}, "koppelingen": [3]}
    assert [(w.veld, w.voor, w.na) for w in wijzigingen(voor, na)] == [
        ("status", "in_behandeling", "ingetrokken"),
        ("middel.status", "wachten_op_goedkeuring", "beeindigd"),
        ("koppelingen", "–", "[3]"),
    ]
