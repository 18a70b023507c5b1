"""The download of the gebruikers overview as .xlsx and .csv (§2.1, R61): columns, scope, search, injection guard."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from common.dates import vandaag
from gebruikers import exports
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import gebruikers_overzicht
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers_screens import test_overzicht_fixtures as personen

# The shared fixtures of the overview tests (kept out of a conftest.py: this directory is shared).
bulters, hendriks, smit, zeeuw, vreemde = (
    personen.bulters,
    personen.hendriks,
    personen.smit,
    personen.zeeuw,
    personen.vreemde,
)
inloggen = personen.inloggen

URL = reverse("gebruikers:download")
KOP = ["ID", "Naam", "E-mailadres", "Rol", "Status", "Activatie einddatum", "Niveau", "Tweede factor"]


def inhoud(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def xlsx_rijen(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(inhoud(response)))
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def csv_rijen(response) -> list[list[str]]:
    data = inhoud(response)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture
def santos(beheerder, bulters, hendriks, smit, zeeuw, vreemde):
    return {"beheerder": beheerder, "bulters": bulters, "hendriks": hendriks, "smit": smit, "zeeuw": zeeuw}


@pytest.mark.django_db
def test_r61_xlsx_has_the_manuals_columns_and_rows(client, inloggen, santos, organisatie):
    inloggen(santos["beheerder"])

    response = client.get(URL, {"formaat": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert f'filename="gebruikers-12345678-{vandaag().isoformat()}.xlsx"' in response["Content-Disposition"]
    kop, *rijen = xlsx_rijen(response)
    assert kop == KOP
    h, s = santos["hendriks"], santos["smit"]
    assert rijen == [
        [santos["beheerder"].pk, "J. Bakker", santos["beheerder"].email, "Beheerder", "Actief", None, "EH3", "SMS 0612345678"],
        [santos["bulters"].pk, "K. Bulters", "katarina.bulters@example.com", "Gebruiker", "Actief", None, "EH2+", "SMS 0612345678"],
        [h.pk, "H. Hendriks", "harry@example.com", "Beheerder", "Wachten op activatie",
         dt.datetime.combine(h.middel.activeren_tot, dt.time()), "EH3", "SMS 0612345678"],
        [s.pk, "R. Smit", "r.smit@example.com", "Gebruiker", "Activatie verlopen",
         dt.datetime.combine(s.middel.activatie_verlopen_op, dt.time()), "EH3", "OTP"],
        [santos["zeeuw"].pk, "A. Zeeuw", "a.zeeuw@domein.nl", "Gebruiker", "Wachten op goedkeuring", None, "EH2+", "SMS 0612345678"],
    ]  # fmt: skip


@pytest.mark.django_db
def test_r61_xlsx_dates_read_as_dutch_dates(client, inloggen, santos):
    inloggen(santos["beheerder"])

    workbook = openpyxl.load_workbook(io.BytesIO(inhoud(client.get(URL, {"formaat": "xlsx"}))))

    cel = workbook.active["F4"]
    assert cel.is_date and cel.number_format == "DD-MM-YYYY"


@pytest.mark.django_db
def test_r61_csv_has_the_same_rows_as_text(client, inloggen, santos):
    inloggen(santos["beheerder"])

    response = client.get(URL, {"formaat": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="gebruikers-12345678-{vandaag().isoformat()}.csv"' in response["Content-Disposition"]
    kop, *rijen = csv_rijen(response)
    assert kop == KOP
    h = santos["hendriks"]
    assert rijen[2] == [
        str(h.pk),
        "H. Hendriks",
        "harry@example.com",
        "Beheerder",
        "Wachten op activatie",
        h.middel.activeren_tot.strftime("%d-%m-%Y"),
        "EH3",
        "SMS 0612345678",
    ]
    assert [r[1] for r in rijen] == ["J. Bakker", "K. Bulters", "H. Hendriks", "R. Smit", "A. Zeeuw"]


@pytest.mark.django_db
@pytest.mark.parametrize("formaat", ["xlsx", "csv"])
@pytest.mark.parametrize("zoek", ["", "bult", "example.com", "HENDRIKS", "niemand"])
def test_r61_export_lists_exactly_the_people_of_the_overview(client, inloggen, santos, organisatie, formaat, zoek):
    KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD)
    KoppelingFactory(organisatie=organisatie, middel__status=Middel.Status.AFGEKEURD)
    inloggen(santos["beheerder"])

    response = client.get(URL, {"formaat": formaat, "q": zoek})

    rijen = (xlsx_rijen if formaat == "xlsx" else csv_rijen)(response)[1:]
    overzicht = gebruikers_overzicht(organisatie=organisatie, persoon=santos["beheerder"], zoek=zoek)
    assert [(str(r[0]), r[1], r[2]) for r in rijen] == [(str(g.persoon_id), g.naam, g.email) for g in overzicht]
    assert [r[4] for r in rijen] == [g.status_label for g in overzicht]


@pytest.mark.django_db
def test_r61_export_is_scoped_to_the_chosen_organisation(client, inloggen, andere_beheerder, santos):
    inloggen(andere_beheerder)

    rijen = csv_rijen(client.get(URL, {"formaat": "csv"}))[1:]

    assert [r[0] for r in rijen] == [str(andere_beheerder.pk)]


@pytest.fixture
def gevaarlijk(organisatie):
    """Values a spreadsheet would run as formulas."""
    return [
        KoppelingFactory(
            organisatie=organisatie,
            middel__persoon__voornamen="=HYPERLINK",
            middel__persoon__achternaam="Aap",
            middel__persoon__email="+31@example.com",
        ).middel.persoon,
        KoppelingFactory(
            organisatie=organisatie,
            middel__persoon__voornamen="@SUM",
            middel__persoon__achternaam="Beer",
            middel__persoon__email="-1+1@example.com",
        ).middel.persoon,
        KoppelingFactory(
            organisatie=organisatie,
            middel__persoon__voornamen="Chris",
            middel__persoon__achternaam="Cavia",
            middel__persoon__email="\tcmd@example.com",
        ).middel.persoon,
    ]


@pytest.mark.django_db
def test_r61_csv_guards_against_formula_injection(client, inloggen, beheerder, gevaarlijk):
    inloggen(beheerder)

    rijen = {r[0]: r for r in csv_rijen(client.get(URL, {"formaat": "csv"}))[1:]}

    aap, beer, cavia = (rijen[str(p.pk)] for p in gevaarlijk)
    assert aap[1] == "'=. Aap" and aap[2] == "'+31@example.com"
    assert beer[1] == "'@. Beer" and beer[2] == "'-1+1@example.com"
    assert cavia[2] == "'\tcmd@example.com"
    # Ordinary values are left alone.
    assert rijen[str(beheerder.pk)][1] == "J. Bakker"


@pytest.mark.django_db
def test_r61_xlsx_stores_formula_like_text_as_text(client, inloggen, beheerder, gevaarlijk):
    inloggen(beheerder)

    workbook = openpyxl.load_workbook(io.BytesIO(inhoud(client.get(URL, {"formaat": "xlsx"}))))

    cellen = {row[0].value: row for row in workbook.active.iter_rows(min_row=2)}
    aap = cellen[gevaarlijk[0].pk]
    assert aap[1].value == "=. Aap" and aap[1].data_type == "s"
    assert all(cel.data_type != "f" for row in cellen.values() for cel in row)


def test_beveilig_prefixes_only_dangerous_first_characters():
    for waarde in ("=1", "+1", "-1", "@a", "\tx", "\rx"):
        assert exports.beveilig(waarde) == "'" + waarde
    for waarde in ("J. Bakker", "a=1", "", 5, None):
        assert exports.beveilig(waarde) == waarde


def test_tweede_factor_tekst():
    assert exports.tweede_factor_tekst("sms", "+31612345678") == "SMS 0612345678"
    assert exports.tweede_factor_tekst("sms", "06 2295 5555") == "SMS 0622955555"
    assert exports.tweede_factor_tekst("otp", "+31612345678") == "OTP"
    assert exports.tweede_factor_tekst("", "+31612345678") == ""


@pytest.mark.django_db
class TestToegang:
    def test_gebruiker_is_sent_to_the_profile(self, client, inloggen, gebruiker):
        inloggen(gebruiker)

        response = client.get(URL, {"formaat": "csv"})

        assert response.status_code == 302
        assert response["Location"] == reverse("beheer:profiel")

    def test_signed_out_goes_to_the_log_in(self, client, organisatie):
        response = client.get(URL, {"formaat": "csv"})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("beheer:inloggen"))

    def test_unknown_format_is_404(self, client, inloggen, beheerder):
        inloggen(beheerder)

        assert client.get(URL, {"formaat": "pdf"}).status_code == 404

    def test_post_is_not_allowed(self, client, inloggen, beheerder):
        inloggen(beheerder)

        assert client.post(URL, {"formaat": "csv"}).status_code == 405

    def test_not_cached(self, client, inloggen, beheerder):
        inloggen(beheerder)

        richtlijnen = client.get(URL, {"formaat": "csv"})["Cache-Control"].split(", ")
        assert sorted(richtlijnen) == ["no-store", "private"]


def _maak(organisatie, aantal):
    for i in range(aantal):
        KoppelingFactory(organisatie=organisatie, middel__wachten_op_activatie=i % 3 == 0)


# Session, person, second-factor device, managed organisations, own middel, the export (ONE query), the session saved (3).
EXPORT_QUERIES = 9


@pytest.mark.django_db
@pytest.mark.parametrize("formaat", ["xlsx", "csv"])
def test_r61_export_query_count_does_not_grow_with_the_number_of_people(
    client, inloggen, beheerder, organisatie, django_assert_num_queries, formaat
):
    inloggen(beheerder)
    _maak(organisatie, 1)
    with django_assert_num_queries(EXPORT_QUERIES):
        klein = inhoud(client.get(URL, {"formaat": formaat}))

    _maak(organisatie, 29)
    with django_assert_num_queries(EXPORT_QUERIES):
        groot = inhoud(client.get(URL, {"formaat": formaat}))

    assert len(klein) < len(groot)


def test_csv_streams_in_chunks():
    rijen = ((i, f"Naam {i}", "x@example.com", "Gebruiker", "Actief", None, "EH3", "") for i in range(1_200))

    chunks = list(exports.csv_chunks(rijen, per_chunk=500))

    assert len(chunks) == 1 + 3  # the header, then 500 + 500 + 200 lines
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 1_201
