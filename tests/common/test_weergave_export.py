"""The shared display helpers (common.weergave) and the one CSV writer (common.export)."""

import datetime as dt

from common import export, weergave
from inloggen import services as inloggen_services
from tests.gebruikers.factories import PersoonFactory


def test_maskeer_masks_the_national_form():
    assert weergave.maskeer("+31612345678") == "••••••••78"
    assert weergave.maskeer("0031612345678") == "••••••••78"
    assert weergave.maskeer("") == ""


def test_second_factor_screen_masks_the_national_number_not_the_plus31_form(db):
    # The defect: '+31612345678' was masked as is, showing 10 dots instead of 8.
    persoon = PersoonFactory(mobiel="+31612345678")
    assert inloggen_services.sms_nummer_gemaskeerd(persoon) == "••••••••78"


def test_maskeer_email_keeps_first_letter_and_domain():
    assert weergave.maskeer_email("nieuw.adres@domein.nl") == "n" + "•" * 10 + "@domein.nl"
    assert weergave.maskeer_email("a@b.nl") == "a•••@b.nl"


def test_datum_is_the_manuals_format_for_dates_and_iso_text():
    assert weergave.datum(dt.date(2026, 12, 1)) == "01-12-2026"
    assert weergave.datum("2026-12-01") == "01-12-2026"
    assert weergave.datum("onbekend") == "onbekend"
    assert weergave.datum(None) == ""


def test_formule_veilig_prefixes_only_dangerous_text():
    for waarde in ("=1", "+1", "-1", "@a", "\tx", "\rx"):
        assert export.formule_veilig(waarde) == "'" + waarde
    for waarde in ("J. Bakker", "a=1", "", 5, None):
        assert export.formule_veilig(waarde) == waarde


def test_csv_chunks_guards_formats_dates_and_adds_bom_on_request():
    rijen = [(1, "=SOM(A1)", dt.date(2026, 1, 2), None)]
    met_bom = b"".join(export.csv_chunks(["a", "b", "c", "d"], rijen, scheiding=";", bom=True))
    assert met_bom == "\ufeffa;b;c;d\r\n1;'=SOM(A1);02-01-2026;\r\n".encode()
    zonder = b"".join(export.csv_chunks(["a"], [("x,y",)], scheiding=","))
    assert zonder == b'a\r\n"x,y"\r\n'


def test_csv_response_is_a_streamed_attachment():
    response = export.csv_response(iter([b"a\r\n"]), bestandsnaam="x.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content) == b"a\r\n"
