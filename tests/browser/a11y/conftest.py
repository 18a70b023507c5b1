"""axe-core (the npm package in node_modules) run in Chromium over the pages and opened pop-ups (issue #14), and on
the same views the look that axe does not judge (`tests.browser.conftest.vorm_fouten`).

The checker injects axe through page.evaluate (DevTools evaluation is not subject to the site's
Content-Security-Policy, unlike a <script> tag), runs the WCAG 2.0/2.1 A and AA rules and collects every
serious or critical violation with the page (and pop-up) it was found on; a test ends with `axe.geen_fouten()`,
which fails with one readable list: rule id, help text, help URL and the failing selectors.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import vorm_fouten

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ERNSTIG = {"serious", "critical"}


def _waarom(samenvatting: str | None) -> str:
    """The first concrete reason of axe's failure summary (e.g. the contrast ratio and colours)."""
    regels = [r.strip() for r in (samenvatting or "").splitlines()[1:] if r.strip()]
    return f"  ({regels[0]})" if regels else ""


class AxeChecker:
    def __init__(self, page):
        self.page = page
        self.fouten: list[str] = []
        self.gecontroleerd: list[str] = []

    def _laad(self):
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))

    def check(self, waar: str, include: str | None = None, bekend: tuple = ()) -> list[dict]:
        """Run axe on the current page (or only on `include`, a CSS selector) and keep its serious/critical
        violations under the label `waar`. `bekend`: (rule id, selector part) pairs of third-party markup we
        cannot change, left out (and named in the test). Returns the kept ones, for tests that expect a fault."""
        if include is None:
            self.page.wait_for_load_state("networkidle")
        self._laad()
        resultaat = self.page.evaluate(
            """async ([tags, include]) => {
                const r = await axe.run(include ? {include: [include]} : document,
                                        {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
            }""",
            [TAGS, include],
        )
        ernstig = []
        for v in resultaat:
            v["nodes"] = [n for n in v["nodes"] if not any(v["id"] == r and s in n["target"] for r, s in bekend)]
            if v["impact"] in ERNSTIG and v["nodes"]:
                ernstig.append(v)
        self.gecontroleerd.append(waar)
        for fout in vorm_fouten(self.page, include):
            self.fouten.append(f"{waar} ({self.page.url}): look: {fout}")
        for v in ernstig:
            doelen = "\n".join(f"      - {n['target']}{_waarom(n['summary'])}" for n in v["nodes"][:10])
            self.fouten.append(
                f"{waar} ({self.page.url}): [{v['impact']}] {v['id']}: {v['help']}\n    {v['helpUrl']}\n{doelen}"
            )
        return ernstig

    def geen_fouten(self):
        assert self.gecontroleerd, "nothing was checked"
        assert not self.fouten, (
            f"{len(self.fouten)} serious/critical axe violations or faults of look on {len(self.gecontroleerd)} "
            "checked views:\n" + "\n".join(self.fouten)
        )


@pytest.fixture
def axe(page):
    return AxeChecker(page)


@pytest.fixture
def demo(db):
    """The real demo data (`manage.py demo`, < 1 s): every screen with realistic content. The Support group comes
    from a migration; another transactional test may have flushed it, so it is made again first."""
    from tests.support.conftest import support_groep

    support_groep()
    call_command("demo", verbosity=0)
    from gebruikers.models import Persoon

    return {p.username: p for p in Persoon.objects.exclude(username=None)}


POPUP_OPENERS = 'a[hx-target="body"][hx-swap="beforeend"]'


def kies_organisatie(page, naam: str):
    """The organisation switch of the layout (a beheerder of several organisations)."""
    keuze = page.get_by_label("Organisatie")
    if keuze.count() and keuze.locator("option:checked").inner_text() != naam:
        with page.expect_navigation():
            keuze.select_option(label=naam)


def check_popups(
    page, axe, binnen: str, waar: str, verwacht: int = 1, openers: str = POPUP_OPENERS, bekend: tuple = ()
) -> int:
    """Open every pop-up whose opener is inside `binnen` (a CSS selector), one at a time, check the page with
    the pop-up open, and close it with Escape. Openers in a closed <details> (the '3 puntjes' menu,
    "Informatie") are revealed first. Returns how many were checked (at least `verwacht`)."""
    from playwright.sync_api import expect

    aantal = page.locator(binnen).locator(openers).count()
    for i in range(aantal):
        opener = page.locator(binnen).locator(openers).nth(i)
        opener.evaluate(
            "(a) => { for (let d = a.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
        )
        naam = " ".join(opener.inner_text().split()) or opener.get_attribute("title") or opener.get_attribute("href")
        opener.click()
        dialog = page.locator("dialog.bm-popup[open]")
        expect(dialog).to_have_count(1)
        # Behind a modal dialog the page is inert (and was checked already): check the pop-up itself.
        axe.check(f"{waar} › pop-up '{naam}'", include="dialog.bm-popup[open]", bekend=bekend)
        page.keyboard.press("Escape")
        expect(page.locator("dialog.bm-popup")).to_have_count(0)
    assert aantal >= verwacht, f"{waar}: {aantal} pop-up openers found, expected at least {verwacht}"
    return aantal
