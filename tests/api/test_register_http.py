"""The register's own decision tests (tests/machtigingen/test_register.py) replayed over HTTP.

Every example there calls `beslis` / `beslis_voor_diensten`; here those names are replaced by versions that ask
POST /access/v1/evaluation(s) and turn the JSON back into a decision, so each scenario (direct paths, expiry,
revocation, niveau, Belastingdienstmiddel, koppelingen, ketenmachtigingen) must come out the same through the API.
Only the tests about the Python function itself (its query counts and its own AuthZEN shape) are left out.
"""

import datetime as dt
import json
import uuid
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from api.clients import maak_client
from api.models import Beslissing
from catalogus.models import Dienst
from gebruikers.models import Middel
from machtigingen.register import PadSoort, Reden, RedenCode
from organisaties.models import Organisatie
from tests.machtigingen import test_register as origineel

NIET_OVER_HTTP = {
    "test_r71_single_decision_constant_queries",  # the Python function's queries; the API's are pinned elsewhere
    "test_r71_batch_constant_queries",
    "test_r71_authzen_shape",  # the Python function's own dict
    # the facts' rows in another order, below what HTTP can reach
    "test_r71_the_reasons_and_the_path_do_not_depend_on_the_order_the_database_returns_rows",
}


# The original module's fixtures and tests, collected here with `beslis` patched.
def _overnemen(naam: str, waarde) -> bool:
    if naam.startswith("test_"):
        return naam not in NIET_OVER_HTTP and callable(waarde)
    return hasattr(waarde, "_pytestfixturefunction") or type(waarde).__name__ == "FixtureFunctionDefinition"


for _naam in dir(origineel):
    if _overnemen(_naam, getattr(origineel, _naam)):
        globals()[_naam] = getattr(origineel, _naam)


def _pk(waarde):
    return getattr(waarde, "pk", waarde)


def _moment(moment) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return moment.isoformat()
    return dt.datetime.combine(moment, dt.time(12), tzinfo=ZoneInfo("Europe/Amsterdam")).isoformat()


def _dienst(dienst) -> Dienst | None:
    if isinstance(dienst, Dienst):
        return dienst
    if isinstance(dienst, (uuid.UUID, str)):
        return Dienst.objects.filter(service_uuid=dienst).first()
    return Dienst.objects.filter(pk=dienst).first()


def _vraag(middel, persoon, organisatie, dienst, moment) -> dict:
    if middel is None and persoon is not None:
        middel = Middel.objects.filter(persoon_id=_pk(persoon)).first()
    elif middel is not None and not isinstance(middel, Middel):
        middel = Middel.objects.get(pk=middel)
    org = organisatie if isinstance(organisatie, Organisatie) else Organisatie.objects.get(pk=organisatie)
    d = _dienst(dienst)
    properties = {"kvk_nummer": org.kvk_nummer}
    if org.vestigingsnummer:
        properties["vestigingsnummer"] = org.vestigingsnummer
    data = {
        "subject": {"type": "eherkenningsmiddel", "id": str(middel.publieke_id if middel else uuid.uuid4())},
        "resource": {"type": "dienst", "id": str(d.service_uuid if d else uuid.uuid4()), "properties": properties},
        "action": {"name": "inloggen"},
    }
    if _moment(moment):
        data["context"] = {"time": _moment(moment)}
    return data


def _beslissing(antwoord: dict, vraag: dict):
    context = antwoord["context"]
    pad = None
    if context.get("pad"):
        p = context["pad"]
        pad = SimpleNamespace(
            soort=PadSoort(p["soort"]),
            scope=p["scope"],
            eindigt_op=dt.date.fromisoformat(p["eindigt_op"]),
            machtiging_id=p.get("machtiging_id"),
            ketenmachtiging_id=p.get("ketenmachtiging_id"),
            intermediair_id=p.get("intermediair_id"),
        )
    service_uuid = uuid.UUID(vraag["resource"]["id"])
    d = Dienst.objects.filter(service_uuid=service_uuid).first()
    return SimpleNamespace(
        toegestaan=antwoord["decision"],
        pad=pad,
        redenen=tuple(Reden(code=RedenCode(r["code"]), tekst=r["nl"]) for r in context.get("redenen", ())),
        service_uuid=service_uuid if d else None,
        dienst_id=d.pk if d else None,
    )


@pytest.fixture(autouse=True)
def _over_http(client, db, monkeypatch, request):
    _client, token = maak_client(naam="Replay")

    def post(pad, data):
        response = client.post(pad, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=token)
        assert response.status_code == 200, response.content
        return response.json()

    def beslis(*, middel=None, persoon=None, organisatie, dienst, moment=None):
        vraag = _vraag(middel, persoon, organisatie, dienst, moment)
        return _beslissing(post("/access/v1/evaluation", vraag), vraag)

    def beslis_voor_diensten(*, middel=None, persoon=None, organisatie, diensten=None, moment=None):
        if diensten is None:
            diensten = list(Dienst.objects.order_by("pk"))
        vragen = [_vraag(middel, persoon, organisatie, d, moment) for d in diensten]
        antwoorden = post("/access/v1/evaluations", {"evaluations": vragen})["evaluations"]
        return [_beslissing(a, v) for a, v in zip(antwoorden, vragen, strict=True)]

    monkeypatch.setattr(origineel, "beslis", beslis)
    monkeypatch.setattr(origineel, "beslis_voor_diensten", beslis_voor_diensten)
    yield
    if request.node.name != "test_the_replay_collected_the_scenarios":
        assert Beslissing.objects.exists(), "the scenario was not asked over HTTP"


def test_the_replay_collected_the_scenarios():
    gekopieerd = [n for n in globals() if n.startswith("test_r")]
    assert len(gekopieerd) >= 25
