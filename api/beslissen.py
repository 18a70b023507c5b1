"""From AuthZEN questions to the Machtigingenregister's decision and back (R71, R72, R77).

The API's subject is a middel by its public id, its resource a dienst by ServiceUUID with the organisation acted
for in `properties` (`kvk_nummer`, optional `vestigingsnummer`), its action `inloggen`. This module resolves
those ids in two queries for a whole batch, asks `machtigingen.register.beslis_batch` once per day asked (so a
batch costs the same number of queries as one question), and shapes each answer: the path that permits (`pad`),
or why not (`redenen`, each with a stable code and its Dutch and English text), the niveau, and how long the
answer may be relied on (`geldig_tot`, R77).
"""

import dataclasses
import datetime as dt
import functools
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from api.protocol import ProtocolFout, Vraagstuk, organisatie_sleutel
from common import generaties
from common.niveau import Niveau
from machtigingen import register_sql
from machtigingen.register import MiddelFeit, Vraag, beslis_batch
from organisaties.models import Organisatie

SUBJECT_TYPE = "eherkenningsmiddel"
RESOURCE_TYPE = "dienst"
ACTIE = "inloggen"
# R77: a broker may rely on a decision for at most this long (the SAML statement validity within a session).
GELDIGHEID = dt.timedelta(hours=4)
# A UUID no dienst has: stands in for a resource id that is not a UUID, so the register answers "unknown dienst".
_GEEN_DIENST = uuid.UUID(int=0)


class ApiRedenCode(StrEnum):
    """Reasons for a no that the API adds to the register's own (`machtigingen.register.RedenCode`)."""

    VRAAG_ONGELDIG = "vraag_ongeldig"
    SUBJECT_TYPE_ONBEKEND = "subject_type_onbekend"
    RESOURCE_TYPE_ONBEKEND = "resource_type_onbekend"
    ACTIE_ONBEKEND = "actie_onbekend"
    ORGANISATIE_ONBEKEND = "organisatie_onbekend"
    ORGANISATIE_NIET_EENDUIDIG = "organisatie_niet_eenduidig"


API_REDEN_TEKSTEN = {
    ApiRedenCode.SUBJECT_TYPE_ONBEKEND: _("Het register kent alleen subjects van het type ‘eherkenningsmiddel’."),
    ApiRedenCode.RESOURCE_TYPE_ONBEKEND: _("Het register kent alleen resources van het type ‘dienst’."),
    ApiRedenCode.ACTIE_ONBEKEND: _("Het register beslist alleen over de actie ‘inloggen’."),
    ApiRedenCode.ORGANISATIE_ONBEKEND: _("Deze organisatie (KvK-nummer, vestigingsnummer) is niet bekend."),
    ApiRedenCode.ORGANISATIE_NIET_EENDUIDIG: _(
        "Dit KvK-nummer heeft meerdere vestigingen: geef ook het vestigingsnummer."
    ),
}


def tekst_in(taal: str, tekst) -> str:
    with translation.override(taal):
        return str(tekst)


def reden(code: str, tekst) -> dict:
    return {"code": str(code), "nl": tekst_in("nl", tekst), "en": tekst_in("en", tekst)}


def als_uuid(waarde) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(waarde))
    except (ValueError, TypeError, AttributeError):
        return None


@functools.cache
def _zone(naam: str) -> ZoneInfo:
    return ZoneInfo(naam)


def amsterdam_dag(moment: dt.datetime) -> dt.date:
    return moment.astimezone(_zone(settings.TIME_ZONE)).date()


def begin_van_dag(dag: dt.date) -> dt.datetime:
    return dt.datetime.combine(dag, dt.time.min, tzinfo=_zone(settings.TIME_ZONE))


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(_zone(settings.TIME_ZONE)).isoformat(timespec="seconds")


@dataclass
class Antwoord:
    """One answer as the API gives it, and what the decision log keeps of it."""

    toegestaan: bool
    context: dict
    vraagstuk: Vraagstuk | None = None
    ruw: dict | None = None  # the merged batch item when it could not be read
    # For an answer given from what was kept: its context's JSON but for `tijd` and `geldig_tot`, written once.
    vast_json: str | None = None

    def as_authzen(self) -> dict:
        return {"decision": self.toegestaan, "context": self.context}

    def als_json(self) -> str:
        """`as_authzen` as JSON text; from what was kept only the two moments are written out (plain RFC 3339
        text, nothing to escape), in the same order of keys."""
        if self.vast_json is None:
            return json.dumps(self.as_authzen())
        beslissing = "true" if self.toegestaan else "false"
        tijd, tot = self.context["tijd"], self.context["geldig_tot"]
        return f'{{"decision": {beslissing}, "context": {{{self.vast_json}, "tijd": "{tijd}", "geldig_tot": "{tot}"}}}}'

    @property
    def pad(self) -> dict | None:
        return self.context.get("pad")

    @property
    def codes(self) -> list[str]:
        return [r["code"] for r in self.context.get("redenen", ())]


def ongeldig_antwoord(fout: ProtocolFout, ruw: dict | None = None) -> Antwoord:
    """A batch item that cannot be read answers no with the reason (execute_all), never 400 for the batch."""
    context = {"redenen": [reden(ApiRedenCode.VRAAG_ONGELDIG, fout.message)]}
    context.update(_tijd(timezone.now(), None))
    return Antwoord(toegestaan=False, context=context, ruw=ruw)


class _Bewaard:
    """Answers this process gave under the register's current generation, by question (subject, resource,
    organisation, action, Amsterdam day). A question asked again gets the same answer without the register's
    queries, with its own moment and R77 validity; any write to a table the register reads starts afresh."""

    def __init__(self) -> None:
        self.generatie = None
        self.antwoorden: dict = {}

    def bij(self, generatie) -> dict:
        if generatie != self.generatie or len(self.antwoorden) >= settings.REGISTER_BESLISCACHE_MAX:
            self.generatie, self.antwoorden = generatie, {}
        return self.antwoorden


_bewaard = _Bewaard()


def register_generatie():
    """The register's current generation (None when it cannot be read: then nothing kept is used)."""
    gelezen = generaties.huidig(generaties.REGISTER)
    return gelezen[0] if gelezen else None


def _vraag_sleutel(v: Vraagstuk) -> tuple:
    return (
        v.subject.type,
        v.subject.id,
        v.resource.type,
        v.resource.id,
        organisatie_sleutel(v.resource),
        v.actie,
        amsterdam_dag(v.moment),
    )


def beslis_vraagstukken(vraagstukken: Sequence[Vraagstuk], *, generatie=None) -> list[Antwoord]:
    """Decide many questions, answers in the order asked. A question this process answered under the register's
    current generation is answered again from memory (`_Bewaard`, when REGISTER_BESLISCACHE is on); the others
    are decided together in a constant number of queries per day asked. `generatie`: the register's generation
    as the request read it (`register_generatie`), else it is read here."""
    if not vraagstukken:
        return []
    if not settings.REGISTER_BESLISCACHE:
        return _beslis(vraagstukken)
    if generatie is None:
        generatie = register_generatie()
    if generatie is None:
        return _beslis(vraagstukken)
    bewaard = _bewaard.bij(generatie)
    sleutels = [_vraag_sleutel(v) for v in vraagstukken]
    antwoorden: list[Antwoord | None] = [None] * len(vraagstukken)
    open_ = []
    nu = time.monotonic()
    for i, (v, sleutel) in enumerate(zip(vraagstukken, sleutels, strict=True)):
        gevonden = bewaard.get(sleutel)
        if gevonden is None:
            open_.append(i)
        else:
            toegestaan, context, eind, bewaard_op, vast_json = gevonden
            if nu - bewaard_op > settings.REGISTER_BESLISCACHE_SECONDEN:
                open_.append(i)  # aged out: decided afresh (bounds what a change nobody heard of can cost)
                continue
            antwoorden[i] = Antwoord(
                toegestaan=toegestaan, context={**context, **_tijd(v.moment, eind)}, vraagstuk=v, vast_json=vast_json
            )
    if open_:
        for i, antwoord in zip(open_, _beslis([vraagstukken[i] for i in open_]), strict=True):
            antwoorden[i] = antwoord
            context = {k: w for k, w in antwoord.context.items() if k not in ("tijd", "geldig_tot")}
            eind = dt.datetime.fromisoformat(antwoord.pad["eindigt"]) if antwoord.pad else None
            bewaard[sleutels[i]] = (antwoord.toegestaan, context, eind, nu, json.dumps(context)[1:-1])
    return antwoorden


def _beslis(vraagstukken: Sequence[Vraagstuk]) -> list[Antwoord]:
    """Decide in a constant number of queries per day asked: middelen, organisaties, and the register's batch
    (plus the intermediairs' names when a chain permits)."""
    middelen = _middelen({v.subject.id for v in vraagstukken if v.subject.type == SUBJECT_TYPE})
    organisaties = _organisaties(vraagstukken)

    antwoorden: list[Antwoord | None] = [None] * len(vraagstukken)
    per_dag: dict[dt.date, list[tuple[int, Vraag]]] = defaultdict(list)
    for i, v in enumerate(vraagstukken):
        codes = []
        if v.subject.type != SUBJECT_TYPE:
            codes.append(ApiRedenCode.SUBJECT_TYPE_ONBEKEND)
        if v.resource.type != RESOURCE_TYPE:
            codes.append(ApiRedenCode.RESOURCE_TYPE_ONBEKEND)
        if v.actie != ACTIE:
            codes.append(ApiRedenCode.ACTIE_ONBEKEND)
        org = organisaties.get(i)
        if not isinstance(org, int):
            codes.append(org or ApiRedenCode.ORGANISATIE_ONBEKEND)
        if codes:
            context = {"redenen": [reden(c, API_REDEN_TEKSTEN[c]) for c in codes]}
            context.update(_tijd(v.moment, None))
            antwoorden[i] = Antwoord(toegestaan=False, context=context, vraagstuk=v)
            continue
        middel = middelen.get(als_uuid(v.subject.id))
        dienst = als_uuid(v.resource.id) or _GEEN_DIENST
        per_dag[amsterdam_dag(v.moment)].append((i, Vraag(organisatie=org, dienst=dienst, middel=middel)))

    beslissingen = {}
    for dag, vragen in per_dag.items():
        for (i, _vraag), beslissing in zip(vragen, beslis_batch([q for _i, q in vragen], moment=dag), strict=True):
            beslissingen[i] = beslissing
    intermediairs = _intermediairs(
        {b.pad.intermediair_id for b in beslissingen.values() if b.pad is not None and b.pad.intermediair_id}
    )
    niveau_per_middel = {m.pk: m.niveau for m in middelen.values()}
    for i, beslissing in beslissingen.items():
        antwoorden[i] = _antwoord(vraagstukken[i], beslissing, niveau_per_middel, intermediairs)
    return antwoorden


def _antwoord(v: Vraagstuk, beslissing, niveau_per_middel: dict, intermediairs: dict) -> Antwoord:
    context: dict = {"dag": beslissing.dag.isoformat()}
    niveau = niveau_per_middel.get(beslissing.middel_id)
    if niveau is not None:
        context["niveau"] = Niveau(niveau).label
        context["niveau_urn"] = Niveau(niveau).urn
    eind = None
    if beslissing.pad is not None:
        pad = {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in dataclasses.asdict(beslissing.pad).items()
        }
        pad["soort"] = str(beslissing.pad.soort)
        pad["scope"] = str(beslissing.pad.scope)
        if beslissing.pad.intermediair_id:
            pad["intermediair"] = intermediairs.get(beslissing.pad.intermediair_id)
        eind = begin_van_dag(beslissing.pad.eindigt_op)
        pad["eindigt"] = rfc3339(eind)
        context["pad"] = pad
    else:
        context["redenen"] = [reden(r.code, r.tekst) for r in beslissing.redenen]
    context.update(_tijd(v.moment, eind))
    return Antwoord(toegestaan=beslissing.toegestaan, context=context, vraagstuk=v)


class _Seconde:
    """The texts of the last second asked about (the moment, and 4 hours later): the answers of one second share
    them, so they are written out once, not twice per answer."""

    def __init__(self) -> None:
        self.vast: tuple = (None, "", None, "")  # the second, its text, 4 hours later, its text

    def bij(self, moment: dt.datetime) -> tuple:
        seconde = moment.replace(microsecond=0)
        vast = self.vast
        if vast[0] != seconde:  # aware datetimes: equal as instants, whatever their offset, as their texts are
            tot = seconde + GELDIGHEID
            vast = self.vast = (seconde, rfc3339(seconde), tot, rfc3339(tot))
        return vast


_seconde = _Seconde()


def _tijd(moment: dt.datetime, eind: dt.datetime | None) -> dict:
    """R77: relied on for at most 4 hours from the question's moment, never past the permitting machtiging's end."""
    _s, tijd, tot, tot_tekst = _seconde.bij(moment)
    if eind is not None and eind < tot:
        return {"tijd": tijd, "geldig_tot": rfc3339(eind)}
    return {"tijd": tijd, "geldig_tot": tot_tekst}


def _middelen(ids) -> dict[uuid.UUID, MiddelFeit]:
    uuids = {u for u in (als_uuid(i) for i in ids) if u is not None}
    return {row[0]: MiddelFeit(*row[1:]) for row in register_sql.middelen_per_publieke_id(uuids)}


def _organisaties(vraagstukken: Sequence[Vraagstuk]) -> dict[int, int | ApiRedenCode]:
    """Per question index: the organisatie's pk, or why it cannot be told. One query for the whole batch.

    With a vestigingsnummer the vestiging itself; without, the organisation registered without one, or the only
    one with that KvK-nummer."""
    sleutels = {i: organisatie_sleutel(v.resource) for i, v in enumerate(vraagstukken)}
    kvks = {kvk for kvk, _v in sleutels.values() if kvk}
    per_kvk: dict[str, list[tuple[int, str]]] = defaultdict(list)
    if kvks:
        for pk, kvk, vestiging in Organisatie.objects.filter(kvk_nummer__in=kvks).values_list(
            "pk", "kvk_nummer", "vestigingsnummer"
        ):
            per_kvk[kvk].append((pk, vestiging))
    uitkomst: dict[int, int | ApiRedenCode] = {}
    for i, (kvk, vestiging) in sleutels.items():
        kandidaten = per_kvk.get(kvk, [])
        if vestiging:
            gevonden = [pk for pk, vest in kandidaten if vest == vestiging]
        else:
            gevonden = [pk for pk, vest in kandidaten if not vest] or [pk for pk, _vest in kandidaten]
        if len(gevonden) == 1:
            uitkomst[i] = gevonden[0]
        else:
            uitkomst[i] = ApiRedenCode.ORGANISATIE_NIET_EENDUIDIG if gevonden else ApiRedenCode.ORGANISATIE_ONBEKEND
    return uitkomst


def _intermediairs(pks: set) -> dict[int, dict]:
    if not pks:
        return {}
    return {
        pk: {"kvk_nummer": kvk, "vestigingsnummer": vestiging, "naam": naam}
        for pk, kvk, vestiging, naam in Organisatie.objects.filter(pk__in=pks).values_list(
            "pk", "kvk_nummer", "vestigingsnummer", "naam"
        )
    }
