"""The forms of the pop-ups on one machtiging, shared by the rubriek Gebruikers (§3.10, §3.11.1) and the rubriek
Machtigingen (§4.3): the end date (potlood) and Verleng machtiging. They parse input only; the rules (R33, R73:
tomorrow at the earliest, 5 years at most) are the services' job. The dates as every screen asks them
(common.einddatum); rendered by the one form renderer (common/forms.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin
from common.forms import DatumField, RadioSelect


class EinddatumForm(forms.Form):
    eindigt_op = DatumField(
        label=_("Wijzig de einddatum"),
        required=True,
        help_text=_(
            "De einddatum van een machtiging kan maximaal 5 jaar in het vooruit worden gezet. De eerstvolgende "
            "einddatum die kan worden ingesteld is de volgende dag."
        ),
    )


class VerlengForm(EinddatumKeuzeMixin, forms.Form):
    """Verleng machtiging: `service_keuze()` is what `machtiging_verlengen` takes."""

    keuze = forms.ChoiceField(label=_("Verleng machtiging"), choices=EINDDATUM_KEUZES, widget=RadioSelect, initial="5")
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)
