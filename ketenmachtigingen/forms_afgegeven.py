"""Forms of the verlener's screens (§5.2): the KVK-nummer, the choices of *Leg een nieuwe ketenmachtiging vast*,
and extending one (R40, R46, R73). The rules themselves are checked by the services; these only parse input."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.dates import plus_jaren, vandaag
from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin, datum_hulp
from common.errors import DomainError
from common.forms import DatumField, is_id
from common.niveau import Niveau
from handelsregister.identifiers import valideer_kvk_nummer


class DuurMixin(EinddatumKeuzeMixin):
    """*Kies de duur van de machtigingen*: 5 jaar (default, R73), 3, 1 or a date of one's own."""

    keuze_veld = "duur"

    def eindigt_op(self) -> dt.date:
        keuze = self.service_keuze()
        return keuze if isinstance(keuze, dt.date) else plus_jaren(vandaag(), int(keuze))


class KvkForm(forms.Form):
    kvk = forms.CharField(
        label=_("KVK-nummer"),
        max_length=20,
        help_text=_("Geef het KVK-nummer van de intermediair die u een ketenmachtiging wilt verlenen."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_kvk(self) -> str:
        try:
            return valideer_kvk_nummer(self.cleaned_data["kvk"])
        except DomainError as fout:
            raise forms.ValidationError(str(fout)) from None


class AfgevenForm(DuurMixin, forms.Form):
    zoek = forms.CharField(label=_("Zoek een dienst"), required=False, max_length=100, widget=forms.SearchInput)
    algemeen = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[(int(n), n.label) for n in Niveau])
    dienstverlener = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    dienst = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])
    duur = forms.ChoiceField(
        label=_("Kies de duur van de machtigingen"), choices=EINDDATUM_KEUZES, initial="5", widget=forms.Select
    )
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)
    email = forms.EmailField(
        label=_(
            "Vul het e-mailadres (optioneel) in van uw intermediair en wij informeren deze over het vastleggen van de ketenmachtiging."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    # Not `required=True`: the service refuses without it for a new intermediair (R40) and its message is shown.
    akkoord = forms.BooleanField(
        label=_("Ja, ik ga akkoord met de kosten voor vastlegging van deze nieuwe intermediair."), required=False
    )

    def __init__(self, *args, zoek_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if zoek_url:  # the catalogue narrows down as one types
            self.fields["zoek"].widget.attrs.update(
                {
                    "hx-get": zoek_url,
                    "hx-trigger": "input changed delay:300ms, search",
                    "hx-include": "closest form",
                    "hx-target": "#bm-keten-diensten",
                    "hx-swap": "outerHTML",
                }
            )
        # Any id parses; the service refuses unknown, withdrawn, non-intermediable or too high ones (R39, R70, R72).
        for naam in ("dienst", "dienstverlener"):
            self.fields[naam].valid_value = is_id

    def keuzes(self) -> dict:
        """The chosen scopes, also from a form with errors elsewhere (so the screen keeps them ticked)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "algemene_niveaus": data.get("algemeen") or [],
            "dienstverleners": data.get("dienstverlener") or [],
            "diensten": data.get("dienst") or [],
        }


class VerlengForm(DuurMixin, forms.Form):
    duur = forms.ChoiceField(
        label=_("Kies de nieuwe einddatum"),
        choices=EINDDATUM_KEUZES,
        initial="5",
        widget=forms.Select,
        help_text=_("De nieuwe termijn begint vandaag en loopt ten hoogste 5 jaar."),
    )
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)

    def __init__(self, *args, huidige_einddatum: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # R46: extending never shortens (the service refuses it); the date of one's own says from when.
        if huidige_einddatum is not None and huidige_einddatum > vandaag():
            self.fields["datum"].help_text = datum_hulp(vanaf=huidige_einddatum)
