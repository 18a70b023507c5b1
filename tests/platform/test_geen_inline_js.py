"""No template carries inline JavaScript (on*= / hx-on handlers, <script> without src): behaviour lives in
static/js/beheermodule.js, so a Content-Security-Policy without 'unsafe-inline' is possible."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git", "staticfiles"}
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on(?::[\w:.-]*|-[\w-]+)?)\s*=""", re.I)
SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.I)


def templates() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.html")
        if "templates" in p.relative_to(ROOT).parts and not SKIP.intersection(p.relative_to(ROOT).parts)
    )


def inline_js(tekst: str) -> list[str]:
    gevonden = [m.group(0) for m in SCRIPT.finditer(tekst)]
    for tag in TAG.finditer(tekst):
        gevonden += [f"{tag.group(0)[:80]}…" for _ in HANDLER.finditer(tag.group(0))]
    return gevonden


def test_the_check_finds_every_kind_of_inline_js():
    # Guards the guard: each form that once existed in our templates is caught.
    for voorbeeld in (
        '<a href="#" onclick="this.closest(\'dialog\').close(); return false;">',
        '<select name="x"\n  onchange="this.form.requestSubmit()">',
        '<dialog hx-on::load="this.showModal()">',
        '<input hx-on:change="x()">',
        '<dialog hx-on-bm-popup-sluiten="this.close()">',
        "<script>\nalert(1)\n</script>",
    ):
        assert inline_js(voorbeeld), voorbeeld
    assert not inline_js('<script src="/static/js/beheermodule.js" defer></script>')
    assert not inline_js('<a href="/x" data-bm-close hx-get="/x" hx-target="body">Annuleer</a>')


def test_templates_are_found():
    namen = {p.relative_to(ROOT).as_posix() for p in templates()}
    assert "templates/base.html" in namen and "templates/gebruikers/mutaties/dialog.html" in namen


@pytest.mark.parametrize("template", templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_inline_javascript_in_templates(template):
    assert inline_js(template.read_text(encoding="utf-8")) == []
