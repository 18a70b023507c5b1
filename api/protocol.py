"""Reading AuthZEN requests strictly (OpenID AuthZEN Authorization API 1.0, FORMATS.md "Authorisation decisions").

A request that is not a JSON object, or whose subject / resource / action is missing or of the wrong JSON type,
is refused with a `ProtocolFout` (400). Values of the right type that the register does not know (another
subject type, an unknown id, another action) are not errors: they are questions with the answer no.
Unknown fields are ignored everywhere.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ENTITEITEN = ("subject", "resource", "action", "context")


class ProtocolFout(Exception):
    """A request the API cannot read: answered with 400 and this message."""

    def __init__(self, message, *, veld: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.veld = veld

    def __str__(self) -> str:
        return str(self.message)


def _is_json(request) -> bool:
    content_type = (request.content_type or "").lower()
    return content_type == "application/json" or content_type.endswith("+json")


def lees_json(request) -> dict:
    """The request body as a JSON object, or a ProtocolFout."""
    if not _is_json(request):
        raise ProtocolFout(_("Stuur de vraag als JSON (Content-Type: application/json)."))
    body = request.body
    if not body or not body.strip():
        raise ProtocolFout(_("De vraag is leeg: stuur een JSON-object."))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep to read
        raise ProtocolFout(_("De vraag is geen geldige JSON.")) from None
    if not isinstance(data, dict):
        raise ProtocolFout(_("De vraag moet een JSON-object zijn."))
    # JSON can only carry a NUL as the escape \u0000 (a raw control character is invalid JSON), and a body in
    # UTF-16 or UTF-32 (which json reads too) has NUL bytes: without either there is nothing to look for.
    if (b"\\u0000" in body or b"\x00" in body) and _heeft_nul(data):
        # PostgreSQL can neither store nor compare text with a NUL: refused on every database alike.
        raise ProtocolFout(_("De vraag bevat een ongeldig teken (NUL)."))
    return data


def _heeft_nul(waarde) -> bool:
    # A stack, not recursion: JSON nested a few hundred deep is valid yet would exceed Python's recursion limit.
    stapel = [waarde]
    while stapel:
        w = stapel.pop()
        if isinstance(w, str):
            if "\x00" in w:
                return True
        elif isinstance(w, dict):
            stapel.extend(w.keys())
            stapel.extend(w.values())
        elif isinstance(w, list):
            stapel.extend(w)
    return False


@dataclass(frozen=True)
class Entiteit:
    """A subject or resource as asked: `id` is None where a search leaves it out."""

    type: str
    id: str | None
    properties: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Vraagstuk:
    """One complete question: who (subject), what (action), where (resource), when (moment)."""

    subject: Entiteit
    resource: Entiteit
    actie: str
    moment: dt.datetime


def _object(data: dict, naam: str, *, verplicht: bool) -> dict | None:
    if naam not in data or data[naam] is None:
        if verplicht:
            raise ProtocolFout(_("‘%(veld)s’ ontbreekt.") % {"veld": naam}, veld=naam)
        return None
    waarde = data[naam]
    if not isinstance(waarde, dict):
        raise ProtocolFout(_("‘%(veld)s’ moet een JSON-object zijn.") % {"veld": naam}, veld=naam)
    return waarde


def _tekst(data: dict, sleutel: str, pad: str, *, verplicht: bool = True) -> str | None:
    if sleutel not in data or data[sleutel] is None:
        if verplicht:
            raise ProtocolFout(_("‘%(veld)s’ ontbreekt.") % {"veld": pad}, veld=pad)
        return None
    waarde = data[sleutel]
    if not isinstance(waarde, str) or not waarde.strip():
        raise ProtocolFout(_("‘%(veld)s’ moet een niet-lege tekst zijn.") % {"veld": pad}, veld=pad)
    return waarde.strip()


def lees_entiteit(data: dict, naam: str, *, met_id: bool = True) -> Entiteit:
    """A subject or resource object: `type` and (unless searched for) `id` strings, optional `properties`."""
    obj = _object(data, naam, verplicht=True)
    soort = _tekst(obj, "type", f"{naam}.type")
    ident = _tekst(obj, "id", f"{naam}.id", verplicht=met_id) if met_id else None
    properties = obj.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise ProtocolFout(
            _("‘%(veld)s’ moet een JSON-object zijn.") % {"veld": f"{naam}.properties"}, veld=f"{naam}.properties"
        )
    return Entiteit(type=soort, id=ident, properties=properties)


def lees_actie(data: dict, *, verplicht: bool = True) -> str | None:
    obj = _object(data, "action", verplicht=verplicht)
    if obj is None:
        return None
    if obj.get("properties") is not None and not isinstance(obj["properties"], dict):
        raise ProtocolFout(
            _("‘%(veld)s’ moet een JSON-object zijn.") % {"veld": "action.properties"}, veld="action.properties"
        )
    return _tekst(obj, "name", "action.name")


def lees_moment(data: dict) -> dt.datetime:
    """`context.time` (RFC 3339, with an offset) or now: the NL GOV profile's "may act at that moment"."""
    context = _object(data, "context", verplicht=False)
    if context is None or context.get("time") is None:
        return timezone.now()
    waarde = context["time"]
    if not isinstance(waarde, str):
        raise ProtocolFout(_("‘context.time’ moet een tijdstip in RFC 3339 zijn."), veld="context.time")
    try:
        moment = dt.datetime.fromisoformat(waarde.strip())
    except ValueError:
        raise ProtocolFout(_("‘context.time’ moet een tijdstip in RFC 3339 zijn."), veld="context.time") from None
    if timezone.is_naive(moment):
        raise ProtocolFout(
            _("‘context.time’ moet een tijdzone hebben, bijvoorbeeld 2025-06-15T10:00:00+02:00 of …Z."),
            veld="context.time",
        )
    return moment


def organisatie_sleutel(resource: "Entiteit") -> tuple[str, str]:
    """The organisation acted for, from `resource.properties`: a required KvK-nummer, an optional vestigingsnummer."""
    kvk = resource.properties.get("kvk_nummer")
    if kvk is None:
        raise ProtocolFout(_("‘resource.properties.kvk_nummer’ ontbreekt."), veld="resource.properties.kvk_nummer")
    if not isinstance(kvk, str):
        raise ProtocolFout(
            _("‘resource.properties.kvk_nummer’ moet een tekst zijn."), veld="resource.properties.kvk_nummer"
        )
    vestiging = resource.properties.get("vestigingsnummer")
    if vestiging is None:
        vestiging = ""
    if not isinstance(vestiging, str):
        raise ProtocolFout(
            _("‘resource.properties.vestigingsnummer’ moet een tekst zijn."),
            veld="resource.properties.vestigingsnummer",
        )
    return kvk.strip(), vestiging.strip()


def lees_vraagstuk(data: dict) -> Vraagstuk:
    """One evaluation's question; every missing or wrongly typed part is a ProtocolFout."""
    subject = lees_entiteit(data, "subject")
    resource = lees_entiteit(data, "resource")
    organisatie_sleutel(resource)
    actie = lees_actie(data)
    return Vraagstuk(subject=subject, resource=resource, actie=actie, moment=lees_moment(data))


class _Gelezen:
    """Evaluations this process read, by their body: the same bytes are the same question, so a body asked
    again (a broker's repeated log-ins) is not parsed and checked again. Only what could be read is kept; a
    question that names no moment gets now each time. Bounded: at most MAX bodies of at most MAX_BODY bytes."""

    MAX = 10_000
    MAX_BODY = 1_024  # an evaluation is some 250 bytes; at most about 25 MB per process in all

    def __init__(self) -> None:
        self.vragen: dict[bytes, tuple] = {}

    def lees(self, request) -> Vraagstuk:
        body = request.body
        gevonden = self.vragen.get(body)
        if gevonden is not None and _is_json(request):
            subject, resource, actie, moment = gevonden
            return Vraagstuk(subject=subject, resource=resource, actie=actie, moment=moment or timezone.now())
        data = lees_json(request)
        vraagstuk = lees_vraagstuk(data)
        if len(body) <= self.MAX_BODY:
            if len(self.vragen) >= self.MAX:
                self.vragen = {}
            context = data.get("context")
            vast = isinstance(context, dict) and context.get("time") is not None
            self.vragen[body] = (
                vraagstuk.subject,
                vraagstuk.resource,
                vraagstuk.actie,
                vraagstuk.moment if vast else None,
            )
        return vraagstuk


_gelezen = _Gelezen()


def lees_evaluatie(request) -> Vraagstuk:
    """One evaluation's question from its request: `lees_json` and `lees_vraagstuk`, or what this process read
    from the same body before."""
    return _gelezen.lees(request)


def lees_standaarden(data: dict) -> None:
    """A batch's top-level defaults, where given, are read as strictly as a single evaluation's parts."""
    if data.get("subject") is not None:
        lees_entiteit(data, "subject")
    if data.get("resource") is not None:
        organisatie_sleutel(lees_entiteit(data, "resource"))
    if data.get("action") is not None:
        lees_actie(data)
    lees_moment(data)


def samengevoegd(standaard: dict, item) -> dict:
    """A batch item with the request's top-level defaults: an item's subject/action/resource/context replaces
    the default as a whole object (never merged field by field)."""
    if not isinstance(item, dict):
        raise ProtocolFout(_("Elke evaluatie moet een JSON-object zijn."), veld="evaluations")
    return {naam: item[naam] if naam in item else standaard.get(naam) for naam in ENTITEITEN}


SEMANTIEK = ("execute_all", "deny_on_first_deny", "permit_on_first_permit")


def lees_semantiek(data: dict) -> str:
    options = _object(data, "options", verplicht=False) or {}
    semantiek = options.get("evaluations_semantic", "execute_all")
    if semantiek not in SEMANTIEK:
        raise ProtocolFout(
            _("‘options.evaluations_semantic’ is een van: %(waarden)s.") % {"waarden": ", ".join(SEMANTIEK)},
            veld="options.evaluations_semantic",
        )
    return semantiek


def lees_page(data: dict) -> tuple[int, int | None]:
    """`page.next_token` (our opaque offset) and an optional `page.limit`."""
    page = _object(data, "page", verplicht=False) or {}
    token = page.get("next_token")
    if token is None:
        token = ""
    if not isinstance(token, str):
        raise ProtocolFout(_("‘page.next_token’ moet een tekst zijn."), veld="page.next_token")
    limiet = page.get("limit")
    # JSON Schema counts 5.0 as an integer too.
    if isinstance(limiet, float) and limiet.is_integer():
        limiet = int(limiet)
    if limiet is not None and (isinstance(limiet, bool) or not isinstance(limiet, int) or limiet < 1):
        raise ProtocolFout(_("‘page.limit’ moet een positief geheel getal zijn."), veld="page.limit")
    return lees_token(token), limiet


def maak_token(offset: int) -> str:
    return f"o{offset}" if offset else ""


def lees_token(token: str) -> int:
    if not token:
        return 0
    if not (token.startswith("o") and token[1:].isdigit()):
        raise ProtocolFout(_("‘page.next_token’ is onbekend: gebruik de token uit het vorige antwoord."))
    return int(token[1:])
