"""Lopende aanvragen: the beheerder who made an aanvraag withdraws it before support handles it.

Withdrawing undoes what the aanvraag put in place, so nothing waits for an approval that will never come:
- a new middel: the middel (Wachten op goedkeuring) ends, with every koppeling it asked for, and the person's
  account is closed, as a rejection would (R18);
- a koppeling, an upgrade: the koppelingen it asked for (aangevraagd) end; the middel is unchanged, as the upgrade
  was only applied on approval;
- a new activation letter: nothing but the aanvraag was made;
- the ketenmachtigingen module: the module request (Aangevraagd, no quote yet) is removed, so it can be asked again.
The aanvraag is closed, so support's queue no longer shows it as open, and every organisation involved keeps the
withdrawal in its audit trail (R74).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_per_organisatie
from beheer.lopende_aanvragen import aanvragen_qs, offerte_verstuurd
from common.dates import vandaag
from common.errors import DomainError
from gebruikers import rules
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.services._common import _vereis_beheerder
from gebruikers.standen import middel_stand
from ketenmachtigingen.models import KetenModule
from organisaties.models import Organisatie
from organisaties.services import nieuwe_organisatie_afkeuren

# A withdrawn aanvraag keeps its own status (support's queue shows only IN_BEHANDELING), with who withdrew it.
GESLOTEN = Aanvraag.Status.INGETROKKEN


def _weigering(aanvraag: Aanvraag, *, module_verder: bool) -> DomainError:
    """Why `rules.mag_aanvraag_intrekken` said no, in the beheerder's words."""
    if aanvraag.status != Aanvraag.Status.IN_BEHANDELING:
        return DomainError(
            _("Deze aanvraag is al behandeld en kan niet meer worden ingetrokken."), rule="R74", code="al_behandeld"
        )
    if module_verder:
        return DomainError(
            _(
                "Support heeft de offerte voor deze aanvraag al verstuurd; de aanvraag kan niet meer worden ingetrokken."
            ),
            rule="R74",
            code="al_behandeld",
        )
    if aanvraag.soort not in rules.INTREKBARE_SOORTEN:
        return DomainError(
            _("Deze soort aanvraag kan niet in de Beheermodule worden ingetrokken. Neem contact op met support."),
            rule="R74",
            code="niet_intrekbaar",
        )
    return DomainError(
        _("Alleen de beheerder die de aanvraag heeft gedaan, kan deze intrekken."),
        rule="R74",
        code="niet_aanvrager",
    )


@transaction.atomic
def aanvraag_intrekken(*, actor: Persoon, organisatie: Organisatie, aanvraag: Aanvraag) -> Aanvraag:
    """Withdraw an open aanvraag of (or for) `organisatie`, made by `actor` (see the module docstring)."""
    _vereis_beheerder(actor, [organisatie])
    try:
        aanvraag = (
            aanvragen_qs(organisatie).select_for_update(of=("self",)).select_related("organisatie").get(pk=aanvraag.pk)
        )
    except Aanvraag.DoesNotExist:
        # Not this organisation's: the same answer as for an aanvraag that does not exist (R4).
        raise DomainError(_("Deze aanvraag bestaat niet (meer)."), rule="R4", code="onbekend") from None
    module = None
    if aanvraag.soort == Aanvraag.Soort.KETENMODULE:
        module = KetenModule.objects.select_for_update().filter(organisatie_id=aanvraag.organisatie_id).first()
    module_verder = offerte_verstuurd(aanvraag) if module is None else module.status != KetenModule.Status.AANGEVRAAGD
    if not rules.mag_aanvraag_intrekken(actor, aanvraag, offerte_verstuurd=module_verder):
        raise _weigering(aanvraag, module_verder=module_verder)

    dag = vandaag()
    gegevens = aanvraag.gegevens or {}
    middel = (
        Middel.objects.select_for_update().select_related("persoon").get(pk=aanvraag.middel_id)
        if aanvraag.middel_id
        else None
    )
    voor = {"status": aanvraag.status, **({"middel": middel_stand(middel)} if middel else {})}
    if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL and middel is not None:
        beeindig = Koppeling.objects.lopend().filter(middel=middel)
    elif aanvraag.soort in (Aanvraag.Soort.KOPPELING, Aanvraag.Soort.UPGRADE, Aanvraag.Soort.NIEUWE_ORGANISATIE):
        beeindig = Koppeling.objects.filter(pk__in=gegevens.get("koppelingen", []), status=Koppeling.Status.AANGEVRAAGD)
        if aanvraag.soort == Aanvraag.Soort.NIEUWE_ORGANISATIE:
            # The organisation that was never active ends, as when support rejects it: it may be requested again.
            nieuwe_organisatie_afkeuren(aanvraag=aanvraag, dag=dag)
    else:
        beeindig = Koppeling.objects.none()
    koppelingen = list(beeindig.select_for_update().values_list("pk", "organisatie_id"))
    Koppeling.objects.filter(pk__in=[pk for pk, _org in koppelingen]).update(
        status=Koppeling.Status.BEEINDIGD, beeindigd_op=dag
    )
    if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL and middel is not None:
        middel.status = Middel.Status.BEEINDIGD
        middel.beeindigd_op = dag
        middel.save(update_fields=["status", "beeindigd_op"])
        Persoon.objects.filter(pk=middel.persoon_id).update(is_active=False)
    if module is not None:
        module.delete()

    aanvraag.status = GESLOTEN
    aanvraag.reden_afkeuring = gettext("Ingetrokken door %(naam)s (beheerder).") % {"naam": actor.naam}
    aanvraag.behandeld_op = timezone.now()
    aanvraag.save(update_fields=["status", "reden_afkeuring", "behandeld_op"])
    betreft = middel.persoon.naam if middel else aanvraag.organisatie.naam
    audit_per_organisatie(
        actor=actor,
        organisaties=[aanvraag.organisatie_id, *(org for _pk, org in koppelingen)],
        actie=Actie.AANVRAAG_INGETROKKEN,
        omschrijving=_("Aanvraag ingetrokken: %(soort)s voor %(betreft)s")
        % {"soort": aanvraag.get_soort_display(), "betreft": betreft},
        object=aanvraag,
        voor=voor,
        na={
            "status": "ingetrokken",
            **({"middel": middel_stand(middel)} if middel else {}),
            "koppelingen_beeindigd": [pk for pk, _org in koppelingen],
            **({"ketenmodule": "verwijderd"} if module is not None else {}),
        },
    )
    return aanvraag
