"""Keyboard alone (issue #14): each kind of pop-up is reached with Tab, opened with Enter; focus moves into the
modal dialog, Escape or Annuleer closes it and focus returns to the opener (or, when the opener sat in the
closed '3 puntjes' menu, to the menu's button). The Gebruiker toevoegen wizard is walked with Tab."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y.conftest import kies_organisatie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_TABS = 250


def is_gefocust(locator) -> bool:
    return locator.evaluate("(e) => e === document.activeElement")


def tab_naar(page, locator, max_tabs=MAX_TABS):
    """Press Tab until `locator` has the focus (fails when it is never reached)."""
    for _ in range(max_tabs):
        if locator.count() == 1 and is_gefocust(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} not reached with {max_tabs} × Tab")


def focus_in_dialog(page):
    dialog = page.locator("dialog.bm-popup[open]")
    expect(dialog).to_have_count(1)
    assert dialog.evaluate("(d) => d.matches(':modal') && d.contains(document.activeElement)"), (
        "focus not in the pop-up"
    )
    return dialog


def sluit_en_focus_terug(page, hoe, terug):
    dialog = page.locator("dialog.bm-popup[open]")
    if hoe == "Escape":
        page.keyboard.press("Escape")
    else:
        # Annuleer, reached with Tab inside the dialog (focus stays trapped in the modal dialog).
        annuleer = dialog.locator("[data-bm-close]").filter(has_text=hoe).first
        tab_naar(page, annuleer, max_tabs=40)
        page.keyboard.press("Enter")
    expect(page.locator("dialog.bm-popup")).to_have_count(0)
    expect(terug).to_be_focused()


@pytest.fixture
def bakker(page, ingelogd_als, demo):
    ingelogd_als(demo["jbakker"])
    page.goto("/beheer/")
    kies_organisatie(page, "Santos B.V.")
    return demo


def test_gebruikers_potlood_en_menu_per_toetsenbord(page, bakker):
    bulters = bakker["kbulters"]
    page.goto("/beheer/gebruikers/")
    rij = page.get_by_test_id(f"gebruiker-{bulters.pk}").locator("summary.bm-gebruiker__rij")
    tab_naar(page, rij)
    page.keyboard.press("Enter")
    details = page.get_by_test_id(f"details-{bulters.pk}")
    expect(details.get_by_role("heading", name="Persoonsgegevens")).to_be_visible()

    # A potlood: Rol wijzigen; closed with Escape.
    potlood = details.locator("a.bm-potlood[title='Rol wijzigen']")
    tab_naar(page, potlood)
    page.keyboard.press("Enter")
    expect(focus_in_dialog(page).get_by_role("heading", name="Rol wijzigen")).to_be_visible()
    sluit_en_focus_terug(page, "Escape", potlood)

    # The '3 puntjes' menu: Koppel aan een andere organisatie; closed with Annuleer. The menu closed when the
    # action was chosen, so focus returns to its button.
    menu = details.locator("summary.bm-meer__knop")
    tab_naar(page, menu)
    page.keyboard.press("Enter")
    keuze = details.get_by_role("link", name="Koppel aan een andere organisatie")
    tab_naar(page, keuze, max_tabs=10)
    page.keyboard.press("Enter")
    focus_in_dialog(page)
    sluit_en_focus_terug(page, "Annuleer", menu)

    # A machtiging's pop-up: Voeg machtiging toe (a wizard in a pop-up), closed with Escape.
    toevoegen = details.get_by_role("link", name="Voeg machtiging toe")
    tab_naar(page, toevoegen)
    page.keyboard.press("Enter")
    focus_in_dialog(page)
    sluit_en_focus_terug(page, "Escape", toevoegen)


def test_machtigingen_en_ketenmachtigingen_popup_per_toetsenbord(page, bakker):
    page.goto("/beheer/machtigingen/")
    scope = page.locator("li.bm-scope").first
    tab_naar(page, scope.locator("summary.bm-scope__rij"))
    page.keyboard.press("Enter")
    expect(scope.locator(".bm-houders")).to_be_visible()
    algemeen = scope.locator("details.bm-machtiging__info > summary").first
    tab_naar(page, algemeen, max_tabs=20)
    page.keyboard.press("Enter")
    potlood = scope.locator("a.bm-potlood").first
    tab_naar(page, potlood, max_tabs=10)
    page.keyboard.press("Enter")
    focus_in_dialog(page)
    sluit_en_focus_terug(page, "Escape", potlood)

    page.goto("/beheer/ketenmachtigingen/afgegeven/")
    intermediair = page.locator("li.bm-keten-intermediair").first
    tab_naar(page, intermediair.locator("summary.bm-gebruiker__rij"))
    page.keyboard.press("Enter")
    trek_in = intermediair.locator("a", has_text="Trek in").first
    tab_naar(page, trek_in, max_tabs=30)
    page.keyboard.press("Enter")
    focus_in_dialog(page)
    sluit_en_focus_terug(page, "Escape", trek_in)


def test_wizard_gebruiker_toevoegen_per_toetsenbord(page, bakker):
    """Every control of the wizard is reached with Tab, in the order of the page, and a radio group is
    operated with the arrow keys."""
    page.goto("/beheer/gebruikers/toevoegen/")
    form = page.locator("form.bm-toevoegen")
    bedieningen = form.locator("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea")
    aantal = bedieningen.count()
    assert aantal > 5
    bereikt = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        naam = page.evaluate(
            "() => { const e = document.activeElement; return e && e.closest('form.bm-toevoegen') ? "
            "(e.type === 'radio' ? 'radio:' + e.name : e.id || e.name) : null; }"
        )
        if naam:
            bereikt.add(naam)
        if page.evaluate("() => document.activeElement.closest('.bm-acties') !== null"):
            break
    verwacht = set(
        bedieningen.evaluate_all(
            "(es) => es.filter(e => e.checkVisibility()).map(e => e.type === 'radio' ? 'radio:' + e.name : e.id || e.name)"
        )
    )
    assert verwacht <= bereikt, f"not reached with Tab: {sorted(verwacht - bereikt)}"

    eerste = form.locator("input[type=radio]").first
    naam = eerste.get_attribute("name")
    gekozen = form.locator(f"input[type=radio][name='{naam}']:checked")
    tab_naar(page, gekozen if gekozen.count() else eerste)
    voor = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.checked && document.activeElement.value") not in (voor, False)
