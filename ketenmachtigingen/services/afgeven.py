"""Afgeven (R40, R42): the verlener's beheerder registers ketenmachtigingen for an intermediair named by
KvK-nummer, and the intermediair is told what was registered for it."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_per_organisatie
from catalogus.models import Dienst, Dienstverlener
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from common.weergave import datum
from gebruikers.models import Middel
from handelsregister.identifiers import valideer_kvk_nummer
from ketenmachtigingen.models import Ketenmachtiging
from ketenmachtigingen.rules import EIGEN_ORGANISATIE, afgeven_weigering, is_eigen_organisatie
from ketenmachtigingen.selectors import ketenmachtiging_kosten_per_jaar, lopend_op
from ketenmachtigingen.services._common import (
    KetenmachtigingAfgifte,
    ScopeKeuze,
    controleer_dienst_via_intermediair,
    geregistreerd_bij,
    op_platform,
    organisatie_voor_kvk,
    snapshot,
    vereis_beheerder,
)
from ketenmachtigingen.services.informeren import intermediair_informeren
from machtigingen.models import Scope, Status
from machtigingen.rules import binnen_eigen_niveau
from organisaties.models import Organisatie


def _controleer_einddatum(eindigt_op: dt.date, *, begint_op: dt.date) -> None:
    if eindigt_op <= vandaag():
        raise DomainError(_("De einddatum is op zijn vroegst morgen."), rule="R73")
    uiterlijk = plus_jaren(begint_op, MAX_JAREN)
    if eindigt_op > uiterlijk:
        raise DomainError(
            _("Een ketenmachtiging loopt ten hoogste 5 jaar; de einddatum is uiterlijk %(datum)s.")
            % {"datum": datum(uiterlijk)},
            rule="R73",
        )


def _heeft_lopende_ketenmachtiging(verlener, intermediair) -> bool:
    return Ketenmachtiging.objects.filter(lopend_op(vandaag()), verlener=verlener, intermediair=intermediair).exists()


@transaction.atomic
def ketenmachtiging_afgeven(
    *,
    actor,
    verlener: Organisatie,
    intermediair_kvk: str,
    intermediair_naam: str = "",
    intermediair_adres=None,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | None = None,
    intermediair_email: str = "",
    kosten_geaccepteerd: bool,
) -> KetenmachtigingAfgifte:
    """The verlener's beheerder registers ketenmachtigingen for an intermediair named by KvK-nummer (R40).

    `intermediair_naam` and `intermediair_adres` (a mapping or address record) come from the Handelsregister
    look-up the screen did; they are used only when the intermediair is not known yet.
    Scopes the verlener already gave this intermediair get the new end date (as bulk machtigingen do, R36) and
    start a new term today (R73).
    """
    # R40 / R23: a regular Actief EH3+ middel and beheerder at the verlener.
    middel = Middel.objects.filter(persoon=actor).first() if getattr(actor, "pk", None) else None
    fout = afgeven_weigering(middel)
    if fout is not None:
        raise fout
    vereis_beheerder(actor, verlener, rule="R40")

    kvk = valideer_kvk_nummer(intermediair_kvk)
    if is_eigen_organisatie(verlener, kvk):
        raise DomainError(EIGEN_ORGANISATIE, rule="R40")
    if intermediair_email:
        try:
            validate_email(intermediair_email)
        except ValidationError:
            raise DomainError(_("Vul een geldig e-mailadres in."), rule="R42") from None

    keuzes = _scope_keuzes(
        diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners, max_niveau=middel.niveau
    )
    begint_op = vandaag()
    eindigt_op = eindigt_op or plus_jaren(begint_op, MAX_JAREN)
    _controleer_einddatum(eindigt_op, begint_op=begint_op)

    intermediair, _nieuw = organisatie_voor_kvk(
        kvk_nummer=kvk, naam=intermediair_naam, adres=intermediair_adres, actor=actor, door_organisatie=verlener
    )
    if intermediair.pk == verlener.pk:
        raise DomainError(_("U kunt geen ketenmachtiging aan uw eigen organisatie afgeven."), rule="R40")
    # R75: a dienst that needs the dienstverlener's approval only for an intermediair support recorded it for.
    for keuze in keuzes:
        if keuze.dienst is not None:
            controleer_dienst_via_intermediair(keuze.dienst, intermediair)

    # The cost is a yearly amount per intermediair, whatever the number of ketenmachtigingen (R40).
    nieuwe_intermediair = not _heeft_lopende_ketenmachtiging(verlener, intermediair)
    if nieuwe_intermediair and not kosten_geaccepteerd:
        raise DomainError(_("Ga akkoord met de kosten voor het vastleggen van deze nieuwe intermediair."), rule="R40")
    kosten = ketenmachtiging_kosten_per_jaar()

    lopend = {
        (k.scope, k.dienst_id, k.niveau, k.dienstverlener_id): k
        for k in Ketenmachtiging.objects.select_for_update(of=("self",))
        .filter(verlener=verlener, intermediair=intermediair, status=Status.ACTIEF, eindigt_op__gt=begint_op)
        .select_related("verlener", "intermediair")
    }
    resultaat: list[Ketenmachtiging] = []
    for keuze in keuzes:
        bestaand = lopend.get(keuze.sleutel)
        if bestaand is not None:
            # Re-issuing restarts the term from today, so the new end is checked (R73) against today.
            voor = snapshot(bestaand)
            bestaand.begint_op, bestaand.eindigt_op = begint_op, eindigt_op
            if intermediair_email:
                bestaand.intermediair_email = intermediair_email
            bestaand.save(update_fields=["begint_op", "eindigt_op", "intermediair_email"])
            audit_per_organisatie(
                actor=actor,
                organisaties=(bestaand.verlener_id, bestaand.intermediair_id),
                object=bestaand,
                actie=Actie.KETENMACHTIGING_GEWIJZIGD,
                omschrijving=_("Einddatum ketenmachtiging %(scope)s aan %(intermediair)s gewijzigd")
                % {"scope": keuze.omschrijving, "intermediair": intermediair.naam},
                voor=voor,
                na=snapshot(bestaand),
            )
            resultaat.append(bestaand)
            continue
        k = Ketenmachtiging.objects.create(
            verlener=verlener,
            intermediair=intermediair,
            scope=keuze.scope,
            dienst=keuze.dienst,
            niveau=keuze.niveau,
            dienstverlener=keuze.dienstverlener,
            begint_op=begint_op,
            eindigt_op=eindigt_op,
            aangevraagd_door=Ketenmachtiging.AangevraagdDoor.VERLENER,
            afgegeven_door=actor,
            intermediair_email=intermediair_email,
        )
        audit_per_organisatie(
            actor=actor,
            organisaties=(k.verlener_id, k.intermediair_id),
            object=k,
            actie=Actie.KETENMACHTIGING_AFGEGEVEN,
            omschrijving=_("Ketenmachtiging %(scope)s afgegeven aan %(intermediair)s (KvK %(kvk)s)")
            % {"scope": keuze.omschrijving, "intermediair": intermediair.naam, "kvk": kvk},
            na={**snapshot(k), "kosten_per_jaar": str(kosten) if nieuwe_intermediair and kosten else None},
        )
        resultaat.append(k)

    afgifte = KetenmachtigingAfgifte(
        ketenmachtigingen=tuple(resultaat),
        verlener_kvk=verlener.kvk_nummer,
        verlener_naam=verlener.naam,
        intermediair=intermediair,
        intermediair_kvk=intermediair.kvk_nummer,
        intermediair_naam=intermediair.naam,
        intermediair_op_platform=op_platform(intermediair),
        diensten=tuple(keuze.omschrijving for keuze in keuzes),
        geregistreerd_bij=geregistreerd_bij(),
        eindigt_op=eindigt_op,
        intermediair_email=intermediair_email,
        nieuwe_intermediair=nieuwe_intermediair,
        kosten_per_jaar=kosten if nieuwe_intermediair else None,
    )
    if intermediair_email:
        intermediair_informeren(afgifte=afgifte)
    return afgifte


def _scope_keuzes(*, diensten, algemene_niveaus, dienstverleners, max_niveau: int) -> list[ScopeKeuze]:
    """Validate the chosen scopes: diensten usable through an intermediair, all at or below the actor's niveau."""
    dienst_pks = [getattr(d, "pk", d) for d in diensten]
    dienstverlener_pks = [getattr(d, "pk", d) for d in dienstverleners]
    niveaus = list(dict.fromkeys(int(n) for n in algemene_niveaus))
    if not (dienst_pks or dienstverlener_pks or niveaus):
        raise DomainError(
            _("Kies ten minste één dienst, Algemene bevoegdheid of Dienstverlenersmachtiging."), rule="R40"
        )
    keuzes: list[ScopeKeuze] = []
    for niveau in niveaus:
        if niveau not in Niveau.values:
            raise DomainError(_("Onbekend betrouwbaarheidsniveau."), rule="R40")
        if not binnen_eigen_niveau(niveau, max_niveau):
            raise DomainError(
                _("U kunt alleen een Algemene bevoegdheid tot en met uw eigen niveau afgeven."), rule="R39"
            )
        keuzes.append(ScopeKeuze(scope=Scope.ALGEMEEN, niveau=niveau))
    # R39 as for machtigingen: a Dienstverlenersmachtiging covers all its current diensten, so the highest counts.
    gevonden_dv = Dienstverlener.objects.annotate(
        hoogste=Max("diensten__niveau", filter=Q(diensten__ingetrokken=False))
    ).in_bulk(dienstverlener_pks)
    for pk in dict.fromkeys(dienstverlener_pks):
        dv = gevonden_dv.get(pk)
        if dv is None or dv.ingetrokken:
            raise DomainError(_("Deze dienstverlener staat niet (meer) in de dienstencatalogus."), rule="R70")
        if not binnen_eigen_niveau(dv.hoogste, max_niveau):
            raise DomainError(
                _("U kunt alleen ketenmachtigingen afgeven voor diensten tot en met uw eigen niveau (%(dienst)s).")
                % {"dienst": dv},
                rule="R39",
            )
        keuzes.append(ScopeKeuze(scope=Scope.DIENSTVERLENER, dienstverlener=dv))
    gevonden = Dienst.objects.select_related("dienstverlener").in_bulk(dienst_pks)
    for pk in dict.fromkeys(dienst_pks):
        dienst = gevonden.get(pk)
        if dienst is None:
            raise DomainError(_("Deze dienst staat niet in de dienstencatalogus."), rule="R70")
        controleer_dienst_via_intermediair(dienst)
        if not binnen_eigen_niveau(dienst.niveau, max_niveau):
            raise DomainError(
                _("U kunt alleen ketenmachtigingen afgeven voor diensten tot en met uw eigen niveau (%(dienst)s).")
                % {"dienst": dienst},
                rule="R39",
            )
        keuzes.append(ScopeKeuze(scope=Scope.DIENST, dienst=dienst))
    return keuzes
