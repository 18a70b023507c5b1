"""Managing given and received ketenmachtigingen: the verlener removes an intermediair or revokes one
(R41, R45); the intermediair links received ones to its own middelen or unlinks them (R44).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk, audit_log, audit_per_organisatie
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.locks import vergrendel
from common.weergave import datum
from gebruikers.models import Koppeling, Middel
from gebruikers.rules import is_beheerder_van
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from ketenmachtigingen.rules import afgeven_weigering, is_lopend
from ketenmachtigingen.services._common import keten_middel_fout, snapshot, vereis_beheerder
from ketenmachtigingen.services.koppelingen import koppelingen_beeindigen
from machtigingen.models import Status
from organisaties.models import Organisatie


@transaction.atomic
def intermediair_verwijderen(*, actor, verlener: Organisatie, intermediair: Organisatie, bevestigd: bool) -> int:
    """Revoke every ketenmachtiging the verlener gave this intermediair, after explicit confirmation (R41)."""
    vereis_beheerder(actor, verlener, rule="R41")
    if not bevestigd:
        raise DomainError(
            _(
                "Bevestig dat u de intermediair en alle gekoppelde ketenmachtigingen wilt verwijderen; dit kan niet ongedaan worden gemaakt."
            ),
            rule="R41",
        )
    lopend = Ketenmachtiging.objects.filter(verlener=verlener, intermediair=intermediair, status=Status.ACTIEF)
    rijen = list(lopend.select_for_update().values_list("pk", "eindigt_op"))
    if not rijen:
        raise DomainError(_("Deze intermediair heeft geen lopende ketenmachtigingen van uw organisatie."), rule="R41")
    nu = timezone.now()
    Ketenmachtiging.objects.filter(pk__in=[pk for pk, _e in rijen], status=Status.ACTIEF).update(
        status=Status.INGETROKKEN, ingetrokken_op=nu
    )
    omschrijving = _("Intermediair %(intermediair)s verwijderd: ketenmachtiging ingetrokken") % {
        "intermediair": intermediair.naam
    }
    audit_bulk(
        (
            {
                "organisaties": (verlener, intermediair),
                "actie": Actie.KETENMACHTIGING_INGETROKKEN,
                "omschrijving": omschrijving,
                "object_type": "Ketenmachtiging",
                "object_id": pk,
                "voor": {"status": Status.ACTIEF, "eindigt_op": eindigt_op.isoformat()},
                "na": {"status": Status.INGETROKKEN, "ingetrokken_op": nu.isoformat()},
            }
            for pk, eindigt_op in rijen
        ),
        actor=actor,
    )
    # R46: every link of the intermediair's middelen to these ends at once.
    koppelingen_beeindigen(
        ketenmachtiging_ids=[pk for pk, _e in rijen], actor=actor, reden=_("intermediair verwijderd")
    )
    return len(rijen)


@transaction.atomic
def ketenmachtiging_intrekken(*, actor, ketenmachtiging: Ketenmachtiging) -> Ketenmachtiging:
    """The verlener's beheerder revokes what it issued; the intermediair too when it requested it (R45)."""
    k = (
        Ketenmachtiging.objects.select_for_update(of=("self",))
        .select_related("verlener", "intermediair")
        .get(pk=ketenmachtiging.pk)
    )
    mag = is_beheerder_van(actor, k.verlener) or (
        k.aangevraagd_door == Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR and is_beheerder_van(actor, k.intermediair)
    )
    if not mag:
        raise DomainError(
            _(
                "Alleen de organisatie die de ketenmachtiging afgaf, of de intermediair die erom vroeg, kan haar intrekken."
            ),
            rule="R45",
        )
    if k.status != Status.ACTIEF:
        raise DomainError(_("Deze ketenmachtiging is al beëindigd."), rule="R45")
    voor = snapshot(k)
    k.status = Status.INGETROKKEN
    k.ingetrokken_op = timezone.now()
    k.save(update_fields=["status", "ingetrokken_op"])
    audit_per_organisatie(
        actor=actor,
        organisaties=(k.verlener_id, k.intermediair_id),
        object=k,
        actie=Actie.KETENMACHTIGING_INGETROKKEN,
        omschrijving=_("Ketenmachtiging %(scope)s van %(verlener)s aan %(intermediair)s ingetrokken")
        % {"scope": k.scope_omschrijving, "verlener": k.verlener.naam, "intermediair": k.intermediair.naam},
        voor=voor,
        na=snapshot(k),
    )
    # R46: every link of the intermediair's middelen to it ends at once.
    koppelingen_beeindigen(ketenmachtiging_ids=[k.pk], actor=actor, reden=_("ketenmachtiging ingetrokken"))
    return k


@transaction.atomic
def ketenmachtiging_koppel_middel(*, actor, ketenmachtiging: Ketenmachtiging, middel: Middel) -> KetenmachtigingMiddel:
    """The intermediair's beheerder links a received ketenmachtiging to one of its own regular EH3+ middelen."""
    # The one lock order (common.locks): the intermediair, the middel, then the ketenmachtiging itself, so two
    # links of the same pair take turns (the second is refused, not an IntegrityError) and a type change or
    # revocation at the same moment is seen.
    vergrendel(
        organisaties=Ketenmachtiging.objects.filter(pk=ketenmachtiging.pk).values("intermediair_id"),
        middelen=[middel],
        beheerders=False,
    )
    k = (
        Ketenmachtiging.objects.select_for_update(of=("self",), no_key=True)
        .select_related("verlener", "intermediair")
        .get(pk=ketenmachtiging.pk)
    )
    vereis_beheerder(actor, k.intermediair, rule="R44")
    dag = vandaag()
    if not is_lopend(k, dag):
        raise DomainError(_("Deze ketenmachtiging is niet (meer) geldig."), rule="R44")
    middel = Middel.objects.select_related("persoon").get(pk=middel.pk)
    if not Koppeling.objects.filter(middel=middel, organisatie=k.intermediair, status=Koppeling.Status.ACTIEF).exists():
        raise DomainError(
            _("U kunt ketenmachtigingen alleen koppelen aan eHerkenningsmiddelen van uw eigen organisatie."), rule="R44"
        )
    fout = keten_middel_fout(middel)
    if fout is not None:
        raise fout
    if KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=middel).exists():
        raise DomainError(_("Deze ketenmachtiging is al aan dit eHerkenningsmiddel gekoppeld."), rule="R44")
    link = KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=middel, gekoppeld_door=actor)
    audit_log(
        actor=actor,
        organisatie=k.intermediair,
        actie=Actie.KETENMACHTIGING_GEKOPPELD,
        omschrijving=_("Ketenmachtiging van %(verlener)s (%(scope)s) gekoppeld aan %(persoon)s")
        % {"verlener": k.verlener.naam, "scope": k.scope_omschrijving, "persoon": middel.persoon.naam},
        object=link,
        na={"ketenmachtiging": k.pk, "middel": middel.pk},
    )
    return link


@transaction.atomic
def ketenmachtiging_ontkoppel_middel(*, actor, ketenmachtiging: Ketenmachtiging, middel: Middel) -> None:
    k = Ketenmachtiging.objects.select_related("verlener", "intermediair").get(pk=ketenmachtiging.pk)
    vereis_beheerder(actor, k.intermediair, rule="R44")
    link = (
        KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=middel).select_related("middel__persoon").first()
    )
    if link is None:
        raise DomainError(_("Deze ketenmachtiging is niet aan dit eHerkenningsmiddel gekoppeld."), rule="R44")
    audit_log(
        actor=actor,
        organisatie=k.intermediair,
        actie=Actie.KETENMACHTIGING_ONTKOPPELD,
        omschrijving=_("Ketenmachtiging van %(verlener)s (%(scope)s) ontkoppeld van %(persoon)s")
        % {"verlener": k.verlener.naam, "scope": k.scope_omschrijving, "persoon": link.middel.persoon.naam},
        object=link,
        voor={"ketenmachtiging": k.pk, "middel": middel.pk},
    )
    link.delete()


@transaction.atomic
def ketenmachtiging_verlengen(*, actor, ketenmachtiging: Ketenmachtiging, eindigt_op: dt.date) -> Ketenmachtiging:
    """The verlener's beheerder gives a running ketenmachtiging a new end date, in place (R46).

    The new term starts today (`termijn_begint_op`; `begint_op` stays the original start), so the end is at
    most 5 years from today (R73), and never earlier than the current end: extending does not shorten. The
    ketenmachtiging keeps its identity and so its links to the intermediair's middelen: it is never revoked
    and re-created."""
    k = (
        Ketenmachtiging.objects.select_for_update(of=("self",))
        .select_related("verlener", "intermediair", "dienst", "dienstverlener")
        .get(pk=ketenmachtiging.pk)
    )
    middel = vereis_beheerder(actor, k.verlener, rule="R46")
    fout = afgeven_weigering(middel)
    if fout is not None:
        raise fout
    dag = vandaag()
    if not is_lopend(k, dag):
        raise DomainError(_("Deze ketenmachtiging is al beëindigd en kan niet meer worden verlengd."), rule="R46")
    if eindigt_op is None or eindigt_op <= dag:
        raise DomainError(_("De einddatum is op zijn vroegst morgen."), rule="R73")
    if eindigt_op < k.eindigt_op:
        raise DomainError(
            _("Verlengen maakt een ketenmachtiging niet korter; de nieuwe einddatum is op zijn vroegst %(datum)s.")
            % {"datum": datum(k.eindigt_op)},
            rule="R46",
        )
    uiterlijk = plus_jaren(dag, MAX_JAREN)
    if eindigt_op > uiterlijk:
        raise DomainError(
            _("Een ketenmachtiging loopt ten hoogste 5 jaar; de einddatum is uiterlijk %(datum)s.")
            % {"datum": datum(uiterlijk)},
            rule="R73",
        )
    voor = snapshot(k)
    k.termijn_begint_op, k.eindigt_op = dag, eindigt_op
    k.save(update_fields=["termijn_begint_op", "eindigt_op"])
    audit_per_organisatie(
        actor=actor,
        organisaties=(k.verlener_id, k.intermediair_id),
        object=k,
        actie=Actie.KETENMACHTIGING_VERLENGD,
        omschrijving=_("Ketenmachtiging %(scope)s aan %(intermediair)s verlengd tot %(datum)s")
        % {"scope": k.scope_omschrijving, "intermediair": k.intermediair.naam, "datum": datum(eindigt_op)},
        voor=voor,
        na=snapshot(k),
    )
    return k
