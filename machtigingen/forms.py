"""The forms of the pop-ups on one machtiging, shared by the rubriek Gebruikers (§3.10, §3.11.1) and the rubriek
Machtigingen (§4.3): the end date (potlood) and Verleng machtiging. They parse input only; the rules (R33, R73:
tomorrow at the earliest, 5 years at most) are the services' job, the `min`/`max` only help the date picker.
Rendered by the one form renderer (common/forms.py)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.forms import RadioSelect
from gebruikers.forms_mutaties import DatumInput

# R33's quick choices as the manual words them; "zelf" asks for a date.
VERLENG_KEUZES = [
    ("5", _("5 jaar (meest gekozen)")),
    ("3", _("3 jaar")),
    ("1", _("1 jaar")),
    ("zelf", _("Bepaal zelf de datum")),
]


def _einddatum_grenzen(veld: forms.DateField) -> None:
    dag = vandaag()
    veld.widget.attrs.update(min=(dag + dt.timedelta(days=1)).isoformat(), max=plus_jaren(dag, MAX_JAREN).isoformat())


class EinddatumForm(forms.Form):
    eindigt_op = forms.DateField(
        label=_("Wijzig de einddatum"),
        widget=DatumInput,
        help_text=_(
            "De einddatum van een machtiging kan maximaal 5 jaar in het vooruit worden gezet. De eerstvolgende "
            "einddatum die kan worden ingesteld is de volgende dag."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _einddatum_grenzen(self.fields["eindigt_op"])


class VerlengForm(forms.Form):
    keuze = forms.ChoiceField(label=_("Verleng machtiging"), choices=VERLENG_KEUZES, widget=RadioSelect, initial="5")
    datum = forms.DateField(label=_("Datum"), required=False, widget=DatumInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _einddatum_grenzen(self.fields["datum"])

    def clean(self):
        data = super().clean()
        if data.get("keuze") == "zelf" and not data.get("datum"):
            self.add_error("datum", _("Kies een datum."))
        return data

    def service_keuze(self):
        """What `machtiging_verlengen` takes: "5", "3", "1" or the chosen date."""
        return self.cleaned_data["datum"] if self.cleaned_data["keuze"] == "zelf" else self.cleaned_data["keuze"]
