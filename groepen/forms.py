"""The forms of the Groepen pop-ups, rendered by the one form renderer (`common.forms`). They only parse input; the
services decide (R24, R33, R39, R70) and their refusals land on the form."""

from itertools import groupby

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin
from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect, is_id
from common.niveau import Niveau
from groepen.models import NAAM_MAX
from machtigingen.models import Scope
from machtigingen.services import BOVEN_EIGEN_NIVEAU


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


def _zoek_attrs(url: str, target: str) -> dict:
    # The list narrows down as one types, without leaving the pop-up.
    return {
        "hx-get": url,
        "hx-trigger": "input changed delay:300ms, search",
        "hx-include": "closest form",
        "hx-target": target,
        "hx-swap": "outerHTML",
    }


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
            self.fields["zoek"].widget.attrs.update(_zoek_attrs(zoek_url, "#bm-groep-kandidaten"))
        veld = self.fields["leden"]
        veld.choices = [(k.middel_id, k.middel.persoon.naam) for k in kandidaten]
        veld.widget.badges = {str(k.middel_id): Niveau(k.middel.niveau).badge for k in kandidaten}
        veld.widget.beschrijvingen = {
            str(k.middel_id): f"{k.middel.persoon.email} – {k.middel.get_status_display()}" for k in kandidaten
        }
        # A person chosen before a search narrowed the list stays a valid choice; the service checks every id.
        veld.valid_value = is_id


class GroepMachtigingForm(EinddatumKeuzeMixin, forms.Form):
    use_required_attribute = False

    algemeen = forms.TypedMultipleChoiceField(
        label=_("Algemene Bevoegdheid"),
        coerce=int,
        required=False,
        choices=[(int(n), format_lazy("{} {}", Scope.ALGEMEEN.label, n.label)) for n in Niveau],
        widget=CheckboxSelectMultiple,
        help_text=_(
            "Een Algemene bevoegdheid geldt voor alle diensten tot en met dat niveau, ook voor diensten die later "
            "worden toegevoegd."
        ),
    )
    zoek = forms.CharField(label=_("Zoek een dienst"), required=False, max_length=100, widget=forms.SearchInput)
    dienst = forms.TypedMultipleChoiceField(
        label=_("Diensten"), coerce=int, required=False, widget=CheckboxSelectMultiple
    )
    dienstverlener = forms.TypedMultipleChoiceField(
        label=_("Dienstverlenersmachtiging"),
        coerce=int,
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_("Geldt voor alle diensten van de dienstverlener, ook voor diensten die later worden toegevoegd."),
    )
    keuze = forms.ChoiceField(label=_("Kies einddatum"), choices=EINDDATUM_KEUZES, widget=RadioSelect, initial="5")
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)

    def __init__(self, *args, beheerder_niveau: int, diensten=(), dienstverleners=(), zoek_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if zoek_url:
            self.fields["zoek"].widget.attrs.update(_zoek_attrs(zoek_url, "#id_dienst"))
        algemeen = self.fields["algemeen"].widget
        algemeen.badges = {str(int(n)): n.badge for n in Niveau}
        # R39: nothing above the beheerder's own niveau (members below a niveau are shown on the group's page).
        boven = [str(int(n)) for n in Niveau if n > beheerder_niveau]
        algemeen.uit = set(boven)
        algemeen.waarschuwingen = dict.fromkeys(boven, BOVEN_EIGEN_NIVEAU)
        dienst = self.fields["dienst"]
        dienst.choices = [
            (str(verlener), [(d.pk, str(d)) for d in items])
            for verlener, items in groupby(diensten, key=lambda d: d.dienstverlener)
        ]
        dienst.widget.badges = {str(d.pk): Niveau(d.niveau).badge for d in diensten}
        dienst.widget.uit = {str(d.pk) for d in diensten if not d.kiesbaar}
        dienst.widget.waarschuwingen = {str(d.pk): BOVEN_EIGEN_NIVEAU for d in diensten if not d.kiesbaar}
        dienst.widget.beschrijvingen = {
            str(d.pk): d.weergaveomschrijving for d in diensten if getattr(d, "weergaveomschrijving", "")
        }
        dienst.valid_value = is_id
        verlener = self.fields["dienstverlener"]
        verlener.choices = [(v.pk, format_lazy("{} {}", Scope.DIENSTVERLENER.label, v)) for v in dienstverleners]
        # R39: the beheerder must reach the highest niveau among the dienstverlener's diensten.
        te_hoog = {str(v.pk) for v in dienstverleners if v.hoogste is not None and v.hoogste > beheerder_niveau}
        verlener.widget.uit = te_hoog
        verlener.widget.waarschuwingen = dict.fromkeys(te_hoog, BOVEN_EIGEN_NIVEAU)
        verlener.valid_value = is_id
