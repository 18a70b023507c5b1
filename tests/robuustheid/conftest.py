"""Shared by the bad-input suite (issue #14): the demo data once per module, a database fingerprint, the
hypothesis strategies for hostile values, and what counts as a clear refusal on a screen."""

import hashlib
import io
import re

import pytest
from django.contrib.messages import constants as message_levels
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import strategies as st

# --- data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The manual's demo data, loaded once per module inside a transaction that is rolled back at the end (so
    other modules never see it); each test's own transaction nests in it as a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Teruggedraaid(Exception):
    """Raised at the end of an example to roll its savepoint back: every example starts from the same data."""


def voorbeeld_in_savepoint(fn):
    """Run `fn()` in a savepoint that is always rolled back; returns what `fn` returned."""
    uitkomst = []
    try:
        with transaction.atomic():
            uitkomst.append(fn())
            raise Teruggedraaid
    except Teruggedraaid:
        pass
    return uitkomst[0]


# --- fingerprint

# Written by every request (session expiry), and on purpose by a refused password (the failed attempt is kept for
# throttling and the log-in history): not a change the person asked for.
RUIS = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "inloggen_loginpoging"}


def vingerafdruk(uitgezonderd=frozenset()) -> dict[str, str]:
    """Per table: a hash of all its rows (so a count, a max(pk) and any changed value all show)."""
    with connection.cursor() as cursor:
        tabellen = [t for t in connection.introspection.table_names(cursor) if t not in RUIS | set(uitgezonderd)]
        uitkomst = {}
        for tabel in tabellen:
            cursor.execute(f'SELECT * FROM "{tabel}" ORDER BY 1')  # noqa: S608 (table names from introspection)
            uitkomst[tabel] = hashlib.sha1(repr(cursor.fetchall()).encode(), usedforsecurity=False).hexdigest()
    return uitkomst


def verschil(voor: dict, na: dict) -> list[str]:
    return sorted(t for t in voor.keys() | na.keys() if voor.get(t) != na.get(t))


# --- hostile values

# The kinds of text people (and scripts) type or paste: unicode of every category, control characters
# (NUL included: a middleware answers 400), lone surrogates are impossible in HTTP so left out.
tekst = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
controle = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\u200b\u202e\ufeff"))
lang = st.integers(min_value=300, max_value=20_000).map(lambda n: "x" * n)
getal = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "-1", "1e309", "NaN", "0x10", "１２", "²", "٣", "1_000", " 7 "]),
)
datum = st.one_of(
    st.sampled_from(["31-02-2025", "29-02-2023", "00-00-0000", "31-12-9999", "01-01-0001", "2025-13-01", "32-1-2025"]),
    st.tuples(st.integers(-5, 40), st.integers(-2, 14), st.integers(-10, 100_000)).map("{0[0]}-{0[1]}-{0[2]}".format),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
)
vreemd = st.one_of(tekst, controle, lang, getal, datum, st.just(""), st.sampled_from(["on", "true", "None", "[]"]))


def veldwaarde(geldige: list[str]) -> st.SearchStrategy:
    """One field's value: often a value the screen offers (so deeper checks run), else hostile text; sometimes a
    list of several values (what a multi-select or a repeated field posts)."""
    soorten = [tekst, controle, lang, getal, datum, st.just("")]
    enkel = st.one_of(st.sampled_from(geldige), *soorten) if geldige else st.one_of(*soorten)
    return st.one_of(enkel, st.lists(enkel, min_size=2, max_size=4))


# --- what a clear refusal looks like

FOUT_MARKERS = (
    "utrecht-form-field-error-message",
    "utrecht-alert--error",
    "utrecht-alert--warning",
    "errorlist",
    "errornote",
    "bm-popup__melding",
    "bm-foutoverzicht",
    'role="alert"',
)


def zichtbare_tekst(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def foutmeldingen_in_sessie(response) -> list[str]:
    """The error/warning messages the view queued (shown on the page a redirect leads to)."""
    opslag = getattr(response.wsgi_request, "_messages", None)
    if opslag is None:
        return []
    return [str(m) for m in getattr(opslag, "_queued_messages", []) if m.level >= message_levels.WARNING]


def is_weigering(response) -> bool:
    """The response refuses the input visibly: a 4xx, a form re-rendered with an error, or a queued message."""
    if 400 <= response.status_code < 500:
        return True
    if foutmeldingen_in_sessie(response):
        return True
    if response.streaming or response.status_code != 200:
        return False
    return any(m in response.content.decode(errors="replace") for m in FOUT_MARKERS)


def heeft_duidelijke_tekst(response) -> bool:
    """A refusal carries a message a person can read (not an empty 400)."""
    if foutmeldingen_in_sessie(response):
        return True
    if response.streaming:
        return False
    inhoud = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return '"message"' in inhoud or '"detail"' in inhoud
    return len(zichtbare_tekst(inhoud)) >= 10
