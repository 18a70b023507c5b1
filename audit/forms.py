"""The Logboek's search (R74): by person, by kind of change (the `Actie` registry, labelled) and by period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.selectors import LogboekFilter
from common.forms import DatumField


def _soorten():
    # Sorted by label in the person's language, so the select reads alphabetically whatever the language.
    return [("", _("Alle soorten")), *sorted(Actie.choices, key=lambda keuze: str(keuze[1]).lower())]


class LogboekZoekForm(forms.Form):
    persoon = forms.CharField(
        label=_("Persoon"),
        required=False,
        max_length=100,
        help_text=_("Wie de wijziging deed, of over wie zij gaat."),
    )
    actie = forms.ChoiceField(label=_("Soort wijziging"), required=False, choices=_soorten)
    van = DatumField(label=_("Vanaf"), required=False)
    tot = DatumField(label=_("Tot en met"), required=False)

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and van > tot:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def filter(self) -> LogboekFilter:
        """The search as the selectors take it; an unbound form is no search at all."""
        if not self.is_bound:
            return LogboekFilter()
        data = self.cleaned_data
        return LogboekFilter(
            persoon=data.get("persoon", "").strip(),
            actie=data.get("actie", ""),
            van=data.get("van"),
            tot=data.get("tot"),
        )
