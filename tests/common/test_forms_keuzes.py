"""The one renderer's choices (common.forms.KeuzeMixin, templates/forms/widgets/keuzes.html): option groups with a
legend, disabled options, a badge and a warning per option; what existed keeps working."""

import re

from django import forms

from common.forms import CheckboxSelectMultiple, RadioSelect


class KeuzesForm(forms.Form):
    dienst = forms.MultipleChoiceField(
        label="Diensten",
        required=False,
        choices=[
            ("Gemeente Haarlem", [("1", "Parkeervergunning"), ("2", "Afvalpas")]),
            ("Belastingdienst", [("3", "Mijn Belastingdienst Zakelijk")]),
        ],
        widget=CheckboxSelectMultiple(
            uit={"1"},
            badges={"1": "EH 3", "2": "EH 2"},
            waarschuwingen={"1": "Let op! Te laag niveau."},
            beschrijvingen={"1": "Vraag een vergunning aan."},
        ),
    )
    rol = forms.ChoiceField(
        label="Rol",
        choices=[("g", "Gebruiker"), ("b", "Beheerder")],
        widget=RadioSelect(beschrijvingen={"b": "Beheert de organisatie."}),
    )


def html():
    return str(KeuzesForm(data={"dienst": ["2"], "rol": "g"}))


def test_groups_become_fieldsets_with_a_legend():
    tekst = html()
    assert (
        tekst.count('<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset bm-keuzes__groep">')
        == 2
    )
    assert re.search(r"<legend[^>]*>Gemeente Haarlem</legend>", tekst)
    assert re.search(r"<legend[^>]*>Belastingdienst</legend>", tekst)


def test_disabled_option_with_warning_and_description_wired_to_it():
    tekst = html()
    invoer = re.search(r'<input type="checkbox" name="dienst" value="1"[^>]*>', tekst).group(0)
    assert 'id="id_dienst_1" disabled' in invoer
    assert 'aria-describedby="id_dienst_1_melding id_dienst_1_beschrijving"' in invoer
    assert (
        '<div class="bm-melding bm-optie__waarschuwing" id="id_dienst_1_melding">Let op! Te laag niveau.</div>' in tekst
    )
    assert 'id="id_dienst_1_beschrijving">Vraag een vergunning aan.</div>' in tekst
    assert "bm-optie bm-optie--uit" in tekst


def test_badge_after_the_label_and_choice_kept():
    tekst = html()
    assert '<span class="bm-badge bm-badge--niveau">EH 3</span>' in tekst
    assert '<span class="bm-badge bm-badge--niveau">EH 2</span>' in tekst
    afval = re.search(r'<input type="checkbox" name="dienst" value="2"[^>]*>', tekst).group(0)
    assert "checked" in afval and "disabled" not in afval


def test_plain_radios_unchanged_without_the_new_options():
    tekst = html()
    assert "bm-keuzes__groep" not in tekst.split('id="id_rol"')[1]
    assert 'aria-describedby="id_rol_b_beschrijving"' in tekst
    assert "bm-optie--uit" not in tekst.split('id="id_rol"')[1]


def test_deepcopy_keeps_options_per_form():
    eerste, tweede = KeuzesForm(), KeuzesForm()
    eerste.fields["dienst"].widget.uit.add("2")
    assert tweede.fields["dienst"].widget.uit == {"1"}
