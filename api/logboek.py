"""The log of every decision given through the API (trust framework: client, subject, resource, moment, decision,
path), and the machtigingen' last use (R76, `api.gebruik`); and the log's retention.

A request's decisions are collected while it is answered and, once the answer is sent, join the process's
buffer; a thread of the process writes the buffer in one statement (COPY on PostgreSQL; and one last-use
UPDATE per kind) when REGISTER_LOG_BATCH decisions wait, at least every REGISTER_LOG_FLUSH_SECONDS, and when the
process exits. So a busy worker writes the log once per batch instead of once per answer, and never while a
request waits. What a worker killed outright had not yet written (at most one batch, at most a few seconds) is
lost; tests write every answer at once, in the request (REGISTER_LOG_BATCH = 1).
"""

import atexit
import datetime as dt
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from api import gebruik
from api.beslissen import Antwoord
from api.models import ApiClient, Beslissing
from common import generaties
from common.bulk import JsonPerObject, insert_rows

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
    """Log rows in one statement (common.bulk: COPY on PostgreSQL, where a row costs the server a few microseconds,
    not an INSERT's parse and plan). No model instance per row: a busy worker writes hundreds at a time. Answers
    given from what the API kept share one path object, so within a batch each is written out as JSON once."""
    als_json = JsonPerObject()
    datum = connection.ops.adapt_datetimefield_value
    klaar = [(r[0], datum(r[1]), datum(r[2]), *r[3:-2], als_json(r[-2]), als_json(r[-1])) for r in rijen]
    with transaction.atomic(savepoint=False):
        insert_rows(Beslissing, _VELDEN, klaar)


def zoekfilter(term: str) -> Q:
    """Support's search of the log: the request id, the subject's or the resource's id or the KvK-nummer that was
    asked, exactly, each column through its own index (a case-insensitive comparison would read the whole log).
    A UUID is the same in capitals: the term is also tried in lower and in upper case."""
    varianten = list(dict.fromkeys([term, term.lower(), term.upper()]))
    return (
        Q(subject_id__in=varianten)
        | Q(resource_id__in=varianten)
        | Q(kvk_nummer__in=varianten)
        | Q(request_id__in=varianten)
    )


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
    request_id = request.META.get("HTTP_X_REQUEST_ID", "")
    response._resource_closers.append(lambda: _buffer.voeg_toe(client, antwoorden, request_id))


class _Buffer:
    """The decisions this process gave and has not yet written. With REGISTER_LOG_BATCH above 1 a thread of the
    process writes them (`_schrijf_door`): when a batch is full, and at least every REGISTER_LOG_FLUSH_SECONDS
    while any wait, so neither the answer nor the next request waits for the database (a sync worker serves the
    next request while the thread waits on the COPY). With 1 (tests) each request writes its own, at once, in
    its own connection and transaction."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rijen: list[tuple] = []
        self.antwoorden: list = []
        self.wakker = threading.Event()
        self.schrijver: tuple[int, threading.Thread] | None = None  # (process id, thread): a fork starts its own
        self.stoppen: threading.Thread | None = None

    def voeg_toe(self, client, antwoorden, request_id) -> None:
        moment = timezone.now()
        rijen = [rij(client, a, request_id=request_id, moment=moment) for a in antwoorden]
        if settings.REGISTER_LOG_BATCH <= 1:  # past the buffer, which the thread may be emptying at this moment
            _schrijf_veilig(rijen, antwoorden)
            return
        with self.lock:
            self.rijen.extend(rijen)
            self.antwoorden.extend(antwoorden)
            vol = len(self.rijen) >= settings.REGISTER_LOG_BATCH
        self._zorg_voor_schrijver()
        if vol:
            self.wakker.set()

    def _zorg_voor_schrijver(self) -> None:
        schrijver = self.schrijver
        if schrijver is not None and schrijver[0] == os.getpid() and schrijver[1].is_alive():
            return
        with self.lock:
            schrijver = self.schrijver
            if schrijver is None or schrijver[0] != os.getpid() or not schrijver[1].is_alive():
                thread = threading.Thread(target=self._schrijf_door, name="register-beslislog", daemon=True)
                self.schrijver = (os.getpid(), thread)
                thread.start()

    def sluit(self) -> None:
        """At exit: stop the thread (waiting for a batch it is writing) and write what still waits, here."""
        schrijver, self.schrijver = self.schrijver, None
        if schrijver is not None and schrijver[0] == os.getpid() and schrijver[1].is_alive():
            self.stoppen = schrijver[1]
            self.wakker.set()
            schrijver[1].join(timeout=10)
        self.leeg()

    def _schrijf_door(self) -> None:
        while True:
            self.wakker.wait(settings.REGISTER_LOG_FLUSH_SECONDS)
            self.wakker.clear()
            if self.stoppen is threading.current_thread():
                return
            try:
                self.leeg()
            except Exception:  # never let the thread die: the next round tries again
                logger.exception("the register's decision log could not be written")
            finally:
                # This thread's connection, as a request's: closed when broken or past CONN_MAX_AGE.
                close_old_connections()

    def leeg(self) -> None:
        with self.lock:
            rijen, antwoorden, self.rijen, self.antwoorden = self.rijen, self.antwoorden, [], []
        if rijen:
            _schrijf_veilig(rijen, antwoorden)


_buffer = _Buffer()
atexit.register(_buffer.sluit)


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
