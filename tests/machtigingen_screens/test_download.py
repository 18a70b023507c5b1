"""The download of the rubriek Machtigingen (§2.1): one row per (machtiging, person) with dienstverlener, dienst,
niveau, person, start and end; .xlsx and .csv, formula-safe, with the overview's search, scoped (R4)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.niveau import Niveau
from machtigingen.models import Scope
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.machtigingen.factories import MachtigingFactory

from .conftest import algemeen, houder, machtiging

DOWNLOAD = reverse("machtigingen:download")
KOP = [
    "Dienstverlener",
    "Dienst",
    "Niveau",
    "ID",
    "Naam",
    "E-mailadres",
    "Niveau gebruiker",
    "Machtiging sinds",
    "Machtiging tot",
    "Via groep",
]


@pytest.fixture
def gevuld(organisatie, santos, wbakker, veenstra, ienw):
    algemeen(organisatie, veenstra, Niveau.EH3)
    machtiging(organisatie, wbakker, None, scope=Scope.DIENSTVERLENER, dienstverlener=ienw)
    kwaad = DienstFactory(dienstverlener=DienstverlenerFactory(naam="=cmd|' /C calc'!A0"), naam="+SUM(A1)")
    machtiging(organisatie, veenstra, kwaad)
    MachtigingFactory(dienst=DienstFactory(naam="Van een ander"))
    return santos


def _xlsx(response):
    inhoud = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(inhoud)).active
    return [[c.value for c in rij] for rij in sheet.iter_rows()], sheet


def _csv(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_xlsx_has_one_row_per_machtiging_and_person(beheerder_client, gevuld, wbakker, veenstra):
    response = beheerder_client.get(DOWNLOAD, {"formaat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="machtigingen-12345678-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # the middleware may add "private"
    rijen, sheet = _xlsx(response)
    assert rijen[0] == KOP
    body = rijen[1:]
    assert len(body) == 5
    # The overview's order: Algemene bevoegdheid, then per dienstverlener its Dienstverlenersmachtiging, its diensten.
    assert body[0][:3] == ["Algemene bevoegdheid", "Algemene bevoegdheid EH3", "EH3"]
    assert body[0][4] == "S. Veenstra"
    asbest = [r for r in body if r[1] == "Landelijk Asbestvolgsysteem"]
    assert [r[4] for r in asbest] == ["W. Bakker", "S. Veenstra"]
    bakker = asbest[0]
    assert bakker[0] == "Ministerie van Infrastructuur en Waterstaat"
    assert bakker[2] == "EH2"
    assert bakker[3] == wbakker.persoon_id
    assert bakker[5] == wbakker.persoon.email
    assert bakker[6] == "EH2+"
    m = gevuld["bakker"]
    assert bakker[7].date() == m.begint_op and bakker[8].date() == m.eindigt_op
    assert sheet.cell(row=2, column=8).number_format == "DD-MM-YYYY"
    verlener = [r for r in body if r[1] == "Dienstverlenersmachtiging"]
    assert verlener[0][0] == "Ministerie van Infrastructuur en Waterstaat" and verlener[0][2] is None
    assert "Van een ander" not in str(rijen)


def test_xlsx_keeps_formula_text_as_text(beheerder_client, gevuld):
    rijen, sheet = _xlsx(beheerder_client.get(DOWNLOAD, {"formaat": "xlsx"}))
    (kwaad,) = [r for r in rijen if r[1] == "+SUM(A1)"]
    assert kwaad[0] == "=cmd|' /C calc'!A0"
    for rij in sheet.iter_rows():
        for cel in rij:
            assert cel.data_type != "f"


def test_csv_is_formula_safe_utf8_with_dutch_dates(beheerder_client, gevuld):
    response = beheerder_client.get(DOWNLOAD, {"formaat": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    tekst = _csv(response)
    assert tekst.startswith("\ufeff" + ";".join(KOP) + "\r\n")
    assert "'=cmd|' /C calc'!A0" in tekst
    assert ";'+SUM(A1);" in tekst
    m = gevuld["bakker"]
    assert f"{m.begint_op:%d-%m-%Y};{m.eindigt_op:%d-%m-%Y}" in tekst
    assert "Van een ander" not in tekst
    assert len(tekst.strip().split("\r\n")) == 1 + 5


def test_download_follows_the_search(beheerder_client, gevuld):
    tekst = _csv(beheerder_client.get(DOWNLOAD, {"formaat": "csv", "q": "asbest"}))
    regels = tekst.strip().split("\r\n")[1:]
    assert len(regels) == 2 and all("Landelijk Asbestvolgsysteem" in r for r in regels)


def test_download_of_an_unknown_format_is_404(beheerder_client, gevuld):
    assert beheerder_client.get(DOWNLOAD, {"formaat": "pdf"}).status_code == 404


def test_download_answers_post_with_405(beheerder_client):
    assert beheerder_client.post(DOWNLOAD).status_code == 405


def test_download_runs_a_fixed_number_of_queries(beheerder_client, organisatie, asbest):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tel():
        beheerder_client.get(DOWNLOAD, {"formaat": "csv"})
        with CaptureQueriesContext(connection) as ctx:
            _csv(beheerder_client.get(DOWNLOAD, {"formaat": "csv"}))
        return len(ctx.captured_queries)

    machtiging(organisatie, houder(organisatie, "A", "Een"), asbest)
    een = tel()
    for i in range(6):
        machtiging(organisatie, houder(organisatie, "B", f"Meer{i}"), DienstFactory(), eindigt_op=None)
    assert tel() == een


def test_dates_are_the_stored_ones(beheerder_client, organisatie, asbest):
    m = machtiging(organisatie, houder(organisatie, "A", "Een"), asbest, begint_op=dt.date(2024, 3, 24))
    tekst = _csv(beheerder_client.get(DOWNLOAD, {"formaat": "csv"}))
    assert f"24-03-2024;{m.eindigt_op:%d-%m-%Y}" in tekst
