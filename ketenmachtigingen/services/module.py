"""The ketenmachtiging module (R43): the intermediair requests it, support sends a quote, the quote is
accepted (by the intermediair, or recorded by support), then support switches the module on."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from common.errors import DomainError
from gebruikers.models import Aanvraag
from ketenmachtigingen.models import KetenModule
from ketenmachtigingen.services._common import vereis_beheerder, vereis_support
from organisaties.models import Organisatie


@transaction.atomic
def ketenmodule_aanvragen(*, actor, organisatie: Organisatie, spoed: bool = False) -> KetenModule:
    """The intermediair requests the module for ketenmachtigingen van relaties; support sends a quote."""
    vereis_beheerder(actor, organisatie, rule="R43")
    if KetenModule.objects.filter(organisatie=organisatie).exists():
        raise DomainError(_("De module ketenmachtigingen is voor deze organisatie al aangevraagd."), rule="R43")
    module = KetenModule.objects.create(organisatie=organisatie, spoed=spoed)
    Aanvraag.objects.create(
        soort=Aanvraag.Soort.KETENMODULE,
        organisatie=organisatie,
        aangevraagd_door=actor,
        spoed=spoed,
        gegevens={"ketenmodule": module.pk},
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie=Actie.KETENMODULE_AANGEVRAAGD,
        omschrijving=_("Module ketenmachtigingen aangevraagd")
        + (" (" + str(_("spoedprocedure")) + ")" if spoed else ""),
        object=module,
        na={"status": module.status, "spoed": spoed},
    )
    return module


def _module_stap(
    *, actor, module: KetenModule, van: str, naar: str, tijdveld: str, actie: Actie, omschrijving
) -> KetenModule:
    module = KetenModule.objects.select_for_update(of=("self",)).select_related("organisatie").get(pk=module.pk)
    if module.status != van:
        raise DomainError(
            _("Dit kan niet in de huidige status van de module (%(status)s).")
            % {"status": module.get_status_display()},
            rule="R43",
        )
    module.status = naar
    setattr(module, tijdveld, timezone.now())
    module.save(update_fields=["status", tijdveld])
    audit_log(
        actor=actor,
        organisatie=module.organisatie,
        actie=actie,
        omschrijving=omschrijving,
        object=module,
        voor={"status": van},
        na={"status": naar},
    )
    return module


@transaction.atomic
def ketenmodule_offerte_versturen(*, door, module: KetenModule) -> KetenModule:
    vereis_support(door)
    return _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.AANGEVRAAGD,
        naar=KetenModule.Status.OFFERTE_VERSTUURD,
        tijdveld="offerte_verstuurd_op",
        actie=Actie.KETENMODULE_OFFERTE_VERSTUURD,
        omschrijving=_("Offerte module ketenmachtigingen verstuurd"),
    )


@transaction.atomic
def ketenmodule_offerte_accepteren(*, actor, module: KetenModule) -> KetenModule:
    vereis_beheerder(actor, module.organisatie, rule="R43")
    return _module_stap(
        actor=actor,
        module=module,
        van=KetenModule.Status.OFFERTE_VERSTUURD,
        naar=KetenModule.Status.GEACCEPTEERD,
        tijdveld="geaccepteerd_op",
        actie=Actie.KETENMODULE_OFFERTE_GEACCEPTEERD,
        omschrijving=_("Offerte module ketenmachtigingen geaccepteerd"),
    )


@transaction.atomic
def ketenmodule_acceptatie_vastleggen(*, door, module: KetenModule, toelichting: str = "") -> KetenModule:
    """Support records that the intermediair accepted the quote by e-mail (§5.1: "die via de mail beantwoord
    mag worden"): the same state step as `ketenmodule_offerte_accepteren`, audited with the staff member."""
    vereis_support(door)
    toelichting = (toelichting or "").strip()[:300]
    omschrijving = _("Acceptatie offerte module ketenmachtigingen vastgelegd door support namens de intermediair")
    if toelichting:
        omschrijving = f"{omschrijving}: {toelichting}"
    return _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.OFFERTE_VERSTUURD,
        naar=KetenModule.Status.GEACCEPTEERD,
        tijdveld="geaccepteerd_op",
        actie=Actie.KETENMODULE_OFFERTE_GEACCEPTEERD,
        omschrijving=omschrijving,
    )


@transaction.atomic
def ketenmodule_inschakelen(*, door, module: KetenModule) -> KetenModule:
    """Support enables the module, only after the quote was accepted (R43)."""
    vereis_support(door)
    module = _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.GEACCEPTEERD,
        naar=KetenModule.Status.INGESCHAKELD,
        tijdveld="ingeschakeld_op",
        actie=Actie.KETENMODULE_INGESCHAKELD,
        omschrijving=_("Module ketenmachtigingen ingeschakeld"),
    )
    Aanvraag.objects.filter(
        soort=Aanvraag.Soort.KETENMODULE, organisatie=module.organisatie, status=Aanvraag.Status.IN_BEHANDELING
    ).update(status=Aanvraag.Status.GOEDGEKEURD, behandeld_door=door, behandeld_op=timezone.now())
    return module
