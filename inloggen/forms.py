"""Forms of the log-in, activation, recovery and profile screens: they parse input, the services decide."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from berichten.models import Soort
from berichten.services import bericht_plaatsen_gerenderd
from gebruikers.models import Persoon
from inloggen.services import herstelbare_personen

ONJUISTE_INLOG = _("Onjuiste gebruikersnaam of wachtwoord.")


class InloggenForm(AuthenticationForm):
    # The same answer for an unknown username and a wrong password: it must not tell which usernames exist.
    error_messages = {"invalid_login": ONJUISTE_INLOG, "inactive": ONJUISTE_INLOG}

    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    password = forms.CharField(label=_("Wachtwoord"), strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


# The e-mail address asked to recover a username or password: what is missing, said in words.
EMAIL_FOUTEN = {
    "required": _("Vul het e-mailadres in waarmee u bij ons bekend bent."),
    "invalid": _("Vul een geldig e-mailadres in."),
}


class GebruikersnaamVergetenForm(forms.Form):
    # Two forms on one page: distinct ids keep every label wired to its own field.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "gebruikersnaam_%s")
        super().__init__(*args, **kwargs)

    email = forms.EmailField(label=_("E-mailadres"), max_length=254, error_messages=EMAIL_FOUTEN)


class WachtwoordVergetenForm(PasswordResetForm):
    """Django's reset form, for persons who can log in, with the e-mail in the person's own language."""

    email = forms.EmailField(label=_("E-mailadres"), max_length=254, error_messages=EMAIL_FOUTEN)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "wachtwoord_%s")
        super().__init__(*args, **kwargs)

    def get_users(self, email):
        return (p for p in herstelbare_personen(email) if p.has_usable_password())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(context["user"].taal or settings.LANGUAGE_CODE):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        # Through the outbox, like every message: retried when the mail server is down, never a failed page.
        bericht_plaatsen_gerenderd(
            soort=Soort.WACHTWOORD_HERSTELLEN,
            ontvanger=to_email,
            onderwerp=subject,
            tekst=body,
            persoon=context["user"],
        )


class NieuwWachtwoordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label=_("Nieuw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Herhaal nieuw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class _TweeWachtwoorden(forms.Form):
    def clean(self):
        data = super().clean()
        een, twee = data.get(self.eerste), data.get(self.tweede)
        if een and twee and een != twee:
            self.add_error(self.tweede, _("De wachtwoorden zijn niet gelijk."))
        return data


class ActivatieAccountForm(_TweeWachtwoorden):
    eerste, tweede = "password1", "password2"

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Herhaal wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class WachtwoordWijzigenForm(_TweeWachtwoorden):
    eerste, tweede = "nieuw1", "nieuw2"

    huidig = forms.CharField(
        label=_("Huidig wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    nieuw1 = forms.CharField(
        label=_("Nieuw wachtwoord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    nieuw2 = forms.CharField(
        label=_("Herhaal nieuw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class EmailWijzigenForm(forms.Form):
    email = forms.EmailField(label=_("Nieuw e-mailadres"), max_length=254)


class TaalSelect(forms.Select):
    """Each language named in itself, marked with its `lang` so a screen reader pronounces it right."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["lang"] = value
        return option


class TaalForm(forms.Form):
    taal = forms.ChoiceField(label=_("Ingestelde taal"), choices=Persoon.Taal.choices, widget=TaalSelect)
