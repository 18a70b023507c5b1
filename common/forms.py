"""The one form renderer: every Django form renders as NL Design System (Utrecht) components.

`settings.FORM_RENDERER` points here. A template renders a whole form with `{{ form }}`, one field with
`{{ form.veld.as_field_group }}` (label, help, error and input in `templates/forms/field.html`), and the
errors of a field or form through `templates/forms/errors.html`. The Utrecht classes on the inputs are added
by `UtrechtBoundField`, so a form declares only what is its own (a `bm-*` hook, autocomplete, ...).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
RADIO = "utrecht-radio-button utrecht-radio-button--html-input"
BESTAND = f"{TEXTBOX} bm-bestand"

# Django's widget templates replaced by ours. Only the outer template of a widget is looked up through the
# renderer; the admin's own radio template includes Django's original, so the admin keeps its look.
WIDGET_TEMPLATES = {
    "django/forms/widgets/radio.html": "forms/widgets/keuzes.html",
    "django/forms/widgets/checkbox_select.html": "forms/widgets/keuzes.html",
}


def utrecht_class(widget: forms.Widget) -> str:
    """The Utrecht component class for a widget ('' for hidden inputs and composite widgets)."""
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput | forms.MultiWidget):
        return ""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.RadioSelect):
        return RADIO
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.FileInput):
        return BESTAND
    return TEXTBOX


class UtrechtBoundField(BoundField):
    """Adds the Utrecht component class to every input, before the form's own classes."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        eigen = attrs.get("class") or widget.attrs.get("class", "")
        utrecht = utrecht_class(widget)
        if utrecht and "utrecht-" not in eigen:
            attrs["class"] = f"{utrecht} {eigen}".strip()
            if self.errors and utrecht in (TEXTBOX, SELECT, TEXTAREA, BESTAND):
                attrs["class"] += f" {utrecht.split()[0]}--invalid"
        if utrecht in (RADIO, CHECKBOX):
            # Utrecht styles :invalid as an error: a required radio group would be red before anything is
            # chosen. Our forms are `novalidate` anyway; the server says what is missing, next to the field.
            attrs.pop("required", None)
        return attrs

    @property
    def widget_soort(self) -> str:
        """What the field template lays out: 'keuzes' (a fieldset of radios/checkboxes or a date in three
        parts), 'vinkje' (one checkbox, label after it) or 'veld' (label above the input)."""
        widget = self.field.widget
        if self.use_fieldset:
            return "keuzes"
        if isinstance(widget, forms.CheckboxInput):
            return "vinkje"
        return "veld"


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = UtrechtBoundField

    def get_template(self, template_name):
        return super().get_template(WIDGET_TEMPLATES.get(template_name, template_name))


class KeuzeMixin:
    """Radio buttons or checkboxes whose ids follow their value (`id_niveau_30`), so CSS `:has()` rules and
    links from the error summary do not depend on the order of the choices. Per option, optionally:
    `beschrijvingen={value: text}` (shown under the label, wired with aria-describedby), `optie_attrs={value:
    {attr: value}}` (e.g. a data-* hook), and `vast={value}`: shown checked and disabled, never sent (the
    current organisation, which is always linked). Also per option: `uit={value}` shown but disabled (a choice
    a rule refuses), `badges={value: text}` (e.g. the niveau, after the label) and `waarschuwingen={value:
    text}` (why it cannot be chosen, wired with aria-describedby).

    Grouped choices (`[(groep, [(value, label), ...]), ...]`) are drawn as one fieldset per group with the
    group as its legend (the diensten per dienstverlener)."""

    def __init__(
        self,
        attrs=None,
        choices=(),
        *,
        beschrijvingen=None,
        optie_attrs=None,
        vast=(),
        uit=(),
        badges=None,
        waarschuwingen=None,
    ):
        super().__init__(attrs, choices)
        self.beschrijvingen = beschrijvingen or {}
        self.optie_attrs = optie_attrs or {}
        self.vast = {str(v) for v in vast}
        self.uit = {str(v) for v in uit}
        self.badges = badges or {}
        self.waarschuwingen = waarschuwingen or {}

    def __deepcopy__(self, memo):
        kopie = super().__deepcopy__(memo)
        kopie.beschrijvingen = dict(self.beschrijvingen)
        kopie.optie_attrs = {k: dict(v) for k, v in self.optie_attrs.items()}
        kopie.vast = set(self.vast)
        kopie.uit = set(self.uit)
        kopie.badges = dict(self.badges)
        kopie.waarschuwingen = dict(self.waarschuwingen)
        return kopie

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        sleutel = str(value)
        if attrs and attrs.get("id") and value not in (None, ""):
            option["attrs"]["id"] = f"{attrs['id']}_{value}"
        if sleutel in self.uit:
            # id first, then disabled: the rendered order reads as "this option, not available".
            option["uit"] = True
            eerst = {"id": option["attrs"]["id"]} if option["attrs"].get("id") else {}
            option["attrs"] = {**eerst, "disabled": True, **option["attrs"]}
            option["attrs"].pop("required", None)
        option["attrs"].update(self.optie_attrs.get(sleutel, {}))
        if sleutel in self.vast:
            option["vast"] = True
            option["attrs"].update(checked=True, disabled=True)
            option["attrs"].pop("required", None)
        beschreven = []
        waarschuwing = self.waarschuwingen.get(sleutel)
        if waarschuwing:
            option["waarschuwing"] = waarschuwing
            beschreven.append(f"{option['attrs']['id']}_melding")
        beschrijving = self.beschrijvingen.get(sleutel)
        if beschrijving:
            option["beschrijving"] = beschrijving
            beschreven.append(f"{option['attrs']['id']}_beschrijving")
        if beschreven:
            option["attrs"]["aria-describedby"] = " ".join(beschreven)
        badge = self.badges.get(sleutel)
        if badge:
            option["badge"] = badge
        return option


class RadioSelect(KeuzeMixin, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(KeuzeMixin, forms.CheckboxSelectMultiple):
    pass


class DatumWidget(forms.MultiWidget):
    """A date as the manual draws it: Dag, Maand, Jaar, three inputs named `<veld>_dag`, `_maand`, `_jaar`."""

    template_name = "forms/widgets/datum.html"

    def __init__(self, attrs=None):
        deel = {"class": TEXTBOX, "inputmode": "numeric"}
        super().__init__(
            {
                "dag": forms.TextInput({**deel, "size": 2, "maxlength": 2}),
                "maand": forms.TextInput({**deel, "size": 2, "maxlength": 2}),
                "jaar": forms.TextInput({**deel, "size": 4, "maxlength": 4}),
            },
            attrs,
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Ids after the part (`id_geboortedatum_dag`) instead of Django's position (`_0`), like the names.
        for sub, suffix in zip(context["widget"]["subwidgets"], self.widgets_names, strict=True):
            if sub["attrs"].get("id"):
                sub["attrs"]["id"] = f"{attrs['id']}{suffix}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_dag" if id_ else id_

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DatumField(forms.MultiValueField):
    widget = DatumWidget
    default_error_messages = {
        "invalid": _("Vul een bestaande datum in: dag, maand en jaar in cijfers."),
        "incomplete": _("Vul dag, maand en jaar in."),
    }

    def __init__(self, **kwargs):
        fout = {k: self.default_error_messages["invalid"] for k in ("invalid", "min_value", "max_value")}
        super().__init__(
            (
                forms.IntegerField(min_value=1, max_value=31, error_messages=fout),
                forms.IntegerField(min_value=1, max_value=12, error_messages=fout),
                forms.IntegerField(min_value=1000, max_value=9999, error_messages=fout),
            ),
            require_all_fields=False,
            **kwargs,
        )
        for veld in self.fields:
            veld.required = False

    def clean(self, value):
        leeg = [v in (None, "") for v in (value or [None, None, None])]
        if self.required and all(leeg):
            raise ValidationError(self.error_messages["required"], code="required")
        if any(leeg) and not all(leeg):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        return super().clean(value)

    def compress(self, data_list):
        if not data_list or any(v is None for v in data_list):
            return None
        dag, maand, jaar = data_list
        try:
            return dt.date(jaar, maand, dag)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


MAX_ID = 2**63 - 1


def live_zoeken(veld: forms.Field, url: str, doel: str) -> None:
    """A search field that narrows a list down as one types, without leaving the page or pop-up: the form is
    sent to `url` and its answer replaces the element `doel` (a CSS selector)."""
    veld.widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "input changed delay:300ms, search",
            "hx-include": "closest form",
            "hx-target": doel,
            "hx-swap": "outerHTML",
        }
    )


def is_id(waarde) -> bool:
    """Whether a submitted value can be a primary key: ASCII digits within the database's 64-bit range (a longer
    number would reach the database and fail there); whether it is one the person may choose is the service's."""
    tekst = str(waarde)
    return tekst.isascii() and tekst.isdigit() and int(tekst) <= MAX_ID


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's choice of several objects by id, refusing an id outside the database's range with its own message
    (Django passes it to the IN of its query, where SQLite cannot bind it)."""

    def _check_values(self, value):
        for pk in value:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
