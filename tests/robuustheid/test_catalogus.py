"""Bad input on the catalogue import (issue #14, R70): random bytes and mangled editions of the real XML, through
the parser, `manage.py import_dienstencatalogus` and the support upload. Always a clear error (CatalogusOngeldig /
CommandError / the upload form's error) or a good import, never another exception; refused means unchanged."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogus import voorbeeld
from catalogus.importer import catalogus_import
from catalogus.parser import CatalogusGegevens, CatalogusOngeldig, parse_catalogus
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.robuustheid.conftest import verschil, vingerafdruk, voorbeeld_in_savepoint
from tests.support.conftest import maak_support_medewerker

KLEIN = voorbeeld.BESTAND_1_11.read_bytes()  # 10 kB, a whole edition (1.11)
GROOT = voorbeeld.BESTAND.read_bytes()  # the 1.13 edition the demo loads

SNEL = settings(max_examples=100, deadline=None, database=None)
TRAAG = settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def verminkt(draw, bron=KLEIN):
    """A real edition with one mutation: cut off, a slice replaced by random bytes/text, a tag renamed, an attribute
    value or an element's text replaced (a date, a niveau, a UUID that is not one)."""
    tekst = bron.decode()
    soort = draw(st.sampled_from(["afgekapt", "vervangen", "tekst", "waarde", "attribuut"]))
    i = draw(st.integers(0, len(tekst) - 1))
    if soort == "afgekapt":
        return bron[: draw(st.integers(0, len(bron)))]
    if soort == "vervangen":
        j = draw(st.integers(i, min(len(bron), i + 200)))
        return bron[:i] + draw(st.binary(max_size=50)) + bron[j:]
    rommel = draw(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(["", "31-02-2019", "2019-02-31T00:00:00Z", "-1", "x" * 5000, "&amp;", "]]>"]),
        )
    )
    rommel = rommel.replace("<", "&lt;").replace("&", "&amp;") if soort == "tekst" else rommel
    if soort == "tekst":  # an element's text
        start = tekst.find(">", i)
        eind = tekst.find("<", start)
        if start < 0 or eind < 0:
            return bron
        return (tekst[: start + 1] + rommel + tekst[eind:]).encode("utf-8", "surrogatepass")
    if soort == "attribuut":  # one attribute by name (each name as likely, however often it occurs)
        naam = draw(st.sampled_from(sorted(set(re.findall(r'([\w:]+)="', tekst)))))
        i = tekst.find(naam + '="')
    start = tekst.find('="', i)  # an attribute's value
    eind = tekst.find('"', start + 2)
    if start < 0 or eind < 0:
        return bron
    return (tekst[: start + 2] + rommel.replace('"', "&quot;") + tekst[eind:]).encode("utf-8", "surrogatepass")


inhoud = st.one_of(st.binary(max_size=400), st.text(max_size=200).map(str.encode), verminkt())


@SNEL
@given(inhoud)
def test_the_parser_answers_every_file_with_an_edition_or_a_clear_error(data):
    try:
        uitkomst = parse_catalogus(data)
    except CatalogusOngeldig as e:
        assert str(e.message).strip()
    else:
        assert isinstance(uitkomst, CatalogusGegevens)


@TRAAG
@given(inhoud)
def test_r70_a_refused_import_changes_nothing(db, data):
    def stap():
        voor = vingerafdruk()
        try:
            catalogus_import(inhoud=data, bron="fuzz.xml")
        except CatalogusOngeldig as e:
            assert str(e.message).strip()
            assert not verschil(voor, vingerafdruk()), "refused, yet changed"

    voorbeeld_in_savepoint(stap)


@TRAAG
@given(inhoud)
def test_the_command_fails_with_a_message(db, tmp_path_factory, data):
    pad = tmp_path_factory.mktemp("cat") / "editie.xml"
    pad.write_bytes(data)

    def stap():
        voor = vingerafdruk()
        try:
            call_command("import_dienstencatalogus", str(pad), stdout=open("/dev/null", "w"))  # noqa: SIM115
        except CommandError as e:
            assert str(e).strip()
            assert not verschil(voor, vingerafdruk())

    voorbeeld_in_savepoint(stap)


@pytest.fixture
def support_client(client, db):
    return inloggen_geverifieerd(client, maak_support_medewerker(username="support"))


@TRAAG
@given(inhoud, st.sampled_from(["editie.xml", "editie.XML", "editie", "editie.pdf", "é\u202e.xml"]))
def test_r70_the_support_upload_shows_the_error_and_changes_nothing(support_client, data, naam):
    url = reverse("admin:catalogus_catalogusimport_importeren")

    def stap():
        voor = vingerafdruk()
        response = support_client.post(url, {"bestand": SimpleUploadedFile(naam, data)})
        return response, verschil(voor, vingerafdruk())

    response, veranderd = voorbeeld_in_savepoint(stap)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the form again with the reason
        assert 'id="bestand-fout"' in response.content.decode()
        assert not veranderd
