"""Forms of the staff-only pages: a rejection reason, the acceptance note, and the two data uploads."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from facturatie.models import Tarief

# The Dienstencatalogus is a few MB even for thousands of diensten; the Handelsregister file likewise.
MAX_CATALOGUS_BYTES = 20 * 1024 * 1024
MAX_HANDELSREGISTER_BYTES = 20 * 1024 * 1024


class AfkeurenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van afkeuring"),
        help_text=_("De beheerder krijgt deze reden per e-mail."),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
    )

    def clean_reden(self):
        reden = self.cleaned_data["reden"].strip()
        if not reden:
            raise forms.ValidationError(_("Geef de reden van afkeuring op."))
        return reden


class BulkAfkeurenForm(AfkeurenForm):
    """The same reason for every selected aanvraag; the ids travel along as the admin's action fields."""

    _selected_action = forms.CharField(widget=forms.MultipleHiddenInput)


class AcceptatieForm(forms.Form):
    toelichting = forms.CharField(
        label=_("Toelichting"),
        help_text=_("Bijvoorbeeld: per e-mail van J. Bakker op 12-03-2026."),
        max_length=300,
        required=False,
    )


def _bestand_te_groot(bestand, maximum: int) -> None:
    if bestand.size > maximum:
        raise forms.ValidationError(
            _("Het bestand mag maximaal %(mb)d MB groot zijn.") % {"mb": maximum // (1024 * 1024)}
        )


class CatalogusUploadForm(forms.Form):
    bestand = forms.FileField(
        label=_("Dienstencatalogus (XML)"),
        help_text=_("Een editie van de eToegang Dienstencatalogus, namespace 1.13 of 1.11."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        _bestand_te_groot(bestand, MAX_CATALOGUS_BYTES)
        return bestand


class HandelsregisterUploadForm(forms.Form):
    bestand = forms.FileField(
        label=_("Handelsregister (JSON)"),
        help_text=_("Een bestand met een lijst 'organisaties', zoals handelsregister/data/handelsregister.json."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        _bestand_te_groot(bestand, MAX_HANDELSREGISTER_BYTES)
        try:
            self.cleaned_data["data"] = json.loads(bestand.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError(_("Dit is geen geldig JSON-bestand.")) from None
        return bestand


class TariefForm(forms.ModelForm):
    """Amounts are euros with two decimals, never negative (the model field already limits the digits)."""

    bedrag = forms.DecimalField(
        label=_("bedrag (excl. btw)"), max_digits=9, decimal_places=2, min_value=0, localize=True
    )

    class Meta:
        model = Tarief
        fields = ["code", "periode", "bedrag"]


__all__ = [
    "AfkeurenForm",
    "BulkAfkeurenForm",
    "AcceptatieForm",
    "CatalogusUploadForm",
    "HandelsregisterUploadForm",
    "TariefForm",
]
