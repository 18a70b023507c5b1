"""Support records (and revokes) a dienstverlener's approval of an intermediair for a dienst (R75), audited (R74)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from catalogus.models import Dienst, IntermediairGoedkeuring
from common.errors import DomainError


def is_goedgekeurd(dienst, intermediair) -> bool:
    return IntermediairGoedkeuring.objects.geldig().filter(dienst=dienst, intermediair=intermediair).exists()


def _snapshot(g: IntermediairGoedkeuring) -> dict:
    return {
        "dienst": str(g.dienst.service_uuid),
        "intermediair": g.intermediair_id,
        "kenmerk": g.kenmerk,
        "goedgekeurd_op": g.goedgekeurd_op.isoformat(),
        "ingetrokken_op": g.ingetrokken_op.isoformat() if g.ingetrokken_op else None,
    }


@transaction.atomic
def goedkeuring_vastleggen(*, actor, dienst: Dienst, intermediair, kenmerk: str = "") -> IntermediairGoedkeuring:
    """Record the approval; refused for a dienst that needs none or may never be used through an intermediair."""
    dienst = Dienst.objects.select_related("dienstverlener").get(pk=dienst.pk)
    if not dienst.goedkeuring_nodig:
        raise DomainError(
            _("De dienst %(dienst)s vraagt geen goedkeuring van intermediairs (%(waarde)s).")
            % {"dienst": dienst, "waarde": dienst.get_intermediatie_display()},
            rule="R75",
        )
    if dienst.ingetrokken:
        raise DomainError(_("De dienst %(dienst)s is ingetrokken.") % {"dienst": dienst}, rule="R70")
    try:
        with transaction.atomic():
            g = IntermediairGoedkeuring.objects.create(
                dienst=dienst,
                intermediair=intermediair,
                kenmerk=(kenmerk or "").strip()[:200],
                goedgekeurd_door=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise DomainError(
            _("%(intermediair)s is al goedgekeurd voor %(dienst)s.") % {"intermediair": intermediair, "dienst": dienst},
            rule="R75",
        ) from None
    audit_log(
        actor=actor,
        organisatie=intermediair,
        actie=Actie.INTERMEDIAIR_GOEDKEURING_VASTGELEGD,
        omschrijving=_(
            "Goedkeuring van %(dienstverlener)s voor intermediair %(intermediair)s bij %(dienst)s vastgelegd"
        )
        % {"dienstverlener": dienst.dienstverlener, "intermediair": intermediair, "dienst": dienst},
        object=g,
        na=_snapshot(g),
    )
    return g


@transaction.atomic
def goedkeuring_intrekken(*, actor, goedkeuring: IntermediairGoedkeuring) -> IntermediairGoedkeuring:
    g = (
        IntermediairGoedkeuring.objects.select_for_update(of=("self",))
        .select_related("dienst__dienstverlener", "intermediair")
        .get(pk=goedkeuring.pk)
    )
    if g.ingetrokken_op is not None:
        raise DomainError(_("Deze goedkeuring is al ingetrokken."), rule="R75")
    voor = _snapshot(g)
    g.ingetrokken_op = timezone.now()
    g.ingetrokken_door = actor if getattr(actor, "pk", None) else None
    g.save(update_fields=["ingetrokken_op", "ingetrokken_door"])
    audit_log(
        actor=actor,
        organisatie=g.intermediair,
        actie=Actie.INTERMEDIAIR_GOEDKEURING_INGETROKKEN,
        omschrijving=_("Goedkeuring voor intermediair %(intermediair)s bij %(dienst)s ingetrokken")
        % {"intermediair": g.intermediair, "dienst": g.dienst},
        object=g,
        voor=voor,
        na=_snapshot(g),
    )
    return g
