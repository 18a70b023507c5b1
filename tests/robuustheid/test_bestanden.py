"""Bad files (issue #14): the ID-document uploads of *Gebruiker toevoegen* (R14) and the invitations file of
*Ketenmachtigingen van relaties* (R43). Random bytes, truncated images, wrong names, CSV/xlsx with random cells:
a clear refusal or a preview, never another exception, nothing sent or stored before *Verstuur*."""

import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from common.errors import DomainError
from gebruikers.models import Persoon
from gebruikers.services.validatie import UPLOAD_EXTENSIES, valideer_upload
from ketenmachtigingen.forms_relaties import KOLOMMEN, lees_bestand
from ketenmachtigingen.services import relaties_beoordelen
from organisaties.models import Organisatie
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.robuustheid.conftest import heeft_duidelijke_tekst, verschil, vingerafdruk, voorbeeld_in_savepoint

# --- ID-document uploads (R14)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
KOPPEN = [PNG, b"%PDF-1.7\n", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"II*\x00", b"MM\x00*", b"BM6\x00"]
upload_naam = st.one_of(
    st.sampled_from([f"id.{e}" for e in UPLOAD_EXTENSIES] + ["id.PNG", "id", ".png", "id.png.exe", "id.", "…"]),
    st.text(max_size=40),
    st.tuples(st.text(max_size=10), st.sampled_from(list(UPLOAD_EXTENSIES))).map(".".join),
).filter(lambda n: os.path.basename(n) not in ("", ".", ".."))  # what a multipart upload can carry at all
upload_inhoud = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from(KOPPEN), st.integers(0, 40)).map(lambda t: t[0][: t[1]]),  # truncated
    st.tuples(st.sampled_from(KOPPEN), st.binary(max_size=100)).map(b"".join),
)


@settings(max_examples=300, deadline=None, database=None)
@given(upload_naam, upload_inhoud)
def test_r14_an_upload_is_accepted_by_name_and_content_or_refused_with_a_message(naam, inhoud):
    bestand = SimpleUploadedFile(naam, inhoud)
    try:
        soort = valideer_upload(bestand)
    except DomainError as e:
        assert str(e.message).strip() and e.rule == "R14"
    else:
        assert UPLOAD_EXTENSIES[naam.rsplit(".", 1)[-1].lower()] == soort


# --- The invitations file (R43)

kvk = st.one_of(
    st.from_regex(r"\A[0-9]{8}\Z"), st.sampled_from(["12345678", "47474747", "1234567", "０１２３４５６７"])
)
cel = st.one_of(
    kvk,
    st.emails().map(str),
    st.sampled_from(["algemeen", "dienst", "dienstverlener", "EH3", "eH 4", "30", "²", "٣", "1", "5", "6", "-1"]),
    st.uuids().map(str),
    st.text(max_size=30),
    st.sampled_from(["=1+1", "+31", "@x", "-", "\t=cmd", ""]),
)
xlsx_cel = st.one_of(
    cel.map(lambda s: "".join(c for c in s if c >= " ")),  # openpyxl cannot even write control characters
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)
_kolommen = st.lists(st.sampled_from(sorted(KOLOMMEN) + ["KvK_Nummer ", "onbekend", ""]), min_size=0, max_size=6)
# Mostly with the two required columns (else the whole file is refused before any row is read).
kop = st.one_of(
    _kolommen.map(lambda k: ["kvk_nummer", "email", *k]),
    _kolommen.map(lambda k: ["email", "kvk_nummer", *k]),
    _kolommen,
)
# What a column holds in a file people make: mostly its own kind of value (so rows get past the first checks),
# sometimes anything.
PER_KOLOM = {
    "kvk_nummer": kvk,
    "email": st.emails().map(str),
    "niveau": st.sampled_from(["EH3", "eh 4", "30", "10", "99", "²", "٣", "３０", "", "-1"]),
    "scope": st.sampled_from(["algemeen", "ALGEMEEN ", "dienst", "dienstverlener", "", "x"]),
    "looptijd_jaren": st.sampled_from(["1", "5", "0", "6", "²", "1.5", "", "٣"]),
    "service_uuid": st.uuids().map(str),
}


def _rijen(koprij, cellen):
    kolom = lambda k: PER_KOLOM.get(KOLOMMEN.get(str(k).strip().lower()), cel)  # noqa: E731
    return st.lists(st.tuples(*[st.one_of(kolom(k), kolom(k), kolom(k), cellen) for k in koprij]).map(list), max_size=5)


def _csv(koprij, rijen, scheiding, codering):
    regels = [scheiding.join(koprij)] + [scheiding.join(str(c) for c in r) for r in rijen]
    return "\n".join(regels).encode(codering, errors="replace")


def _xlsx(koprij, rijen):
    # openpyxl cannot even write control characters: a file people make never holds them.
    rijen = [["".join(c for c in x if c >= " ") if isinstance(x, str) else x for x in r] for r in rijen]
    werkboek = Workbook()
    blad = werkboek.active
    for r in [koprij, *rijen]:
        blad.append(r)
    uit = io.BytesIO()
    werkboek.save(uit)
    return uit.getvalue()


bestand = st.one_of(
    kop.flatmap(
        lambda k: st.builds(
            lambda r, sch, cod: ("relaties.csv", _csv(k, r, sch, cod)),
            _rijen(k, cel),
            st.sampled_from([";", ",", "\t"]),
            st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]),
        )
    ),
    kop.flatmap(lambda k: _rijen(k, xlsx_cel).map(lambda r: ("relaties.xlsx", _xlsx(k, r)))),
    st.tuples(st.sampled_from(["relaties.csv", "relaties.xlsx", "relaties.txt", "relaties"]), st.binary(max_size=200)),
)


@pytest.fixture
def intermediair(demo, db):
    return Organisatie.objects.get(kvk_nummer="47474747")


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bestand)
def test_r43_a_file_is_read_into_rows_or_refused_with_a_message(intermediair, naam_inhoud):
    naam, inhoud = naam_inhoud
    try:
        rijen = lees_bestand(SimpleUploadedFile(naam, inhoud))
    except ValidationError as e:
        assert all(str(m).strip() for m in e.messages)
        return
    try:
        beoordeeld = relaties_beoordelen(intermediair=intermediair, rijen=rijen)
    except DomainError as e:
        assert str(e.message).strip()
        return
    assert len(beoordeeld) == len(rijen)
    for rij in beoordeeld:
        assert rij.geldig or all(str(f.message).strip() for f in rij.fouten)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bestand)
def test_r43_the_upload_screen_previews_or_refuses_and_stores_nothing(client, intermediair, naam_inhoud):
    naam, inhoud = naam_inhoud
    beheerder = Persoon.objects.get(middel__koppelingen__organisatie=intermediair, middel__koppelingen__rol="beheerder")
    inloggen_geverifieerd(client, beheerder)
    client.post(reverse("beheer:wissel_organisatie"), {"organisatie": intermediair.pk})

    def stap():
        voor = vingerafdruk()
        response = client.post(
            reverse("ketenmachtigingen:relaties_bestand"), {"bestand": SimpleUploadedFile(naam, inhoud)}
        )
        return response, verschil(voor, vingerafdruk())

    response, veranderd = voorbeeld_in_savepoint(stap)
    assert response.status_code in (200, 400), response.status_code
    assert not veranderd, veranderd  # a preview only: nothing sent, nothing stored until *Verstuur*
    if response.status_code == 400:
        assert "utrecht-form-field-error-message" in response.text and heeft_duidelijke_tekst(response)


def test_r43_a_unicode_digit_niveau_is_a_row_error_not_a_crash(intermediair):
    """Found by the suite: '²'.isdigit() is true but int('²') raises; the niveau cell must be a row's refusal."""
    rijen = [{"rijnummer": 2, "kvk_nummer": "11112222", "email": "a@example.nl", "niveau": "²"}]
    (rij,) = relaties_beoordelen(intermediair=intermediair, rijen=rijen)
    assert not rij.geldig and any("niveau" in str(f.message) for f in rij.fouten)
