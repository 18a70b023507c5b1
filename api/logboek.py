"""The log of every decision given through the API (trust framework: client, subject, resource, moment, decision,
path), and the machtigingen' last use (R76, `api.gebruik`); and the log's retention.

A request's decisions are collected while it is answered and, once the answer is sent, join the process's
buffer; the buffer is written in one INSERT (and one last-use UPDATE per kind) when REGISTER_LOG_BATCH decisions
wait or the oldest has waited REGISTER_LOG_FLUSH_SECONDS, and when the process exits. So a busy worker writes
the log once per batch instead of once per answer. What a worker killed outright had not yet written (at most
one batch, at most a few seconds) is lost; tests write every answer at once (REGISTER_LOG_BATCH = 1).
"""

import atexit
import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from api import gebruik
from api.beslissen import Antwoord
from api.models import ApiClient, Beslissing
from common import generaties

logger = logging.getLogger(__name__)

_MAX = 200  # the log keeps ids as strings of at most this length


def _tekst(waarde) -> str:
    return waarde[:_MAX] if isinstance(waarde, str) else ""


# The columns of a log row, in the order `rij` gives its values.
_VELDEN = (
    "client",
    "moment",
    "gevraagd_moment",
    "request_id",
    "subject_id",
    "resource_id",
    "kvk_nummer",
    "vestigingsnummer",
    "actie",
    "toegestaan",
    "pad",
    "redenen",
)


def rij(client: ApiClient, antwoord: Antwoord, *, request_id: str, moment: dt.datetime) -> tuple:
    """The values of one log row, in the order of _VELDEN (a tuple: the buffer holds hundreds)."""
    v = antwoord.vraagstuk
    if v is not None:
        subject_id, resource_id, actie = v.subject.id, v.resource.id, v.actie
        properties, gevraagd = v.resource.properties, v.moment
    else:  # a batch item that could not be read: keep what can be kept
        ruw = antwoord.ruw or {}
        subject = ruw.get("subject") if isinstance(ruw.get("subject"), dict) else {}
        resource = ruw.get("resource") if isinstance(ruw.get("resource"), dict) else {}
        action = ruw.get("action") if isinstance(ruw.get("action"), dict) else {}
        subject_id, resource_id, actie = subject.get("id"), resource.get("id"), action.get("name")
        properties = resource.get("properties") if isinstance(resource.get("properties"), dict) else {}
        gevraagd = moment
    return (
        client.pk,
        moment,
        gevraagd,
        _tekst(request_id),
        _tekst(subject_id),
        _tekst(resource_id),
        _tekst(properties.get("kvk_nummer"))[:20],
        _tekst(properties.get("vestigingsnummer"))[:20],
        _tekst(actie)[:100],
        antwoord.toegestaan,
        antwoord.pad,
        antwoord.codes,
    )


def _invoegen(rijen: list[tuple]) -> None:
    """One executemany INSERT of log rows, each value prepared by its model field as the ORM would (no model
    instance per row: a busy worker writes hundreds at a time)."""
    velden = [Beslissing._meta.get_field(naam) for naam in _VELDEN]
    qn = connection.ops.quote_name
    kolommen = ", ".join(qn(veld.column) for veld in velden)
    plaatsen = ", ".join(["%s"] * len(velden))
    # Table and column names from the model's metadata; every value is bound.
    sql = f"INSERT INTO {qn(Beslissing._meta.db_table)} ({kolommen}) VALUES ({plaatsen})"  # noqa: S608
    waarden = [[veld.get_db_prep_save(w, connection) for veld, w in zip(velden, r, strict=True)] for r in rijen]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, waarden)


def na_antwoord(request, antwoorden) -> None:
    """Keep the request's decisions; they are written when the answer has been sent (`schrijf_bij_sluiten`)."""
    request.beslislog = [*getattr(request, "beslislog", []), *antwoorden]


def schrijf_bij_sluiten(request, response) -> None:
    """Write the request's decisions when the server closes the response, after the body went out, so logging
    never slows the answer."""
    antwoorden = getattr(request, "beslislog", None)
    client = getattr(request, "api_client", None)
    if not antwoorden or client is None:
        return
    request.beslislog = []
    request_id = request.headers.get("X-Request-ID", "")
    response._resource_closers.append(lambda: _buffer.voeg_toe(client, antwoorden, request_id))


class _Buffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rijen: list[tuple] = []
        self.antwoorden: list = []
        self.sinds = 0.0

    def voeg_toe(self, client, antwoorden, request_id) -> None:
        moment = timezone.now()
        with self.lock:
            if not self.rijen:
                self.sinds = time.monotonic()
            self.rijen.extend(rij(client, a, request_id=request_id, moment=moment) for a in antwoorden)
            self.antwoorden.extend(antwoorden)
            vol = len(self.rijen) >= settings.REGISTER_LOG_BATCH
            oud = time.monotonic() - self.sinds >= settings.REGISTER_LOG_FLUSH_SECONDS
        if vol or oud:
            self.leeg()

    def leeg(self) -> None:
        with self.lock:
            rijen, antwoorden, self.rijen, self.antwoorden = self.rijen, self.antwoorden, [], []
        if rijen:
            _schrijf_veilig(rijen, antwoorden)


_buffer = _Buffer()
atexit.register(_buffer.leeg)


def _schrijf_veilig(rijen: list[tuple], antwoorden) -> None:
    """The buffered decisions in one INSERT, then their last use."""
    try:
        _invoegen(rijen)
    except Exception:  # the answer is already sent; the failure must be seen, not swallowed
        logger.exception("could not write %s register decisions to the log", len(rijen))
    try:
        with generaties.stil():  # last use is not read by the decision: what the API keeps stays valid
            gebruik.registreer(antwoorden)
    except Exception:
        logger.exception("could not record the last use of machtigingen (R76)")


def leeg_buffer() -> None:
    """Write what waits in this process's buffer now."""
    _buffer.leeg()


def verwijder_oude(*, nu: dt.datetime | None = None) -> int:
    """Delete entries older than the retention period (REGISTER_LOG_RETENTION_DAYS); set-based."""
    grens = (nu or timezone.now()) - dt.timedelta(days=settings.REGISTER_LOG_RETENTION_DAYS)
    aantal, _per_model = Beslissing.objects.filter(moment__lt=grens).delete()
    return aantal
