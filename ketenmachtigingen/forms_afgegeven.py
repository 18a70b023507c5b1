"""Forms of the verlener's screens (§5.2): the KVK-nummer, the choices of *Leg een nieuwe ketenmachtiging vast*,
and extending one (R40, R46, R73). The rules themselves are checked by the services; these only parse input."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.dates import plus_jaren, vandaag
from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin, datum_hulp
from common.errors import DomainError
from common.forms import DatumField
from handelsregister.identifiers import valideer_kvk_nummer
from machtigingen.forms_toevoegen import DienstenKeuzeForm


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
        error_messages={"required": _("Vul het KVK-nummer van de intermediair in.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_kvk(self) -> str:
        try:
            return valideer_kvk_nummer(self.cleaned_data["kvk"])
        except DomainError as fout:
            raise forms.ValidationError(str(fout)) from None


class AfgevenForm(DuurMixin, DienstenKeuzeForm):
    """*Kies diensten* as everywhere (the fields and options of DienstenKeuzeForm), then the duration, the
    intermediair's e-mail and the cost acceptance."""

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
        super().__init__(*args, zoek_url=zoek_url, zoek_doel="#bm-keten-diensten", **kwargs)
        self.fields["algemeen"].help_text = _(
            "Met een algemene bevoegdheid geeft u uw intermediair een ketenmachtiging waarmee zij alles kunnen doen "
            "namens uw organisatie, nu en in de toekomst."
        )


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
