"""The shipped sample files are what `catalogus.voorbeeld` describes, so demo data can use its UUIDs."""

from catalogus import voorbeeld
from catalogus.importer import parse_catalogus


def test_shipped_files_match_their_specs():
    # Rewrite with `python -m catalogus.voorbeeld` after changing the specs.
    assert voorbeeld.BESTAND.read_text(encoding="utf-8") == voorbeeld.voorbeeld_xml()
    assert voorbeeld.BESTAND_1_11.read_text(encoding="utf-8") == voorbeeld.voorbeeld_1_11_xml()


def test_signature_comes_first_in_the_root_as_in_real_files():
    tekst = voorbeeld.BESTAND.read_text(encoding="utf-8")
    assert tekst.index("<ds:Signature>") < tekst.index("<esc:ServiceProvider")


def test_every_named_uuid_is_in_the_catalogue():
    uuids = {d.service_uuid for d in parse_catalogus(voorbeeld.BESTAND.read_bytes()).diensten}
    benoemd = {v for k, v in vars(voorbeeld).items() if k.isupper() and isinstance(v, type(voorbeeld.MIJN_RVO))}
    assert benoemd - uuids == {voorbeeld.UWV_DIGITAAL_KLANTDOSSIER}  # only in the old 1.11 edition
