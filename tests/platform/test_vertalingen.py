"""Every Dutch text has its English translation: the committed .po files cover every translatable string in
the source, none is empty or fuzzy, and the compiled .mo files are up to date."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGI = [ROOT / "locale", ROOT / "berichten" / "locale"]


def _entries(po: Path) -> dict[str, str]:
    """msgid → msgstr (plural forms joined) of a .po file; the header is left out."""
    tekst = po.read_text(encoding="utf-8")
    entries = {}
    for blok in tekst.split("\n\n"):
        if "#, fuzzy" in blok and 'msgid ""\nmsgstr ""' not in blok:
            entries[_string(blok, "msgid")] = ""  # a fuzzy translation is not a translation
            continue
        msgid = _string(blok, "msgid")
        if msgid:
            entries[msgid] = _string(blok, "msgstr") or _string(blok, r"msgstr\[0\]")
    return entries


def _string(blok: str, sleutel: str) -> str:
    match = re.search(rf'^{sleutel} ((?:".*"\n?)+)', blok, re.M)
    if not match:
        return ""
    return "".join(re.findall(r'"(.*)"', match.group(1)))


@pytest.mark.parametrize("catalogus", CATALOGI, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_in_the_catalogue_is_translated(catalogus):
    po = catalogus / "en" / "LC_MESSAGES" / "django.po"
    leeg = [msgid for msgid, msgstr in _entries(po).items() if not msgstr]
    assert not leeg, f"{len(leeg)} untranslated, e.g. {leeg[:5]}"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, "compile the .po: make messages"


def test_the_catalogues_cover_every_translatable_string_in_the_source(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail("gettext is missing: scripts/ensure-system-deps.sh installs it")
    kopie = tmp_path / "src"
    shutil.copytree(
        ROOT,
        kopie,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "var", "*.sqlite3*", "private-media", "*.mo"),
    )
    for catalogus in CATALOGI:
        shutil.rmtree(kopie / catalogus.relative_to(ROOT))
        (kopie / catalogus.relative_to(ROOT)).mkdir(parents=True)
    # The same invocations as `make messages`: the project catalogue, and berichten's own.
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--ignore=bench",
            "--ignore=tests",
            "--ignore=berichten",
            "-v",
            "0",
        ],
        cwd=kopie,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, str(kopie / "manage.py"), "makemessages", "-l", "en", "-v", "0"],
        cwd=kopie / "berichten",
        check=True,
        capture_output=True,
    )
    for catalogus in CATALOGI:
        bron = _entries(kopie / catalogus.relative_to(ROOT) / "en" / "LC_MESSAGES" / "django.po")
        ons = _entries(catalogus / "en" / "LC_MESSAGES" / "django.po")
        ontbreekt = sorted(set(bron) - {msgid for msgid, msgstr in ons.items() if msgstr})
        assert not ontbreekt, f"{catalogus}: {len(ontbreekt)} strings without translation, e.g. {ontbreekt[:5]}"
