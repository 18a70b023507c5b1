"""R18: support approves or rejects an aanvraag (§3.5.2, §3.5.5)."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.meldingen import meld_aanvraag_afgekeurd, meld_activatie, meld_nieuwe_activatie
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.selectors import VERBORGEN_STATUSSEN
from gebruikers.services._common import (
    _vereis_support,
)
from gebruikers.standen import middel_stand
from inloggen.activatie import activatie_url
from inloggen.tasks import maak_activatiebrief
from machtigingen.models import Machtiging, Scope
from machtigingen.services import machtigingen_beeindigen
from organisaties.services import nieuwe_organisatie_afkeuren, nieuwe_organisatie_goedkeuren

ACTIVATIE_TERMIJN_DAGEN = 30


def _machtigingen_boven_niveau_beeindigen(*, middel: Middel, niveau: int, door, organisatie) -> int:
    """A downgrade (§3.8): the machtigingen for diensten and Algemene bevoegdheid above the new niveau end now;
    a Dienstverlenersmachtiging stays (the register checks each dienst's niveau, R71)."""
    boven = Machtiging.objects.filter(middel=middel).filter(
        Q(scope=Scope.DIENST, dienst__niveau__gt=niveau) | Q(scope=Scope.ALGEMEEN, niveau__gt=niveau)
    )
    ids = [m.pk for m in machtigingen_beeindigen(boven, door=door, reden=_("lager niveau van het middel"))]
    if ids:
        audit_log(
            actor=door,
            organisatie=organisatie,
            actie=Actie.MACHTIGING_BEEINDIGD,
            omschrijving=_("%(aantal)s machtiging(en) beëindigd door een lager niveau voor %(naam)s")
            % {"aantal": len(ids), "naam": middel.persoon.naam},
            object=middel,
            na={"machtigingen": ids, "niveau": Niveau(niveau).label},
        )
    return len(ids)


def _activeer_koppelingen(koppeling_ids, *, jaren: int | None, dag: dt.date) -> int:
    """Aangevraagde koppelingen become actief; their subscription starts today."""
    qs = Koppeling.objects.filter(pk__in=koppeling_ids, status=Koppeling.Status.AANGEVRAAGD)
    velden = {"status": Koppeling.Status.ACTIEF, "abonnement_start": dag}
    if jaren in (1, 3):
        return qs.update(**velden, abonnement_jaren=jaren, abonnement_eind=plus_jaren(dag, jaren))
    return sum(
        Koppeling.objects.filter(pk__in=qs.filter(abonnement_jaren=j).values("pk")).update(
            **velden, abonnement_eind=plus_jaren(dag, j)
        )
        for j in (1, 3)
    )


def _activatie_versturen(aanvraag: Aanvraag) -> None:
    """R15, R18: after approving a new middel or a new activation, the person gets the invitation to activate,
    with a fresh link; for EH2+ a letter to the company address follows, made by the worker after commit."""
    middel = aanvraag.middel
    if middel is None or aanvraag.soort not in (Aanvraag.Soort.NIEUW_MIDDEL, Aanvraag.Soort.NIEUWE_ACTIVATIE):
        return
    meld = meld_activatie if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL else meld_nieuwe_activatie
    meld(
        persoon=middel.persoon,
        activeren_tot=middel.activeren_tot,
        link=activatie_url(middel=middel),
        organisatie=aanvraag.organisatie,
    )
    if middel.niveau == Niveau.EH2_PLUS:
        transaction.on_commit(lambda: maak_activatiebrief.delay(aanvraag.pk))


@transaction.atomic
def aanvraag_goedkeuren(*, aanvraag: Aanvraag, door: Persoon) -> Aanvraag:
    """Support approves (§3.5.2). New middel → Wachten op activatie for 30 days; koppeling/upgrade/new
    activation/type change → the change is applied."""
    _vereis_support(door)
    aanvraag = Aanvraag.objects.select_for_update().select_related("organisatie").get(pk=aanvraag.pk)
    if aanvraag.status != Aanvraag.Status.IN_BEHANDELING:
        raise DomainError(_("Deze aanvraag is al behandeld."), rule="R18", code="al_behandeld")
    dag, nu = vandaag(), timezone.now()
    middel = (
        Middel.objects.select_for_update().select_related("persoon").get(pk=aanvraag.middel_id)
        if aanvraag.middel_id
        else None
    )
    g = aanvraag.gegevens or {}
    voor = middel_stand(middel) if middel else None
    if middel is not None and middel.status in VERBORGEN_STATUSSEN:
        raise DomainError(_("Dit eHerkenningsmiddel is beëindigd."), rule="R18")
    soort = aanvraag.soort
    if soort == Aanvraag.Soort.NIEUW_MIDDEL:
        if middel.status != Middel.Status.WACHTEN_OP_GOEDKEURING:
            raise DomainError(_("Dit eHerkenningsmiddel wacht niet op goedkeuring."), rule="R18")
        middel.status = Middel.Status.WACHTEN_OP_ACTIVATIE
        middel.goedgekeurd_op = nu
        middel.activeren_tot = dag + dt.timedelta(days=ACTIVATIE_TERMIJN_DAGEN)
        middel.save(update_fields=["status", "goedgekeurd_op", "activeren_tot"])
        _activeer_koppelingen(g.get("koppelingen", []), jaren=g.get("abonnement_jaren"), dag=dag)
    elif soort == Aanvraag.Soort.KOPPELING:
        _activeer_koppelingen(g.get("koppelingen", []), jaren=g.get("abonnement_jaren"), dag=dag)
    elif soort == Aanvraag.Soort.UPGRADE:
        if int(g["niveau"]) < middel.niveau:
            _machtigingen_boven_niveau_beeindigen(
                middel=middel, niveau=int(g["niveau"]), door=door, organisatie=aanvraag.organisatie
            )
        middel.niveau = int(g["niveau"])
        if g.get("tweede_factor"):
            middel.tweede_factor = g["tweede_factor"]
        for veld, waarde in (g.get("identificatieadres") or {}).items():
            setattr(middel, veld, waarde)
        middel.save()
        if g.get("mobiel"):
            middel.persoon.mobiel = g["mobiel"]
            middel.persoon.save(update_fields=["mobiel"])
        jaren = g.get("abonnement_jaren")
        if g.get("koppeling") and jaren in (1, 3):
            # The higher level is a new subscription for this organisation, starting today.
            Koppeling.objects.lopend().filter(pk=g["koppeling"]).update(
                abonnement_jaren=jaren, abonnement_start=dag, abonnement_eind=plus_jaren(dag, jaren)
            )
        _activeer_koppelingen(g.get("koppelingen", []), jaren=jaren, dag=dag)
    elif soort == Aanvraag.Soort.NIEUWE_ACTIVATIE:
        if middel.status != Middel.Status.ACTIVATIE_VERLOPEN:
            raise DomainError(_("De activatie van dit eHerkenningsmiddel is niet verlopen."), rule="R18")
        middel.status = Middel.Status.WACHTEN_OP_ACTIVATIE
        middel.goedgekeurd_op = nu
        middel.activeren_tot = dag + dt.timedelta(days=ACTIVATIE_TERMIJN_DAGEN)
        middel.activatie_verlopen_op = None
        middel.save(update_fields=["status", "goedgekeurd_op", "activeren_tot", "activatie_verlopen_op"])
    elif soort == Aanvraag.Soort.TYPE_WIJZIGING:
        if g.get("type") not in Middel.Type.values:
            raise DomainError(_("Kies het nieuwe type eHerkenningsmiddel."), rule="R23")
        middel.type = g["type"]
        middel.save(update_fields=["type"])
        machtigingen_beeindigen(
            Machtiging.objects.filter(middel=middel), door=door, reden=_("type eHerkenningsmiddel gewijzigd")
        )
    elif soort == Aanvraag.Soort.NIEUWE_ORGANISATIE:
        # §3.3: approved once the signed contract is in; the beheerder's koppeling opens it in the switcher.
        nieuwe_organisatie_goedkeuren(aanvraag=aanvraag, door=door, dag=dag)
        _activeer_koppelingen(g.get("koppelingen", []), jaren=g.get("abonnement_jaren"), dag=dag)
    else:
        # The ketenmodule is handled by its own app.
        raise DomainError(_("Deze soort aanvraag wordt hier niet behandeld."), rule="R18")
    aanvraag.status = Aanvraag.Status.GOEDGEKEURD
    aanvraag.behandeld_door = door
    aanvraag.behandeld_op = nu
    aanvraag.save(update_fields=["status", "behandeld_door", "behandeld_op"])
    if middel is not None:
        middel.refresh_from_db()
    audit_log(
        actor=door,
        organisatie=aanvraag.organisatie,
        actie=Actie.AANVRAAG_GOEDGEKEURD,
        omschrijving=_("Aanvraag goedgekeurd: %(soort)s") % {"soort": aanvraag.get_soort_display()},
        object=aanvraag,
        voor=voor,
        na=middel_stand(middel) if middel else None,
    )
    _activatie_versturen(aanvraag)
    return aanvraag


@transaction.atomic
def aanvraag_afkeuren(*, aanvraag: Aanvraag, door: Persoon, reden: str) -> Aanvraag:
    """Support rejects (§3.5.5): the request disappears, the beheerder gets the reason and may apply again."""
    _vereis_support(door)
    reden = (reden or "").strip()
    if not reden:
        raise DomainError(_("Geef de reden van afkeuring op."), rule="R18", code="reden")
    aanvraag = Aanvraag.objects.select_for_update().select_related("organisatie").get(pk=aanvraag.pk)
    if aanvraag.status != Aanvraag.Status.IN_BEHANDELING:
        raise DomainError(_("Deze aanvraag is al behandeld."), rule="R18", code="al_behandeld")
    dag, nu = vandaag(), timezone.now()
    g = aanvraag.gegevens or {}
    middel = Middel.objects.select_for_update().get(pk=aanvraag.middel_id) if aanvraag.middel_id else None
    voor = middel_stand(middel) if middel else None
    beeindig = Koppeling.objects.none()
    if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL and middel is not None:
        middel.status = Middel.Status.AFGEKEURD
        middel.save(update_fields=["status"])
        Persoon.objects.filter(pk=middel.persoon_id).update(is_active=False)
        beeindig = Koppeling.objects.filter(middel=middel)
    elif aanvraag.soort in (Aanvraag.Soort.KOPPELING, Aanvraag.Soort.UPGRADE, Aanvraag.Soort.NIEUWE_ORGANISATIE):
        beeindig = Koppeling.objects.filter(pk__in=g.get("koppelingen", []), status=Koppeling.Status.AANGEVRAAGD)
        if aanvraag.soort == Aanvraag.Soort.NIEUWE_ORGANISATIE:
            nieuwe_organisatie_afkeuren(aanvraag=aanvraag, dag=dag)
    # The requested koppelingen end, so they leave every list and may be requested again.
    beeindig.lopend().update(status=Koppeling.Status.BEEINDIGD, beeindigd_op=dag)
    aanvraag.status = Aanvraag.Status.AFGEKEURD
    aanvraag.reden_afkeuring = reden
    aanvraag.behandeld_door = door
    aanvraag.behandeld_op = nu
    aanvraag.save(update_fields=["status", "reden_afkeuring", "behandeld_door", "behandeld_op"])
    audit_log(
        actor=door,
        organisatie=aanvraag.organisatie,
        actie=Actie.AANVRAAG_AFGEKEURD,
        omschrijving=_("Aanvraag afgekeurd: %(soort)s") % {"soort": aanvraag.get_soort_display()},
        object=aanvraag,
        voor=voor,
        na={**(middel_stand(middel) if middel else {}), "reden": reden},
    )
    meld_aanvraag_afgekeurd(aanvraag=aanvraag, reden=reden)
    return aanvraag
