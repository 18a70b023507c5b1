"""R76 Laatst gebruikt: a yes from the register records the day the permitting (keten)machtiging was last used.

Recorded from the answer's path, after the decision (never inside the register), for questions about today only
(a temporal query about another moment is no use), and at most one write per machtiging per day: the UPDATE skips
those already marked today. At most one statement per model per request, whatever the batch size: the path names
an own machtiging as `machtiging_id`, a group's (R24) as `groep_machtiging_id`, a ketenmachtiging (R72) as
`ketenmachtiging_id`; a model no yes came through gets no statement.
"""

from django.db.models import Q
from django.utils import timezone

from groepen.models import GroepMachtiging
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen.models import Machtiging

_PAD_SLEUTELS = (
    (Machtiging, "machtiging_id"),
    (GroepMachtiging, "groep_machtiging_id"),
    (Ketenmachtiging, "ketenmachtiging_id"),
)


def registreer(antwoorden) -> int:
    vandaag = timezone.localdate()
    gebruikt = [a.pad for a in antwoorden if a.toegestaan and a.pad and a.context.get("dag") == vandaag.isoformat()]
    aantal = 0
    for model, sleutel in _PAD_SLEUTELS:
        ids = {pad[sleutel] for pad in gebruikt if pad.get(sleutel)}
        if ids:
            aantal += (
                model.objects.filter(pk__in=ids)
                .filter(Q(laatst_gebruikt_op__isnull=True) | Q(laatst_gebruikt_op__lt=vandaag))
                .update(laatst_gebruikt_op=vandaag)
            )
    return aantal
