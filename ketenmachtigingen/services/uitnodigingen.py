"""Relaties uitnodigen (R43): the intermediair with the module invites relations, one at a time or many from
a file. A file is first judged row by row (`relaties_beoordelen`: what will be sent, or why not), then only
the accepted rows are sent in one step. Resending and withdrawing an invitation live here too; answering it
(the relation's side, R47) is in `beantwoorden`.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk, audit_log
from berichten.meldingen.ketenmachtigingen import meld_uitnodigingen_ketenmachtiging
from catalogus.models import Dienst, Dienstverlener
from common.dates import MAX_JAREN
from common.errors import DomainError
from ketenmachtigingen import rules
from ketenmachtigingen.models import GevraagdeScope, KetenModule, Uitnodiging
from ketenmachtigingen.services._common import (
    UITNODIGING_GELDIG_DAGEN,
    BulkUitnodigingFout,
    VerstuurdeUitnodiging,
    vereis_beheerder,
)
from ketenmachtigingen.services.informeren import uitnodiging_link
from ketenmachtigingen.services.uitnodiging_rijen import (
    UitnodigingRij,
    bestandsrijen,
    controleer_register_en_dubbel,
    valideer_rij,
)
from machtigingen.models import Scope
from organisaties.models import Organisatie

# A file larger than this is refused before reading; more rows than this too (R43: a clear message).
MAX_RIJEN = 500


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def module_ingeschakeld(intermediair: Organisatie) -> bool:
    return KetenModule.objects.filter(organisatie=intermediair, status=KetenModule.Status.INGESCHAKELD).exists()


def _vereis_module_ingeschakeld(intermediair: Organisatie) -> None:
    if not module_ingeschakeld(intermediair):
        raise DomainError(_("Relaties uitnodigen kan pas als de module ketenmachtigingen is ingeschakeld."), rule="R43")


def _maak_uitnodigingen(
    *, actor, intermediair: Organisatie, rijen: Sequence[UitnodigingRij]
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
                token_hash=token_hash(token),
                # The first asked scope, repeated for the admin (see the model).
                scope=rij.keuzes[0].scope,
                dienst=rij.keuzes[0].dienst,
                niveau=rij.keuzes[0].niveau,
                dienstverlener=rij.keuzes[0].dienstverlener,
                looptijd_jaren=rij.looptijd_jaren,
                spoed=rij.spoed,
                verloopt_op=verloopt_op,
            )
            for rij, token in zip(rijen, tokens, strict=True)
        ]
    )
    if not all(u.pk for u in uitnodigingen):
        # SQLite before 3.35 returns no ids from bulk_create; fetch them by their unique hash.
        per_hash = Uitnodiging.objects.in_bulk([u.token_hash for u in uitnodigingen], field_name="token_hash")
        uitnodigingen = [per_hash[u.token_hash] for u in uitnodigingen]
    GevraagdeScope.objects.bulk_create(
        [
            GevraagdeScope(
                uitnodiging=u, scope=k.scope, dienst=k.dienst, niveau=k.niveau, dienstverlener=k.dienstverlener
            )
            for u, rij in zip(uitnodigingen, rijen, strict=True)
            for k in rij.keuzes
        ]
    )
    audit_bulk(
        (
            {
                "organisatie_id": intermediair.pk,
                "actie": Actie.UITNODIGING_VERSTUURD,
                "omschrijving": _("Relatie KvK %(kvk)s uitgenodigd voor een ketenmachtiging (%(scope)s)")
                % {"kvk": rij.kvk_nummer, "scope": rij.omschrijving},
                "object_type": "Uitnodiging",
                "object_id": u.pk,
                "na": {
                    "kvk_nummer": rij.kvk_nummer,
                    "email": rij.email,
                    "scopes": [k.omschrijving for k in rij.keuzes],
                    "looptijd_jaren": rij.looptijd_jaren,
                    "spoed": rij.spoed,
                },
            }
            for u, rij in zip(uitnodigingen, rijen, strict=True)
        ),
        actor=actor,
    )
    meld_uitnodigingen_ketenmachtiging(
        intermediair=intermediair,
        uitnodigingen=[
            {
                "email": u.email,
                "link": uitnodiging_link(t),
                "geldig_tot": u.verloopt_op,
                "scope": rij.omschrijving,
                "relatie_naam": u.naam,
            }
            for u, t, rij in zip(uitnodigingen, tokens, rijen, strict=True)
        ],
    )
    return [VerstuurdeUitnodiging(uitnodiging=u, token=t) for u, t in zip(uitnodigingen, tokens, strict=True)]


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
    keuzes: Sequence[Mapping] | None = None,
    looptijd_jaren: int = MAX_JAREN,
    spoed: bool = False,
) -> VerstuurdeUitnodiging:
    """The intermediair invites one relation (R43; module enabled). `keuzes` lists the scopes asked, each a
    mapping with `scope` and `niveau` / `dienst` / `dienstverlener`; without it the single scope given."""
    vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    if keuzes is None:
        keuzes = [{"scope": scope, "dienst": dienst, "niveau": niveau, "dienstverlener": dienstverlener}]
    rij = valideer_rij(
        intermediair=intermediair,
        rijnummer=1,
        kvk_nummer=kvk_nummer,
        email=email,
        naam=naam,
        keuzes=keuzes,
        looptijd_jaren=looptijd_jaren,
    )
    if not rij.fouten:
        controleer_register_en_dubbel(intermediair, [rij])
    if rij.fouten:
        raise rij.fouten[0]
    rij.spoed = bool(spoed)
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=[rij])[0]


def relaties_beoordelen(*, intermediair: Organisatie, rijen: Sequence[Mapping]) -> list[UitnodigingRij]:
    """The preview of a file (R43): every row with what will be sent or why it is refused. Writes nothing.

    Each row: `kvk_nummer`, `email`, optional `naam`, `scope` (default algemeen) with `niveau` (10..40 or
    "EH3"; default EH3), `dienstverlener_oin` or `service_uuid`, optional `looptijd_jaren` (default 5) and `rijnummer`."""
    if not rijen:
        raise DomainError(_("Het bestand bevat geen relaties."), rule="R43")
    if len(rijen) > MAX_RIJEN:
        raise DomainError(
            _("Het bestand bevat meer dan %(max)d relaties. Splits het bestand.") % {"max": MAX_RIJEN}, rule="R43"
        )
    return bestandsrijen(intermediair, rijen)


@transaction.atomic
def relaties_uitnodigen(
    *, actor, intermediair: Organisatie, rijen: Sequence[Mapping], alleen_geldige: bool = False
) -> list[VerstuurdeUitnodiging]:
    """Invite many relations from parsed rows (R43). Rows are judged again here (the preview may be old).

    `alleen_geldige=False`: all or nothing, a faulty row raises `BulkUitnodigingFout` listing every fault.
    `alleen_geldige=True`: the accepted rows are sent and the refused ones skipped (the preview's *Verstuur*).
    """
    vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    beoordeeld = relaties_beoordelen(intermediair=intermediair, rijen=rijen)
    if not alleen_geldige:
        fouten = [(r.rijnummer, f.message) for r in beoordeeld for f in r.fouten]
        if fouten:
            raise BulkUitnodigingFout(fouten)
    geldig = [r for r in beoordeeld if r.geldig]
    if not geldig:
        raise DomainError(
            _("Geen enkele regel van het bestand kan worden verstuurd; er is niemand uitgenodigd."), rule="R43"
        )
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=geldig)


def _eigen_uitnodiging(actor, intermediair: Organisatie, uitnodiging: Uitnodiging) -> Uitnodiging:
    vereis_beheerder(actor, intermediair, rule="R43")
    u = Uitnodiging.objects.select_for_update(of=("self",)).filter(pk=uitnodiging.pk, intermediair=intermediair).first()
    if u is None:
        raise DomainError(_("Deze uitnodiging hoort niet bij uw organisatie."), rule="R43")
    return u


@transaction.atomic
def uitnodiging_opnieuw_versturen(
    *, actor, intermediair: Organisatie, uitnodiging: Uitnodiging
) -> VerstuurdeUitnodiging:
    """Send the invitation again with a new link (the old one stops working) and a new term (R47)."""
    u = _eigen_uitnodiging(actor, intermediair, uitnodiging)
    if not rules.mag_uitnodiging_opnieuw_versturen(u):
        raise DomainError(
            _("Deze uitnodiging is al beantwoord of ingetrokken en kan niet opnieuw worden verstuurd."), rule="R47"
        )
    voor = {"status": u.status, "verloopt_op": u.verloopt_op.isoformat()}
    token = secrets.token_urlsafe(32)
    u.token_hash = token_hash(token)
    u.status = Uitnodiging.Status.OPEN
    u.verloopt_op = timezone.now() + dt.timedelta(days=UITNODIGING_GELDIG_DAGEN)
    u.mislukte_pogingen = 0
    u.code_hash, u.code_verloopt_op, u.code_bevestigd_op, u.vertegenwoordiger = "", None, None, ""
    u.save()
    audit_log(
        actor=actor,
        organisatie=intermediair,
        actie=Actie.UITNODIGING_OPNIEUW_VERSTUURD,
        omschrijving=_("Uitnodiging voor KvK %(kvk)s opnieuw verstuurd naar %(email)s")
        % {"kvk": u.kvk_nummer, "email": u.email},
        object=u,
        voor=voor,
        na={"status": u.status, "verloopt_op": u.verloopt_op.isoformat()},
    )
    meld_uitnodigingen_ketenmachtiging(
        intermediair=intermediair,
        uitnodigingen=[
            {
                "email": u.email,
                "link": uitnodiging_link(token),
                "geldig_tot": u.verloopt_op,
                "scope": "; ".join(g.scope_omschrijving for g in u.gevraagd.select_related("dienst", "dienstverlener")),
                "relatie_naam": u.naam,
            }
        ],
    )
    return VerstuurdeUitnodiging(uitnodiging=u, token=token)


@transaction.atomic
def uitnodiging_intrekken(*, actor, intermediair: Organisatie, uitnodiging: Uitnodiging) -> Uitnodiging:
    """The intermediair withdraws an open invitation: its link says so and offers nothing (R47)."""
    u = _eigen_uitnodiging(actor, intermediair, uitnodiging)
    if not rules.mag_uitnodiging_intrekken(u):
        raise DomainError(_("Alleen een openstaande uitnodiging kan worden ingetrokken."), rule="R47")
    u.status = Uitnodiging.Status.INGETROKKEN
    u.ingetrokken_op = timezone.now()
    u.save(update_fields=["status", "ingetrokken_op"])
    audit_log(
        actor=actor,
        organisatie=intermediair,
        actie=Actie.UITNODIGING_INGETROKKEN,
        omschrijving=_("Uitnodiging voor KvK %(kvk)s ingetrokken") % {"kvk": u.kvk_nummer},
        object=u,
        voor={"status": Uitnodiging.Status.OPEN},
        na={"status": u.status},
    )
    return u
