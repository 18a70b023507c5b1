"""R14–R16: checking a new user's data: uploads, the ID document, the identificatieadres, the second factor."""

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as nl_postcode

from common.bestanden import OngeldigBestand, controleer_afbeelding, controleer_pdf
from common.dates import plus_maanden, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import IdDocumentType, Middel, Persoon

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


MIN_GELDIG_MAANDEN = 2


@dataclass(frozen=True)
class PersoonGegevens:
    voornamen: str  # as on the ID document
    achternaam: str
    geboortedatum: dt.date
    email: str
    tussenvoegsel: str = ""


@dataclass(frozen=True)
class IdDocument:
    type: str  # IdDocumentType
    documentnummer: str
    geslacht: str  # Persoon.Geslacht
    geldigheidsdatum: dt.date
    voorzijde: File
    achterzijde: File | None = None
    voor_en_achter_in_een_bestand: bool = False


@dataclass(frozen=True)
class Identificatieadres:
    postcode: str
    huisnummer: str
    straat: str
    plaats: str
    toevoeging: str = ""
    land: str = "Nederland"


UPLOAD_EXTENSIES = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jfif": "jpeg",
    "pjpeg": "jpeg",
    "pipeg": "jpeg",
    "tif": "tiff",
    "tiff": "tiff",
    "bmp": "bmp",
}


_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)


def upload_bestandstype(bestand) -> str | None:
    """The file type by its first bytes (magic number), not by its name: pdf, png, jpeg, tiff, bmp or None."""
    positie = bestand.tell() if hasattr(bestand, "tell") else 0
    bestand.seek(0)
    kop = bestand.read(16)
    bestand.seek(positie)
    return next((soort for magic, soort in _MAGIC if kop.startswith(magic)), None)


def valideer_upload(bestand) -> str:
    """R14: an allowed type by name AND by content, at most 5 MB. Returns the type."""
    naam = getattr(bestand, "name", "") or ""
    extensie = naam.rsplit(".", 1)[-1].lower() if "." in naam else ""
    verwacht = UPLOAD_EXTENSIES.get(extensie)
    if verwacht is None:
        raise DomainError(
            _("Ondersteunde bestandstypes zijn: pdf, png, jpg, jpeg, jfif, tif, tiff, pjpeg en bmp."),
            rule="R14",
            code="upload_type",
        )
    if bestand.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("Het bestand mag maximaal 5MB groot zijn."), rule="R14", code="upload_grootte")
    if upload_bestandstype(bestand) != verwacht:
        raise DomainError(
            _("De inhoud van het bestand %(naam)s past niet bij het bestandstype.") % {"naam": naam},
            rule="R14",
            code="upload_inhoud",
        )
    # The first bytes only say what the file claims to be: parse all of it (see common.bestanden).
    try:
        if verwacht == "pdf":
            controleer_pdf(bestand)
        else:
            controleer_afbeelding(bestand, verwacht)
    except OngeldigBestand:
        raise DomainError(
            _("Het bestand %(naam)s kan niet veilig worden geopend. Upload een scan of foto van het document.")
            % {"naam": naam},
            rule="R14",
            code="upload_inhoud",
        ) from None
    return verwacht


_DOCUMENTNUMMER = {
    # Dutch passports, ID cards and residence documents: 9 letters/digits; driving licences: 10 digits.
    IdDocumentType.PASPOORT: re.compile(r"^[A-Z0-9]{9}$"),
    IdDocumentType.IDENTITEITSKAART: re.compile(r"^[A-Z0-9]{9}$"),
    IdDocumentType.VREEMDELINGENDOCUMENT: re.compile(r"^[A-Z0-9]{9}$"),
    IdDocumentType.RIJBEWIJS: re.compile(r"^\d{10}$"),
}


def valideer_id_document(document: IdDocument, *, peildatum: dt.date | None = None) -> None:
    """R14: type, documentnummer, geslacht, valid for at least 2 more months, and the upload(s)."""
    if document.type not in IdDocumentType.values:
        raise DomainError(_("Kies het type identiteitsdocument."), rule="R14", code="document_type")
    soort = IdDocumentType(document.type)
    nummer = (document.documentnummer or "").replace(" ", "").upper()
    if not _DOCUMENTNUMMER[soort].match(nummer):
        raise DomainError(_("Vul een geldig documentnummer in."), rule="R14", code="documentnummer")
    if document.geslacht not in Persoon.Geslacht.values:
        raise DomainError(_("Kies het geslacht zoals op het identiteitsdocument."), rule="R14", code="geslacht")
    minimaal = plus_maanden(peildatum or vandaag(), MIN_GELDIG_MAANDEN)
    if document.geldigheidsdatum is None or document.geldigheidsdatum < minimaal:
        raise DomainError(
            _(
                "Let er op dat het document nog minimaal 2 maanden geldig is; controleer de vervaldatum van het document."
            ),
            rule="R14",
            code="geldigheidsdatum",
        )
    if document.voorzijde is None:
        raise DomainError(_("Upload een kopie van het identiteitsdocument."), rule="R14", code="upload")
    valideer_upload(document.voorzijde)
    if document.achterzijde is not None:
        valideer_upload(document.achterzijde)
    elif soort.tweezijdig and not document.voor_en_achter_in_een_bestand:
        raise DomainError(
            _(
                "Van een identiteitskaart, rijbewijs of NL vreemdelingendocument moeten zowel de voorzijde als "
                "de achterzijde worden aangeleverd, in één bestand of als twee afzonderlijke bestanden."
            ),
            rule="R14",
            code="achterzijde",
        )


def valideer_persoon_gegevens(gegevens: PersoonGegevens) -> None:
    """R14: the personal data of a new user."""
    if not (gegevens.voornamen or "").strip():
        raise DomainError(_("Vul de voornaam in zoals op het ID bewijs."), rule="R14", code="voornamen")
    if not (gegevens.achternaam or "").strip():
        raise DomainError(_("Vul de achternaam in."), rule="R14", code="achternaam")
    if gegevens.geboortedatum is None or gegevens.geboortedatum >= vandaag():
        raise DomainError(_("Vul een geldige geboortedatum in."), rule="R14", code="geboortedatum")
    _valideer_email(gegevens.email)


def _valideer_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Vul een geldig e-mailadres in."), rule="R14", code="email") from None
    return email


_HUISNUMMER = re.compile(r"^\d{1,5}$")


def valideer_identificatieadres(adres: Identificatieadres | None, *, niveau: int) -> Identificatieadres | None:
    """R15: from EH3 an identificatieadres is required; a Dutch postcode is checked. Returns it normalised."""
    if niveau < Niveau.EH3:
        return None
    if adres is None:
        raise DomainError(
            _("Voor niveau EH3 moet er een identificatieadres worden opgegeven."), rule="R15", code="adres"
        )
    land = (adres.land or "").strip()
    if not land:
        raise DomainError(_("Vul het land in."), rule="R15", code="land")
    postcode = (adres.postcode or "").strip()
    if land.lower() in ("nederland", "nl", "the netherlands", "netherlands"):
        try:
            postcode = nl_postcode.validate(postcode)
        except StdnumValidationError:
            raise DomainError(
                _("Vul een geldige postcode in, bijvoorbeeld 1234 AB."), rule="R15", code="postcode"
            ) from None
    elif not postcode:
        raise DomainError(_("Vul de postcode in."), rule="R15", code="postcode")
    huisnummer = (adres.huisnummer or "").strip()
    if not _HUISNUMMER.match(huisnummer):
        raise DomainError(_("Vul een geldig huisnummer in."), rule="R15", code="huisnummer")
    if not (adres.straat or "").strip():
        raise DomainError(_("Vul de straatnaam in."), rule="R15", code="straat")
    if not (adres.plaats or "").strip():
        raise DomainError(_("Vul de plaatsnaam in."), rule="R15", code="plaats")
    return Identificatieadres(
        land=land,
        postcode=postcode,
        huisnummer=huisnummer,
        toevoeging=(adres.toevoeging or "").strip(),
        straat=adres.straat.strip(),
        plaats=adres.plaats.strip(),
    )


def normaliseer_mobiel(mobiel: str) -> str:
    """R16/R21: a valid Dutch mobile number (06…, +316…), returned as E.164."""
    try:
        nummer = phonenumbers.parse(mobiel or "", "NL")
    except phonenumbers.NumberParseException:
        nummer = None
    if (
        nummer is None
        or nummer.country_code != 31
        or not phonenumbers.is_valid_number(nummer)
        or phonenumbers.number_type(nummer) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise DomainError(
            _("Vul een geldig Nederlands mobiel telefoonnummer in, bijvoorbeeld 0612345678."),
            rule="R16",
            code="mobiel",
        )
    return phonenumbers.format_number(nummer, phonenumbers.PhoneNumberFormat.E164)


def valideer_tweede_factor(*, niveau: int, tweede_factor: str, mobiel: str = "") -> tuple[str, str]:
    """R16: from EH2+ a second factor is chosen: SMS to a valid mobile number, or an OTP device."""
    if niveau < Niveau.EH2_PLUS:
        return tweede_factor or Middel.TweedeFactor.GEEN, ""
    if tweede_factor == Middel.TweedeFactor.SMS:
        return tweede_factor, normaliseer_mobiel(mobiel)
    if tweede_factor == Middel.TweedeFactor.OTP:
        return tweede_factor, ""
    raise DomainError(_("Kies een tweede factor: SMS of OTP device."), rule="R16", code="tweede_factor")


def valideer_nieuwe_gebruiker(
    *,
    niveau: int,
    persoon_gegevens: PersoonGegevens,
    id_document: IdDocument,
    tweede_factor: str,
    mobiel: str = "",
    identificatieadres: Identificatieadres | None = None,
) -> tuple[str, str, Identificatieadres | None]:
    """R14–R16 together, for a form to call before the costs step. Returns (tweede_factor, mobiel, adres)."""
    valideer_persoon_gegevens(persoon_gegevens)
    valideer_id_document(id_document)
    adres = valideer_identificatieadres(identificatieadres, niveau=niveau)
    factor, nummer = valideer_tweede_factor(niveau=niveau, tweede_factor=tweede_factor, mobiel=mobiel)
    return factor, nummer, adres


def _adres_velden(adres: Identificatieadres | None) -> dict:
    if adres is None:
        return {}
    return {
        "id_land": adres.land,
        "id_postcode": adres.postcode,
        "id_huisnummer": adres.huisnummer,
        "id_toevoeging": adres.toevoeging,
        "id_straat": adres.straat,
        "id_plaats": adres.plaats,
    }
