"""Delivering one message from the outbox, with retries: the claim, the send, the outcome, and its Celery task.

Delivery guarantee (`bericht_bezorgen`): a worker first *claims* the row with one conditional UPDATE
(queued/failed → sending). Only the worker whose UPDATE changed the row sends, so duplicate tasks (a re-enqueue
by the sweeper, a Celery redelivery, two workers) never send twice. The one window left is at-least-once: when
a worker dies after the mail server or SMS gateway accepted the message but before the row is marked sent, the
row stays `sending`; after `VERLATEN_CLAIM` (well beyond the task time limit) the sweeper marks it failed and it
is sent again. That repeat carries the same Message-ID (derived from the idempotency key), so mail clients can
recognise it. Losing a message is judged worse than this rare duplicate.

Rendering (`weergeven`) lives here too: a message placed with only its context (a bulk step's hundreds, see
`berichten.outbox.plaats_in_bulk`) is rendered at its first delivery attempt, in its language, and the text is
kept in the row, so later attempts, the admin and a resend use that text.

The task lives here, next to what it runs, because the outbox schedules it on commit: `berichten.tasks` imports
both and nothing imports `berichten.tasks`, so there is no import cycle.
"""

import datetime as dt
import enum
import importlib
import json
import logging
import smtplib

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError, Retry
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Model, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.functional import Promise

from berichten.models import Bericht
from berichten.sms import SmsNietVerzonden, get_sms_backend

logger = logging.getLogger(__name__)

# Delivery attempts before a message waits for staff; the wait doubles each time, from 1 minute up to 6 hours.
MAX_POGINGEN = 10
EERSTE_WACHTTIJD = 60
MAX_WACHTTIJD = 6 * 60 * 60
# A claim older than this means the worker died mid-delivery (the task time limit is 5 minutes).
VERLATEN_CLAIM = dt.timedelta(minutes=15)
SMTP_TIMEOUT = 30

# Errors after which a later attempt may succeed: the mail server or gateway is down or busy.
TIJDELIJKE_FOUTEN = (smtplib.SMTPException, OSError, SmsNietVerzonden)
# ...except an address the mail server refuses: retrying will not help.
DEFINITIEVE_FOUTEN = (smtplib.SMTPRecipientsRefused,)


class Uitkomst(enum.StrEnum):
    VERZONDEN = "verzonden"
    OVERGESLAGEN = "overgeslagen"  # someone else claimed it, or it is already sent
    TIJDELIJK_MISLUKT = "tijdelijk_mislukt"
    DEFINITIEF_MISLUKT = "definitief_mislukt"


def wachttijd(pogingen: int) -> int:
    """Seconds before the next attempt: 1, 2, 4, ... minutes, at most 6 hours."""
    return min(EERSTE_WACHTTIJD * 2 ** max(pogingen - 1, 0), MAX_WACHTTIJD)


# --- rendering ------------------------------------------------------------------------------------------------


def weergeven(soort: str, kanaal: str, taal: str, context: dict) -> tuple[str, str, str]:
    """(onderwerp, tekst, html) in `taal`. SMS uses `<soort>.sms.txt` when present, else `<soort>.txt`."""
    with translation.override(taal):
        ctx = {**context, "taal": taal, "soort": soort}
        if kanaal == Bericht.Kanaal.SMS:
            tekst = select_template([f"berichten/{soort}.sms.txt", f"berichten/{soort}.txt"]).render(ctx)
            return "", tekst.strip(), ""
        onderwerp = " ".join(render_to_string(f"berichten/{soort}.onderwerp.txt", ctx).split())
        tekst = render_to_string(f"berichten/{soort}.txt", ctx).strip() + "\n"
        try:
            html = render_to_string(f"berichten/{soort}.html", ctx)
        except TemplateDoesNotExist:
            html = render_to_string("berichten/_basis.html", {**ctx, "onderwerp": onderwerp, "tekst": tekst})
        return onderwerp[:255], tekst, html


# A context rendered at delivery is stored as JSON: plain values as they are, and tagged objects for what JSON
# lacks. Model instances are stored as a reference and read again at delivery (a message is delivered seconds
# after its change commits); lazy translations as their source text, translated in the message's language then;
# objects of berichten.meldingen that render themselves (a `naar_json()` list and a `van_json(list)` classmethod)
# by class, a list of one class compactly.
_MODEL, _DATUM, _MOMENT, _VERTAALD, _OBJECT, _OBJECTEN = "$model", "$datum", "$moment", "$vertaald", "$obj", "$objs"
_KLASSEN_UIT = ("berichten.",)


_GEWOON = frozenset({str, int, float, bool})


class NietSerialiseerbaar(TypeError):
    """A context value that cannot wait for delivery: render that message at placement instead."""


def _klasse(obj) -> str:
    return f"{type(obj).__module__}:{type(obj).__qualname__}"


def context_naar_json(waarde):
    """The context as JSON-serialisable values, to render at delivery; raises NietSerialiseerbaar."""
    if type(waarde) in _GEWOON or waarde is None:
        return waarde
    if isinstance(waarde, dict):
        _controleer_sleutels(waarde)
        return {sleutel: context_naar_json(w) for sleutel, w in waarde.items()}
    if isinstance(waarde, list | tuple):
        if waarde and hasattr(waarde[0], "naar_json"):
            klasse = type(waarde[0])
            if all(type(w) is klasse for w in waarde):
                return {_OBJECTEN: _klasse(waarde[0]), "w": [w.naar_json() for w in waarde]}
        return [context_naar_json(w) for w in waarde]
    if isinstance(waarde, Model):
        if waarde.pk is None:
            raise NietSerialiseerbaar(f"unsaved {type(waarde).__name__}")
        return {_MODEL: waarde._meta.label_lower, "pk": waarde.pk}
    if isinstance(waarde, dt.datetime):
        return {_MOMENT: waarde.isoformat()}
    if isinstance(waarde, dt.date):
        return {_DATUM: waarde.isoformat()}
    if isinstance(waarde, Promise):
        # Only a plain gettext_lazy(message): its one argument is the source text.
        _unpickle, (functie, args, kw, *_types) = waarde.__reduce__()
        if functie is translation.gettext and len(args) == 1 and isinstance(args[0], str) and not kw:
            return {_VERTAALD: args[0]}
    if hasattr(waarde, "naar_json"):
        return {_OBJECT: _klasse(waarde), "w": waarde.naar_json()}
    raise NietSerialiseerbaar(f"{type(waarde).__name__} in a message context")


def _controleer_sleutels(waarde: dict) -> None:
    for sleutel in waarde:
        if not isinstance(sleutel, str) or sleutel.startswith("$"):
            raise NietSerialiseerbaar(f"context key {sleutel!r}")


def context_tekst(context: dict, gedeeld: dict) -> str:
    """The context as JSON text, as `json.dumps(context_naar_json(context))`. A list or dict value that the
    contexts of one step hold as the same object (everyone given the same changes) is converted and encoded once:
    `gedeeld`, kept by the caller across those contexts, maps its id to it and its text (the value is kept too,
    so its id cannot pass to another object meanwhile)."""
    _controleer_sleutels(context)
    delen = []
    for sleutel, waarde in context.items():
        if isinstance(waarde, list | tuple | dict):
            bekend = gedeeld.get(id(waarde))
            if bekend is None:
                bekend = gedeeld[id(waarde)] = (waarde, json.dumps(context_naar_json(waarde)))
            tekst = bekend[1]
        else:
            tekst = json.dumps(context_naar_json(waarde))
        delen.append(f"{json.dumps(sleutel)}: {tekst}")
    return "{" + ", ".join(delen) + "}"


def _klasse_uit(pad: str):
    module, _sep, naam = pad.partition(":")
    if not module.startswith(_KLASSEN_UIT):
        raise ValueError(f"message context names class {pad!r} outside berichten")
    return getattr(importlib.import_module(module), naam)


def context_uit_json(data: dict) -> dict:
    """The template context back from `context_naar_json`: models read again, one query per model."""
    refs: dict[str, set] = {}

    def verzamel(w) -> None:
        if isinstance(w, dict):
            if _MODEL in w:
                refs.setdefault(w[_MODEL], set()).add(w["pk"])
            elif _OBJECT not in w and _OBJECTEN not in w:
                for v in w.values():
                    verzamel(v)
        elif isinstance(w, list):
            for v in w:
                verzamel(v)

    verzamel(data)
    gelezen = {label: apps.get_model(label).objects.in_bulk(pks) for label, pks in refs.items()}

    def terug(w):
        if isinstance(w, list):
            return [terug(v) for v in w]
        if not isinstance(w, dict):
            return w
        if _MODEL in w:
            return gelezen[w[_MODEL]].get(w["pk"])
        if _DATUM in w:
            return dt.date.fromisoformat(w[_DATUM])
        if _MOMENT in w:
            return dt.datetime.fromisoformat(w[_MOMENT])
        if _VERTAALD in w:
            return translation.gettext(w[_VERTAALD])
        if _OBJECT in w:
            return _klasse_uit(w[_OBJECT]).van_json(w["w"])
        if _OBJECTEN in w:
            van_json = _klasse_uit(w[_OBJECTEN]).van_json
            return [van_json(v) for v in w["w"]]
        return {k: terug(v) for k, v in w.items()}

    # Translated inside the message's language (the caller's translation.override).
    return terug(data)


def _weergeven_bij_bezorging(bericht: Bericht) -> None:
    """A message placed with its context only (`Plaatsing.bij_bezorging`): render it now, in its language, and
    keep the text in the row (the admin and a resend show it), so it is rendered once, at the first attempt."""
    with translation.override(bericht.taal):
        context = context_uit_json(bericht.context)
    bericht.onderwerp, bericht.tekst, bericht.html = weergeven(bericht.soort, bericht.kanaal, bericht.taal, context)
    bericht.context = None
    Bericht.objects.filter(pk=bericht.pk).update(
        onderwerp=bericht.onderwerp, tekst=bericht.tekst, html=bericht.html, context=None
    )


def _verstuur(bericht: Bericht) -> str:
    if bericht.kanaal == Bericht.Kanaal.SMS:
        return get_sms_backend().send(bericht.ontvanger, bericht.tekst)
    domein = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "beheermodule.invalid"
    # The same key gives the same Message-ID, so a rare repeat (see the module docstring) is recognisable.
    message_id = f"<bericht-{bericht.sleutel}@{domein}>"
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT)
    mail = EmailMultiAlternatives(
        subject=bericht.onderwerp,
        body=bericht.tekst,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[bericht.ontvanger],
        headers={"Message-ID": message_id},
        connection=connection,
    )
    if bericht.html:
        mail.attach_alternative(bericht.html, "text/html")
    if bericht.bijlage:
        with bericht.bijlage.open("rb") as bijlage:
            mail.attach(bericht.bijlage_naam or "bijlage.pdf", bijlage.read(), "application/pdf")
    mail.send(fail_silently=False)
    return message_id


def _claim(bericht_id: int, nu: dt.datetime) -> bool:
    """Atomically take the message for delivery; True for exactly one caller (works on SQLite and PostgreSQL)."""
    klaar = Q(status=Bericht.Status.QUEUED) | Q(status=Bericht.Status.FAILED, volgende_poging_op__lte=nu)
    return bool(
        Bericht.objects.filter(klaar, pk=bericht_id).update(
            status=Bericht.Status.SENDING, geclaimd_op=nu, pogingen=F("pogingen") + 1
        )
    )


def bericht_bezorgen(*, bericht_id: int) -> tuple[Uitkomst, int | None]:
    """Deliver one message when this caller can claim it. Returns the outcome and, after a transient error
    with attempts left, the seconds to wait before the next attempt.

    Runs outside any transaction on purpose: the claim commits before the network call, so no lock is held
    while talking to the mail server.
    """
    if not _claim(bericht_id, timezone.now()):
        return Uitkomst.OVERGESLAGEN, None
    bericht = Bericht.objects.get(pk=bericht_id)
    try:
        if bericht.context is not None:
            _weergeven_bij_bezorging(bericht)
        extern_id = _verstuur(bericht)
    except Exception as exc:
        fout = f"{type(exc).__name__}: {exc}"[:2000]
        tijdelijk = isinstance(exc, TIJDELIJKE_FOUTEN) and not isinstance(exc, DEFINITIEVE_FOUTEN)
        wacht = wachttijd(bericht.pogingen) if tijdelijk and bericht.pogingen < MAX_POGINGEN else None
        if not tijdelijk:
            logger.exception("Bericht %s definitief mislukt", bericht_id)
        else:
            logger.warning("Bericht %s mislukt (poging %s): %s", bericht_id, bericht.pogingen, fout)
        Bericht.objects.filter(pk=bericht_id, status=Bericht.Status.SENDING).update(
            status=Bericht.Status.FAILED,
            laatste_fout=fout,
            geclaimd_op=None,
            volgende_poging_op=timezone.now() + dt.timedelta(seconds=wacht) if wacht is not None else None,
        )
        if wacht is None:
            return Uitkomst.DEFINITIEF_MISLUKT, None
        return Uitkomst.TIJDELIJK_MISLUKT, wacht
    Bericht.objects.filter(pk=bericht_id).update(
        status=Bericht.Status.SENT,
        verzonden_op=timezone.now(),
        extern_id=(extern_id or "")[:200],
        geclaimd_op=None,
        volgende_poging_op=None,
    )
    return Uitkomst.VERZONDEN, None


@shared_task(
    bind=True,
    name="berichten.tasks.bezorg_bericht",
    acks_late=True,
    # The outcome lives in the Bericht row. Without a result, enqueueing never waits on the result store,
    # so a web request fails fast (about a second) when Redis is down instead of hanging for ~20 seconds.
    ignore_result=True,
    max_retries=MAX_POGINGEN,
    soft_time_limit=60,
    time_limit=120,
)
def bezorg_bericht(self, bericht_id: int) -> str:
    """Deliver one message; after a transient error try again with exponential back-off.

    The claim in `bericht_bezorgen` makes a duplicate task (sweeper, redelivery after acks_late) a no-op.
    In eager mode (no worker) there is no inline retry: it would block the web request on a mail server that
    is down; the sweeper tries again when the back-off has passed.
    """
    uitkomst, wacht = bericht_bezorgen(bericht_id=bericht_id)
    if uitkomst == Uitkomst.TIJDELIJK_MISLUKT and wacht is not None and not self.request.is_eager:
        try:
            raise self.retry(countdown=wacht)
        except Retry:
            raise
        except MaxRetriesExceededError:
            logger.warning("Bericht %s: Celery-herhalingen op; de sweeper neemt het over", bericht_id)
        except Exception:
            # The broker is down too: the row is failed with its back-off time, the sweeper picks it up.
            logger.warning("Bericht %s: herhaling niet ingepland; de sweeper neemt het over", bericht_id)
    return str(uitkomst)
