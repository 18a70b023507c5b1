"""The outbox: placing e-mail and SMS (`Bericht`) in the caller's transaction, the sweeper, and resending.

Placing (`bericht_plaatsen`, and the message functions of `berichten.meldingen`) renders the text in the person's
language and saves the row in the caller's transaction: the message exists exactly when the change that causes it
is committed. A bulk step placing hundreds of messages stores their context instead (`Plaatsing.bij_bezorging`)
and delivery renders each just before sending, outside the step's transaction. Delivery (`berichten.bezorging`) is scheduled after commit; when the broker is down at that moment
the message simply stays queued and the sweeper (`openstaande_berichten_aanbieden`, every minute) offers it again
once the broker is back.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.bezorging import VERLATEN_CLAIM, bezorg_bericht, context_naar_json, context_tekst, weergeven
from berichten.models import Bericht, Soort, nieuwe_sleutel
from common.bulk import insert_rows
from common.errors import DomainError
from gebruikers.rules import is_support

logger = logging.getLogger(__name__)

# The sweeper leaves fresh messages to the task scheduled on commit.
STANDAARD_OUDER_DAN = dt.timedelta(seconds=60)
SWEEPER_LIMIET = 500

GEEN_SUPPORT = _("Alleen medewerkers van support kunnen berichten opnieuw versturen.")
WORDT_VERZONDEN = _("Dit bericht wordt op dit moment verzonden; probeer het later opnieuw.")


@dataclass
class Plaatsing:
    soort: str
    ontvanger: str
    context: dict
    kanaal: str = Bericht.Kanaal.EMAIL
    taal: str = "nl"
    persoon_id: int | None = None
    organisatie_id: int | None = None
    sleutel: str | None = None
    extra: dict = field(default_factory=dict)
    # Render at delivery instead of now (bulk steps: hundreds of messages in one transaction). The context must
    # then be serialisable by berichten.bezorging.context_naar_json (models, dates, gettext_lazy, plain values);
    # placing refuses it otherwise (NietSerialiseerbaar) rather than render something else later.
    bij_bezorging: bool = False


_TALEN = frozenset(Bericht.Taal.values)


def taal_voor(persoon, taal: str | None) -> str:
    gekozen = taal or getattr(persoon, "taal", None) or settings.LANGUAGE_CODE
    return gekozen if gekozen in _TALEN else Bericht.Taal.NL


def id_van(obj) -> int | None:
    return getattr(obj, "pk", None)


# Kept for callers of the old name: rendering lives with delivery, which renders the deferred messages.
_render = weergeven


def plaats_alle(plaatsingen: Sequence[Plaatsing]) -> list[Bericht]:
    """Render (or, `bij_bezorging`, serialise the context of) and save many messages with one INSERT, then
    schedule them after commit."""
    plaatsingen = [p for p in plaatsingen if p.ontvanger]
    if not plaatsingen:
        return []
    gegeven = [p.sleutel for p in plaatsingen if p.sleutel]
    bestaand = {b.sleutel: b for b in Bericht.objects.filter(sleutel__in=gegeven)} if gegeven else {}
    nieuw = []
    for p in plaatsingen:
        if p.sleutel in bestaand:
            continue  # idempotent: this key was placed before
        if p.bij_bezorging:
            onderwerp = tekst = html = ""
            context = context_naar_json(p.context)
        else:
            onderwerp, tekst, html = weergeven(p.soort, p.kanaal, p.taal, p.context)
            context = None
        bericht = Bericht(
            kanaal=p.kanaal,
            soort=p.soort,
            ontvanger=p.ontvanger,
            persoon_id=p.persoon_id,
            organisatie_id=p.organisatie_id,
            taal=p.taal,
            onderwerp=onderwerp,
            tekst=tekst,
            html=html,
            context=context,
            **p.extra,
        )
        if p.sleutel:
            bericht.sleutel = p.sleutel
        nieuw.append(bericht)
    if nieuw:
        Bericht.objects.bulk_create(nieuw, batch_size=500)
        ids = [b.pk for b in nieuw]
        transaction.on_commit(lambda: _plan_bezorging(ids))
    return [bestaand.get(p.sleutel) for p in plaatsingen if p.sleutel in bestaand] + nieuw


# Columns a message placed by plaats_in_bulk gets per row; every other column keeps its field's default.
_PER_RIJ = ("kanaal", "soort", "ontvanger", "persoon", "organisatie", "taal", "context", "sleutel", "aangemaakt_op")
_BULK_BATCH = 1000  # sleutels per read after commit


def plaats_in_bulk(plaatsingen: Sequence[Plaatsing]) -> int:
    """Many messages of one step (hundreds of people), to render at delivery: their contexts (see
    `Plaatsing.bij_bezorging`) written in one statement over plain tuples (common.bulk), no model instance per message,
    and delivered after commit like every other. Returns how many were placed; a `sleutel` placed before is
    skipped (idempotent, as in plaats_alle)."""
    plaatsingen = [p for p in plaatsingen if p.ontvanger]
    gegeven = [p.sleutel for p in plaatsingen if p.sleutel]
    if gegeven:
        bestaand = set(Bericht.objects.filter(sleutel__in=gegeven).values_list("sleutel", flat=True))
        plaatsingen = [p for p in plaatsingen if p.sleutel not in bestaand]
    if not plaatsingen:
        return 0
    if any(p.extra for p in plaatsingen):
        raise ValueError("plaats_in_bulk places no attachments or extra fields: use plaats_alle")
    nu = connection.ops.adapt_datetimefield_value(timezone.now())
    sleutels = []
    rijen = []
    soorten = set(Soort.values)
    gedeeld: dict = {}
    for p in plaatsingen:
        if p.soort not in soorten:
            raise ValueError(f"unknown message kind {p.soort!r}")
        sleutel = p.sleutel or nieuwe_sleutel()
        sleutels.append(sleutel)
        context = context_tekst(p.context, gedeeld)
        rijen.append((p.kanaal, p.soort, p.ontvanger, p.persoon_id, p.organisatie_id, p.taal, context, sleutel, nu))
    insert_rows(Bericht, _PER_RIJ, rijen, defaults_for_the_rest=True)
    transaction.on_commit(lambda: _plan_bezorging(_ids_van_sleutels(sleutels)))
    return len(rijen)


def _ids_van_sleutels(sleutels: list[str]) -> list[int]:
    """After commit, outside the step: the ids of messages placed without reading them back."""
    ids = []
    for start in range(0, len(sleutels), _BULK_BATCH):
        deel = sleutels[start : start + _BULK_BATCH]
        ids += Bericht.objects.filter(sleutel__in=deel).order_by("pk").values_list("pk", flat=True)
    return ids


def _plan_bezorging(ids: Iterable[int]) -> int:
    """Hand the messages to the broker. Never raises: a broker that is down must not fail the web action
    that already committed; the messages stay queued and the sweeper offers them again later."""
    aangeboden = 0
    for bericht_id in ids:
        try:
            bezorg_bericht.delay(bericht_id)
        except Exception:
            # The broker is unreachable (or the eager task failed unexpectedly): stop trying the rest now.
            logger.warning("Bericht %s niet aangeboden aan de broker; de sweeper probeert het later", bericht_id)
            logger.debug("broker-fout", exc_info=True)
            break
        aangeboden += 1
    return aangeboden


def bericht_plaatsen(
    *,
    soort: str,
    context: dict,
    persoon=None,
    ontvanger: str | None = None,
    organisatie=None,
    kanaal: str = Bericht.Kanaal.EMAIL,
    taal: str | None = None,
    sleutel: str | None = None,
) -> Bericht | None:
    """Place one message in the caller's transaction; it is delivered after commit.

    The recipient defaults to the person's e-mail address (or mobile number for SMS) and the language to the
    person's. Without any address nothing is placed (None). Passing a `sleutel` that was placed before returns
    that message instead of a second one.
    """
    if soort not in Soort.values:
        raise ValueError(f"unknown message kind {soort!r}")
    if ontvanger is None and persoon is not None:
        ontvanger = persoon.mobiel if kanaal == Bericht.Kanaal.SMS else persoon.email
    if not ontvanger:
        logger.warning("Bericht %s niet geplaatst: geen adres voor persoon %s", soort, id_van(persoon))
        return None
    context = {"persoon": persoon, "organisatie": organisatie, **context}
    plaatsing = Plaatsing(
        soort=soort,
        ontvanger=ontvanger.strip(),
        context=context,
        kanaal=kanaal,
        taal=taal_voor(persoon, taal),
        persoon_id=id_van(persoon),
        organisatie_id=id_van(organisatie),
        sleutel=sleutel,
    )
    try:
        # A savepoint: a duplicate key must not break the caller's transaction.
        with transaction.atomic():
            (bericht,) = plaats_alle([plaatsing])
    except IntegrityError:
        if not sleutel:
            raise
        # A concurrent placement with the same key won the race: that one is the message.
        return Bericht.objects.filter(sleutel=sleutel).first()
    return bericht


def bericht_plaatsen_gerenderd(
    *, soort: str, ontvanger: str, onderwerp: str, tekst: str, persoon=None, taal: str | None = None
) -> Bericht:
    """An e-mail whose text another app rendered (the log-in recovery mails of `inloggen`), through the same
    outbox: stored in the caller's transaction, delivered after commit, retried when the mail server is down."""
    taal = taal_voor(persoon, taal)
    onderwerp, tekst = " ".join(onderwerp.split())[:255], tekst.strip() + "\n"
    with translation.override(taal):
        html = render_to_string(
            "berichten/_basis.html", {"onderwerp": onderwerp, "tekst": tekst, "taal": taal, "soort": soort}
        )
    bericht = Bericht.objects.create(
        kanaal=Bericht.Kanaal.EMAIL,
        soort=soort,
        ontvanger=ontvanger,
        persoon_id=id_van(persoon),
        taal=taal,
        onderwerp=onderwerp,
        tekst=tekst,
        html=html,
    )
    transaction.on_commit(lambda: _plan_bezorging([bericht.pk]))
    return bericht


def openstaande_berichten_aanbieden(
    *, ouder_dan: dt.timedelta = STANDAARD_OUDER_DAN, limiet: int = SWEEPER_LIMIET
) -> int:
    """The sweeper: offer again what the broker may never have received (queued for longer than `ouder_dan`)
    and failed messages whose back-off has passed. Abandoned claims become failed first (the at-least-once
    window in the module docstring). Returns how many were handed to the broker."""
    nu = timezone.now()
    Bericht.objects.filter(status=Bericht.Status.SENDING, geclaimd_op__lt=nu - VERLATEN_CLAIM).update(
        status=Bericht.Status.FAILED,
        laatste_fout=str(_("Bezorging onderbroken: de verwerker stopte tijdens het verzenden.")),
        geclaimd_op=None,
        volgende_poging_op=nu,
    )
    ids = list(
        Bericht.objects.filter(
            Q(status=Bericht.Status.QUEUED, aangemaakt_op__lte=nu - ouder_dan)
            | Q(status=Bericht.Status.FAILED, volgende_poging_op__lte=nu)
        )
        .order_by("aangemaakt_op", "pk")
        .values_list("pk", flat=True)[:limiet]
    )
    return _plan_bezorging(ids)


@transaction.atomic
def bericht_opnieuw_versturen(*, bericht: Bericht, door) -> Bericht:
    """Support sends a message again: a queued or failed one gets a fresh attempt now; a sent one is copied
    into a new message (the sent one stays as it was). Audited."""
    if not is_support(door):
        raise DomainError(GEEN_SUPPORT, rule="R74")
    bericht = Bericht.objects.select_for_update().get(pk=bericht.pk)
    voor = {"status": bericht.status, "pogingen": bericht.pogingen, "laatste_fout": bericht.laatste_fout}
    if bericht.status == Bericht.Status.SENDING:
        raise DomainError(WORDT_VERZONDEN, rule="R74")
    if bericht.status == Bericht.Status.SENT:
        opnieuw = Bericht.objects.create(
            kanaal=bericht.kanaal,
            soort=bericht.soort,
            ontvanger=bericht.ontvanger,
            persoon_id=bericht.persoon_id,
            organisatie_id=bericht.organisatie_id,
            taal=bericht.taal,
            onderwerp=bericht.onderwerp,
            tekst=bericht.tekst,
            html=bericht.html,
            opnieuw_van=bericht,
        )
    else:
        bericht.status = Bericht.Status.QUEUED
        bericht.volgende_poging_op = None
        bericht.save(update_fields=["status", "volgende_poging_op"])
        opnieuw = bericht
    audit_log(
        actor=door,
        organisatie=bericht.organisatie,
        actie=Actie.BERICHT_OPNIEUW_VERSTUURD,
        omschrijving=_("Bericht '%(onderwerp)s' aan %(ontvanger)s opnieuw verstuurd")
        % {"onderwerp": bericht.onderwerp or bericht.get_soort_display(), "ontvanger": bericht.ontvanger},
        object=opnieuw,
        voor=voor,
        na={"status": opnieuw.status, "bericht": opnieuw.pk},
    )
    bericht_id = opnieuw.pk
    transaction.on_commit(lambda: _plan_bezorging([bericht_id]))
    return opnieuw
