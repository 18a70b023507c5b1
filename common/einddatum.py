"""The end date as every screen asks for it (R33, R73): the manual's quick choices *5 jaar (meest gekozen)*, *3 jaar*,
*1 jaar* and *Bepaal zelf de datum*, and a date of one's own as Dag, Maand, Jaar (common.forms.DatumField, which the
potlood and *opzeggen* use for their date too). The same on the wizard's *Kies einddatum*, *Verleng machtiging*, a
group's machtiging and the ketenmachtigingen. Not the browser's date picker, which shows its own language's order
(mm/dd/yyyy in an English browser) in a Dutch screen.

These only parse input. The rules (tomorrow at the earliest, 5 years at most, never shorter when extending) are
the services', and their messages are the ones shown.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from common.dates import MAX_JAREN, plus_jaren, vandaag

ZELF = "zelf"
EINDDATUM_KEUZES = [
    ("5", _("5 jaar (meest gekozen)")),
    ("3", _("3 jaar")),
    ("1", _("1 jaar")),
    (ZELF, _("Bepaal zelf de datum")),
]


def datum_hulp(vanaf: dt.date | None = None) -> str:
    """What an end date of one's own may be: from tomorrow (or `vanaf`, e.g. the current end date when extending)
    to today's last possible day."""
    tot = plus_jaren(vandaag(), MAX_JAREN).strftime("%d-%m-%Y")
    if vanaf is None:
        return _("Op zijn vroegst morgen, op zijn laatst %(datum)s.") % {"datum": tot}
    return _("Op zijn vroegst %(van)s, op zijn laatst %(tot)s.") % {"van": vanaf.strftime("%d-%m-%Y"), "tot": tot}


class EinddatumKeuzeMixin:
    """A form with a quick choice (the field named `keuze_veld`) and a date of one's own (a DatumField `datum`),
    which is asked for when the choice is *Bepaal zelf de datum*."""

    keuze_veld = "keuze"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["datum"].help_text:
            self.fields["datum"].help_text = datum_hulp()

    def clean(self):
        data = super().clean()
        if data.get(self.keuze_veld) == ZELF and not data.get("datum") and "datum" not in self.errors:
            self.add_error("datum", _("Vul de einddatum in: dag, maand en jaar."))
        return data

    def service_keuze(self):
        """What the services take: "5", "3", "1" or the date of one's own."""
        data = self.cleaned_data
        return data["datum"] if data[self.keuze_veld] == ZELF else data[self.keuze_veld]
