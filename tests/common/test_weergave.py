"""Amounts written once (common.weergave.euro): in the person's language, € kept with its amount."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from common.weergave import euro


@pytest.mark.parametrize(
    ("taal", "bedrag", "tekst"),
    [
        ("nl", Decimal("41"), "€\u00a041,00"),
        ("nl", Decimal("1041.5"), "€\u00a01.041,50"),
        ("en", Decimal("1041.5"), "€\u00a01,041.50"),
        # As an amount is kept in the JSON of an aanvraag.
        ("nl", "19.95", "€\u00a019,95"),
        ("nl", 2.5, "€\u00a02,50"),
    ],
)
def test_an_amount_in_the_persons_language(taal, bedrag, tekst):
    with translation.override(taal):
        assert euro(bedrag) == tekst


def test_no_amount_is_empty_and_text_that_is_no_amount_is_shown_as_it_is():
    assert euro(None) == "" and euro("") == ""
    assert euro("onbekend") == "onbekend"


def test_the_template_filter_is_the_same_function():
    with translation.override("nl"):
        assert Template("{% load weergave %}{{ b|euro }}").render(Context({"b": Decimal("58.95")})) == "€\u00a058,95"


def test_a_moment_keeps_its_date_and_its_time_whole_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    utc = dt.datetime(2026, 12, 4, 18, 57, 45, tzinfo=dt.UTC)
    html = Template("{% load weergave %}{{ m|moment }}|{{ m|moment:'minuten' }}|{{ leeg|moment }}").render(
        Context({"m": utc, "leeg": None})
    )
    seconden, minuten, leeg = html.split("|")
    assert seconden == (
        '<time datetime="2026-12-04T19:57:45+01:00"><span class="bm-heel">04-12-2026</span> '
        '<span class="bm-heel">19:57:45</span></time>'
    )
    assert minuten.endswith('<span class="bm-heel">19:57</span></time>') and leeg == ""
