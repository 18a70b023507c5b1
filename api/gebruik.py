"""R76 Laatst gebruikt: a yes from the register records the day the permitting (keten)machtiging was last used.

Recorded from the answer's path, after the decision (never inside the register), for questions about today only
(a temporal query about another moment is no use), and at most one write per machtiging per day: the UPDATE skips
those already marked today. At most one statement per model per request, whatever the batch size: the path names
an own machtiging as `machtiging_id`, a group's (R24) as `groep_machtiging_id`, a ketenmachtiging (R72) as
`ketenmachtiging_id`; a model no yes came through gets no statement.

A process remembers what it marked today while the register's generation stands (`common.generaties`: no table
the register reads was written since, so no mark was reset): a broker asking about the same people all day
costs one statement per machtiging per day, not one per batch.
"""

from django.db.models import Q
from django.utils import timezone

from common import generaties
from groepen.models import GroepMachtiging
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen.models import Machtiging

_PAD_SLEUTELS = (
    (Machtiging, "machtiging_id"),
    (GroepMachtiging, "groep_machtiging_id"),
    (Ketenmachtiging, "ketenmachtiging_id"),
)


class _Gemarkeerd:
    """Per model, the pks this process marked on `dag` under the register's generation `generatie`."""

    def __init__(self) -> None:
        self.stand: tuple | None = None
        self.per_model: dict = {}

    def bij(self, dag, generatie) -> dict:
        if generatie is None:
            return {}  # generations unreadable: remember nothing
        if self.stand != (dag, generatie) or sum(map(len, self.per_model.values())) > 100_000:
            self.stand, self.per_model = (dag, generatie), {}
        return self.per_model


_gemarkeerd = _Gemarkeerd()


def registreer(antwoorden) -> int:
    vandaag = timezone.localdate()
    dag = vandaag.isoformat()
    gebruikt = [a.pad for a in antwoorden if a.toegestaan and a.pad and a.context.get("dag") == dag]
    if not gebruikt:
        return 0
    gelezen = generaties.huidig(generaties.REGISTER)
    al = _gemarkeerd.bij(vandaag, gelezen[0] if gelezen else None)
    aantal = 0
    for model, sleutel in _PAD_SLEUTELS:
        gedaan = al.setdefault(model, set())
        ids = {pad[sleutel] for pad in gebruikt if pad.get(sleutel)} - gedaan
        if ids:
            aantal += (
                model.objects.filter(pk__in=ids)
                .filter(Q(laatst_gebruikt_op__isnull=True) | Q(laatst_gebruikt_op__lt=vandaag))
                .update(laatst_gebruikt_op=vandaag)
            )
            gedaan.update(ids)
    return aantal
