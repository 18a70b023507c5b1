"""The Machtigingenregister (R71, R72, R32, R70): may this middel act for this organisatie at this dienst now?

One decision function answers with a clear yes (and the path that permits it) or no (and every reason why).
The register is read-only and decides at query time from the stored facts, so:

- an Algemene bevoegdheid niveau N covers every dienst with niveau <= N, and a Dienstverlenersmachtiging every
  dienst of that dienstverlener, including diensten a later catalogue import adds (R32, R70);
- validity is checked on dates, not only on status, because the expiry jobs may lag behind the calendar:
  a (keten)machtiging is valid on days begint_op <= dag < eindigt_op with status actief;
- a koppeling with a planned termination (`opzeggen_per`) no longer counts from that date on;
- no (keten)machtiging counts past its term start + 5 years (R73), whatever end date is stored.

Ketenmachtigingen (R72) have exactly one intermediair: person G of intermediair A acts for client B when B's
ketenmachtiging to A covers the dienst and is valid, the dienst allows intermediation through A (R75, deny by
default: `generalAvailable` yes, `noIntermediation` no, `serviceProviderOnly` and `requiresApproval` only with the
dienstverlener's approval of A for that dienst recorded by support), and G's middel is Actief,
regular, EH3 or higher, at least the dienst niveau, has an actief koppeling at A, and is linked to that
ketenmachtiging. A's own ketenmachtigingen are never followed further (no chains of chains).

Groepen (R24): a machtiging held by a group of the organisation counts for each middel that is a current member
(its koppeling at the organisation still running and actief), under the same conditions as an own machtiging
(R23, R30, R31 per member); the path names the group (`PadSoort.GROEP`). An own machtiging goes first.

Every decision, single or batch, takes a constant number of queries (see `beslis_batch`). The answer types are
in `register_uitkomst`, loading the facts and deciding in `register_feiten`; this module is the entry point.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone

from catalogus.models import Dienst
from ketenmachtigingen.rules import KETEN_MINIMUM_NIVEAU
from machtigingen.register_feiten import BELASTINGDIENST_OIN, Feiten, MiddelFeit, belastingdienst_oin
from machtigingen.register_uitkomst import REDEN_TEKSTEN, Beslissing, Pad, PadSoort, Reden, RedenCode, Vraag

__all__ = [
    "BELASTINGDIENST_OIN",
    "KETEN_MINIMUM_NIVEAU",
    "REDEN_TEKSTEN",
    "Beslissing",
    "MiddelFeit",
    "Pad",
    "PadSoort",
    "Reden",
    "RedenCode",
    "Vraag",
    "belastingdienst_oin",
    "beslis",
    "beslis_batch",
    "beslis_voor_diensten",
]


def beslis(*, middel=None, persoon=None, organisatie, dienst, moment=None) -> Beslissing:
    """May this middel (or the middel of this persoon) act for this organisatie at this dienst at this moment?

    `middel`, `persoon`, `organisatie` are instances or primary keys; `dienst` is a Dienst, its pk or its
    ServiceUUID; `moment` a datetime or date (default now). Six queries at most, whatever the data.
    """
    return beslis_batch([Vraag(middel=middel, persoon=persoon, organisatie=organisatie, dienst=dienst)], moment=moment)[
        0
    ]


def beslis_voor_diensten(
    *, middel=None, persoon=None, organisatie, diensten: Iterable | None = None, moment=None
) -> list[Beslissing]:
    """The decision for many diensten at once (every dienst in the catalogue when `diensten` is None)."""
    if diensten is None:
        diensten = list(Dienst.objects.select_related("dienstverlener").order_by("pk"))
    vragen = [Vraag(middel=middel, persoon=persoon, organisatie=organisatie, dienst=d) for d in diensten]
    return beslis_batch(vragen, moment=moment)


def beslis_batch(vragen: Sequence[Vraag], *, moment=None) -> list[Beslissing]:
    """Decide many questions in a constant number of queries (six), answers in the order asked.

    The facts are loaded once for all middelen, organisaties and diensten in the batch, then each question
    is decided in Python. Middel and dienst are reloaded, so a stale instance never decides; a middel given as a
    `MiddelFeit` (what the API loads by public id, with the register's own query) is taken as loaded.
    """
    dag = _dag(moment)
    if not vragen:
        return []
    feiten = Feiten.laad(vragen, dag)
    return [feiten.beslis(vraag) for vraag in vragen]


# ---------------------------------------------------------------------------------------------- internals


def _dag(moment) -> dt.date:
    if moment is None:
        return timezone.localdate()
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment
