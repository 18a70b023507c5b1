"""The relation answers an invitation on its own page, without eHerkenning (R43, R47).

Steps: open the link (`uitnodiging_openen`) → identify as one of the organisation's wettelijk vertegenwoordigers
known in the Handelsregister, by name and date of birth (`identiteit_bevestigen`, which e-mails a code to the
invited address) → confirm with that code (`code_bevestigen`) → consent, possibly dropping diensten
(`uitnodiging_toestemmen`), or refuse (`uitnodiging_weigeren`). The link expires, works once, and locks after
`MAX_POGINGEN` wrong answers (identity or code together). A wrong answer is counted in its own transaction,
so the count stays when the refusal is raised.
"""

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log, audit_per_organisatie
from berichten.meldingen.ketenmachtigingen import meld_uitnodiging_beantwoord, meld_uitnodiging_code
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from handelsregister import backend as handelsregister_backend
from handelsregister.errors import HandelsregisterFout
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from ketenmachtigingen.services._common import controleer_dienst_via_intermediair, organisatie_voor_kvk, snapshot
from ketenmachtigingen.services.uitnodigingen import module_ingeschakeld, token_hash

MAX_POGINGEN = 5
CODE_GELDIG_MINUTEN = 15


class UitnodigingOnbruikbaar(DomainError):
    """The link cannot be used (unknown, expired, used, withdrawn, locked): the page offers nothing."""


def _onbruikbaar(u: Uitnodiging | None) -> UitnodigingOnbruikbaar | None:
    if u is None:
        return UitnodigingOnbruikbaar(_("Deze link is niet (meer) geldig."), rule="R47", code="onbekend")
    if u.status == Uitnodiging.Status.GEACCEPTEERD or u.status == Uitnodiging.Status.GEWEIGERD:
        return UitnodigingOnbruikbaar(_("Deze uitnodiging is al beantwoord. De link werkt maar één keer."), rule="R47")
    if u.status == Uitnodiging.Status.INGETROKKEN:
        return UitnodigingOnbruikbaar(_("Deze uitnodiging is ingetrokken door de intermediair."), rule="R47")
    if u.status == Uitnodiging.Status.VERGRENDELD:
        return UitnodigingOnbruikbaar(
            _("Deze uitnodiging is geblokkeerd na te veel onjuiste pogingen. Vraag uw intermediair om een nieuwe."),
            rule="R47",
        )
    if u.status == Uitnodiging.Status.VERLOPEN or u.verloopt_op <= timezone.now():
        return UitnodigingOnbruikbaar(
            _("Deze uitnodiging is verlopen. Vraag uw intermediair om een nieuwe."), rule="R47"
        )
    return None


def _zoek(token: str, *, lock: bool = False) -> Uitnodiging:
    qs = Uitnodiging.objects.select_related("intermediair", "uitgenodigd_door")
    if lock:
        qs = qs.select_for_update(of=("self",))
    u = qs.filter(token_hash=token_hash(token)).first()
    fout = _onbruikbaar(u)
    if fout is not None:
        raise fout
    return u


def uitnodiging_openen(token: str) -> Uitnodiging:
    """The invitation behind a link, usable; the first opening is recorded (the intermediair sees *geopend*)."""
    u = _zoek(token)
    if u.geopend_op is None:
        with transaction.atomic():
            if Uitnodiging.objects.filter(pk=u.pk, geopend_op__isnull=True).update(geopend_op=timezone.now()):
                audit_log(
                    actor=_relatie_label(u),
                    organisatie=u.intermediair,
                    actie=Actie.UITNODIGING_GEOPEND,
                    omschrijving=_("Uitnodiging voor KvK %(kvk)s geopend") % {"kvk": u.kvk_nummer},
                    object=u,
                )
        u.refresh_from_db(fields=["geopend_op"])
    return u


def _relatie_label(u: Uitnodiging) -> str:
    wie = u.vertegenwoordiger or str(_("relatie"))
    return str(_("%(wie)s namens KvK %(kvk)s (via uitnodiging)") % {"wie": wie, "kvk": u.kvk_nummer})


def _mislukt(u: Uitnodiging, melding) -> DomainError:
    """Count a wrong answer; lock at MAX_POGINGEN. Returns the refusal to raise after this commits."""
    with transaction.atomic():
        vers = Uitnodiging.objects.select_for_update(of=("self",)).get(pk=u.pk)
        vers.mislukte_pogingen += 1
        if vers.mislukte_pogingen >= MAX_POGINGEN and vers.status == Uitnodiging.Status.OPEN:
            vers.status = Uitnodiging.Status.VERGRENDELD
            vers.code_hash = ""
            audit_log(
                actor=_relatie_label(vers),
                organisatie=vers.intermediair,
                actie=Actie.UITNODIGING_VERGRENDELD,
                omschrijving=_("Uitnodiging voor KvK %(kvk)s geblokkeerd na %(aantal)d onjuiste pogingen")
                % {"kvk": vers.kvk_nummer, "aantal": vers.mislukte_pogingen},
                object=vers,
                voor={"status": Uitnodiging.Status.OPEN},
                na={"status": vers.status},
            )
        vers.save(update_fields=["mislukte_pogingen", "status", "code_hash"])
    if vers.status == Uitnodiging.Status.VERGRENDELD:
        return _onbruikbaar(vers)
    over = MAX_POGINGEN - vers.mislukte_pogingen
    return DomainError(
        _("%(melding)s U kunt het nog %(over)d keer proberen.") % {"melding": melding, "over": over}, rule="R47"
    )


def _normaal(naam: str) -> str:
    zonder_accenten = "".join(c for c in unicodedata.normalize("NFKD", naam or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[.,]", " ", zonder_accenten).casefold().split())


def _profiel(u: Uitnodiging):
    try:
        return handelsregister_backend.get_handelsregister().zoek_op_kvk_nummer(u.kvk_nummer)
    except HandelsregisterFout as e:
        raise DomainError(e.message, rule="R47") from e


def _code_hash(u: Uitnodiging, code: str) -> str:
    return hashlib.sha256(f"{u.token_hash}:{code}".encode()).hexdigest()


def identiteit_bevestigen(*, token: str, naam: str, geboortedatum: dt.date | None) -> Uitnodiging:
    """R47: the person answering is a wettelijk vertegenwoordiger of the invited organisation (name and date of
    birth as the Handelsregister knows them); a code then goes to the invited e-mail address."""
    u = _zoek(token)
    profiel = _profiel(u)
    if not profiel.wettelijk_vertegenwoordigers:
        raise DomainError(
            _(
                "De wettelijk vertegenwoordigers van deze organisatie zijn niet bekend in het Handelsregister, "
                "dus wij kunnen u niet controleren. Neem contact op met uw intermediair."
            ),
            rule="R47",
        )
    gevonden = next(
        (
            w
            for w in profiel.wettelijk_vertegenwoordigers
            if _normaal(w.naam) == _normaal(naam) and geboortedatum is not None and w.geboortedatum == geboortedatum
        ),
        None,
    )
    if gevonden is None:
        raise _mislukt(
            u,
            _("Deze naam en geboortedatum horen niet bij een wettelijk vertegenwoordiger van %(naam)s.")
            % {"naam": profiel.naam},
        )
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        u = _zoek(token, lock=True)
        u.vertegenwoordiger = gevonden.naam[:200]
        u.code_hash = _code_hash(u, code)
        u.code_verloopt_op = timezone.now() + dt.timedelta(minutes=CODE_GELDIG_MINUTEN)
        u.code_bevestigd_op = None
        u.save(update_fields=["vertegenwoordiger", "code_hash", "code_verloopt_op", "code_bevestigd_op"])
        audit_log(
            actor=_relatie_label(u),
            organisatie=u.intermediair,
            actie=Actie.UITNODIGING_IDENTITEIT_BEVESTIGD,
            omschrijving=_(
                "%(naam)s herkend als wettelijk vertegenwoordiger van KvK %(kvk)s; code verstuurd naar %(email)s"
            )
            % {"naam": u.vertegenwoordiger, "kvk": u.kvk_nummer, "email": u.email},
            object=u,
        )
        meld_uitnodiging_code(email=u.email, intermediair=u.intermediair, code=code, geldig_minuten=CODE_GELDIG_MINUTEN)
    return u


def code_bevestigen(*, token: str, code: str) -> Uitnodiging:
    """R47: the code e-mailed to the invited address; a wrong or expired code counts as a wrong answer."""
    u = _zoek(token)
    if not u.code_hash:
        raise DomainError(_("Vul eerst uw naam en geboortedatum in."), rule="R47")
    if u.code_verloopt_op is None or u.code_verloopt_op <= timezone.now():
        raise DomainError(_("De code is verlopen. Vraag een nieuwe code aan."), rule="R47")
    if not hmac.compare_digest(u.code_hash, _code_hash(u, "".join((code or "").split()))):
        raise _mislukt(u, _("De code is niet juist."))
    with transaction.atomic():
        Uitnodiging.objects.filter(pk=u.pk).update(code_bevestigd_op=timezone.now())
        u.refresh_from_db()
        audit_log(
            actor=_relatie_label(u),
            organisatie=u.intermediair,
            actie=Actie.UITNODIGING_CODE_BEVESTIGD,
            omschrijving=_("Code voor de uitnodiging voor KvK %(kvk)s bevestigd door %(naam)s")
            % {"kvk": u.kvk_nummer, "naam": u.vertegenwoordiger},
            object=u,
        )
    return u


def _vereis_bevestigd(u: Uitnodiging) -> None:
    if u.code_bevestigd_op is None:
        raise DomainError(_("Bevestig eerst uw identiteit met de code uit de e-mail."), rule="R47")


@transaction.atomic
def uitnodiging_toestemmen(*, token: str, gekozen: Iterable[int]) -> list[Ketenmachtiging]:
    """R43, R47: the confirmed vertegenwoordiger consents to the scopes kept (`gekozen`: GevraagdeScope ids).
    One ketenmachtiging per scope, for both sides at once; the intermediair is told; the link is used up."""
    u = _zoek(token, lock=True)
    _vereis_bevestigd(u)
    if not module_ingeschakeld(u.intermediair):
        raise DomainError(_("De intermediair kan op dit moment geen ketenmachtigingen ontvangen."), rule="R43")
    gekozen_ids = {int(i) for i in gekozen}
    gevraagd = list(u.gevraagd.select_related("dienst__dienstverlener", "dienstverlener"))
    houden = [g for g in gevraagd if g.pk in gekozen_ids]
    if not houden:
        raise DomainError(
            _("Kies minstens één dienst om de ketenmachtiging voor te geven, of weiger de uitnodiging."), rule="R47"
        )
    for g in houden:
        if g.dienst is not None:
            controleer_dienst_via_intermediair(g.dienst, u.intermediair)
    profiel = _profiel(u)
    label = _relatie_label(u)
    verlener, _nieuw = organisatie_voor_kvk(
        kvk_nummer=u.kvk_nummer, naam=profiel.naam, adres=profiel.adres, actor=label, door_organisatie=u.intermediair
    )
    if verlener.pk == u.intermediair_id:
        raise DomainError(_("Een organisatie kan geen ketenmachtiging aan zichzelf geven."), rule="R43")
    begint_op = vandaag()
    ketenmachtigingen = []
    for g in houden:
        k = Ketenmachtiging.objects.create(
            verlener=verlener,
            intermediair=u.intermediair,
            scope=g.scope,
            dienst=g.dienst,
            niveau=g.niveau,
            dienstverlener=g.dienstverlener,
            begint_op=begint_op,
            # R73: at most 5 years after it starts (looptijd_jaren is 1..5 by constraint).
            eindigt_op=plus_jaren(begint_op, min(u.looptijd_jaren, MAX_JAREN)),
            aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR,
        )
        g.ketenmachtiging = k
        g.save(update_fields=["ketenmachtiging"])
        ketenmachtigingen.append(k)
        audit_per_organisatie(
            actor=label,
            organisaties=(verlener.pk, u.intermediair_id),
            object=k,
            actie=Actie.KETENMACHTIGING_AFGEGEVEN,
            omschrijving=_("Ketenmachtiging %(scope)s gegeven door %(verlener)s aan %(intermediair)s via uitnodiging")
            % {"scope": k.scope_omschrijving, "verlener": verlener.naam, "intermediair": u.intermediair.naam},
            na=snapshot(k),
        )
    u.status = Uitnodiging.Status.GEACCEPTEERD
    u.geaccepteerd_op = u.beantwoord_op = timezone.now()
    u.ketenmachtiging = ketenmachtigingen[0]
    u.code_hash = ""
    u.save(update_fields=["status", "geaccepteerd_op", "beantwoord_op", "ketenmachtiging", "code_hash"])
    meld_uitnodiging_beantwoord(
        intermediair=u.intermediair,
        relatie_naam=verlener.naam,
        relatie_kvk=u.kvk_nummer,
        afgegeven=[k.scope_omschrijving for k in ketenmachtigingen],
        geweigerd=False,
        aan=u.uitgenodigd_door,
    )
    return ketenmachtigingen


@transaction.atomic
def uitnodiging_weigeren(*, token: str) -> Uitnodiging:
    """R47: the confirmed vertegenwoordiger refuses; nothing is given, the link is used up, the intermediair told."""
    u = _zoek(token, lock=True)
    _vereis_bevestigd(u)
    u.status = Uitnodiging.Status.GEWEIGERD
    u.beantwoord_op = timezone.now()
    u.code_hash = ""
    u.save(update_fields=["status", "beantwoord_op", "code_hash"])
    audit_log(
        actor=_relatie_label(u),
        organisatie=u.intermediair,
        actie=Actie.UITNODIGING_GEWEIGERD,
        omschrijving=_("Uitnodiging voor KvK %(kvk)s geweigerd") % {"kvk": u.kvk_nummer},
        object=u,
        voor={"status": Uitnodiging.Status.OPEN},
        na={"status": u.status},
    )
    meld_uitnodiging_beantwoord(
        intermediair=u.intermediair,
        relatie_naam=u.naam or u.kvk_nummer,
        relatie_kvk=u.kvk_nummer,
        afgegeven=[],
        geweigerd=True,
        aan=u.uitgenodigd_door,
    )
    return u
