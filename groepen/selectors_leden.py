"""Reads of Groepen per person (R24): the groups a middel is a member of and the group machtigingen it holds
through them ("via groep X" on a person's details and the own profile)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Min, Q
from django.db.models.functions import Lower

from common.dates import plus_maanden, vandaag
from groepen import rules
from groepen.models import Groep, GroepMachtiging
from groepen.selectors import LidDekking, groepen_van, huidige_leden, scope_naam
from machtigingen.models import Scope, Status
from machtigingen.register import belastingdienst_oin
from machtigingen.selectors import BINNENKORT_MAANDEN


def groepen_van_middel(organisatie, middel) -> list[Groep]:
    """The groups of the organisation this middel is a current member of, by name. One query."""
    return list(
        groepen_van(organisatie)
        .filter(leden__in=huidige_leden().filter(koppeling__middel=middel))
        .distinct()
        .order_by(Lower("naam"), "pk")
    )


def groepsmachtigingen_van_middel(organisatie, middel, *, op=None) -> list[GroepMachtiging]:
    """The group machtigingen in force that this middel holds as a current member (R24), each with `groep`,
    `dienst` and `dienstverlener` loaded; whether each counts for the middel is `rules.dekking`. One query."""
    op = op or vandaag()
    return list(
        GroepMachtiging.objects.filter(
            groep__in=groepen_van(organisatie).filter(leden__in=huidige_leden().filter(koppeling__middel=middel)),
            status=Status.ACTIEF,
            begint_op__lte=op,
            eindigt_op__gt=op,
        )
        .select_related("groep", "dienst__dienstverlener", "dienstverlener")
        .order_by(Lower("groep__naam"), "scope", "niveau", "dienst__naam", "pk")
    )


@dataclass
class LidGroepMachtiging:
    """A group machtiging as a member's own lists show it (a person's details, the own profile): marked "via
    groep X", without the edit actions (those are on the group's page), and why it does not count for them if
    it does not (R23, R30, R31)."""

    machtiging: GroepMachtiging
    groep: Groep
    organisatie_id: int
    dekking: LidDekking
    eindigt_binnenkort: bool

    @property
    def naam(self) -> str:
        return scope_naam(self.machtiging)


def groepsmachtigingen_van_leden(koppelingen, *, op=None) -> list[LidGroepMachtiging]:
    """The group machtigingen in force that these running koppelingen (each with `middel` loaded) hold as current
    members of groups not deleted, each with whether it counts for that member (R24 with R23, R30, R31), by
    organisation, group name and scope. One query, whatever the number of groups, organisations or machtigingen."""
    op = op or vandaag()
    per_pk = {k.pk: k for k in koppelingen}
    if not per_pk:
        return []
    bd_oin = belastingdienst_oin()
    grens = plus_maanden(op, BINNENKORT_MAANDEN)
    rijen = (
        GroepMachtiging.objects.filter(
            groep__opgeheven_op__isnull=True,
            groep__leden__koppeling_id__in=list(per_pk),
            status=Status.ACTIEF,
            begint_op__lte=op,
            eindigt_op__gt=op,
        )
        .annotate(
            lid_koppeling_id=F("groep__leden__koppeling_id"),
            laagste=Min("dienstverlener__diensten__niveau", filter=Q(dienstverlener__diensten__ingetrokken=False)),
        )
        .select_related("groep", "dienst__dienstverlener", "dienstverlener")
        .order_by("groep__organisatie_id", Lower("groep__naam"), "scope", "niveau", "dienst__naam", "pk")
    )
    uit = []
    for m in rijen:
        koppeling = per_pk[m.lid_koppeling_id]
        if m.scope == Scope.DIENST:
            vereist, verlener = m.dienst.niveau, m.dienst.dienstverlener
        elif m.scope == Scope.ALGEMEEN:
            vereist, verlener = m.niveau, None
        else:
            vereist, verlener = m.laagste, m.dienstverlener
        dekking = rules.dekking(
            middel=koppeling.middel,
            koppeling=koppeling,
            scope=m.scope,
            vereist_niveau=vereist,
            bij_belastingdienst=verlener is not None and verlener.oin == bd_oin,
        )
        uit.append(
            LidGroepMachtiging(
                machtiging=m,
                groep=m.groep,
                organisatie_id=m.groep.organisatie_id,
                dekking=LidDekking(dekking),
                eindigt_binnenkort=m.eindigt_op <= grens,
            )
        )
    return uit
