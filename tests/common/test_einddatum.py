"""The end date as every screen asks for it (common.einddatum): the same choices, the date of one's own as Dag,
Maand, Jaar, and one message when it is missing, on the wizard, Verleng machtiging, a group's machtiging and a
ketenmachtiging."""

import datetime as dt

import pytest
from django.utils import translation

from common.dates import plus_jaren, vandaag
from common.einddatum import EINDDATUM_KEUZES, datum_hulp
from ketenmachtigingen.forms_afgegeven import VerlengForm as KetenVerlengForm
from machtigingen.forms import VerlengForm
from machtigingen.forms_toevoegen import EinddatumKeuzeForm
from tests.datum import datum_velden

ZELF_ZONDER_DATUM = "Vul de einddatum in: dag, maand en jaar."


@pytest.mark.parametrize(
    ("form_klasse", "keuze"), [(VerlengForm, "keuze"), (EinddatumKeuzeForm, "keuze"), (KetenVerlengForm, "duur")]
)
def test_a_date_of_ones_own_is_asked_for_and_given_as_day_month_year(form_klasse, keuze):
    assert [k for k, _ in form_klasse.base_fields[keuze].choices] == [k for k, _ in EINDDATUM_KEUZES]

    form = form_klasse({keuze: "zelf"})
    assert not form.is_valid()
    assert form.errors["datum"] == [ZELF_ZONDER_DATUM]

    datum = vandaag() + dt.timedelta(days=40)
    form = form_klasse({keuze: "zelf", **datum_velden("datum", datum)})
    assert form.is_valid(), form.errors
    assert form.service_keuze() == datum

    form = form_klasse({keuze: "3", **datum_velden("datum", datum)})
    assert form.is_valid() and form.service_keuze() == "3"  # the date is only read for "Bepaal zelf de datum"


def test_the_date_widget_is_three_fields_not_the_browsers_date_picker():
    html = str(VerlengForm()["datum"])
    for deel in ("datum_dag", "datum_maand", "datum_jaar"):
        assert f'name="{deel}"' in html
    assert 'type="date"' not in html


def test_a_date_that_does_not_exist_is_refused_in_the_persons_language():
    with translation.override("en"):
        form = VerlengForm({"keuze": "zelf", "datum_dag": "31", "datum_maand": "2", "datum_jaar": "2027"})
        assert not form.is_valid()
        assert form.errors["datum"] == ["Enter an existing date: day, month and year in digits."]


def test_the_help_says_until_when():
    laatste = plus_jaren(vandaag(), 5).strftime("%d-%m-%Y")
    assert datum_hulp() == f"Op zijn vroegst morgen, op zijn laatst {laatste}."
    with translation.override("en"):
        assert datum_hulp() == f"Tomorrow at the earliest, {laatste} at the latest."
    assert VerlengForm().fields["datum"].help_text == datum_hulp()
