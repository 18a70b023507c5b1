"""R24 with R33, R36, R39, R70, R73: the machtigingen a group holds itself. Every current member holds them while a
member, each subject to R23, R30 and R31 (decided per member by the register; shown on the group's page), so
adding one does not refuse a member below the niveau: that member is shown as not covered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.acties import Actie
from audit.services import audit_bulk
from berichten.meldingen.groepen import GroepWijziging, meld_groep_machtigingen_gewijzigd
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.weergave import datum
from groepen.models import Groep, GroepMachtiging
from groepen.services._common import (
    audit_regel,
    beheerder_middel,
    ontvangers,
    staat_machtiging,
    vergrendel,
)
from machtigingen import rules as machtiging_rules
from machtigingen.models import Status
from machtigingen.selectors import ScopeSleutel, scopes_filter, scopes_oplossen
from machtigingen.services import (
    BOVEN_EIGEN_NIVEAU,
    DIENST_INGETROKKEN,
    EINDDATUM_TE_LAAT,
    EINDDATUM_TE_VROEG,
    GEEN_MACHTIGING,
    MACHTIGING_NIET_ACTIEF,
    einddatum_voor_keuze,
)


def _controleer_einddatum(eindigt_op: dt.date, vandaag_: dt.date) -> None:
    """R33/R73: at the earliest tomorrow, at most 5 years ahead."""
    if eindigt_op <= vandaag_:
        raise DomainError(EINDDATUM_TE_VROEG, rule="R33")
    if eindigt_op > plus_jaren(vandaag_, MAX_JAREN):
        raise DomainError(EINDDATUM_TE_LAAT, rule="R73")


@transaction.atomic
def groep_machtiging_toevoegen(
    *,
    actor,
    groep: Groep,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | str | None = None,
) -> list[GroepMachtiging]:
    """Give the group each chosen scope from today until `eindigt_op` (default 5 years; a date or "5", "3", "1").
    R39 nothing above the actor's own niveau; R70 no withdrawn diensten; R36 a scope the group already holds
    gets the new end date. All or nothing. The members who hold it are told once (R37). Returns the new and the
    updated group machtigingen."""
    beheerder = beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    vandaag_ = vandaag()
    eindigt_op = plus_jaren(vandaag_, MAX_JAREN) if eindigt_op is None else einddatum_voor_keuze(eindigt_op)
    _controleer_einddatum(eindigt_op, vandaag_)
    scopes = scopes_oplossen(diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners)
    if not scopes:
        raise DomainError(GEEN_MACHTIGING, code="geen_machtiging")
    for scope in scopes:
        if scope.ingetrokken:
            raise DomainError(DIENST_INGETROKKEN, rule="R70")
        if not machtiging_rules.binnen_eigen_niveau(scope.hoogste_niveau, beheerder.niveau):
            raise DomainError(BOVEN_EIGEN_NIVEAU, rule="R39")

    bestaand = list(
        GroepMachtiging.objects.select_for_update(of=("self",))
        .filter(scopes_filter([s.sleutel for s in scopes]), groep=groep, status=Status.ACTIEF)
        .order_by("pk")
    )
    audit: list[dict] = []
    # Past its end date but not yet flipped by the job: it has ended, so it is closed and replaced.
    verouderd = [m for m in bestaand if m.eindigt_op <= vandaag_]
    if verouderd:
        GroepMachtiging.objects.filter(pk__in=[m.pk for m in verouderd]).update(status=Status.VERLOPEN)
        for m in verouderd:
            m.status = Status.VERLOPEN
    lopend = {ScopeSleutel.van(m): m for m in bestaand if m.eindigt_op > vandaag_}
    namen = {s.sleutel: s.naam for s in scopes}
    if lopend:
        GroepMachtiging.objects.filter(pk__in=[m.pk for m in lopend.values()]).update(
            eindigt_op=eindigt_op, termijn_begint_op=vandaag_
        )
    for sleutel, m in lopend.items():
        voor = staat_machtiging(m)
        m.eindigt_op, m.termijn_begint_op = eindigt_op, vandaag_
        audit.append(
            audit_regel(
                groep,
                actie=Actie.GROEPSMACHTIGING_EINDDATUM_GEWIJZIGD,
                omschrijving=gettext("Einddatum machtiging %(scope)s van groep %(groep)s gewijzigd naar %(datum)s")
                % {"scope": namen[sleutel], "groep": groep.naam, "datum": datum(eindigt_op)},
                obj=m,
                voor=voor,
                na=staat_machtiging(m),
            )
        )
    nieuw = GroepMachtiging.objects.bulk_create(
        [
            GroepMachtiging(
                groep=groep,
                begint_op=vandaag_,
                eindigt_op=eindigt_op,
                termijn_begint_op=vandaag_,
                status=Status.ACTIEF,
                **scope.sleutel.velden(),
            )
            for scope in scopes
            if scope.sleutel not in lopend
        ]
    )
    for m in nieuw:
        audit.append(
            audit_regel(
                groep,
                actie=Actie.GROEPSMACHTIGING_TOEGEVOEGD,
                omschrijving=gettext("Machtiging %(scope)s toegevoegd aan groep %(groep)s, geldig tot %(datum)s")
                % {"scope": namen[ScopeSleutel.van(m)], "groep": groep.naam, "datum": datum(eindigt_op)},
                obj=m,
                na=staat_machtiging(m),
            )
        )
    audit_bulk(audit, actor=actor)
    meld_groep_machtigingen_gewijzigd(
        organisatie=groep.organisatie,
        personen=ontvangers(groep, machtiging_ids={m.pk for m in [*nieuw, *lopend.values()]}),
        groep=groep,
        tekst=GroepWijziging.TOEGEVOEGD if nieuw else GroepWijziging.EINDDATUM,
    )
    return [*nieuw, *lopend.values()]


@transaction.atomic
def groep_machtiging_intrekken(*, actor, groep_machtiging: GroepMachtiging) -> GroepMachtiging:
    """R35 for a group: end the group machtiging at once and for good, for every member."""
    groep = groep_machtiging.groep
    beheerder_middel(actor, groep.organisatie_id)
    groep = vergrendel(groep)
    vandaag_ = vandaag()
    m = GroepMachtiging.objects.filter(pk=groep_machtiging.pk, groep=groep).first()
    if m is None or m.status != Status.ACTIEF or m.eindigt_op <= vandaag_:
        raise DomainError(MACHTIGING_NIET_ACTIEF, rule="R35")
    (m,) = groep_machtigingen_beeindigen(groep, door=actor, pks=[m.pk], actie=Actie.GROEPSMACHTIGING_INGETROKKEN)
    return m


def groep_machtigingen_beeindigen(
    groep: Groep, *, door, reden=None, pks=None, melden: bool = True, actie=Actie.GROEPSMACHTIGING_BEEINDIGD
) -> list[GroepMachtiging]:
    """End at once (ingetrokken) the group's ACTIVE machtigingen (only those of `pks` when given): set-based, one
    audit row per machtiging (R74), one message per member holding them (R37) unless `melden` is False (the
    caller tells them itself). Runs in the caller's transaction, the group already locked."""
    rijen = GroepMachtiging.objects.filter(groep=groep, status=Status.ACTIEF)
    if pks is not None:
        rijen = rijen.filter(pk__in=pks)
    rijen = list(rijen.select_for_update(of=("self",)).select_related("dienst", "dienstverlener").order_by("pk"))
    if not rijen:
        return []
    # Who held them, asked while they still run.
    personen = ontvangers(groep, machtiging_ids={m.pk for m in rijen}) if melden else []
    nu = timezone.now()
    GroepMachtiging.objects.filter(pk__in=[m.pk for m in rijen]).update(status=Status.INGETROKKEN, ingetrokken_op=nu)
    audit = []
    for m in rijen:
        voor = staat_machtiging(m)
        m.status, m.ingetrokken_op = Status.INGETROKKEN, nu
        omschrijving = gettext("Machtiging %(scope)s van groep %(groep)s ingetrokken") % {
            "scope": m.scope_omschrijving,
            "groep": groep.naam,
        }
        if reden:
            omschrijving = f"{omschrijving}: {reden}"
        audit.append(
            audit_regel(groep, actie=actie, omschrijving=omschrijving, obj=m, voor=voor, na=staat_machtiging(m))
        )
    audit_bulk(audit, actor=door)
    if melden:
        meld_groep_machtigingen_gewijzigd(
            organisatie=groep.organisatie, personen=personen, groep=groep, tekst=GroepWijziging.BEEINDIGD
        )
    return rijen


def verloop_groepsmachtigingen(*, op: dt.date | None = None) -> int:
    """The expiry job for group machtigingen: flip those past their end date to verlopen, set-based, audited.
    (The register and the screens decide on dates already; this keeps the status truthful.)"""
    op = op or vandaag()
    with transaction.atomic():
        rijen = list(
            GroepMachtiging.objects.select_for_update(of=("self",))
            .filter(status=Status.ACTIEF, eindigt_op__lte=op)
            .select_related("groep", "dienst", "dienstverlener")
            .order_by("pk")
        )
        if not rijen:
            return 0
        GroepMachtiging.objects.filter(pk__in=[m.pk for m in rijen]).update(status=Status.VERLOPEN)
        audit = []
        for m in rijen:
            voor = staat_machtiging(m)
            m.status = Status.VERLOPEN
            audit.append(
                audit_regel(
                    m.groep,
                    actie=Actie.GROEPSMACHTIGING_BEEINDIGD,
                    omschrijving=gettext("Machtiging %(scope)s van groep %(groep)s verlopen")
                    % {"scope": m.scope_omschrijving, "groep": m.groep.naam},
                    obj=m,
                    voor=voor,
                    na=staat_machtiging(m),
                )
            )
        audit_bulk(audit, actor=None)
    return len(rijen)
