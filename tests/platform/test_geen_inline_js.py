"""No template carries inline JavaScript (on*= / hx-on handlers, <script> without src) nor code htmx evaluates
(trigger filters in [...], hx-vals='js:...'): behaviour lives in static/js/beheermodule.js, so a
Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' is possible."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git", "staticfiles"}
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on(?::[\w:.-]*|-[\w-]+)?)\s*=""", re.I)
SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.I)
# htmx evaluates these as JavaScript (CSP 'unsafe-eval'): a trigger filter `toggle[this.open]`, `js:` values.
EVAL = re.compile(
    r"""\shx-trigger\s*=\s*(?:"[^"]*\[[^"]*"|'[^']*\[[^']*')|\shx-(?:vals|vars)\s*=\s*["']\s*(?:js|javascript):""",
    re.I,
)


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
        gevonden += [f"{tag.group(0)[:80]}…" for _ in EVAL.finditer(tag.group(0))]
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
        '<details hx-get="/x" hx-trigger="toggle[this.open]">',
        '<div hx-get="/x" hx-trigger=\'keyup[key=="Enter"] changed\'>',
        "<button hx-post=\"/x\" hx-vals='js:{a: 1}'>",
        '<button hx-post="/x" hx-vals="javascript:{a: 1}">',
    ):
        assert inline_js(voorbeeld), voorbeeld
    assert not inline_js('<script src="/static/js/beheermodule.js" defer></script>')
    assert not inline_js('<a href="/x" data-bm-close hx-get="/x" hx-target="body">Annuleer</a>')
    assert not inline_js('<details hx-get="/x" hx-trigger="bm-open" hx-vals=\'{"a": 1}\'>')


def test_templates_are_found():
    namen = {p.relative_to(ROOT).as_posix() for p in templates()}
    assert "templates/base.html" in namen and "templates/gebruikers/mutaties/dialog.html" in namen


@pytest.mark.parametrize("template", templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_inline_javascript_in_templates(template):
    assert inline_js(template.read_text(encoding="utf-8")) == []
