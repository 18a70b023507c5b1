"""Playwright driving Debian's Chromium (headless, --no-sandbox) against Django's live server."""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Sign in through the real log-in screens, including the second factor from EH2+: the SMS code is read
    from the development SMS backend, an OTP device's code is computed from its key."""

    def _login(persoon, password="demo-wachtwoord"):
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(persoon.username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        if page.url.rstrip("/").endswith("/inloggen/code"):
            page.get_by_label("Code", exact=True).fill(tweede_factor_code(persoon))
            page.get_by_role("button", name="Bevestigen").click()
            page.wait_for_load_state()

    return _login


def tweede_factor_code(persoon) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.inloggen.helpers import laatste_sms_code, otp_code

    apparaat = TOTPDevice.objects.filter(user=persoon, confirmed=True).first()
    return otp_code(apparaat) if apparaat else laatste_sms_code(persoon.mobiel)


@pytest.fixture
def ingelogd_als(page, live_server):
    """Start a signed-in session without the log-in screens (for tests of other screens): the session
    cookie of Django's test client, signed in AND verified by the second factor, handed to the browser."""
    from django.conf import settings
    from django.test import Client

    from tests.inloggen.helpers import inloggen_geverifieerd

    def _ingelogd_als(persoon):
        client = Client()
        inloggen_geverifieerd(client, persoon)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return persoon

    return _ingelogd_als


# What looked broken in screenshots, checked on every view axe checks (and where a test asks): text in another
# font than the page's (a caption in the theme's serif, a file input's button), a link in the browser's blue or a
# fieldset in its border, a search button lower than its field, a page wider than the window, or the menu
# squeezed by a wide table. On the Beheermodule's own pages (not the admin); the menu only at a desktop width (on
# a phone it sits above the page).
_VORM = """(include) => {
  if (!document.body.classList.contains("utrecht-body")) return [];
  const fouten = [];
  const eerste = (el) => getComputedStyle(el).fontFamily.split(",")[0].trim();
  const pagina = eerste(document.body);
  const root = include ? document.querySelector(include) : document.body;
  for (const el of root.querySelectorAll("*")) {
    if (!el.checkVisibility() || el.closest("code, pre, kbd")) continue;
    if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    if (eerste(el) !== pagina) {
      fouten.push(`font ${eerste(el)} instead of ${pagina}: <${el.tagName.toLowerCase()} class="${el.className}">`
        + ` ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  // A link in the browser's own blue (or visited purple): it lacks the theme's link class.
  for (const a of root.querySelectorAll("a[href]")) {
    const kleur = getComputedStyle(a).color;
    if (a.checkVisibility() && (kleur === "rgb(0, 0, 238)" || kleur === "rgb(85, 26, 139)")) {
      fouten.push(`a link in the browser's colour: ${a.textContent.trim().slice(0, 40)}`);
    }
  }
  // A fieldset with the browser's grooved border: it lacks the theme's fieldset classes.
  for (const f of root.querySelectorAll("fieldset")) {
    if (f.checkVisibility() && getComputedStyle(f).borderTopStyle === "groove") {
      fouten.push(`a fieldset with the browser's border: ${f.textContent.trim().slice(0, 40)}`);
    }
  }
  // A file input's button is drawn by the browser in its own font unless styled.
  for (const bestand of root.querySelectorAll("input[type=file]")) {
    const knop = getComputedStyle(bestand, "::file-selector-button").fontFamily.split(",")[0].trim();
    if (bestand.checkVisibility() && knop !== pagina) fouten.push(`a file button in ${knop} instead of ${pagina}`);
  }
  // A search's button as tall as its field (the theme sizes buttons to their content).
  for (const zoek of root.querySelectorAll("form[role=search]")) {
    const veld = zoek.querySelector("input[type=search]"), knop = zoek.querySelector("button");
    if (!veld || !knop || !knop.checkVisibility()) continue;
    const [h1, h2] = [veld, knop].map((e) => e.getBoundingClientRect().height);
    if (Math.abs(h1 - h2) > 1 && knop.getBoundingClientRect().top === veld.getBoundingClientRect().top) {
      fouten.push(`a search button ${h2}px high beside its ${h1}px field`);
    }
  }
  const breedte = document.documentElement.scrollWidth;
  if (breedte > window.innerWidth + 1) fouten.push(`the page is ${breedte}px wide in a ${window.innerWidth}px window`);
  const menu = document.querySelector(".bm-sidebar");
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  if (menu && window.innerWidth >= 48 * rem) {
    const s = getComputedStyle(menu);
    const rand = [s.paddingLeft, s.paddingRight, s.borderLeftWidth, s.borderRightWidth].map(parseFloat);
    const bedoeld = 17 * rem + rand.reduce((a, b) => a + b);  // .bm-sidebar's width: 17rem, plus its box
    const echt = menu.getBoundingClientRect().width;
    if (Math.abs(echt - bedoeld) > 1) fouten.push(`the menu is ${echt}px wide instead of ${bedoeld}px`);
  }
  return fouten.slice(0, 10);
}"""


def vorm_fouten(page, include: str | None = None) -> list[str]:
    """The faults of look on the current page (or inside `include`, a CSS selector), at most ten."""
    return page.evaluate(_VORM, include)
