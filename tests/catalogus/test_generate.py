from io import StringIO

import pytest
from django.core.management import call_command

from catalogus.generate import generate_catalogus
from catalogus.importer import parse_catalogus
from catalogus.models import Dienst, Dienstverlener
from catalogus.xmlnames import NS_1_11


def test_same_seed_same_catalogue_other_seed_other_one():
    assert generate_catalogus(diensten=30, dienstverleners=4, seed=7) == generate_catalogus(
        diensten=30, dienstverleners=4, seed=7
    )
    assert generate_catalogus(diensten=30, dienstverleners=4, seed=7) != generate_catalogus(
        diensten=30, dienstverleners=4, seed=8
    )


def test_generated_catalogue_parses_with_the_requested_sizes():
    gegevens = parse_catalogus(generate_catalogus(diensten=120, dienstverleners=7, seed=3).encode())
    assert len(gegevens.diensten) == 120
    assert len(gegevens.dienstverleners) == 7
    assert len({d.service_uuid for d in gegevens.diensten}) == 120


def test_generated_catalogue_in_the_1_11_namespace():
    gegevens = parse_catalogus(generate_catalogus(diensten=5, dienstverleners=2, namespace=NS_1_11).encode())
    assert gegevens.namespace == NS_1_11


@pytest.mark.django_db
def test_generate_command_output_imports_with_the_right_counts(tmp_path):
    pad = tmp_path / "groot.xml"
    call_command(
        "generate_dienstencatalogus", str(pad), "--diensten", "2000", "--dienstverleners", "90", "--seed", "5",
        stdout=StringIO(),
    )  # fmt: skip
    out = StringIO()
    call_command("import_dienstencatalogus", str(pad), stdout=out)

    assert out.getvalue().splitlines()[-1] == "added 2000, changed 0, withdrawn 0, unchanged 0"
    assert Dienst.objects.count() == 2000
    assert Dienstverlener.objects.count() == 90

    # Another seed is a wholly different catalogue: everything old is withdrawn, everything new added.
    ander = tmp_path / "ander.xml"
    call_command(
        "generate_dienstencatalogus", str(ander), "--diensten", "1500", "--dienstverleners", "90", "--seed", "6",
        stdout=StringIO(),
    )  # fmt: skip
    out = StringIO()
    call_command("import_dienstencatalogus", str(ander), stdout=out)
    assert out.getvalue().splitlines()[-1] == "added 1500, changed 0, withdrawn 2000, unchanged 0"
