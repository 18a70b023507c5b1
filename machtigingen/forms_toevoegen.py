"""Forms of + Voeg toe (§4.2, §4.4, §4.5) and of Voeg machtiging toe for one person (§3.9).

They parse input only: which choices can be made is decided by `machtigingen.selectors_toevoegen` (with the
rules the services refuse with); the forms draw them through the one renderer (`common.forms`), with a
fieldset per dienstverlener, disabled options, a niveau badge and a warning per option.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from common.einddatum import EINDDATUM_KEUZES, EinddatumKeuzeMixin
from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect, is_id, live_zoeken
from common.niveau import Niveau
from machtigingen.selectors_toevoegen import Keuze

ALGEMEEN_UITLEG = _(
    "Let op: voor 'Algemene bevoegdheid' geldt dat de hierna te selecteren gebruiker(s) alle diensten "
    "(machtigingen) ontvangen tot en met het aangegeven EH niveau (inclusief de diensten op lagere niveaus). Ook "
    "toekomstige diensten vallen hieronder."
)


def _ids(veld: forms.Field) -> None:
    # Any id parses; the services refuse unknown, withdrawn or too high ones (R31, R39, R70).
    veld.valid_value = is_id


def _keuzeveld(label) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, coerce=int, required=False, choices=[], widget=CheckboxSelectMultiple
    )


def _toon(veld: forms.Field, keuzes: Iterable[Keuze], groepen: Iterable[tuple[str, list[Keuze]]] = ()) -> None:
    """Give a checkbox field its options: flat `keuzes`, or `groepen` (legend, options) as fieldsets."""
    keuzes, groepen = list(keuzes), [(naam, list(items)) for naam, items in groepen]
    alle = keuzes + [k for _naam, items in groepen for k in items]
    veld.choices = [(k.waarde, k.label) for k in keuzes] + [
        (naam, [(k.waarde, k.label) for k in items]) for naam, items in groepen
    ]
    widget = veld.widget
    widget.choices = veld.choices
    widget.uit = {str(k.waarde) for k in alle if not k.kiesbaar}
    widget.badges = {str(k.waarde): k.badge for k in alle if k.badge}
    widget.waarschuwingen = {str(k.waarde): k.waarschuwing for k in alle if k.waarschuwing}
    widget.beschrijvingen = {str(k.waarde): k.beschrijving for k in alle if k.beschrijving}


# The short note on Algemene bevoegdheid where the wizard's longer one (ALGEMEEN_UITLEG) is not shown: a group, an
# invitation.
ALGEMEEN_GELDT = _(
    "Een Algemene bevoegdheid geldt voor alle diensten tot en met dat niveau, ook voor diensten die later worden "
    "toegevoegd."
)


def ingediende_keuzes(data) -> dict:
    """What a *Kies diensten* form was sent, read before it is validated, to work out the options it shows: the
    search and the chosen ids per field (anything that is no id left out); empty for no data."""
    if not data:
        return {"zoek": "", "algemeen": [], "dienst": [], "dienstverlener": []}
    ids = {naam: [int(v) for v in data.getlist(naam) if is_id(v)] for naam in ("algemeen", "dienst", "dienstverlener")}
    return {"zoek": str(data.get("zoek", "")).strip()[:100], **ids}


class DienstenKeuzeForm(forms.Form):
    """Kies diensten: Algemene bevoegdheid per niveau, the diensten per dienstverlener, and (in the rubriek)
    the Dienstverlenersmachtigingen. The same form for one person (§3.9) and for many (§4.2)."""

    zoek = forms.CharField(label=_("Zoek een dienst"), required=False, max_length=100, widget=forms.SearchInput)
    algemeen = _keuzeveld(_("Algemene Bevoegdheid"))
    dienst = _keuzeveld(_("Diensten"))
    dienstverlener = _keuzeveld(_("Dienstverlenersmachtiging"))

    def __init__(self, *args, zoek_url: str = "", zoek_doel: str = "#bm-diensten", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["algemeen"].choices = [(int(n), n.label) for n in Niveau]
        _ids(self.fields["dienst"])
        _ids(self.fields["dienstverlener"])
        self.fields["dienstverlener"].help_text = _(
            "Alle diensten van deze dienstverlener, ook diensten die later worden toegevoegd."
        )
        if zoek_url:
            live_zoeken(self.fields["zoek"], zoek_url, zoek_doel)

    def gekozen(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {
            "diensten": data.get("dienst") or [],
            "algemene_niveaus": data.get("algemeen") or [],
            "dienstverleners": data.get("dienstverlener") or [],
        }

    def toon(self, *, algemeen=(), diensten=(), dienstverleners=()) -> None:
        """The options to draw (selectors_toevoegen): Keuzes, the diensten as (dienstverlener, [Keuze])."""
        _toon(self.fields["algemeen"], algemeen)
        _toon(self.fields["dienst"], (), diensten)
        _toon(self.fields["dienstverlener"], dienstverleners)


class GebruikersKeuzeForm(forms.Form):
    """Kies gebruikers (§4.2): the organisation's Actief people and its groups."""

    zoek_gebruiker = forms.CharField(
        label=_("Zoek een gebruiker"), required=False, max_length=100, widget=forms.SearchInput
    )
    middel = _keuzeveld(_("Gebruikers"))
    groep = _keuzeveld(_("Groepen"))

    def __init__(self, *args, zoek_url: str = "", zoek_doel: str = "#bm-gebruikers-keuze", **kwargs):
        super().__init__(*args, **kwargs)
        _ids(self.fields["middel"])
        _ids(self.fields["groep"])
        self.fields["groep"].help_text = _(
            "Kiest u een groep, dan krijgt de groep zelf de machtiging: elk huidig en toekomstig lid heeft die "
            "zolang het lid is."
        )
        if zoek_url:
            live_zoeken(self.fields["zoek_gebruiker"], zoek_url, zoek_doel)

    def toon(self, *, gebruikers=(), groepen=()) -> None:
        _toon(self.fields["middel"], gebruikers)
        _toon(self.fields["groep"], groepen)


class EinddatumKeuzeForm(EinddatumKeuzeMixin, forms.Form):
    """Kies einddatum (R33): 5 jaar (meest gekozen), 3 jaar, 1 jaar or a date of one's own."""

    keuze = forms.ChoiceField(
        label=_("Kies hieronder de duur van de machtiging(en)."),
        help_text=_(
            "Een machtiging heeft een einddatum die maximaal 5 jaar in de toekomst ligt. Tot die datum kan de "
            "gebruiker inloggen."
        ),
        choices=EINDDATUM_KEUZES,
        widget=RadioSelect,
        initial="5",
        required=False,
    )
    datum = DatumField(label=_("Bepaal zelf de datum"), required=False)

    def clean(self):
        # No choice sent (a link with only the other steps' state) is the manual's default.
        if not self.cleaned_data.get("keuze"):
            self.cleaned_data["keuze"] = "5"
        return super().clean()
