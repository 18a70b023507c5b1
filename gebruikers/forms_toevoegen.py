"""The form behind "+ Voeg toe" (§3.2, §3.2.1): it parses the four steps and shows each refusal next to its field.

The rules themselves stay in `gebruikers.services` (R10, R14–R17, R8, R23); this module only calls the
`valideer_*` checks there group by group, so the beheerder sees every problem at once, and maps a
`DomainError.code` onto the field it is about.
"""

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from facturatie.models import Tarief
from gebruikers import services
from gebruikers.models import IdDocumentType, Koppeling, Middel, Persoon

EEN_BESTAND = "een"
TWEE_BESTANDEN = "twee"

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"

# The field a refusal of the domain layer belongs to, by `DomainError.code`. Codes not listed are shown above
# the form (for example a missing tariff or a register that cannot be reached).
VELD_VOOR_CODE = {
    "niveau": "niveau",
    "niveau_te_hoog": "niveau",
    "R10": "niveau",
    "rol": "rol",
    "belastingdienst_beheerder": "rol",
    "R6": "rol",
    "type": "type",
    "een_per_kvk": "type",
    "wettelijk_vertegenwoordiger": "type",
    "R23": "type",
    "voornamen": "voornamen",
    "achternaam": "achternaam",
    "geboortedatum": "geboortedatum",
    "email": "email",
    "document_type": "document_type",
    "documentnummer": "documentnummer",
    "geslacht": "geslacht",
    "geldigheidsdatum": "geldigheidsdatum",
    "adres": "postcode",
    "land": "land",
    "postcode": "postcode",
    "huisnummer": "huisnummer",
    "straat": "straat",
    "plaats": "plaats",
    "tweede_factor": "tweede_factor",
    "R16": "tweede_factor",
    "mobiel": "mobiel",
    "kosten_niet_geaccepteerd": "kosten_geaccepteerd",
}
PERSOON_VELDEN = ("voornamen", "tussenvoegsel", "achternaam", "geboortedatum", "email")
DOCUMENT_VELDEN = ("document_type", "documentnummer", "geslacht", "geldigheidsdatum")
UPLOAD_VELDEN = ("document", "voorkant", "achterkant")
ADRES_VELDEN = ("land", "postcode", "huisnummer", "toevoeging", "straat", "plaats")


def euro(bedrag) -> str:
    """'€ 41,00' in Dutch, '€ 41.00' in English."""
    return "€ " + number_format(bedrag, 2, use_l10n=True, force_grouping=True)


# --- dates as the manual draws them: Dag, Maand, Jaar ----------------------------------------------------


class DatumWidget(forms.MultiWidget):
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


# --- what the costs depend on ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keuzes:
    """The choices the cost overview depends on, read leniently from what was sent (R17)."""

    niveau: int | None = None
    type: str = Middel.Type.REGULIER
    extra_organisaties: list = field(default_factory=list)
    otp_device: bool = False
    abonnement_jaren: int = 1
    kosten_geaccepteerd: bool = False


@dataclass(frozen=True)
class KostenRegel:
    aantal: int
    omschrijving: str
    bedrag: str
    periode: str
    bedrag_per_jaar: str = ""  # shown struck through next to a 3-year price, as the manual draws it


@dataclass(frozen=True)
class KostenOverzicht:
    regels: list[KostenRegel] = field(default_factory=list)
    fout: str = ""
    niveau_gekozen: bool = False


_PERIODE = {
    Tarief.Periode.JAAR: _("per 1 jaar"),
    Tarief.Periode.DRIE_JAAR: _("per 3 jaar"),
    Tarief.Periode.EENMALIG: _("eenmalig"),
}
_MIDDEL_CODES = {
    Tarief.Code.MIDDEL_EH2_PLUS,
    Tarief.Code.MIDDEL_EH3,
    Tarief.Code.MIDDEL_EH4,
    Tarief.Code.BELASTINGDIENST_EH3,
}


def niveau_tekst(niveau: int) -> str:
    """'eHerkenning niveau 3', as the manual names a level on screen."""
    return str(_("eHerkenning niveau %(niveau)s") % {"niveau": Niveau(niveau).label.removeprefix("EH")})


def kosten_overzicht(keuzes: Keuzes) -> KostenOverzicht:
    """The lines of "Kosten eHerkenning", computed by `facturatie.services.bereken_kosten` (R17)."""
    if keuzes.niveau is None:
        return KostenOverzicht()
    argumenten = {
        "niveau": keuzes.niveau,
        "type": keuzes.type,
        "extra_organisaties": len(keuzes.extra_organisaties),
        "otp_device": keuzes.otp_device,
    }
    try:
        kosten = facturatie.bereken_kosten(abonnement_jaren=keuzes.abonnement_jaren, **argumenten)
        per_jaar = {}
        if keuzes.abonnement_jaren == 3:
            per_jaar = {
                r.code: r.stuksprijs for r in facturatie.bereken_kosten(abonnement_jaren=1, **argumenten).regels
            }
    except DomainError as fout:
        return KostenOverzicht(fout=str(fout), niveau_gekozen=True)
    regels = []
    for regel in kosten.regels:
        if regel.code in _MIDDEL_CODES:
            omschrijving = niveau_tekst(keuzes.niveau)
            if regel.code == Tarief.Code.BELASTINGDIENST_EH3:
                omschrijving = str(Tarief.Code.BELASTINGDIENST_EH3.label)
        else:
            omschrijving = regel.omschrijving
        oud = per_jaar.get(regel.code) if regel.periode == Tarief.Periode.DRIE_JAAR else None
        regels.append(
            KostenRegel(
                aantal=regel.aantal,
                omschrijving=omschrijving,
                bedrag=euro(regel.stuksprijs),
                periode=str(_PERIODE.get(regel.periode, regel.periode_label)),
                bedrag_per_jaar=euro(oud) if oud is not None else "",
            )
        )
    return KostenOverzicht(regels=regels, niveau_gekozen=True)


def prijs_of_leeg(code: str, abonnement_jaren: int = 1) -> str:
    """A price from the tariff table for a label ('vanaf € 41,00 per jaar'); empty when support has not set it."""
    try:
        return euro(facturatie.tarief(code=code, abonnement_jaren=abonnement_jaren))
    except DomainError:
        return ""


# --- R23: is this person a wettelijk vertegenwoordiger of the organisation? ----------------------------------


# --- the form ------------------------------------------------------------------------------------------------


class ToevoegenForm(forms.Form):
    niveau = forms.TypedChoiceField(
        label=_("Kies het betrouwbaarheidsniveau"),
        coerce=int,
        choices=[(int(n), n.label) for n in UITGIFTE_NIVEAUS],
        error_messages={"required": _("Kies het betrouwbaarheidsniveau.")},
    )
    type = forms.ChoiceField(label=_("Type eHerkenningmiddel"), choices=Middel.Type.choices, required=False)
    rol = forms.ChoiceField(
        label=_("Kies de rol"), choices=Koppeling.Rol.choices, error_messages={"required": _("Kies de rol.")}
    )
    # 3. Persoonlijke informatie
    voornamen = forms.CharField(label=_("Voornaam (zoals op ID bewijs)"), max_length=200)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200)
    geboortedatum = DatumField(label=_("Geboortedatum"))
    email = forms.CharField(label=_("E-mailadres"), max_length=254, widget=forms.EmailInput)
    # Identiteitsdocument
    document_type = forms.ChoiceField(
        label=_("Type identiteitsdocument"),
        choices=[("", _("- Kies type identiteitsdocument -")), *IdDocumentType.choices],
    )
    documentnummer = forms.CharField(label=_("Documentnummer"), max_length=20)
    geslacht = forms.ChoiceField(label=_("Geslacht"), choices=[("", _("- Kies geslacht -")), *Persoon.Geslacht.choices])
    geldigheidsdatum = DatumField(label=_("Geldigheidsdatum"))
    uploadwijze = forms.ChoiceField(
        label=_("Upload identiteitsdocument gebruiker"),
        choices=[
            (EEN_BESTAND, _("Voor- en achterkant van het document in 1 bestand")),
            (TWEE_BESTANDEN, _("Voor- en achterkant afzonderlijk, dus 2 bestanden")),
        ],
        required=False,
        initial=EEN_BESTAND,
    )
    document = forms.FileField(label=_("Document uploaden"), required=False)
    voorkant = forms.FileField(label=_("Voorkant uploaden"), required=False)
    achterkant = forms.FileField(label=_("Achterkant uploaden"), required=False)
    # Identificatie adres (EH3 and higher, R15)
    land = forms.CharField(label=_("Land"), max_length=100, required=False, initial="Nederland")
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    huisnummer = forms.CharField(label=_("Huisnummer"), max_length=10, required=False)
    toevoeging = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    straat = forms.CharField(label=_("Straatnaam"), max_length=200, required=False)
    plaats = forms.CharField(label=_("Plaatsnaam"), max_length=100, required=False)
    # 4. eHerkenning opties
    alles_selecteren = forms.BooleanField(label=_("Alles selecteren"), required=False)
    organisaties = forms.MultipleChoiceField(label=_("Organisaties"), required=False)
    tweede_factor = forms.ChoiceField(
        label=_("Tweede factor type"),
        choices=[
            ("", _("- Kies tweede factor authenticatie -")),
            (Middel.TweedeFactor.SMS, _("Per sms aan de gebruiker van eHerkenning")),
            (Middel.TweedeFactor.OTP, _("Met een OTP device")),
        ],
        error_messages={"required": _("Kies een tweede factor: SMS of OTP device.")},
    )
    mobiel = forms.CharField(label=_("Mobiel telefoonnummer"), max_length=20, required=False)
    drie_jaar = forms.BooleanField(
        label=_("Ja, ik kies voor een 3-jarig abonnement en maak gebruik van de bijbehorende korting."),
        required=False,
    )
    kosten_geaccepteerd = forms.BooleanField(
        label=_("Ja, ik ga akkoord met de kosten voor deze gebruiker"), required=False
    )

    def __init__(self, *args, organisatie, organisaties, otp_prijs: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.organisatie = organisatie
        # Only the organisations where the beheerder is beheerder (R4, R12); the current one is always linked.
        self.andere_organisaties = [o for o in organisaties if o.pk != organisatie.pk]
        self.fields["organisaties"].choices = [(str(o.pk), o.naam) for o in self.andere_organisaties]
        if otp_prijs:
            self.fields["tweede_factor"].choices = [
                *self.fields["tweede_factor"].choices[:2],
                (
                    Middel.TweedeFactor.OTP,
                    _("Met een OTP device, eenmalige kosten %(prijs)s") % {"prijs": otp_prijs},
                ),
            ]
        for veld in self.fields.values():
            widget = veld.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", SELECT)
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", CHECKBOX)
            elif isinstance(widget, forms.TextInput | forms.EmailInput):
                widget.attrs.setdefault("class", TEXTBOX)
            elif isinstance(widget, forms.ClearableFileInput):
                widget.attrs.setdefault("class", "bm-bestand")
                widget.attrs.setdefault("accept", ".pdf,.png,.jpg,.jpeg,.jfif,.tif,.tiff,.pjpeg,.bmp")
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["mobiel"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["tweede_factor"].widget.attrs["class"] = f"{SELECT} bm-kosten-keuze"
        for naam in ("drie_jaar", "kosten_geaccepteerd", "alles_selecteren"):
            self.fields[naam].widget.attrs["class"] = f"{CHECKBOX} bm-kosten-keuze"
        if not self.is_bound:
            self._koppel_foutmeldingen()

    # --- accessibility: help and errors are announced with their field ----------------------------------------

    def full_clean(self):
        super().full_clean()
        self._koppel_foutmeldingen()

    def _koppel_foutmeldingen(self):
        opnieuw_kiezen = bool(self.is_bound and self.files and self.errors)
        for naam in self.fields:
            bf = self[naam]
            ids = [f"{bf.auto_id}-hulp"] if self.fields[naam].help_text else []
            if naam in UPLOAD_VELDEN:
                ids.append("bm-upload-hulp")
                if opnieuw_kiezen:
                    ids.append("bm-upload-opnieuw")
            if naam in self.errors:
                ids.append(f"{bf.auto_id}-fout")
                self.fields[naam].widget.attrs["aria-invalid"] = "true"
            if ids:
                self.fields[naam].widget.attrs["aria-describedby"] = " ".join(ids)

    def foutoverzicht(self) -> list[dict]:
        """Every error with the label it belongs to and the anchor of its field, for the summary at the top."""
        regels = [{"label": "", "fout": fout, "anker": ""} for fout in self.non_field_errors()]
        for naam in self.fields:
            for fout in self.errors.get(naam, []):
                bf = self[naam]
                anker = bf.auto_id + ("_dag" if isinstance(self.fields[naam], DatumField) else "")
                if naam in ("niveau", "rol", "type", "uploadwijze"):
                    anker = f"bm-{naam}"
                regels.append({"label": bf.label, "fout": fout, "anker": anker})
        return regels

    # --- lenient reading of the choices the costs depend on ---------------------------------------------------

    def _ruw(self, naam: str, standaard=None):
        if not self.is_bound:
            return self.initial.get(naam, self.fields[naam].initial) or standaard
        return self.data.get(naam, standaard)

    def keuzes(self) -> Keuzes:
        try:
            niveau = int(self._ruw("niveau") or "")
        except ValueError:
            niveau = None
        if niveau not in UITGIFTE_NIVEAUS:
            niveau = None
        if self.is_bound and self.data.get("alles_selecteren"):
            extra = list(self.andere_organisaties)
        else:
            gekozen = set(self.data.getlist("organisaties")) if self.is_bound else set()
            extra = [o for o in self.andere_organisaties if str(o.pk) in gekozen]
        return Keuzes(
            niveau=niveau,
            type=self._type(niveau, self._ruw("type")),
            extra_organisaties=extra,
            otp_device=self._ruw("tweede_factor") == Middel.TweedeFactor.OTP,
            abonnement_jaren=3 if self.is_bound and self.data.get("drie_jaar") else 1,
            kosten_geaccepteerd=bool(self.is_bound and self.data.get("kosten_geaccepteerd")),
        )

    def organisatie_opties(self) -> list[dict]:
        gekozen = {o.pk for o in self.keuzes().extra_organisaties}
        return [
            {"pk": o.pk, "naam": o.naam, "kvk_nummer": o.kvk_nummer, "gekozen": o.pk in gekozen}
            for o in self.andere_organisaties
        ]

    @staticmethod
    def _type(niveau, gekozen) -> str:
        # The Belastingdienstmiddel is offered only at EH3 (§3.8.2); at another level a hidden choice is ignored.
        if niveau == Niveau.EH3 and gekozen == Middel.Type.BELASTINGDIENST:
            return Middel.Type.BELASTINGDIENST
        return Middel.Type.REGULIER

    # --- validation: Django's checks per field, then the domain's checks per group ---------------------------

    def clean(self):
        data = super().clean()
        data["type"] = self._type(data.get("niveau"), data.get("type"))
        if data["type"] == Middel.Type.BELASTINGDIENST:
            # R8: a Belastingdienstmiddel is only ever used by a gebruiker; the screen offers no other role.
            data["rol"] = Koppeling.Rol.GEBRUIKER
        if data.get("alles_selecteren"):
            data["organisaties"] = [str(o.pk) for o in self.andere_organisaties]
        self._controleer_persoon(data)
        self._controleer_document(data)
        self._controleer_adres(data)
        self._controleer_tweede_factor(data)
        return data

    def _heeft_fouten(self, velden) -> bool:
        return any(v in self.errors for v in velden)

    def _controleer(self, functie, *args, velden: dict | None = None, **kwargs):
        try:
            return functie(*args, **kwargs)
        except DomainError as fout:
            self.toon_domeinfout(fout, velden=velden)
            return None

    def toon_domeinfout(self, fout: DomainError, *, velden: dict | None = None) -> None:
        """Show a refusal of the domain layer next to the field it is about, or above the form."""
        naam = (velden or {}).get(fout.code) or self._upload_veld(fout.code) or VELD_VOOR_CODE.get(fout.code)
        if naam and naam in self.errors:
            return  # that field already says what is wrong
        self.add_error(naam if naam in self.fields else None, str(fout))
        self._koppel_foutmeldingen()

    def _upload_veld(self, code: str) -> str | None:
        twee = self._twee_bestanden()
        if code == "upload":
            return "voorkant" if twee else "document"
        if code == "achterzijde":
            return "achterkant" if twee else "document"
        return None

    def _twee_bestanden(self) -> bool:
        soort = self.cleaned_data.get("document_type") if hasattr(self, "cleaned_data") else None
        return bool(
            soort and IdDocumentType(soort).tweezijdig and self.cleaned_data.get("uploadwijze") == TWEE_BESTANDEN
        )

    def persoon_gegevens(self) -> services.PersoonGegevens:
        d = self.cleaned_data
        return services.PersoonGegevens(
            voornamen=d["voornamen"],
            tussenvoegsel=d.get("tussenvoegsel", ""),
            achternaam=d["achternaam"],
            geboortedatum=d["geboortedatum"],
            email=d["email"],
        )

    def _controleer_persoon(self, data):
        if not self._heeft_fouten(PERSOON_VELDEN):
            self._controleer(services.valideer_persoon_gegevens, self.persoon_gegevens())

    def _bestanden(self) -> tuple:
        """(voorzijde, achterzijde) as chosen: one file, or front and back in two files."""
        d = self.cleaned_data
        if self._twee_bestanden():
            return d.get("voorkant"), d.get("achterkant")
        return d.get("document"), None

    def id_document(self) -> services.IdDocument:
        d = self.cleaned_data
        voorzijde, achterzijde = self._bestanden()
        tweezijdig = IdDocumentType(d["document_type"]).tweezijdig
        return services.IdDocument(
            type=d["document_type"],
            documentnummer=d["documentnummer"],
            geslacht=d["geslacht"],
            geldigheidsdatum=d["geldigheidsdatum"],
            voorzijde=voorzijde,
            achterzijde=achterzijde,
            voor_en_achter_in_een_bestand=tweezijdig and not self._twee_bestanden(),
        )

    def _controleer_document(self, data):
        if self._heeft_fouten(("document_type",)):
            in_gebruik = UPLOAD_VELDEN
        elif self._twee_bestanden():
            in_gebruik = ("voorkant", "achterkant")
        else:
            in_gebruik = ("document",)
        # R14: each chosen file on its own, so the error stands next to the file it is about; a missing file is
        # named at once too, also while other ID data is still incomplete.
        for naam in in_gebruik:
            if naam in self.errors:
                continue
            if data.get(naam) is not None:
                self._controleer(services.valideer_upload, data[naam], velden={c: naam for c in _UPLOAD_CODES})
            elif in_gebruik != UPLOAD_VELDEN:
                self.add_error(naam, _ONTBREKEND_BESTAND[naam])
        if not self._heeft_fouten(DOCUMENT_VELDEN + UPLOAD_VELDEN):
            self._controleer(services.valideer_id_document, self.id_document())

    def identificatieadres(self) -> services.Identificatieadres | None:
        d = self.cleaned_data
        if (d.get("niveau") or 0) < Niveau.EH3:
            return None  # EH2+: the activation letter goes to the company address (R15)
        return services.Identificatieadres(
            land=d.get("land", ""),
            postcode=d.get("postcode", ""),
            huisnummer=d.get("huisnummer", ""),
            toevoeging=d.get("toevoeging", ""),
            straat=d.get("straat", ""),
            plaats=d.get("plaats", ""),
        )

    def _controleer_adres(self, data):
        if "niveau" in self.errors or (data.get("niveau") or 0) < Niveau.EH3:
            return
        leeg = [n for n in ("land", "postcode", "huisnummer", "straat", "plaats") if not (data.get(n) or "").strip()]
        for naam in leeg:
            self.add_error(naam, self.fields[naam].error_messages["required"])
        if not leeg and not self._heeft_fouten(ADRES_VELDEN):
            self._controleer(services.valideer_identificatieadres, self.identificatieadres(), niveau=data["niveau"])

    def _controleer_tweede_factor(self, data):
        if self._heeft_fouten(("tweede_factor", "mobiel")):
            return
        if data.get("tweede_factor") == Middel.TweedeFactor.SMS and not (data.get("mobiel") or "").strip():
            self.add_error("mobiel", self.fields["mobiel"].error_messages["required"])
            return
        niveau = data.get("niveau") or Niveau.EH2_PLUS
        self._controleer(
            services.valideer_tweede_factor,
            niveau=niveau,
            tweede_factor=data["tweede_factor"],
            mobiel=data.get("mobiel"),
        )

    # --- what goes to middel_aanvragen -------------------------------------------------------------------------

    def aanvraag_kwargs(self) -> dict:
        d = self.cleaned_data
        gekozen = set(d.get("organisaties") or [])
        return {
            "niveau": d["niveau"],
            "rol": d["rol"],
            "type": d["type"],
            "persoon_gegevens": self.persoon_gegevens(),
            "id_document": self.id_document(),
            "tweede_factor": d["tweede_factor"],
            "mobiel": d.get("mobiel", ""),
            "identificatieadres": self.identificatieadres(),
            "extra_organisaties": [o for o in self.andere_organisaties if str(o.pk) in gekozen],
            "abonnement_jaren": 3 if d.get("drie_jaar") else 1,
            "kosten_geaccepteerd": bool(d.get("kosten_geaccepteerd")),
        }


_UPLOAD_CODES = ("upload_type", "upload_grootte", "upload_inhoud", "upload")
_ONTBREKEND_BESTAND = {
    "document": _("Upload een kopie van het identiteitsdocument."),
    "voorkant": _("Upload de voorkant van het document."),
    "achterkant": _(
        "Upload ook de achterkant: van een identiteitskaart, rijbewijs of NL vreemdelingendocument moeten zowel "
        "de voorzijde als de achterzijde worden aangeleverd."
    ),
}
