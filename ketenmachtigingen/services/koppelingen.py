"""Ending links between ketenmachtigingen and the intermediair's middelen (R46, R44).

When a ketenmachtiging ends, is revoked or its intermediair removed, every link to it ends at once; when a
middel ends, or its koppeling at the intermediair does, that person's links end. The Machtigingenregister
already refuses such a link the moment its ketenmachtiging, middel or koppeling stops (it decides from those
facts, R72), and the screens list only live links (`selectors`). This module removes the stale rows, so a
link can never come back to life (a middel linked again later starts without links):
`koppelingen_beeindigen` for the services that end a ketenmachtiging, `keten_koppelingen_opschonen` as the
daily sweep for what ends elsewhere (middelen, koppelingen, expiry). Set-based and audited (R74).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_bulk
from common.dates import vandaag
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen.models import KetenmachtigingMiddel
from machtigingen.models import Status


def _beeindig(links, *, actor, reden) -> int:
    rijen = list(
        links.values_list(
            "pk",
            "ketenmachtiging_id",
            "middel_id",
            "ketenmachtiging__intermediair_id",
            "ketenmachtiging__verlener__naam",
            "middel__persoon__voornamen",
            "middel__persoon__achternaam",
        )
    )
    if not rijen:
        return 0
    KetenmachtigingMiddel.objects.filter(pk__in=[r[0] for r in rijen]).delete()
    audit_bulk(
        (
            {
                "organisatie_id": intermediair_id,
                "actie": Actie.KETENMACHTIGING_KOPPELINGEN_BEEINDIGD,
                "omschrijving": _("Koppeling van ketenmachtiging van %(verlener)s met %(persoon)s beëindigd: %(reden)s")
                % {"verlener": verlener, "persoon": f"{voornamen} {achternaam}".strip(), "reden": reden},
                "object_type": "KetenmachtigingMiddel",
                "object_id": pk,
                "voor": {"ketenmachtiging": k_id, "middel": m_id},
            }
            for pk, k_id, m_id, intermediair_id, verlener, voornamen, achternaam in rijen
        ),
        actor=actor,
    )
    return len(rijen)


@transaction.atomic
def koppelingen_beeindigen(*, ketenmachtiging_ids: Iterable[int], actor=None, reden=None) -> int:
    """End every link to these ketenmachtigingen (revoked, expired, intermediair removed), in the caller's
    transaction. Returns the number of links ended."""
    ids = list(ketenmachtiging_ids)
    if not ids:
        return 0
    return _beeindig(
        KetenmachtigingMiddel.objects.filter(ketenmachtiging_id__in=ids),
        actor=actor,
        reden=reden or _("ketenmachtiging beëindigd"),
    )


@transaction.atomic
def keten_koppelingen_opschonen(*, dag: dt.date | None = None) -> int:
    """The sweep: end links whose ketenmachtiging no longer runs, whose middel is not Actief, or whose middel
    has no running koppeling at the intermediair any more. Idempotent."""
    dag = dag or vandaag()
    koppeling_loopt = Koppeling.objects.filter(
        middel_id=OuterRef("middel_id"),
        organisatie_id=OuterRef("ketenmachtiging__intermediair_id"),
        status=Koppeling.Status.ACTIEF,
    ).filter(Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=dag))
    keten_gestopt = ~Q(ketenmachtiging__status=Status.ACTIEF) | Q(ketenmachtiging__eindigt_op__lte=dag)
    middel_gestopt = ~Q(middel__status=Middel.Status.ACTIEF) | ~Exists(koppeling_loopt)
    n = _beeindig(KetenmachtigingMiddel.objects.filter(keten_gestopt), actor=None, reden=_("ketenmachtiging beëindigd"))
    return n + _beeindig(
        KetenmachtigingMiddel.objects.filter(middel_gestopt), actor=None, reden=_("eHerkenningsmiddel beëindigd")
    )
