"""Relaties uitnodigen (R43): the intermediair with the module invites relations, one or many from a file;
a relation gives the ketenmachtiging through the invitation link, without eHerkenning.
"""

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk, audit_per_organisatie
from catalogus.models import Dienst, Dienstverlener
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from handelsregister.identifiers import valideer_kvk_nummer
from ketenmachtigingen.models import Ketenmachtiging, KetenModule, Uitnodiging
from ketenmachtigingen.services._common import (
    UITNODIGING_GELDIG_DAGEN,
    BulkUitnodigingFout,
    ScopeKeuze,
    VerstuurdeUitnodiging,
    controleer_dienst_via_intermediair,
    organisatie_voor_kvk,
    snapshot,
    vereis_beheerder,
)
from ketenmachtigingen.services.informeren import uitnodigingen_versturen
from machtigingen.models import Scope
from organisaties.models import Organisatie


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _vereis_module_ingeschakeld(intermediair: Organisatie) -> None:
    if not KetenModule.objects.filter(organisatie=intermediair, status=KetenModule.Status.INGESCHAKELD).exists():
        raise DomainError(_("Relaties uitnodigen kan pas als de module ketenmachtigingen is ingeschakeld."), rule="R43")


@dataclass
class _UitnodigingRij:
    kvk_nummer: str
    email: str
    naam: str
    keuze: ScopeKeuze
    looptijd_jaren: int
    fouten: list = field(default_factory=list)


def _parse_niveau(waarde) -> int | None:
    if waarde in (None, ""):
        return None
    if isinstance(waarde, int) or str(waarde).isdigit():
        return int(waarde) if int(waarde) in Niveau.values else None
    labels = {n.label.upper(): n.value for n in Niveau}
    return labels.get(str(waarde).strip().upper().replace(" ", ""))


def _valideer_uitnodiging(
    *,
    intermediair: Organisatie,
    kvk_nummer,
    email: str,
    naam: str,
    scope: str,
    dienst: Dienst | None,
    niveau,
    dienstverlener: Dienstverlener | None,
    looptijd_jaren,
) -> _UitnodigingRij:
    """Check one invitation; the errors are collected (not raised) so a bulk file reports every line."""
    fouten: list[DomainError] = []
    try:
        kvk = valideer_kvk_nummer(kvk_nummer)
    except DomainError as e:
        kvk, fouten = "", [DomainError(e.message, rule="R43")]
    if kvk and kvk == intermediair.kvk_nummer:
        fouten.append(DomainError(_("U kunt uw eigen organisatie niet uitnodigen."), rule="R43"))
    try:
        validate_email(email or "")
    except ValidationError:
        fouten.append(DomainError(_("Vul een geldig e-mailadres in."), rule="R43"))
    try:
        jaren = int(looptijd_jaren)
    except (TypeError, ValueError):
        jaren = 0
    if not 1 <= jaren <= MAX_JAREN:
        fouten.append(DomainError(_("Een ketenmachtiging loopt 1 tot en met 5 jaar."), rule="R73"))
    keuze = ScopeKeuze(scope=scope)
    if scope == Scope.ALGEMEEN:
        n = _parse_niveau(niveau)
        if n is None:
            fouten.append(DomainError(_("Kies het niveau van de Algemene bevoegdheid."), rule="R43"))
        keuze = ScopeKeuze(scope=scope, niveau=n)
    elif scope == Scope.DIENSTVERLENER:
        if dienstverlener is None or dienstverlener.ingetrokken:
            fouten.append(DomainError(_("Deze dienstverlener staat niet (meer) in de dienstencatalogus."), rule="R70"))
        keuze = ScopeKeuze(scope=scope, dienstverlener=dienstverlener)
    elif scope == Scope.DIENST:
        if dienst is None:
            fouten.append(DomainError(_("Deze dienst staat niet in de dienstencatalogus."), rule="R70"))
        else:
            try:
                controleer_dienst_via_intermediair(dienst)
            except DomainError as e:
                fouten.append(e)
        keuze = ScopeKeuze(scope=scope, dienst=dienst)
    else:
        fouten.append(DomainError(_("Kies Algemene bevoegdheid, Dienstverlenersmachtiging of een dienst."), rule="R43"))
    return _UitnodigingRij(
        kvk_nummer=kvk,
        email=email or "",
        naam=(naam or "").strip()[:200],
        keuze=keuze,
        looptijd_jaren=jaren,
        fouten=fouten,
    )


def _maak_uitnodigingen(
    *, actor, intermediair: Organisatie, rijen: Sequence[_UitnodigingRij]
) -> list[VerstuurdeUitnodiging]:
    verloopt_op = timezone.now() + dt.timedelta(days=UITNODIGING_GELDIG_DAGEN)
    tokens = [secrets.token_urlsafe(32) for _rij in rijen]
    uitnodigingen = Uitnodiging.objects.bulk_create(
        [
            Uitnodiging(
                intermediair=intermediair,
                uitgenodigd_door=actor if getattr(actor, "pk", None) else None,
                kvk_nummer=rij.kvk_nummer,
                naam=rij.naam,
                email=rij.email,
                token_hash=_token_hash(token),
                scope=rij.keuze.scope,
                dienst=rij.keuze.dienst,
                niveau=rij.keuze.niveau,
                dienstverlener=rij.keuze.dienstverlener,
                looptijd_jaren=rij.looptijd_jaren,
                verloopt_op=verloopt_op,
            )
            for rij, token in zip(rijen, tokens, strict=True)
        ]
    )
    if not all(u.pk for u in uitnodigingen):
        # SQLite before 3.35 returns no ids from bulk_create; fetch them by their unique hash.
        per_hash = Uitnodiging.objects.in_bulk([u.token_hash for u in uitnodigingen], field_name="token_hash")
        uitnodigingen = [per_hash[u.token_hash] for u in uitnodigingen]
    audit_bulk(
        (
            {
                "organisatie_id": intermediair.pk,
                "actie": Actie.UITNODIGING_VERSTUURD,
                "omschrijving": _("Relatie KvK %(kvk)s uitgenodigd voor een ketenmachtiging (%(scope)s)")
                % {"kvk": rij.kvk_nummer, "scope": rij.keuze.omschrijving},
                "object_type": "Uitnodiging",
                "object_id": u.pk,
                "na": {"kvk_nummer": rij.kvk_nummer, "email": rij.email, "scope": rij.keuze.scope},
            }
            for u, rij in zip(uitnodigingen, rijen, strict=True)
        ),
        actor=actor,
    )
    verstuurd = [VerstuurdeUitnodiging(uitnodiging=u, token=t) for u, t in zip(uitnodigingen, tokens, strict=True)]
    uitnodigingen_versturen(intermediair=intermediair, verstuurd=verstuurd)
    return verstuurd


@transaction.atomic
def relatie_uitnodigen(
    *,
    actor,
    intermediair: Organisatie,
    kvk_nummer: str,
    email: str,
    naam: str = "",
    scope: str = Scope.ALGEMEEN,
    dienst: Dienst | None = None,
    niveau: int | None = None,
    dienstverlener: Dienstverlener | None = None,
    looptijd_jaren: int = MAX_JAREN,
) -> VerstuurdeUitnodiging:
    """The intermediair invites one relation to give it a ketenmachtiging (R43; module must be enabled)."""
    vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    rij = _valideer_uitnodiging(
        intermediair=intermediair,
        kvk_nummer=kvk_nummer,
        email=email,
        naam=naam,
        scope=scope,
        dienst=dienst,
        niveau=niveau,
        dienstverlener=dienstverlener,
        looptijd_jaren=looptijd_jaren,
    )
    if rij.fouten:
        raise rij.fouten[0]
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=[rij])[0]


@transaction.atomic
def relaties_uitnodigen(*, actor, intermediair: Organisatie, rijen: Sequence[Mapping]) -> list[VerstuurdeUitnodiging]:
    """Invite many relations from parsed rows (the file upload parses them), all or nothing (R43).

    Each row: `kvk_nummer`, `email`, optional `naam`, `scope` (default algemeen) with `niveau` (10..40 or
    "EH3"), `dienstverlener_oin` or `service_uuid`, and optional `looptijd_jaren` (default 5).
    Constant number of queries, whatever the number of rows.
    """
    vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    if not rijen:
        raise DomainError(_("Het bestand bevat geen relaties."), rule="R43")
    uuids = {str(r.get("service_uuid") or "").strip() for r in rijen} - {""}
    oins = {str(r.get("dienstverlener_oin") or "").strip() for r in rijen} - {""}
    diensten = {}
    geldige_uuids = []
    for u in uuids:
        try:
            geldige_uuids.append(str(uuid.UUID(u)))
        except ValueError:
            continue
    for d in Dienst.objects.select_related("dienstverlener").filter(service_uuid__in=geldige_uuids):
        diensten[str(d.service_uuid)] = d
    dienstverleners = Dienstverlener.objects.in_bulk(oins, field_name="oin")

    geldig: list[_UitnodigingRij] = []
    fouten: list[tuple[int, object]] = []
    for nummer, r in enumerate(rijen, start=1):
        uuid_tekst = str(r.get("service_uuid") or "").strip()
        try:
            uuid_tekst = str(uuid.UUID(uuid_tekst)) if uuid_tekst else ""
        except ValueError:
            uuid_tekst = "?"
        rij = _valideer_uitnodiging(
            intermediair=intermediair,
            kvk_nummer=r.get("kvk_nummer"),
            email=str(r.get("email") or "").strip(),
            naam=str(r.get("naam") or ""),
            scope=str(r.get("scope") or Scope.ALGEMEEN).strip().lower(),
            dienst=diensten.get(uuid_tekst),
            niveau=r.get("niveau"),
            dienstverlener=dienstverleners.get(str(r.get("dienstverlener_oin") or "").strip()),
            looptijd_jaren=r.get("looptijd_jaren") or MAX_JAREN,
        )
        fouten.extend((nummer, fout.message) for fout in rij.fouten)
        geldig.append(rij)
    if fouten:
        raise BulkUitnodigingFout(fouten)
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=geldig)


@transaction.atomic
def uitnodiging_accepteren(*, token: str, naam: str = "", adres=None) -> Ketenmachtiging:
    """The relation gives the ketenmachtiging through the invitation, without eHerkenning (R43).

    `naam`/`adres` come from the Handelsregister look-up of the relation's KvK-nummer, used only when the
    relation is not known yet. The intermediair requested it, so it may revoke it too (R45).
    """
    uitnodiging = (
        Uitnodiging.objects.select_for_update(of=("self",))
        .select_related("intermediair", "dienst", "dienstverlener")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    if uitnodiging is None or uitnodiging.status != Uitnodiging.Status.OPEN:
        raise DomainError(_("Deze uitnodiging bestaat niet of is al gebruikt."), rule="R43")
    if uitnodiging.verloopt_op <= timezone.now():
        raise DomainError(_("Deze uitnodiging is verlopen. Vraag uw intermediair om een nieuwe."), rule="R43")
    intermediair = uitnodiging.intermediair
    _vereis_module_ingeschakeld(intermediair)
    if uitnodiging.dienst is not None:
        controleer_dienst_via_intermediair(uitnodiging.dienst)
    relatie_label = str(_("Relatie KvK %(kvk)s (via uitnodiging)") % {"kvk": uitnodiging.kvk_nummer})
    verlener, _nieuw = organisatie_voor_kvk(
        kvk_nummer=uitnodiging.kvk_nummer,
        naam=naam or uitnodiging.naam,
        adres=adres,
        actor=relatie_label,
        door_organisatie=intermediair,
    )
    if verlener.pk == intermediair.pk:
        raise DomainError(_("Een organisatie kan geen ketenmachtiging aan zichzelf geven."), rule="R43")
    begint_op = vandaag()
    k = Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=uitnodiging.scope,
        dienst=uitnodiging.dienst,
        niveau=uitnodiging.niveau,
        dienstverlener=uitnodiging.dienstverlener,
        begint_op=begint_op,
        # R73: at most 5 years after it starts (looptijd_jaren is 1..5 by constraint).
        eindigt_op=plus_jaren(begint_op, min(uitnodiging.looptijd_jaren, MAX_JAREN)),
        aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR,
    )
    uitnodiging.status = Uitnodiging.Status.GEACCEPTEERD
    uitnodiging.geaccepteerd_op = timezone.now()
    uitnodiging.ketenmachtiging = k
    uitnodiging.save(update_fields=["status", "geaccepteerd_op", "ketenmachtiging"])
    audit_per_organisatie(
        actor=relatie_label,
        organisaties=(k.verlener_id, k.intermediair_id),
        object=k,
        actie=Actie.KETENMACHTIGING_AFGEGEVEN,
        omschrijving=_("Ketenmachtiging %(scope)s gegeven door %(verlener)s aan %(intermediair)s via uitnodiging")
        % {"scope": k.scope_omschrijving, "verlener": verlener.naam, "intermediair": intermediair.naam},
        na=snapshot(k),
    )
    return k
