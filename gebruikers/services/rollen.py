"""R5–R8: changing the role of a koppeling."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from common.errors import DomainError
from common.locks import vergrendel
from gebruikers import rules
from gebruikers.models import Koppeling, Persoon
from gebruikers.services._common import (
    _GEEN_BELASTINGDIENST_BEHEERDER,
    BEHEERDER,
    _r5_geweigerd,
    _vereis_beheerder,
)
from gebruikers.standen import koppeling_stand


def _wijzig_rol(*, actor, koppeling: Koppeling, rol: str) -> Koppeling:
    """The role change itself; the caller holds the R5 lock and has checked the actor."""
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R6")
    if koppeling.status == Koppeling.Status.BEEINDIGD:
        raise DomainError(_("Deze gebruiker is niet gekoppeld aan deze organisatie."), rule="R4")
    if rules.is_eigen(actor, koppeling.middel):
        raise DomainError(
            _("U kunt uw eigen rol niet wijzigen. Dit kan alleen door een andere beheerder gedaan worden."),
            rule="R6",
            code="eigen_rol",
        )
    if koppeling.rol == rol:
        return koppeling
    if rol == BEHEERDER and not rules.mag_beheerder_zijn(koppeling.middel):
        raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
    # R5 at every future date: a beheerder whose termination is planned counts only until that day.
    vooruitzicht = rules.rol_wijziging_vooruitzicht(koppeling, rol)
    if vooruitzicht.zonder_beheerder:
        raise _r5_geweigerd(vooruitzicht)
    voor = koppeling_stand(koppeling)
    koppeling.rol = rol
    koppeling.save(update_fields=["rol"])
    audit_log(
        actor=actor,
        organisatie=koppeling.organisatie,
        actie=Actie.KOPPELING_ROL_GEWIJZIGD,
        omschrijving=_("Rol van %(naam)s gewijzigd in %(rol)s")
        % {"naam": koppeling.middel.persoon.naam, "rol": koppeling.get_rol_display()},
        object=koppeling,
        voor=voor,
        na=koppeling_stand(koppeling),
    )
    return koppeling


@transaction.atomic
def koppeling_wijzig_rol(*, actor: Persoon, koppeling: Koppeling, rol: str) -> Koppeling:
    """R5, R6, R7, R8: change a role at once; the former beheerder's next request is refused (R7)."""
    vergrendel(organisaties=[koppeling.organisatie_id])
    koppeling = Koppeling.objects.select_related("middel__persoon", "organisatie").get(pk=koppeling.pk)
    _vereis_beheerder(actor, [koppeling.organisatie_id])
    return _wijzig_rol(actor=actor, koppeling=koppeling, rol=rol)
