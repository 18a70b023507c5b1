"""The ONE lock order of every write at an organisation (issue #14: no deadlock under parallel use).

Every service that changes koppelingen, middelen, machtigingen or ketenmachtiging links takes its row locks
through `vergrendel`, before it reads what it decides on, and always in this order:

1. the organisaties involved, by pk;
2. their beheerder koppelingen that have not ended, by (organisatie, pk) (R5);
3. the middelen involved, by pk;
4. then the service's own rows (machtigingen, ketenmachtigingen, …), each kind by pk.

Two services can then only ever wait for each other in the same direction, so they cannot deadlock; and since
all of them lock the organisation first, writes at one organisation take turns, which is what keeps R5 (always
one Actief beheerder) and R36 (no duplicate machtiging) true when beheerders act at the same moment.

The locks are FOR NO KEY UPDATE: exclusive between these services, but they do not block the KEY SHARE lock
that every INSERT referring to the row takes (an audit entry, a machtiging, an outbox message), so writers
elsewhere that only refer to an organisation or middel never join a wait cycle with these.

Call it once, with everything a service will lock, as the first thing in the transaction. Locking more later
(e.g. a middel found only after the first read) is allowed only for a kind further down the list.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from gebruikers.models import Koppeling, Middel
from organisaties.models import Organisatie


def _ids(objecten):
    """Sorted pks of instances or ids; a queryset of pks (`.values("…_id")`) stays a subquery: one query less."""
    if isinstance(objecten, QuerySet):
        return objecten
    return sorted({getattr(o, "pk", o) for o in objecten if o is not None})


def vergrendel(
    *,
    organisaties: Iterable = (),
    middelen: Iterable = (),
    beheerders: bool = True,
    zelfde_kvk: bool = False,
) -> list[int]:
    """Lock, in the one order, the organisaties, their running beheerder koppelingen (unless `beheerders` is
    False) and the middelen; each as instances, ids or a queryset of ids. `zelfde_kvk` adds every organisation
    with the same KvK-nummer (R23 counts Belastingdienstmiddelen per KvK-nummer). One query per level; must run
    in a transaction. Returns the pks of the organisaties locked."""
    org_ids = _ids(organisaties)
    if isinstance(org_ids, QuerySet) or org_ids:
        orgs = Organisatie.objects.filter(pk__in=org_ids)
        if zelfde_kvk:
            orgs = Organisatie.objects.filter(Q(pk__in=org_ids) | Q(kvk_nummer__in=orgs.values("kvk_nummer")))
        org_ids = list(orgs.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    if org_ids and beheerders:
        list(
            Koppeling.objects.lopend()
            .select_for_update(no_key=True)
            .filter(organisatie_id__in=org_ids, rol=Koppeling.Rol.BEHEERDER)
            .order_by("organisatie_id", "pk")
            .values_list("pk", flat=True)
        )
    middel_ids = _ids(middelen)
    if isinstance(middel_ids, QuerySet) or middel_ids:
        list(Middel.objects.select_for_update(no_key=True).filter(pk__in=middel_ids).order_by("pk").values_list("pk"))
    return org_ids
