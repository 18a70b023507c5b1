import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogus import voorbeeld
from catalogus.models import Dienst
from tests.catalogus.edities import dienst, editie


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_command_ends_with_the_counts_line():
    assert run("import_dienstencatalogus", str(voorbeeld.BESTAND)).splitlines()[-1] == (
        "added 40, changed 0, withdrawn 0, unchanged 0"
    )
    assert run("import_dienstencatalogus", str(voorbeeld.BESTAND)).splitlines()[-1] == (
        "added 0, changed 0, withdrawn 0, unchanged 40"
    )


@pytest.mark.django_db
def test_import_command_refuses_a_malformed_file(tmp_path, momentopname):
    call_command("import_dienstencatalogus", str(voorbeeld.BESTAND), stdout=StringIO())
    voor = momentopname()
    pad = tmp_path / "kapot.xml"
    pad.write_text(editie(dienst(uuid.uuid4())).replace("loa3", "loa7"), encoding="utf-8")

    with pytest.raises(CommandError, match="onbekend betrouwbaarheidsniveau"):
        call_command("import_dienstencatalogus", str(pad), stdout=StringIO())
    assert momentopname() == voor


@pytest.mark.django_db
def test_import_command_on_a_missing_file():
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("import_dienstencatalogus", "/bestaat/niet.xml", stdout=StringIO())
    assert not Dienst.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_import_command_exit_code_and_stderr(tmp_path, capfd):
    """Through manage.py's own entry point: a non-zero exit and the message on stderr."""
    from django.core.management import execute_from_command_line

    pad = tmp_path / "leeg.xml"
    pad.write_bytes(b"niet eens xml")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_dienstencatalogus", str(pad)])
    assert exit_info.value.code != 0
    assert "Het bestand is geen geldige XML" in capfd.readouterr().err
