"""Finding the forms of a screen in its HTML, and the ids that fill a URL pattern for one organisation."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import URLResolver, get_resolver

# Not Beheermodule: Django's admin, support screens (own suite), the relation's answer page, the API (test_api).
GEEN_NAMESPACE = {"admin", "support", "uitnodiging", "api"}
# Screens for the signed-out (log-in, recovery, activation) and the log-out: they would end the session.
OVERSLAAN = {
    "beheer:inloggen",
    "beheer:inloggen_code",
    "beheer:uitloggen",
    "beheer:vergeten",
    "beheer:vergeten_gebruikersnaam",
    "beheer:vergeten_wachtwoord",
    "beheer:herstellen_link",
    "beheer:herstellen",
    "beheer:activeren_link",
    "beheer:activeren",
}
ACTIES_OVERSLAAN = {"/uitloggen/"}


def schermen():
    """(name, {param: converter}) for every named pattern a signed-in beheerder may open."""
    gevonden = []

    def walk(resolver, namespace, converters):
        for p in resolver.url_patterns:
            eigen = dict(converters, **getattr(p.pattern, "converters", {}))
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x) if p.namespace else namespace
                walk(p, ns, eigen)
            elif p.name and namespace and namespace.split(":")[0] not in GEEN_NAMESPACE:
                naam = f"{namespace}:{p.name}"
                if naam not in OVERSLAAN:
                    gevonden.append((naam, eigen))

    walk(get_resolver(), None, {})
    return gevonden


@dataclass
class Veld:
    naam: str
    soort: str  # input type, "select" or "textarea"
    waarden: list[str] = field(default_factory=list)  # the values the screen offers (options, radios, default)


@dataclass
class Formulier:
    methode: str
    actie: str
    htmx: bool
    multipart: bool
    velden: dict[str, Veld] = field(default_factory=dict)

    @property
    def sleutel(self):
        return (self.methode, self.pad, tuple(sorted(self.velden)))

    @property
    def pad(self):
        return self.actie.split("#")[0].split("?")[0]


class _Lezer(HTMLParser):
    def __init__(self, pad: str):
        super().__init__(convert_charrefs=True)
        self.pad = pad
        self.formulieren: list[Formulier] = []
        self.huidig: Formulier | None = None
        self.select: Veld | None = None

    def _veld(self, naam, soort):
        return self.huidig.velden.setdefault(naam, Veld(naam, soort))

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            actie = a.get("hx-post") or a.get("action") or self.pad
            methode = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self.huidig = Formulier(
                methode, actie, bool(a.get("hx-post")), "multipart" in a.get("enctype", "") or False
            )
            self.formulieren.append(self.huidig)
        elif self.huidig is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            soort = a.get("type", "text").lower()
            if soort in ("submit", "button", "image", "reset") or a["name"] == "csrfmiddlewaretoken":
                if soort == "submit" and a.get("value"):
                    self._veld(a["name"], "submit").waarden.append(a["value"])
                return
            veld = self._veld(a["name"], soort)
            if soort == "file":
                self.huidig.multipart = True
            elif "value" in a or soort not in ("checkbox", "radio"):
                veld.waarden.append(a.get("value", "on"))
            else:
                veld.waarden.append("on")
        elif tag == "button" and a.get("value"):
            self._veld(a["name"], "submit").waarden.append(a["value"])
        elif tag == "textarea":
            self._veld(a["name"], "textarea")
        elif tag == "select":
            self.select = self._veld(a["name"], "select")
        elif tag == "option" and self.select is not None:
            self.select.waarden.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.huidig = None
        elif tag == "select":
            self.select = None


def formulieren(html: str, pad: str) -> list[Formulier]:
    lezer = _Lezer(pad)
    lezer.feed(html)
    for f in lezer.formulieren:
        f.actie = f.actie.split("#")[0]
    return [f for f in lezer.formulieren if f.pad not in ACTIES_OVERSLAAN]
