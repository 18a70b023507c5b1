"""The forms of Instellingen (§2.4, §3.3). They collect what was typed; the rules are the services' (a refusal
lands on the field it concerns through `toon_domeinfout`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect
from common.niveau import Niveau
from common.weergave import datum, euro
from handelsregister.errors import OngeldigeWaarde
from handelsregister.identifiers import valideer_mobiel_nummer, valideer_postcode
from organisaties.models import Organisatie

# DomainError code → the field it concerns; anything else is shown above the form.
VELD_VAN_CODE = {
    "iban_ongeldig": "iban",
    "iban": "iban",
    "bic_ongeldig": "bic",
    "akkoord_voorwaarden": "akkoord_voorwaarden",
    "akkoord_gegevens": "akkoord_gegevens",
    "email_ongeldig": "email",
    "email_ongewijzigd": "email",
    "factuur_email": "factuur_email",
    "kvk_nummer_ongeldig": "nummer",
    "vestigingsnummer_ongeldig": "nummer",
    "kvk_of_vestigingsnummer_ongeldig": "nummer",
    "organisatie_niet_gevonden": "nummer",
    "vestiging_niet_gevonden": "nummer",
    "al_beheerd": "nummer",
    "al_op_platform": "nummer",
    "niveau": "niveau",
    "vertegenwoordigers": "vertegenwoordigers",
}


class DomeinfoutMixin:
    def toon_domeinfout(self, fout) -> None:
        veld = VELD_VAN_CODE.get(fout.code)
        self.add_error(veld if veld in self.fields else None, str(fout))


class RekeningForm(DomeinfoutMixin, forms.Form):
    """§2.4.3 / §2.4.5 "Automatische incasso"."""

    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=_("BIC"), max_length=15, required=False)
    akkoord_voorwaarden = forms.BooleanField(label=_("Ja, ik ga akkoord met de algemene voorwaarden"), required=False)
    # Always incasso from this screen; the domain refuses anything else, also when sent by hand.
    betaalwijze = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iban"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["bic"].widget.attrs.update(autocomplete="off", spellcheck="false")


class FactuurEmailForm(DomeinfoutMixin, forms.Form):
    """§2.4.4 / §2.4.6 "Ontvang facturen per e-mail"."""

    email = forms.CharField(label=_("E-mailadres"), max_length=254, required=False)
    facturatiewijze = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=Organisatie.Facturatiewijze.EMAIL
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", type="email")


# --- Organisatie toevoegen (§3.3) ---------------------------------------------------------------------------------


class ZoekForm(DomeinfoutMixin, forms.Form):
    nummer = forms.CharField(
        label=_("KVK- of vestigingsnummer"),
        max_length=20,
        error_messages={"required": _("Vul het KVK- of vestigingsnummer in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nummer"].widget.attrs.update(inputmode="numeric", autocomplete="off")


class NiveauForm(DomeinfoutMixin, forms.Form):
    niveau = forms.TypedChoiceField(
        label=_("Kies het gewenste niveau voor de organisatie."),
        coerce=int,
        widget=RadioSelect,
        error_messages={"required": _("Kies een niveau."), "invalid_choice": _("Kies een niveau.")},
    )

    def __init__(self, *args, niveaus: list[int], prijzen: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        veld = self.fields["niveau"]
        veld.choices = [(n, Niveau(n).label.replace("EH", "EH ")) for n in niveaus]
        beschrijvingen = {}
        for n in niveaus:
            tekst = _("eHerkenning niveau %(niveau)s") % {"niveau": Niveau(n).label.removeprefix("EH")}
            if prijzen.get(n) is not None:
                tekst = _("%(tekst)s vanaf %(prijs)s per jaar") % {"tekst": tekst, "prijs": euro(prijzen[n])}
            beschrijvingen[str(n)] = tekst
        veld.widget = RadioSelect(choices=veld.choices, beschrijvingen=beschrijvingen)


class BeheerderForm(forms.Form):
    """Stap 3 "Beheerdersgegevens": the beheerder's own data, prefilled, completed where missing."""

    voornamen = forms.CharField(label=_("Voornamen (zoals op ID)"), max_length=200)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200)
    geboortedatum = DatumField(label=_("Geboortedatum"))
    email = forms.EmailField(label=_("E-mailadres"), error_messages={"invalid": _("Vul een geldig e-mailadres in.")})
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    huisnummer = forms.CharField(label=_("Huisnummer"), max_length=10, required=False)
    toevoeging = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    straat = forms.CharField(label=_("Straatnaam"), max_length=200, required=False)
    plaats = forms.CharField(label=_("Plaatsnaam"), max_length=100, required=False)
    tweede_factor = forms.ChoiceField(
        label=_("Tweede factor type"),
        choices=[("sms", _("SMS")), ("otp", _("OTP device"))],
        required=False,
    )
    mobiel = forms.CharField(label=_("Mobiel telefoonnummer voor tweede factor"), max_length=20, required=False)

    def clean_postcode(self):
        waarde = self.cleaned_data["postcode"].strip()
        if not waarde:
            return ""
        try:
            return valideer_postcode(waarde)
        except OngeldigeWaarde as fout:
            raise forms.ValidationError(str(fout)) from None

    def clean_mobiel(self):
        waarde = self.cleaned_data["mobiel"].strip()
        if not waarde:
            return ""
        try:
            return valideer_mobiel_nummer(waarde)
        except OngeldigeWaarde as fout:
            raise forms.ValidationError(str(fout)) from None


class VertegenwoordigersForm(DomeinfoutMixin, forms.Form):
    vertegenwoordigers = forms.MultipleChoiceField(
        label=_("Kies de wettelijk vertegenwoordiger(s) die u wilt laten tekenen."),
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args, vertegenwoordigers: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        veld = self.fields["vertegenwoordigers"]
        veld.choices = [(w["naam"], w["naam"]) for w in vertegenwoordigers]
        beschrijvingen = {
            w["naam"]: _("Geboortedatum: %(datum)s") % {"datum": datum(w["geboortedatum"])}
            for w in vertegenwoordigers
            if w.get("geboortedatum")
        }
        veld.widget = CheckboxSelectMultiple(choices=veld.choices, beschrijvingen=beschrijvingen)


class KostenForm(DomeinfoutMixin, forms.Form):
    """Stap 5 "Kosten en akkoord"."""

    drie_jaar = forms.BooleanField(
        label=_("Ja, ik kies voor een 3-jarig abonnement en maak gebruik van de bijbehorende korting."),
        required=False,
    )
    factuur_email = forms.CharField(label=_("Facturatie e-mailadres"), max_length=254, required=False)
    betaalwijze = forms.ChoiceField(
        label=_("Betaalwijze"),
        choices=[
            (Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO, _("Automatische incasso")),
            (Organisatie.Betaalwijze.BANKOVERSCHRIJVING, _("Bankoverschrijving (extra kosten per factuur)")),
        ],
        initial=Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO,
        error_messages={"required": _("Kies een betaalwijze."), "invalid_choice": _("Kies een betaalwijze.")},
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=_("BIC"), max_length=15, required=False)
    inkoopordernummer = forms.CharField(label=_("Inkoopordernummer (optioneel)"), max_length=50, required=False)
    akkoord_gegevens = forms.BooleanField(
        label=_("Ja, ik geef toestemming voor het verwerken van de gegevens van de organisatie en de beheerder."),
        required=False,
    )
    akkoord_voorwaarden = forms.BooleanField(label=_("Ja, ik ga akkoord met de algemene voorwaarden."), required=False)

    @property
    def abonnement_jaren(self) -> int:
        if self.is_bound and self.is_valid():
            return 3 if self.cleaned_data.get("drie_jaar") else 1
        return 1
