"""The forms of the Groepen pop-ups, rendered by the one form renderer (`common.forms`). They only parse input; the
services decide (R24, R33, R39, R70) and their refusals land on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin
from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect, is_id, live_zoeken
from common.niveau import Niveau
from groepen.models import NAAM_MAX
from machtigingen.forms_toevoegen import ALGEMEEN_GELDT, DienstenKeuzeForm


class NaamForm(forms.Form):
    # The server says what is missing, next to the field, in the person's language (not the browser's bubble).
    use_required_attribute = False

    naam = forms.CharField(
        label=_("Naam van de groep"),
        max_length=NAAM_MAX,
        help_text=_("Bijvoorbeeld Salarisadministratie."),
        error_messages={
            "required": _("Geef de groep een naam."),
            "max_length": _("De naam van een groep is hoogstens 100 tekens."),
        },
    )


class BevestigForm(forms.Form):
    """A confirmation: only the CSRF token is sent."""


class LedenForm(forms.Form):
    zoek = forms.CharField(label=_("Zoek een persoon"), required=False, max_length=100, widget=forms.SearchInput)
    leden = forms.TypedMultipleChoiceField(
        label=_("Kies personen"),
        coerce=int,
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args, kandidaten=(), zoek_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if zoek_url:
            live_zoeken(self.fields["zoek"], zoek_url, "#bm-groep-kandidaten")
        veld = self.fields["leden"]
        veld.choices = [(k.middel_id, k.middel.persoon.naam) for k in kandidaten]
        veld.widget.badges = {str(k.middel_id): Niveau(k.middel.niveau).badge for k in kandidaten}
        veld.widget.beschrijvingen = {
            str(k.middel_id): f"{k.middel.persoon.email} – {k.middel.get_status_display()}" for k in kandidaten
        }
        # A person chosen before a search narrowed the list stays a valid choice; the service checks every id.
        veld.valid_value = is_id


class GroepMachtigingForm(EinddatumKeuzeMixin, DienstenKeuzeForm):
    """*Kies diensten* as everywhere (the fields and options of DienstenKeuzeForm), then the end date (R33)."""

    use_required_attribute = False

    keuze = forms.ChoiceField(label=_("Kies einddatum"), choices=EINDDATUM_KEUZES, widget=RadioSelect, initial="5")
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)

    def __init__(self, *args, zoek_url: str = "", **kwargs):
        super().__init__(*args, zoek_url=zoek_url, zoek_doel="#bm-groep-diensten", **kwargs)
        self.fields["algemeen"].help_text = ALGEMEEN_GELDT
