"""The form behind "+ Voeg toe" (§3.2, §3.2.1): the fields of the four steps, rendered by the one form renderer
(common/forms.py), and the lenient reading of the choices the cost overview depends on (R17)."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import CheckboxSelectMultiple, DatumField, RadioSelect
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from facturatie.models import Tarief
from gebruikers.forms_toevoegen.kosten import Keuzes, niveau_tekst, prijs_of_leeg
from gebruikers.forms_toevoegen.validatie import EEN_BESTAND, TWEE_BESTANDEN, UPLOAD_VELDEN, ToevoegenValidatie
from gebruikers.models import IdDocumentType, Koppeling, Middel, Persoon

ACCEPT = ".pdf,.png,.jpg,.jpeg,.jfif,.tif,.tiff,.pjpeg,.bmp"
# Every choice marked bm-kosten-keuze refreshes "Kosten eHerkenning" (R17); typed data is never sent along.
KOSTEN_KEUZE = {"class": "bm-kosten-keuze"}


def _rechten(*regels) -> str:
    """The ✓/✗ lines under a role, as the manual draws them (§3.2)."""
    return format_html(
        '<ul class="bm-rechten">{}</ul>',
        format_html_join(
            "",
            '<li class="{}"><span aria-hidden="true">{}</span> {}</li>',
            (("bm-recht-ja", "✓", tekst) if ja else ("bm-recht-nee", "✗", tekst) for ja, tekst in regels),
        ),
    )


ROL_RECHTEN = {
    Koppeling.Rol.GEBRUIKER: (
        (True, _("Mag inloggen bij diensten aangewezen door de beheerder.")),
        (False, _("Heeft geen beheerrechten binnen eHerkenning.")),
    ),
    Koppeling.Rol.BEHEERDER: (
        (True, _("Mag inloggen bij diensten aangewezen door de beheerder.")),
        (True, _("Heeft beheerrechten binnen eHerkenning en mag gebruikers en machtigingen beheren.")),
    ),
}


class ToevoegenForm(ToevoegenValidatie, forms.Form):
    niveau = forms.TypedChoiceField(
        label=_("Kies het betrouwbaarheidsniveau"),
        coerce=int,
        choices=[(int(n), n.label) for n in UITGIFTE_NIVEAUS],
        error_messages={"required": _("Kies het betrouwbaarheidsniveau.")},
        help_text=_(
            "Het EH niveau waaruit de beheerder kan kiezen is afhankelijk van het EH niveau waarover de "
            "beheerder zelf beschikt."
        ),
        widget=RadioSelect(attrs=KOSTEN_KEUZE),
    )
    type = forms.ChoiceField(
        label=_("Type eHerkenningmiddel"),
        choices=[(Middel.Type.REGULIER, _("Regulier")), (Middel.Type.BELASTINGDIENST, _("Belastingdienst (EH3)"))],
        required=False,
        initial=Middel.Type.REGULIER,
        widget=RadioSelect(
            attrs=KOSTEN_KEUZE,
            # R8: a Belastingdienstmiddel is only for a gebruiker, so choosing it chooses that role.
            optie_attrs={Middel.Type.BELASTINGDIENST: {"data-bm-sets": "rol=gebruiker"}},
        ),
    )
    rol = forms.ChoiceField(
        label=_("Kies de rol"),
        choices=[(Koppeling.Rol.GEBRUIKER, _("Reguliere gebruiker")), (Koppeling.Rol.BEHEERDER, _("Beheerder"))],
        error_messages={"required": _("Kies de rol.")},
        widget=RadioSelect(beschrijvingen={rol: _rechten(*regels) for rol, regels in ROL_RECHTEN.items()}),
    )
    # 3. Persoonlijke informatie
    voornamen = forms.CharField(label=_("Voornaam (zoals op ID bewijs)"), max_length=200)
    tussenvoegsel = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    achternaam = forms.CharField(label=_("Achternaam"), max_length=200)
    geboortedatum = DatumField(label=_("Geboortedatum"))
    email = forms.CharField(
        label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    # Identiteitsdocument
    document_type = forms.ChoiceField(
        label=_("Type identiteitsdocument"),
        choices=[("", _("- Kies type identiteitsdocument -")), *IdDocumentType.choices],
    )
    documentnummer = forms.CharField(label=_("Documentnummer"), max_length=20)
    geslacht = forms.ChoiceField(label=_("Geslacht"), choices=[("", _("- Kies geslacht -")), *Persoon.Geslacht.choices])
    geldigheidsdatum = DatumField(label=_("Geldigheidsdatum"))
    uploadwijze = forms.ChoiceField(
        label=_("Hoe levert u het document aan?"),
        choices=[
            (EEN_BESTAND, _("Voor- en achterkant van het document in 1 bestand")),
            (TWEE_BESTANDEN, _("Voor- en achterkant afzonderlijk, dus 2 bestanden")),
        ],
        required=False,
        initial=EEN_BESTAND,
        widget=RadioSelect,
    )
    document = forms.FileField(
        label=_("Document uploaden"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    voorkant = forms.FileField(
        label=_("Voorkant uploaden"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    achterkant = forms.FileField(
        label=_("Achterkant uploaden"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    # Identificatie adres (EH3 and higher, R15)
    land = forms.CharField(label=_("Land"), max_length=100, required=False, initial="Nederland")
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    huisnummer = forms.CharField(label=_("Huisnummer"), max_length=10, required=False)
    toevoeging = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    straat = forms.CharField(label=_("Straatnaam"), max_length=200, required=False)
    plaats = forms.CharField(label=_("Plaatsnaam"), max_length=100, required=False)
    # 4. eHerkenning opties
    alles_selecteren = forms.BooleanField(
        label=_("Alles selecteren"),
        required=False,
        widget=forms.CheckboxInput(attrs={**KOSTEN_KEUZE, "data-bm-select-all": "organisaties"}),
    )
    organisaties = forms.MultipleChoiceField(
        label=_("Organisaties"),
        required=False,
        help_text=_(
            "Voor de extra vestigingen worden Kvk koppelkosten in rekening gebracht. De kosten hiervoor worden "
            "direct in het kostenoverzicht getoond."
        ),
        widget=CheckboxSelectMultiple(attrs=KOSTEN_KEUZE),
    )
    tweede_factor = forms.ChoiceField(
        label=_("Tweede factor type"),
        choices=[
            ("", _("- Kies tweede factor authenticatie -")),
            (Middel.TweedeFactor.SMS, _("Per sms aan de gebruiker van eHerkenning")),
            (Middel.TweedeFactor.OTP, _("Met een OTP device")),
        ],
        error_messages={"required": _("Kies een tweede factor: SMS of OTP device.")},
        widget=forms.Select(attrs=KOSTEN_KEUZE),
    )
    mobiel = forms.CharField(
        label=_("Mobiel telefoonnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    drie_jaar = forms.BooleanField(
        label=_("Ja, ik kies voor een 3-jarig abonnement en maak gebruik van de bijbehorende korting."),
        required=False,
        widget=forms.CheckboxInput(attrs=KOSTEN_KEUZE),
    )
    kosten_geaccepteerd = forms.BooleanField(
        label=_("Ja, ik ga akkoord met de kosten voor deze gebruiker"),
        required=False,
        widget=forms.CheckboxInput(attrs=KOSTEN_KEUZE),
    )

    def __init__(self, *args, organisatie, organisaties, niveaus=(), met_prijzen: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisatie = organisatie
        # Only the organisations where the beheerder is beheerder (R4, R12); the current one is always linked.
        self.andere_organisaties = [o for o in organisaties if o.pk != organisatie.pk]
        self.fields["organisaties"].choices = [(str(o.pk), o.naam) for o in self.andere_organisaties]
        if met_prijzen:
            self._toon_keuzes(niveaus)
        self._koppel_upload_hulp()

    def _toon_keuzes(self, niveaus) -> None:
        """What the screen offers: R10's levels with their yearly price, the current organisation ticked and
        fixed, prices in the labels; the field choices stay complete so a level above one's own is refused by
        the domain's R10 message, not as an unknown choice."""
        velden = self.fields
        velden["niveau"].widget.choices = [(int(n), self._niveau_label(n)) for n in niveaus]
        prijs = prijs_of_leeg(Tarief.Code.BELASTINGDIENST_EH3)
        if prijs:
            velden["type"].widget.choices = [
                velden["type"].choices[0],
                (Middel.Type.BELASTINGDIENST, format_html("{} {}", _("Belastingdienst (EH3)"), self._vanaf(prijs))),
            ]
        huidig = self.organisatie
        velden["organisaties"].widget.choices = [
            (
                str(huidig.pk),
                format_html(
                    "<strong>{}</strong> {} {} {}",
                    huidig.naam,
                    _("Huidig bedrijf"),
                    _("KVK-nummer:"),
                    huidig.kvk_nummer,
                ),
            ),
            *[
                (str(o.pk), format_html("<strong>{}</strong> {} {}", o.naam, _("KVK-nummer:"), o.kvk_nummer))
                for o in self.andere_organisaties
            ],
        ]
        velden["organisaties"].widget.vast = {str(huidig.pk)}
        otp_prijs = prijs_of_leeg(Tarief.Code.OTP_DEVICE, 0)
        if otp_prijs:
            velden["tweede_factor"].choices = [
                *velden["tweede_factor"].choices[:2],
                (Middel.TweedeFactor.OTP, _("Met een OTP device, eenmalige kosten %(prijs)s") % {"prijs": otp_prijs}),
            ]

    @staticmethod
    def _vanaf(prijs: str) -> str:
        return format_html('<span class="bm-prijs">{}</span>', _("vanaf %(prijs)s per jaar") % {"prijs": prijs})

    def _niveau_label(self, niveau: Niveau) -> str:
        prijs = prijs_of_leeg(facturatie.middel_tariefcode(niveau=niveau))
        return format_html(
            '<span class="bm-badge bm-badge--niveau">{}</span> {}{}',
            niveau.badge,
            niveau_tekst(niveau),
            format_html(" {}", self._vanaf(prijs)) if prijs else "",
        )

    # --- accessibility: the upload fields are also described by the upload help above them --------------------

    def full_clean(self):
        super().full_clean()
        self._koppel_upload_hulp()

    def _koppel_upload_hulp(self):
        # A widget's own aria-describedby replaces Django's, so help and error ids are named here too.
        opnieuw_kiezen = bool(self.is_bound and self.files and self._errors)
        for naam in UPLOAD_VELDEN:
            ids = ["bm-upload-hulp", *(["bm-upload-opnieuw"] if opnieuw_kiezen else [])]
            if self._errors and naam in self._errors:
                ids.append(f"{self[naam].auto_id}_error")
            self.fields[naam].widget.attrs["aria-describedby"] = " ".join(ids)

    def foutoverzicht(self) -> list[dict]:
        """Every error with the label it belongs to and the anchor of its field, for the summary at the top."""
        regels = [{"label": "", "fout": fout, "anker": ""} for fout in self.non_field_errors()]
        for naam in self.fields:
            for fout in self.errors.get(naam, []):
                bf = self[naam]
                anker = bf.auto_id + ("_dag" if isinstance(self.fields[naam], DatumField) else "")
                if bf.use_fieldset:
                    anker = f"{bf.auto_id}_groep"
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

    @staticmethod
    def _type(niveau, gekozen) -> str:
        # The Belastingdienstmiddel is offered only at EH3 (§3.8.2); at another level a hidden choice is ignored.
        if niveau == Niveau.EH3 and gekozen == Middel.Type.BELASTINGDIENST:
            return Middel.Type.BELASTINGDIENST
        return Middel.Type.REGULIER
