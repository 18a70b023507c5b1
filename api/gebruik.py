"""R76 Laatst gebruikt: a yes from the register records the day the permitting machtiging was last used.

Recorded from the answer's path, after the decision (never inside the register), for questions about today only
(a temporal query about another moment is no use), and at most one write per machtiging per day: the UPDATE skips
machtigingen already marked today. One statement per request, whatever the batch size, and one more when a yes came
through a group machtiging (R24: the path names it as `groep_machtiging_id`).
"""

from django.db.models import Q
from django.utils import timezone

from groepen.models import GroepMachtiging
from machtigingen.models import Machtiging


def registreer(antwoorden) -> int:
    vandaag = timezone.localdate()
    gebruikt = [a.pad for a in antwoorden if a.toegestaan and a.pad and a.context.get("dag") == vandaag.isoformat()]
    aantal = 0
    for model, sleutel in ((Machtiging, "machtiging_id"), (GroepMachtiging, "groep_machtiging_id")):
        ids = {pad[sleutel] for pad in gebruikt if pad.get(sleutel)}
        if ids:
            aantal += (
                model.objects.filter(pk__in=ids)
                .filter(Q(laatst_gebruikt_op__isnull=True) | Q(laatst_gebruikt_op__lt=vandaag))
                .update(laatst_gebruikt_op=vandaag)
            )
    return aantal
