"""Forms of *Ketenmachtigingen van relaties* (R43): requesting the module, inviting one relation, and the
file of many. The file is read here, at the input boundary; every bad file gets a clear message and changes
nothing. The rows are judged by the service (`relaties_beoordelen`)."""

import csv
import io
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from catalogus.models import Dienst, Dienstverlener
from common.export import FORMULE_BEGINTEKENS
from machtigingen.forms_toevoegen import ALGEMEEN_GELDT, DienstenKeuzeForm
from machtigingen.models import Scope

MAX_BESTAND_BYTES = 1024 * 1024

# Column names as a person may write them → the service's keys.
KOLOMMEN = {
    "kvk_nummer": "kvk_nummer",
    "kvk-nummer": "kvk_nummer",
    "kvknummer": "kvk_nummer",
    "kvk": "kvk_nummer",
    "email": "email",
    "e-mail": "email",
    "e-mailadres": "email",
    "emailadres": "email",
    "naam": "naam",
    "scope": "scope",
    "reikwijdte": "scope",
    "niveau": "niveau",
    "dienstverlener_oin": "dienstverlener_oin",
    "oin": "dienstverlener_oin",
    "service_uuid": "service_uuid",
    "dienst": "service_uuid",
    "looptijd_jaren": "looptijd_jaren",
    "looptijd": "looptijd_jaren",
    "duur": "looptijd_jaren",
}
VERPLICHT = ("kvk_nummer", "email")

LOOPTIJDEN = [(5, _("5 jaar (meest gekozen)")), (4, _("4 jaar")), (3, _("3 jaar")), (2, _("2 jaar")), (1, _("1 jaar"))]


class ModuleAanvragenForm(forms.Form):
    spoed = forms.BooleanField(
        label=_("Spoedprocedure: binnen één werkdag geregeld"),
        required=False,
        help_text=_("Bijvoorbeeld wanneer uw relatie in het buitenland woont."),
    )


class UitnodigenForm(DienstenKeuzeForm):
    """One relation: KvK-nummer, e-mail, the diensten asked (R43, *Kies diensten* as everywhere: the fields and
    options of DienstenKeuzeForm) and the duration (R73)."""

    kvk_nummer = forms.CharField(
        label=_("KVK-nummer van uw relatie"),
        max_length=20,
        error_messages={"required": _("Vul het KVK-nummer van uw relatie in.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres van uw relatie"),
        help_text=_("Hier komt de uitnodiging. Een wettelijk vertegenwoordiger van uw relatie beantwoordt haar."),
        error_messages={"required": _("Vul het e-mailadres van uw relatie in.")},
    )
    naam = forms.CharField(label=_("Naam van uw relatie (optioneel)"), max_length=200, required=False)
    looptijd_jaren = forms.TypedChoiceField(
        label=_("Kies de duur van de machtigingen"), coerce=int, choices=LOOPTIJDEN, initial=5
    )
    spoed = forms.BooleanField(label=_("Spoedprocedure"), required=False)

    def __init__(self, *args, zoek_url: str = "", **kwargs):
        super().__init__(*args, zoek_url=zoek_url, zoek_doel="#bm-relatie-diensten", **kwargs)
        self.fields["algemeen"].help_text = ALGEMEEN_GELDT

    def clean(self):
        data = super().clean()
        if not (data.get("algemeen") or data.get("dienstverlener") or data.get("dienst")):
            raise ValidationError(_("Kies minstens één dienst waarvoor u de ketenmachtiging vraagt."))
        return data

    def keuzes(self) -> list[dict]:
        """The scopes asked, as the service takes them; an id the catalogue does not hold is passed as None, which
        the service refuses with its reason (R70)."""
        gekozen = self.gekozen()
        diensten = Dienst.objects.select_related("dienstverlener").in_bulk(gekozen["diensten"])
        verleners = Dienstverlener.objects.in_bulk(gekozen["dienstverleners"])
        keuzes = [{"scope": Scope.ALGEMEEN, "niveau": n} for n in gekozen["algemene_niveaus"]]
        keuzes += [
            {"scope": Scope.DIENSTVERLENER, "dienstverlener": verleners.get(pk)} for pk in gekozen["dienstverleners"]
        ]
        keuzes += [{"scope": Scope.DIENST, "dienst": diensten.get(pk)} for pk in gekozen["diensten"]]
        return keuzes


def _tekst(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        waarde = int(waarde)
    if isinstance(waarde, int):
        return str(waarde)
    return str(waarde).strip()


def _rijen_xlsx(inhoud: bytes) -> list[list]:
    try:
        werkboek = load_workbook(io.BytesIO(inhoud), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise ValidationError(_("Dit is geen geldig Excel-bestand (.xlsx)."), code="xlsx_ongeldig") from e
    try:
        blad = werkboek.worksheets[0]
        rijen = []
        for rij in blad.iter_rows(values_only=True):
            rijen.append(list(rij))
            if len(rijen) > 10_000:
                break
        return rijen
    finally:
        werkboek.close()


def _rijen_csv(inhoud: bytes) -> list[list]:
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValidationError(
            _("Het CSV-bestand is niet leesbaar; sla het op als CSV (UTF-8)."), code="csv_ongeldig"
        ) from e
    if "\x00" in tekst:
        raise ValidationError(_("Het CSV-bestand is niet leesbaar; sla het op als CSV (UTF-8)."), code="csv_ongeldig")
    eerste = tekst.splitlines()[0] if tekst.strip() else ""
    scheiding = ";" if eerste.count(";") >= eerste.count(",") and ";" in eerste else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(tekst), delimiter=scheiding)]
    except csv.Error as e:
        raise ValidationError(_("Het CSV-bestand is niet leesbaar."), code="csv_ongeldig") from e


def lees_bestand(upload) -> list[dict]:
    """An uploaded .xlsx or .csv → rows as dicts with the service's keys and `rijnummer` (the line in the
    file). Raises ValidationError with a clear message for every kind of bad file."""
    naam = (getattr(upload, "name", "") or "").lower()
    if not naam.endswith((".xlsx", ".csv")):
        raise ValidationError(_("Kies een bestand van het type .xlsx of .csv."), code="type")
    if upload.size > MAX_BESTAND_BYTES:
        raise ValidationError(_("Het bestand is groter dan 1 MB. Splits het bestand."), code="te_groot")
    inhoud = upload.read()
    if not inhoud.strip():
        raise ValidationError(_("Het bestand is leeg."), code="leeg")
    ruwe_rijen = _rijen_xlsx(inhoud) if naam.endswith(".xlsx") else _rijen_csv(inhoud)
    # Which cells were numbers in Excel: there a KvK-nummer lost its leading zero.
    getallen = [[isinstance(c, int | float) and not isinstance(c, bool) for c in r] for r in ruwe_rijen]
    ruwe_rijen = [[_tekst(c) for c in r] for r in ruwe_rijen]
    # Leading empty lines are skipped; the first non-empty line is the header.
    while ruwe_rijen and not any(ruwe_rijen[0]):
        ruwe_rijen.pop(0)
        getallen.pop(0)
    if not ruwe_rijen:
        raise ValidationError(_("Het bestand is leeg."), code="leeg")
    kop = [c.strip().lower() for c in ruwe_rijen[0]]
    onbekend = [c for c in kop if c and c not in KOLOMMEN]
    sleutels = [KOLOMMEN.get(c) for c in kop]
    ontbreekt = [v for v in VERPLICHT if v not in sleutels]
    if onbekend or ontbreekt:
        raise ValidationError(
            _(
                "De kolommen kloppen niet. Verplicht: kvk_nummer en email; toegestaan daarnaast: naam, scope, "
                "niveau, dienstverlener_oin, service_uuid, looptijd_jaren. %(fout)s"
            )
            % {
                "fout": " ".join(
                    ([str(_("Onbekend: %(k)s.") % {"k": ", ".join(onbekend)})] if onbekend else [])
                    + ([str(_("Ontbreekt: %(k)s.") % {"k": ", ".join(ontbreekt)})] if ontbreekt else [])
                )
            },
            code="kolommen",
        )
    rijen = []
    kvk_kolom = sleutels.index("kvk_nummer")
    for regel, (ruw, getal) in enumerate(zip(ruwe_rijen[1:], getallen[1:], strict=True), start=2):
        if not any(ruw):
            continue
        for cel in ruw:
            if cel.startswith(FORMULE_BEGINTEKENS[:4]):
                raise ValidationError(
                    _("Regel %(regel)d bevat een formule of een waarde die met =, +, - of @ begint. Haal die weg.")
                    % {"regel": regel},
                    code="formule",
                )
        rij = {"rijnummer": regel}
        for sleutel, cel in zip(sleutels, ruw, strict=False):
            if sleutel:
                rij[sleutel] = cel
        if kvk_kolom < len(getal) and getal[kvk_kolom]:
            rij["kvk_nummer"] = rij["kvk_nummer"].zfill(8)  # Excel drops the leading zero of a number
        rijen.append(rij)
    if not rijen:
        raise ValidationError(_("Het bestand bevat geen relaties, alleen een kopregel."), code="leeg")
    return rijen


class BestandForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand met relaties (.xlsx of .csv)"),
        help_text=_(
            "Eén relatie per regel, met de kolommen kvk_nummer en email; naam, scope, niveau, "
            "dienstverlener_oin, service_uuid en looptijd_jaren zijn optioneel."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        self.rijen = lees_bestand(upload)
        return upload


class KoppelForm(forms.Form):
    middel = forms.ModelChoiceField(label=_("Medewerker"), queryset=None, empty_label=_("Kies een medewerker"))

    def __init__(self, *args, middelen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["middel"].queryset = middelen
        self.fields["middel"].label_from_instance = lambda m: f"{m.persoon.naam} ({m.get_niveau_display()})"
