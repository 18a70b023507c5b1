"""Placing and delivering e-mail and SMS through the outbox (`Bericht`), and one helper per kind of message.

Placing (`bericht_plaatsen` and the `meld_*` helpers) renders the text in the person's language and saves the
row in the caller's transaction: the message exists exactly when the change that causes it is committed.
Delivery is scheduled after commit; when the broker is down at that moment the message simply stays queued
and the sweeper (`openstaande_berichten_aanbieden`, every minute) offers it again once the broker is back.

Delivery guarantee (`bericht_bezorgen`): a worker first *claims* the row with one conditional UPDATE
(queued/failed → sending). Only the worker whose UPDATE changed the row sends, so duplicate tasks (a re-enqueue
by the sweeper, a Celery redelivery, two workers) never send twice. The one window left is at-least-once: when
a worker dies after the mail server or SMS gateway accepted the message but before the row is marked sent, the
row stays `sending`; after `VERLATEN_CLAIM` (well beyond the task time limit) the sweeper marks it failed and it
is sent again. That repeat carries the same Message-ID (derived from the idempotency key), so mail clients can
recognise it. Losing a message is judged worse than this rare duplicate.
"""

import datetime as dt
import enum
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.services import audit_bulk, audit_log
from berichten.models import Bericht, HerinneringVerstuurd, Soort
from berichten.sms import SmsNietVerzonden, get_sms_backend
from common.dates import plus_maanden, vandaag
from common.errors import DomainError
from gebruikers.rules import is_support

logger = logging.getLogger(__name__)

# Delivery attempts before a message waits for staff; the wait doubles each time, from 1 minute up to 6 hours.
MAX_POGINGEN = 10
EERSTE_WACHTTIJD = 60
MAX_WACHTTIJD = 6 * 60 * 60
# A claim older than this means the worker died mid-delivery (the task time limit is 5 minutes).
VERLATEN_CLAIM = dt.timedelta(minutes=15)
# The sweeper leaves fresh messages to the task scheduled on commit.
STANDAARD_OUDER_DAN = dt.timedelta(seconds=60)
SWEEPER_LIMIET = 500
# R34: reminders are sent for what ends within 2 months.
HERINNERING_MAANDEN = 2
SMTP_TIMEOUT = 30

# Errors after which a later attempt may succeed: the mail server or gateway is down or busy.
TIJDELIJKE_FOUTEN = (smtplib.SMTPException, OSError, SmsNietVerzonden)
# ...except an address the mail server refuses: retrying will not help.
DEFINITIEVE_FOUTEN = (smtplib.SMTPRecipientsRefused,)

GEEN_SUPPORT = _("Alleen medewerkers van support kunnen berichten opnieuw versturen.")
WORDT_VERZONDEN = _("Dit bericht wordt op dit moment verzonden; probeer het later opnieuw.")


# ------------------------------------------------------------------------------------------------ placing


@dataclass
class _Plaatsing:
    soort: str
    ontvanger: str
    context: dict
    kanaal: str = Bericht.Kanaal.EMAIL
    taal: str = "nl"
    persoon_id: int | None = None
    organisatie_id: int | None = None
    sleutel: str | None = None
    extra: dict = field(default_factory=dict)


def _taal(persoon, taal: str | None) -> str:
    gekozen = taal or getattr(persoon, "taal", None) or settings.LANGUAGE_CODE
    return gekozen if gekozen in Bericht.Taal.values else Bericht.Taal.NL


def _id(obj) -> int | None:
    return getattr(obj, "pk", None)


def _render(soort: str, kanaal: str, taal: str, context: dict) -> tuple[str, str, str]:
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


def _plaats_alle(plaatsingen: Sequence[_Plaatsing]) -> list[Bericht]:
    """Render and save many messages with one INSERT, then schedule them after commit."""
    plaatsingen = [p for p in plaatsingen if p.ontvanger]
    if not plaatsingen:
        return []
    gegeven = [p.sleutel for p in plaatsingen if p.sleutel]
    bestaand = {b.sleutel: b for b in Bericht.objects.filter(sleutel__in=gegeven)} if gegeven else {}
    nieuw = []
    for p in plaatsingen:
        if p.sleutel in bestaand:
            continue  # idempotent: this key was placed before
        onderwerp, tekst, html = _render(p.soort, p.kanaal, p.taal, p.context)
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


def _plan_bezorging(ids: Iterable[int]) -> int:
    """Hand the messages to the broker. Never raises: a broker that is down must not fail the web action
    that already committed; the messages stay queued and the sweeper offers them again later."""
    from berichten.tasks import bezorg_bericht

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
        logger.warning("Bericht %s niet geplaatst: geen adres voor persoon %s", soort, _id(persoon))
        return None
    context = {"persoon": persoon, "organisatie": organisatie, **context}
    plaatsing = _Plaatsing(
        soort=soort,
        ontvanger=ontvanger.strip(),
        context=context,
        kanaal=kanaal,
        taal=_taal(persoon, taal),
        persoon_id=_id(persoon),
        organisatie_id=_id(organisatie),
        sleutel=sleutel,
    )
    try:
        # A savepoint: a duplicate key must not break the caller's transaction.
        with transaction.atomic():
            (bericht,) = _plaats_alle([plaatsing])
    except IntegrityError:
        if not sleutel:
            raise
        # A concurrent placement with the same key won the race: that one is the message.
        return Bericht.objects.filter(sleutel=sleutel).first()
    return bericht


# ------------------------------------------------------------------------------------------------ delivery


class Uitkomst(enum.StrEnum):
    VERZONDEN = "verzonden"
    OVERGESLAGEN = "overgeslagen"  # someone else claimed it, or it is already sent
    TIJDELIJK_MISLUKT = "tijdelijk_mislukt"
    DEFINITIEF_MISLUKT = "definitief_mislukt"


def bericht_plaatsen_gerenderd(
    *, soort: str, ontvanger: str, onderwerp: str, tekst: str, persoon=None, taal: str | None = None
) -> Bericht:
    """An e-mail whose text another app rendered (the log-in recovery mails of `inloggen`), through the same
    outbox: stored in the caller's transaction, delivered after commit, retried when the mail server is down."""
    taal = _taal(persoon, taal)
    onderwerp, tekst = " ".join(onderwerp.split())[:255], tekst.strip() + "\n"
    with translation.override(taal):
        html = render_to_string(
            "berichten/_basis.html", {"onderwerp": onderwerp, "tekst": tekst, "taal": taal, "soort": soort}
        )
    bericht = Bericht.objects.create(
        kanaal=Bericht.Kanaal.EMAIL,
        soort=soort,
        ontvanger=ontvanger,
        persoon_id=_id(persoon),
        taal=taal,
        onderwerp=onderwerp,
        tekst=tekst,
        html=html,
    )
    transaction.on_commit(lambda: _plan_bezorging([bericht.pk]))
    return bericht


def wachttijd(pogingen: int) -> int:
    """Seconds before the next attempt: 1, 2, 4, ... minutes, at most 6 hours."""
    return min(EERSTE_WACHTTIJD * 2 ** max(pogingen - 1, 0), MAX_WACHTTIJD)


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
        actie="bericht.opnieuw_versturen",
        omschrijving=_("Bericht '%(onderwerp)s' aan %(ontvanger)s opnieuw verstuurd")
        % {"onderwerp": bericht.onderwerp or bericht.get_soort_display(), "ontvanger": bericht.ontvanger},
        object=opnieuw,
        voor=voor,
        na={"status": opnieuw.status, "bericht": opnieuw.pk},
    )
    bericht_id = opnieuw.pk
    transaction.on_commit(lambda: _plan_bezorging([bericht_id]))
    return opnieuw


# ------------------------------------------------------------------------------------------------ one helper per kind


def meld_activatie(*, persoon, activeren_tot: dt.date, link: str, organisatie=None) -> Bericht | None:
    """R18: the invitation to activate, with the deadline ("Activeren mogelijk tot DD-MM-JJJJ")."""
    return bericht_plaatsen(
        soort=Soort.ACTIVATIE,
        persoon=persoon,
        organisatie=organisatie,
        context={"activeren_tot": activeren_tot, "link": link},
    )


def meld_nieuwe_activatie(*, persoon, activeren_tot: dt.date, link: str, organisatie=None) -> Bericht | None:
    """R18: a new invitation after the previous one expired, again for 30 days."""
    return bericht_plaatsen(
        soort=Soort.NIEUWE_ACTIVATIE,
        persoon=persoon,
        organisatie=organisatie,
        context={"activeren_tot": activeren_tot, "link": link},
    )


def meld_aanvraag_afgekeurd(*, aanvraag, reden: str) -> Bericht | None:
    """R18: the beheerder who asked gets the reason of the rejection (nothing when nobody asked)."""
    beheerder = aanvraag.aangevraagd_door
    if beheerder is None:
        return None
    betreft = aanvraag.middel.persoon if aanvraag.middel_id else None
    return bericht_plaatsen(
        soort=Soort.AANVRAAG_AFGEKEURD,
        persoon=beheerder,
        organisatie=aanvraag.organisatie,
        context={"aanvraag": aanvraag, "reden": reden, "betreft": betreft},
    )


def meld_machtigingen_gewijzigd(*, persoon, organisatie, wijzigingen: Sequence) -> Bericht | None:
    """R37: ONE message to one person for one action, listing its changes. Call it once per person per action.
    Items may be lazy translations (`gettext_lazy`) so they appear in the person's language."""
    return bericht_plaatsen(
        soort=Soort.MACHTIGINGEN_GEWIJZIGD,
        persoon=persoon,
        organisatie=organisatie,
        context={"wijzigingen": list(wijzigingen)},
    )


# What each machtigingen action code means to the person (machtigingen.services.Actie).
ACTIE_OMSCHRIJVING = {
    "machtiging_toegevoegd": _("Er zijn machtigingen aan u toegekend."),
    "machtiging_einddatum_gewijzigd": _("De einddatum van uw machtigingen is gewijzigd."),
    "machtiging_verlengd": _("Uw machtiging is verlengd."),
    "machtiging_ingetrokken": _("Een machtiging van u is ingetrokken."),
    "machtiging_verlopen": _("Een machtiging van u is verlopen."),
}


def meld_machtigingen_gewijzigd_aan_personen(*, persoon_ids: Iterable[int], organisatie_id: int, actie: str) -> int:
    """R37 for a whole action at once: one message per distinct person, placed with one INSERT.

    Fits `machtigingen.services._meld_wijziging(persoon_ids, actie, organisatie_id=...)` directly.
    """
    from gebruikers.models import Persoon
    from organisaties.models import Organisatie

    organisatie = Organisatie.objects.filter(pk=organisatie_id).first()
    omschrijving = ACTIE_OMSCHRIJVING.get(actie, _("Uw machtigingen zijn gewijzigd."))
    plaatsingen = [
        _Plaatsing(
            soort=Soort.MACHTIGINGEN_GEWIJZIGD,
            ontvanger=p.email,
            context={"persoon": p, "organisatie": organisatie, "wijzigingen": [omschrijving]},
            taal=_taal(p, None),
            persoon_id=p.pk,
            organisatie_id=organisatie_id,
        )
        for p in Persoon.objects.filter(pk__in=set(persoon_ids)).order_by("pk")
    ]
    return len(_plaats_alle(plaatsingen))


def _maskeer(nummer: str) -> str:
    zichtbaar = nummer[-2:] if len(nummer) > 4 else ""
    return "•" * max(len(nummer) - len(zichtbaar), 0) + zichtbaar


def meld_telefoonnummer_gewijzigd(*, persoon, nieuw_nummer: str, organisatie=None) -> Bericht | None:
    """R21: the person is told, by e-mail, that someone changed their SMS number (shown masked)."""
    return bericht_plaatsen(
        soort=Soort.TELEFOONNUMMER_GEWIJZIGD,
        persoon=persoon,
        organisatie=organisatie,
        context={"nummer": _maskeer(nieuw_nummer)},
    )


def meld_intermediair_geinformeerd(
    *,
    email: str,
    verlener_kvk: str,
    verlener_naam: str,
    intermediair_kvk: str,
    intermediair_naam: str,
    diensten: Sequence[str],
    geregistreerd_bij: str,
    eindigt_op: dt.date | None = None,
    organisatie=None,
    taal: str = "nl",
) -> Bericht | None:
    """R42: what the intermediair must know: the issuer's KvK, its own KvK, the diensten, where registered."""
    return bericht_plaatsen(
        soort=Soort.INTERMEDIAIR_GEINFORMEERD,
        ontvanger=email,
        organisatie=organisatie,
        taal=taal,
        context={
            "verlener_kvk": verlener_kvk,
            "verlener_naam": verlener_naam,
            "intermediair_kvk": intermediair_kvk,
            "intermediair_naam": intermediair_naam,
            "diensten": list(diensten),
            "geregistreerd_bij": geregistreerd_bij,
            "eindigt_op": eindigt_op,
        },
    )


def meld_uitnodiging_ketenmachtiging(
    *,
    email: str,
    intermediair,
    link: str,
    geldig_tot: dt.date | dt.datetime,
    scope: str = "",
    relatie_naam: str = "",
    taal: str = "nl",
) -> Bericht | None:
    """R43: invite a relation to give a ketenmachtiging through the link (which carries the token)."""
    if isinstance(geldig_tot, dt.datetime):
        geldig_tot = timezone.localdate(geldig_tot) if timezone.is_aware(geldig_tot) else geldig_tot.date()
    return bericht_plaatsen(
        soort=Soort.UITNODIGING_KETENMACHTIGING,
        ontvanger=email,
        organisatie=intermediair,
        taal=taal,
        context={
            "intermediair": intermediair,
            "link": link,
            "geldig_tot": geldig_tot,
            "scope": scope,
            "relatie_naam": relatie_naam,
        },
    )


def meld_uitnodigingen_ketenmachtiging(
    *, intermediair, uitnodigingen: Sequence[dict], taal: str = "nl"
) -> list[Bericht]:
    """R43 for many relations at once (an uploaded file): one INSERT for all messages. Each dict holds the
    keywords of `meld_uitnodiging_ketenmachtiging` except `intermediair`."""
    plaatsingen = []
    for u in uitnodigingen:
        geldig_tot = u["geldig_tot"]
        if isinstance(geldig_tot, dt.datetime):
            geldig_tot = timezone.localdate(geldig_tot) if timezone.is_aware(geldig_tot) else geldig_tot.date()
        plaatsingen.append(
            _Plaatsing(
                soort=Soort.UITNODIGING_KETENMACHTIGING,
                ontvanger=u["email"],
                taal=taal,
                organisatie_id=_id(intermediair),
                context={
                    "intermediair": intermediair,
                    "link": u["link"],
                    "geldig_tot": geldig_tot,
                    "scope": u.get("scope", ""),
                    "relatie_naam": u.get("relatie_naam", ""),
                },
            )
        )
    return _plaats_alle(plaatsingen)


def meld_offerte_ketenmodule(*, organisatie, nummer: str, bedrag_per_jaar, pdf: bytes) -> list[Bericht]:
    """R43: the quote for the module ketenmachtigingen, as PDF attachment, to each beheerder of the intermediair.

    The attachment is stored with each message in the outbox's transaction, so it goes out with it later."""
    from django.core.files.base import ContentFile

    from gebruikers.models import Koppeling, Middel, Persoon

    beheerders = Persoon.objects.filter(
        middel__koppelingen__organisatie=organisatie,
        middel__koppelingen__rol=Koppeling.Rol.BEHEERDER,
        middel__koppelingen__status=Koppeling.Status.ACTIEF,
        middel__status=Middel.Status.ACTIEF,
    ).distinct()
    berichten = []
    for persoon in beheerders:
        bericht = bericht_plaatsen(
            soort=Soort.OFFERTE_KETENMODULE,
            persoon=persoon,
            organisatie=organisatie,
            context={"nummer": nummer, "bedrag_per_jaar": bedrag_per_jaar},
        )
        if bericht is not None:
            bericht.bijlage_naam = f"offerte-{nummer}.pdf"
            bericht.bijlage.save(bericht.bijlage_naam, ContentFile(pdf), save=False)
            bericht.save(update_fields=["bijlage", "bijlage_naam"])
            berichten.append(bericht)
    return berichten


# ------------------------------------------------------------------------------------------------ reminder jobs


def _zonder_herinnering(soort: str, datum_veld: str):
    return ~Exists(
        HerinneringVerstuurd.objects.filter(soort=soort, object_id=OuterRef("pk"), datum=OuterRef(datum_veld))
    )


def _vergrendel(qs):
    # Two runs at once: each skips the rows the other is handling (PostgreSQL; SQLite serialises writers).
    return qs.select_for_update(skip_locked=True, of=("self",))


@transaction.atomic
def verlopende_machtigingen_herinneren(*, peildatum: dt.date | None = None) -> int:
    """Daily: active machtigingen ending within 2 months → one message per person per organisation, listing
    them. Each (machtiging, end date) is reminded once; a new end date gets a new reminder."""
    from machtigingen.models import Machtiging, Status

    dag = peildatum or vandaag()
    grens = plus_maanden(dag, HERINNERING_MAANDEN)
    soort = Soort.MACHTIGING_VERLOOPT_BINNENKORT
    machtigingen = list(
        _vergrendel(
            Machtiging.objects.filter(
                status=Status.ACTIEF,
                eindigt_op__gt=dag,
                eindigt_op__lte=grens,
                middel__persoon__is_active=True,
            ).filter(_zonder_herinnering(soort, "eindigt_op"))
        )
        .select_related("dienst", "dienst__dienstverlener", "dienstverlener", "organisatie", "middel__persoon")
        .order_by("middel__persoon_id", "organisatie_id", "eindigt_op", "pk")
    )
    groepen: dict[tuple[int, int], list] = {}
    for m in machtigingen:
        groepen.setdefault((m.middel.persoon_id, m.organisatie_id), []).append(m)
    plaatsingen = []
    for lijst in groepen.values():
        persoon, organisatie = lijst[0].middel.persoon, lijst[0].organisatie
        plaatsingen.append(
            _Plaatsing(
                soort=soort,
                ontvanger=persoon.email,
                context={"persoon": persoon, "organisatie": organisatie, "machtigingen": lijst},
                taal=_taal(persoon, None),
                persoon_id=persoon.pk,
                organisatie_id=organisatie.pk,
            )
        )
    berichten = _plaats_alle(plaatsingen)
    per_groep = {(b.persoon_id, b.organisatie_id): b for b in berichten}
    HerinneringVerstuurd.objects.bulk_create(
        [
            HerinneringVerstuurd(
                soort=soort,
                object_id=m.pk,
                datum=m.eindigt_op,
                bericht=per_groep.get((m.middel.persoon_id, m.organisatie_id)),
            )
            for m in machtigingen
        ],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": "bericht.herinnering_machtiging",
            "omschrijving": _("Herinnering verstuurd: machtigingen verlopen binnenkort (%(ontvanger)s)")
            % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )
    return len(berichten)


@transaction.atomic
def eigen_middel_zonder_beheerder_waarschuwen(*, peildatum: dt.date | None = None) -> int:
    """Daily: a beheerder whose own koppeling ends within 2 months (a planned termination, or a subscription
    without automatic renewal) while the organisation has no other beheerder who stays → warn them once per
    (koppeling, end date), so they appoint another beheerder in time (R5)."""
    from gebruikers.models import Koppeling, Middel

    dag = peildatum or vandaag()
    grens = plus_maanden(dag, HERINNERING_MAANDEN)
    soort = Soort.EIGEN_MIDDEL_EINDIGT
    actieve_beheerder = Q(
        rol=Koppeling.Rol.BEHEERDER, status=Koppeling.Status.ACTIEF, middel__status=Middel.Status.ACTIEF
    )
    andere_blijft = Koppeling.objects.filter(actieve_beheerder, organisatie_id=OuterRef("organisatie_id")).exclude(
        pk=OuterRef("pk")
    )
    # The other beheerder must outlast this one: no planned termination, or a later one.
    andere_blijft = andere_blijft.filter(Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=OuterRef("einddatum")))
    eindigt = Q(opzeggen_per__isnull=False) | Q(automatische_verlenging=False, abonnement_eind__isnull=False)
    koppelingen = list(
        _vergrendel(
            Koppeling.objects.filter(actieve_beheerder, eindigt)
            .annotate(einddatum=Coalesce("opzeggen_per", "abonnement_eind"))
            .filter(einddatum__gt=dag, einddatum__lte=grens, middel__persoon__is_active=True)
            .filter(~Exists(andere_blijft))
            .filter(_zonder_herinnering(soort, "einddatum"))
        )
        .select_related("organisatie", "middel__persoon")
        .order_by("pk")
    )
    plaatsingen = [
        _Plaatsing(
            soort=soort,
            ontvanger=k.middel.persoon.email,
            context={"persoon": k.middel.persoon, "organisatie": k.organisatie, "einddatum": k.einddatum},
            taal=_taal(k.middel.persoon, None),
            persoon_id=k.middel.persoon_id,
            organisatie_id=k.organisatie_id,
        )
        for k in koppelingen
    ]
    berichten = _plaats_alle(plaatsingen)
    per_koppeling = dict(zip([k.pk for k in koppelingen if k.middel.persoon.email], berichten, strict=True))
    HerinneringVerstuurd.objects.bulk_create(
        [
            HerinneringVerstuurd(soort=soort, object_id=k.pk, datum=k.einddatum, bericht=per_koppeling.get(k.pk))
            for k in koppelingen
        ],
        batch_size=1000,
    )
    audit_bulk(
        {
            "organisatie_id": b.organisatie_id,
            "actie": "bericht.waarschuwing_eigen_middel",
            "omschrijving": _("Waarschuwing verstuurd: eigen middel eindigt zonder andere beheerder (%(ontvanger)s)")
            % {"ontvanger": b.ontvanger},
            "object_type": "Bericht",
            "object_id": b.pk,
        }
        for b in berichten
    )
    return len(berichten)
