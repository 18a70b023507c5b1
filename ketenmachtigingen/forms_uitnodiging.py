"""Forms of the invitation page (R47): who answers, the e-mailed code, and the diensten kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CheckboxSelectMultiple, DatumField


class IdentiteitForm(forms.Form):
    naam = forms.CharField(
        label=_("Uw naam"),
        max_length=200,
        help_text=_("Zoals de KvK u kent als wettelijk vertegenwoordiger, bijvoorbeeld: J. de Vries."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    geboortedatum = DatumField(label=_("Uw geboortedatum"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("De code uit de e-mail die wij naar het uitgenodigde e-mailadres stuurden."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BesluitForm(forms.Form):
    gekozen = forms.TypedMultipleChoiceField(
        label=_("Diensten waarvoor u de ketenmachtiging geeft"),
        coerce=int,
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_("Haal het vinkje weg bij een dienst die u niet wilt machtigen."),
    )

    def __init__(self, *args, gevraagd, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gekozen"].choices = [(g.pk, g.scope_omschrijving) for g in gevraagd]
        self.fields["gekozen"].initial = [g.pk for g in gevraagd]
