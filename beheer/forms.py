"""The organisation switch in the layout (R4): a select of the organisations where one is beheerder."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OrganisatieWisselForm(forms.Form):
    organisatie = forms.TypedChoiceField(
        label=_("Organisatie"),
        coerce=int,
        # Sent as soon as one is chosen (static/js/beheermodule.js); the noscript button does it without JS.
        widget=forms.Select(attrs={"data-bm-submit-on-change": True}),
    )

    def __init__(self, *args, organisaties, gekozen, **kwargs):
        kwargs.setdefault("auto_id", "bm-%s")
        super().__init__(*args, initial={"organisatie": gekozen.pk if gekozen else None}, **kwargs)
        self.fields["organisatie"].choices = [(o.pk, o.naam) for o in organisaties]
