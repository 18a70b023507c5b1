"""Forms of the pop-ups on one person (§3.1.1–§3.11): they parse input only; every rule is the services' job.
Rendered by the one form renderer (common/forms.py): the templates only place `{{ form.veld.as_field_group }}`."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect
from common.niveau import Niveau
from common.weergave import euro
from gebruikers.forms_toevoegen.form import ROL_RECHTEN
from gebruikers.models import Koppeling, Middel

ROL_KEUZES = [
    (Koppeling.Rol.GEBRUIKER, _("Reguliere gebruiker")),
    (Koppeling.Rol.BEHEERDER, _("Beheerder")),
]
ABONNEMENT_KEUZES = [("1", _("1-jarig abonnement")), ("3", _("3-jarig abonnement"))]
# Every choice marked bm-kosten-keuze refreshes the live costs (R17).
KOSTEN_KEUZE = {"class": "bm-kosten-keuze"}


def _lijst(regels, klasse: str = "bm-rechten"):
    """✓/✗ lines under a choice, as the manual draws them (§3.1.1, §3.4)."""
    return format_html(
        '<ul class="{}">{}</ul>',
        klasse,
        format_html_join(
            "",
            '<li class="{}"><span aria-hidden="true">{}</span> {}</li>',
            (("bm-recht-ja", "✓", tekst) if ja else ("bm-recht-nee", "✗", tekst) for ja, tekst in regels),
        ),
    )


def _rol_widget() -> RadioSelect:
    return RadioSelect(beschrijvingen={rol: _lijst(regels) for rol, regels in ROL_RECHTEN.items()})


_GEEN_RESTITUTIE = _(
    "Houd er rekening mee dat u geen recht heeft op een (gedeeltelijke) restitutie bij een beëindiging voor "
    "einde contractdatum."
)
OPZEG_GEVOLGEN = {
    Koppeling.Opzegmoment.PER_DIRECT: (
        (
            False,
            _(
                "Deze gebruiker kan per direct niet meer inloggen bij dienstverleners die gebruik maken van eHerkenning."
            ),
        ),
        (False, _("De gebruiker wordt direct verwijderd uit het gebruikers overzicht.")),
        (False, _GEEN_RESTITUTIE),
    ),
    Koppeling.Opzegmoment.DATUM: (
        (
            False,
            _(
                "Deze gebruiker kan vanaf de gekozen datum niet meer inloggen bij dienstverleners die gebruik maken "
                "van eHerkenning."
            ),
        ),
        (False, _GEEN_RESTITUTIE),
    ),
    Koppeling.Opzegmoment.EINDE_CONTRACT: (
        (
            False,
            _(
                "Deze gebruiker kan na het einde van de lopende contractperiode niet meer inloggen bij "
                "dienstverleners die gebruik maken van eHerkenning."
            ),
        ),
        (False, _("Tot die datum blijft de gebruiker in het gebruikers overzicht staan.")),
    ),
}


def _akkoord_veld(label) -> forms.BooleanField:
    # Not `required=True`: the service refuses without it (R17), and its message is the one shown.
    return forms.BooleanField(label=label, required=False)


class RolForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol"), choices=ROL_KEUZES, widget=_rol_widget())


def _drie_jaar_veld() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Ja, ik kies voor een 3-jarig abonnement en maak gebruik van de bijbehorende korting."),
        required=False,
        widget=forms.CheckboxInput(attrs=KOSTEN_KEUZE),
    )


def _organisaties_veld() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Organisaties"), choices=[], widget=CheckboxSelectMultiple(attrs=KOSTEN_KEUZE), required=False
    )


class KoppelenForm(forms.Form):
    # The step headings of the pop-up are the fieldsets' legends (one name, no heading repeating it).
    rol = forms.ChoiceField(label=_("2. Kies de rol van de gebruiker"), choices=ROL_KEUZES, widget=_rol_widget())
    organisaties = _organisaties_veld()
    drie_jaar = _drie_jaar_veld()
    akkoord = _akkoord_veld(_("Ja, ik ga akkoord met de kosten voor deze gebruiker"))

    def __init__(self, *args, organisaties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisaties = {str(o.pk): o for o in organisaties}
        self.fields["organisaties"].choices = [(pk, o.naam) for pk, o in self.organisaties.items()]

    def gekozen_organisaties(self) -> list:
        return [self.organisaties[pk] for pk in self.cleaned_data.get("organisaties", [])]


class OpzeggenForm(forms.Form):
    moment = forms.ChoiceField(
        label=_("Per wanneer wilt u eHerkenning voor deze gebruiker opzeggen?"),
        choices=Koppeling.Opzegmoment.choices,
        widget=RadioSelect(beschrijvingen={moment: _lijst(regels) for moment, regels in OPZEG_GEVOLGEN.items()}),
        initial=Koppeling.Opzegmoment.PER_DIRECT,
    )
    datum = DatumField(label=_("Kies de datum"), required=False, help_text=_("Op zijn vroegst morgen."))
    ook_organisaties = forms.MultipleChoiceField(
        label=_(
            "Deze gebruiker heeft ook voor onderstaande organisatie(s) een eHerkenningmiddel. Wilt u deze ook opzeggen?"
        ),
        choices=[],
        widget=CheckboxSelectMultiple,
        required=False,
    )
    bevestig_opzeggen_organisatie = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, andere_organisaties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.andere = {str(o.pk): o for o in andere_organisaties}
        self.fields["ook_organisaties"].choices = [(pk, o.naam) for pk, o in self.andere.items()]

    def gekozen_organisaties(self) -> list:
        return [self.andere[pk] for pk in self.cleaned_data.get("ook_organisaties", [])]


class UitnodigingForm(forms.Form):
    akkoord = _akkoord_veld(_("Ja, ik ga akkoord met de kosten voor deze gebruiker"))


class TelefoonForm(forms.Form):
    land = forms.ChoiceField(label=_("Land"), choices=[("NL", _("Nederland"))], initial="NL")
    mobiel = forms.CharField(
        label=_("Mobiel telefoonnummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class EmailForm(forms.Form):
    # A CharField: the service validates the address, so its message is the one shown (R22).
    email = forms.CharField(
        label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class NiveauForm(forms.Form):
    niveau = forms.TypedChoiceField(
        label=_("1. Kies het gewenste niveau van de gebruiker"),
        choices=[],
        coerce=int,
        widget=RadioSelect(attrs=KOSTEN_KEUZE),
    )
    rol = forms.ChoiceField(label=_("2. Kies de rol van de gebruiker"), choices=ROL_KEUZES, widget=_rol_widget())
    organisaties = _organisaties_veld()
    tweede_factor = forms.ChoiceField(
        label=_("Tweede factor type"),
        choices=[
            ("", _("- Kies tweede factor authenticatie -")),
            (Middel.TweedeFactor.SMS, _("Per sms aan de gebruiker van eHerkenning")),
            (Middel.TweedeFactor.OTP, _("OTP device")),
        ],
        required=False,
    )
    mobiel = forms.CharField(label=_("Mobiel telefoonnummer voor tweede factor"), required=False, max_length=20)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    huisnummer = forms.CharField(label=_("Huisnummer"), required=False, max_length=10)
    toevoeging = forms.CharField(label=_("Toevoeging"), required=False, max_length=10)
    straat = forms.CharField(label=_("Straatnaam"), required=False, max_length=200)
    plaats = forms.CharField(label=_("Plaatsnaam"), required=False, max_length=100)
    drie_jaar = _drie_jaar_veld()
    akkoord = _akkoord_veld(_("Ja, ik ga akkoord met de kosten voor deze gebruiker"))

    ADRES_VELDEN = ("postcode", "huisnummer", "toevoeging", "straat", "plaats")

    def __init__(self, *args, niveaus=(), prijzen=None, organisaties=(), **kwargs):
        """`prijzen`: the yearly price per niveau, shown in its choice ("vanaf € 41,00 per jaar")."""
        super().__init__(*args, **kwargs)
        self.fields["niveau"].choices = [(int(n), self._niveau_label(n, (prijzen or {}).get(int(n)))) for n in niveaus]
        self.organisaties = {str(o.pk): o for o in organisaties}
        self.fields["organisaties"].choices = [(pk, o.naam) for pk, o in self.organisaties.items()]

    @staticmethod
    def _niveau_label(niveau, prijs):
        badge = Niveau(niveau).badge
        if prijs is None:
            tekst = _("eHerkenning niveau %(niveau)s") % {"niveau": badge.removeprefix("EH ")}
        else:
            tekst = _("eHerkenning niveau %(niveau)s vanaf %(bedrag)s per jaar") % {
                "niveau": badge.removeprefix("EH "),
                "bedrag": euro(prijs),
            }
        return format_html('<span class="bm-badge bm-badge--niveau">{}</span> {}', badge, tekst)

    def adres_velden(self):
        return [self[naam] for naam in self.ADRES_VELDEN]

    def gekozen_organisaties(self) -> list:
        return [self.organisaties[pk] for pk in self.cleaned_data.get("organisaties", [])]


class TypeForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Kies uw middel"),
        choices=[
            (Middel.Type.REGULIER, _("Regulier middel")),
            (Middel.Type.BELASTINGDIENST, _("Belastingdienstmiddel")),
        ],
        widget=RadioSelect(attrs=KOSTEN_KEUZE),
    )
    abonnement_jaren = forms.TypedChoiceField(
        label=_("Abonnementskeuze"),
        choices=ABONNEMENT_KEUZES,
        coerce=int,
        widget=RadioSelect(attrs=KOSTEN_KEUZE),
        initial="1",
    )
    bevestigd = forms.BooleanField(
        label=_("Ik ben mij bewust van de gevolgen van de veranderingen en ga hiermee akkoord."), required=False
    )
