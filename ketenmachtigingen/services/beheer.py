"""Managing given and received ketenmachtigingen: the verlener removes an intermediair or revokes one
(R41, R45); the intermediair links received ones to its own middelen or unlinks them (R44).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk, audit_log, audit_per_organisatie
from common.dates import vandaag
from common.errors import DomainError
from gebruikers.models import Koppeling, Middel
from gebruikers.rules import is_beheerder_van
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from ketenmachtigingen.rules import is_lopend
from ketenmachtigingen.services._common import keten_middel_fout, snapshot, vereis_beheerder
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
    return k


@transaction.atomic
def ketenmachtiging_koppel_middel(*, actor, ketenmachtiging: Ketenmachtiging, middel: Middel) -> KetenmachtigingMiddel:
    """The intermediair's beheerder links a received ketenmachtiging to one of its own regular EH3+ middelen."""
    k = Ketenmachtiging.objects.select_related("verlener", "intermediair").get(pk=ketenmachtiging.pk)
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
