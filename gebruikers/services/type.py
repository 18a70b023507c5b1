"""R23: changing an EH3 middel between regulier and Belastingdienst (§3.8.2)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.meldingen import meld_type_gewijzigd
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.locks import vergrendel
from facturatie import services as facturatie
from gebruikers import rules
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.services._common import (
    _GEEN_BELASTINGDIENST_BEHEERDER,
    BEHEERDER,
    _koppeling_bij,
    _vereis_abonnement,
    _vereis_beheerder,
    _vereis_geen_belastingdienstmiddel,
    _vereis_geen_open_aanvraag,
    _vereis_wettelijk_vertegenwoordiger,
)
from gebruikers.standen import als_json, koppeling_stand, middel_stand
from machtigingen.models import Machtiging
from machtigingen.services import machtigingen_beeindigen
from organisaties.models import Organisatie


@dataclass(frozen=True)
class TypeWijzigingKosten:
    kosten: facturatie.Kosten
    credit: Decimal

    @property
    def te_betalen(self) -> Decimal:
        return self.kosten.totaal - self.credit


def bereken_type_wijziging(
    *, koppeling: Koppeling, nieuw_type: str, abonnement_jaren: int, peildatum: dt.date | None = None
) -> TypeWijzigingKosten:
    """The new subscription's cost and the pro-rata credit for what remains of the current one (R23)."""
    dag = peildatum or vandaag()
    middel = koppeling.middel
    oud_bedrag = facturatie.tarief(
        code=facturatie.middel_tariefcode(niveau=middel.niveau, type=middel.type),
        abonnement_jaren=koppeling.abonnement_jaren,
    )
    credit = facturatie.bereken_credit(
        bedrag=oud_bedrag, start=koppeling.abonnement_start, eind=koppeling.abonnement_eind, peildatum=dag
    )
    kosten = facturatie.bereken_kosten(niveau=middel.niveau, type=nieuw_type, abonnement_jaren=abonnement_jaren)
    return TypeWijzigingKosten(kosten=kosten, credit=credit)


@transaction.atomic
def middel_wijzig_type(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    type: str,
    abonnement_jaren: int,
    bevestigd: bool = False,
) -> Aanvraag:
    """Change an EH3 middel between regulier and Belastingdienst (§3.8.2), at once: a new subscription starts
    today with a pro-rata credit, the machtigingen are cleared. Kept as a handled Aanvraag for invoicing."""
    # Every organisation of the middel and of their KvK-nummers: R8 (no beheerder anywhere) and R23 (one per
    # KvK-nummer) are checked across them, and its machtigingen there all end.
    vergrendel(
        organisaties=Organisatie.objects.filter(
            Q(pk=organisatie.pk) | Q(pk__in=Koppeling.objects.lopend().filter(middel=middel).values("organisatie_id"))
        ).values("pk"),
        middelen=[middel],
        zelfde_kvk=True,
    )
    _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_related("persoon").get(pk=middel.pk)
    koppeling = _koppeling_bij(middel, organisatie)
    koppeling.middel = middel
    if type not in Middel.Type.values or type == middel.type:
        raise DomainError(_("Kies het nieuwe type eHerkenningsmiddel."), rule="R23", code="type")
    if middel.status != Middel.Status.ACTIEF:
        raise DomainError(_("Alleen van een actief eHerkenningsmiddel kan het type worden gewijzigd."), rule="R23")
    if not rules.is_type_wijzigbaar(middel):
        raise DomainError(_("Een Belastingdienstmiddel bestaat alleen op niveau EH3."), rule="R23")
    if type == Middel.Type.BELASTINGDIENST:
        koppelingen = Koppeling.objects.lopend().filter(middel=middel)
        if koppelingen.filter(rol=BEHEERDER).exists():
            raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
        _vereis_geen_belastingdienstmiddel(
            list(koppelingen.values_list("organisatie_id", flat=True)), behalve_middel_id=middel.pk
        )
        _vereis_wettelijk_vertegenwoordiger(
            list(Organisatie.objects.filter(koppelingen__in=koppelingen).distinct()), middel.persoon
        )
    _vereis_geen_open_aanvraag(middel)
    _vereis_abonnement(abonnement_jaren)
    if not bevestigd:
        raise DomainError(
            _("Bevestig dat u zich bewust bent van de gevolgen van de veranderingen en hiermee akkoord gaat."),
            rule="R23",
            code="niet_bevestigd",
        )
    dag = vandaag()
    berekening = bereken_type_wijziging(koppeling=koppeling, nieuw_type=type, abonnement_jaren=abonnement_jaren)

    voor = {**middel_stand(middel), **koppeling_stand(koppeling)}
    oud_type = middel.type
    middel.type = type
    middel.save(update_fields=["type"])
    koppeling.abonnement_jaren = abonnement_jaren
    koppeling.abonnement_start = dag
    koppeling.abonnement_eind = plus_jaren(dag, abonnement_jaren)
    koppeling.automatische_verlenging = True
    koppeling.save(update_fields=["abonnement_jaren", "abonnement_start", "abonnement_eind", "automatische_verlenging"])
    ingetrokken = len(
        machtigingen_beeindigen(
            Machtiging.objects.filter(middel=middel), door=actor, reden=_("type eHerkenningsmiddel gewijzigd")
        )
    )
    gegevens = als_json(
        {
            "van_type": oud_type,
            "type": type,
            "abonnement_jaren": abonnement_jaren,
            "kosten": berekening.kosten.as_json(),
            "credit": berekening.credit,
            "te_betalen": berekening.te_betalen,
            "machtigingen_ingetrokken": ingetrokken,
            "bevestigd": True,
        }
    )
    nu = timezone.now()
    aanvraag = Aanvraag.objects.create(
        soort=Aanvraag.Soort.TYPE_WIJZIGING,
        status=Aanvraag.Status.GOEDGEKEURD,  # applied at once (§3.8.2 "per direct omgezet"); kept for invoicing
        organisatie=organisatie,
        middel=middel,
        koppeling=koppeling,
        aangevraagd_door=actor,
        behandeld_op=nu,
        gegevens=gegevens,
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie=Actie.MIDDEL_TYPE_GEWIJZIGD,
        omschrijving=_("Type van het eHerkenningsmiddel van %(naam)s gewijzigd in %(type)s")
        % {"naam": middel.persoon.naam, "type": middel.get_type_display()},
        object=middel,
        voor=voor,
        na={
            **middel_stand(middel),
            **koppeling_stand(koppeling),
            "credit": gegevens["credit"],
            "machtigingen_ingetrokken": ingetrokken,
        },
    )
    meld_type_gewijzigd(aanvraag=aanvraag)
    return aanvraag
