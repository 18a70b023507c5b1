"""Writes for the rubriek Gebruikers: roles, new middelen, upgrades, koppelingen, status flow, opzeggen (R5–R23).

Every refusal raises `DomainError` with the manual's Dutch wording where it has one; every change is audited (R74).

R5 under concurrency: every service that can take away a beheerder first locks ALL non-ended beheerder
koppelingen of the organisations involved (`_vergrendel_beheerders`), always in (organisatie, pk) order and
before any other lock, then re-reads the state and counts the beheerders that remain. Two beheerders demoting
or terminating each other at the same moment are thereby serialised on PostgreSQL: the second one sees the
first one's committed change and is refused.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as nl_postcode

from audit.services import audit_bulk, audit_log
from beheer.selectors import beheerbare_organisaties
from common.dates import plus_jaren, plus_maanden, vandaag
from common.errors import DomainError
from common.niveau import UITGIFTE_NIVEAUS, Niveau
from facturatie import services as facturatie
from gebruikers.models import Aanvraag, IdDocumentType, Koppeling, Middel, Persoon
from gebruikers.rules import is_support
from gebruikers.selectors import NIET_GEACTIVEERD, VERBORGEN_STATUSSEN
from organisaties.models import Organisatie

ACTIVATIE_TERMIJN_DAGEN = 30
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MIN_GELDIG_MAANDEN = 2

BEHEERDER = Koppeling.Rol.BEHEERDER
GEBRUIKER = Koppeling.Rol.GEBRUIKER


# --- Messages -----------------------------------------------------------------------------------------------


def _notify(bericht: str, **context) -> None:
    """THE single place where this app's messages leave: through the outbox of `berichten`.

    Called inside the service's transaction, so the outbox row commits or rolls back with the change.
    Events without a message to a person (an aanvraag received, a role change, ...) are confirmed on screen and
    kept in the audit trail only.
    """
    from berichten import services as berichten

    if bericht == "aanvraag_goedgekeurd":
        aanvraag = context["aanvraag"]
        middel = aanvraag.middel
        if aanvraag.soort not in (Aanvraag.Soort.NIEUW_MIDDEL, Aanvraag.Soort.NIEUWE_ACTIVATIE) or middel is None:
            return
        from django.conf import settings

        from inloggen.services import activatielink_maken

        meld = (
            berichten.meld_activatie
            if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL
            else berichten.meld_nieuwe_activatie
        )
        meld(
            persoon=middel.persoon,
            activeren_tot=middel.activeren_tot,
            link=settings.SITE_URL.rstrip("/") + activatielink_maken(middel=middel),
            organisatie=aanvraag.organisatie,
        )
        if middel.niveau == Niveau.EH2_PLUS:
            # R15: for EH2+ a letter goes to the company address too; made by the worker after commit.
            from gebruikers.tasks import maak_activatiebrief

            transaction.on_commit(lambda: maak_activatiebrief.delay(aanvraag.pk))
    elif bericht == "aanvraag_afgekeurd":
        berichten.meld_aanvraag_afgekeurd(aanvraag=context["aanvraag"], reden=context["reden"])
    elif bericht == "mobiel_gewijzigd":
        berichten.meld_telefoonnummer_gewijzigd(
            persoon=context["persoon"], nieuw_nummer=context["nieuw"], organisatie=context.get("organisatie")
        )


def activatiebrief_maken(*, aanvraag: Aanvraag) -> Aanvraag:
    """R15: the EH2+ activation letter as PDF on the aanvraag, for support to print and post. Idempotent: a
    letter is made once per approval, and only while the middel still waits for activation."""
    from django.core.files.base import ContentFile

    from inloggen.services import activatiebrief_pdf

    aanvraag = Aanvraag.objects.select_related("middel__persoon", "organisatie").get(pk=aanvraag.pk)
    middel = aanvraag.middel
    if aanvraag.activatiebrief or middel is None or middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE:
        return aanvraag
    pdf = activatiebrief_pdf(middel=middel)
    aanvraag.activatiebrief.save(f"activatiebrief-{aanvraag.pk}.pdf", ContentFile(pdf), save=False)
    aanvraag.save(update_fields=["activatiebrief"])
    audit_log(
        actor=None,
        organisatie=aanvraag.organisatie,
        actie="aanvraag.activatiebrief",
        omschrijving=_("Activatiebrief gemaakt voor %(naam)s") % {"naam": middel.persoon.naam},
        object=aanvraag,
    )
    return aanvraag


# --- Small helpers ------------------------------------------------------------------------------------------


def _json(waarde):
    """Audit `voor`/`na` are plain JSON: dates as ISO text, Decimals as text."""
    if isinstance(waarde, dict):
        return {k: _json(v) for k, v in waarde.items()}
    if isinstance(waarde, list | tuple):
        return [_json(v) for v in waarde]
    if isinstance(waarde, dt.date | dt.datetime):
        return waarde.isoformat()
    if isinstance(waarde, Decimal):
        return str(waarde)
    return waarde


def _middel_stand(middel: Middel) -> dict:
    return _json(
        {
            "status": middel.status,
            "niveau": Niveau(middel.niveau).label,
            "type": middel.type,
            "tweede_factor": middel.tweede_factor,
            "activeren_tot": middel.activeren_tot,
        }
    )


def _koppeling_stand(koppeling: Koppeling) -> dict:
    return _json(
        {
            "rol": koppeling.rol,
            "status": koppeling.status,
            "abonnement_jaren": koppeling.abonnement_jaren,
            "abonnement_start": koppeling.abonnement_start,
            "abonnement_eind": koppeling.abonnement_eind,
            "opzeggen_per": koppeling.opzeggen_per,
            "opzegmoment": koppeling.opzegmoment,
        }
    )


def _vereis_beheerder(actor, organisatie_ids) -> Middel:
    """R1/R4: the actor is beheerder (Actief, EH2+ or higher, regulier) of every one of these organisations.

    Uses the same selector as the Beheermodule's middleware, so the screens and the services always agree.
    """
    ids = {getattr(o, "pk", o) for o in organisatie_ids}
    beheerd = {o.pk for o in beheerbare_organisaties(actor)} if getattr(actor, "pk", None) else set()
    if not ids <= beheerd:
        raise DomainError(_("U bent geen beheerder van deze organisatie."), rule="R1", code="geen_beheerder")
    return Middel.objects.get(persoon=actor)


def _vereis_support(door) -> None:
    if not is_support(door):
        raise DomainError(_("Alleen medewerkers van We-ID behandelen aanvragen."), rule="R18")


def _vereis_akkoord_kosten(kosten_geaccepteerd: bool) -> None:
    if not kosten_geaccepteerd:
        raise DomainError(
            _("Ga akkoord met de kosten om de aanvraag te versturen."), rule="R17", code="kosten_niet_geaccepteerd"
        )


def _vereis_abonnement(abonnement_jaren: int) -> None:
    if abonnement_jaren not in (1, 3):
        raise DomainError(_("Kies een 1-jarig of een 3-jarig abonnement."), rule="R17")


def _vereis_geen_open_aanvraag(middel: Middel) -> None:
    """R13: no new mutation while one is in behandeling (the database constraint is the fallback)."""
    if Aanvraag.objects.filter(middel=middel, status=Aanvraag.Status.IN_BEHANDELING).exists():
        raise DomainError(_MUTATIE_IN_BEHANDELING, rule="R13", code="mutatie_in_behandeling")


_MUTATIE_IN_BEHANDELING = _(
    "Er is al een mutatie voor deze gebruiker in behandeling. "
    "U kunt geen nieuwe mutatie doorvoeren zolang deze nog in behandeling is."
)


def _maak_aanvraag(**velden) -> Aanvraag:
    """Create an open aanvraag; a concurrent second one for the same middel hits the constraint (R13)."""
    try:
        with transaction.atomic():
            return Aanvraag.objects.create(**velden)
    except IntegrityError:
        raise DomainError(_MUTATIE_IN_BEHANDELING, rule="R13", code="mutatie_in_behandeling") from None


def _koppeling_bij(middel: Middel, organisatie) -> Koppeling:
    koppeling = (
        Koppeling.objects.select_related("organisatie")
        .filter(middel=middel, organisatie_id=getattr(organisatie, "pk", organisatie))
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .first()
    )
    if koppeling is None:
        raise DomainError(_("Deze gebruiker is niet gekoppeld aan deze organisatie."), rule="R4")
    return koppeling


# --- R5: at least one beheerder, also under concurrency -------------------------------------------------


def _vergrendel_beheerders(organisatie_ids) -> None:
    """Lock every non-ended beheerder koppeling of these organisations, in (organisatie, pk) order.

    Must be the FIRST lock a service takes, so two services never wait on each other in opposite order.
    """
    ids = sorted({getattr(o, "pk", o) for o in organisatie_ids})
    list(
        Koppeling.objects.select_for_update()
        .filter(organisatie_id__in=ids, rol=BEHEERDER)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .order_by("organisatie_id", "pk")
        .values_list("pk", flat=True)
    )


def _telt_als_beheerder(koppeling: Koppeling) -> bool:
    """R5 counts a beheerder whose koppeling is actief and whose middel is Actief."""
    return (
        koppeling.rol == BEHEERDER
        and koppeling.status == Koppeling.Status.ACTIEF
        and koppeling.middel.status == Middel.Status.ACTIEF
    )


def _nog_niet_weg(per: dt.date | None) -> Q:
    """Koppelingen still there on `per`: a planned termination on or before it counts as gone."""
    if per is None:
        return Q()
    return Q(opzeggen_per__isnull=True) | Q(opzeggen_per__gt=per)


def _blijvende_beheerders(organisatie_id: int, *, zonder, per: dt.date | None = None) -> int:
    return (
        Koppeling.objects.filter(
            organisatie_id=organisatie_id,
            rol=BEHEERDER,
            status=Koppeling.Status.ACTIEF,
            middel__status=Middel.Status.ACTIEF,
        )
        .filter(_nog_niet_weg(per))
        .exclude(pk__in=zonder)
        .count()
    )


def _blijvende_koppelingen(organisatie_id: int, *, zonder, per: dt.date | None = None) -> int:
    return (
        Koppeling.objects.filter(organisatie_id=organisatie_id)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .filter(_nog_niet_weg(per))
        .exclude(pk__in=zonder)
        .count()
    )


_ALTIJD_EEN_BEHEERDER = _(
    "Er dient altijd 1 beheerder actief te zijn namens het bedrijf. "
    "Geef eerst een andere gebruiker de beheerdersrol zodat er daarna nog steeds een beheerder "
    "namens het bedrijf beschikbaar is."
)
_EIGEN_MIDDEL_NIET_OPZEGGEN = _(
    "Helaas is het op dit moment niet mogelijk om uw eigen eHerkenningmiddel op te zeggen voor deze organisatie. "
    "Binnen eHerkenning is het noodzakelijk dat er minimaal één beheerder actief is per organisatie. "
    "Om te kunnen doorgaan dient u eerst één of meerdere beheerders aan te stellen."
)
_BEVESTIG_OPZEGGEN_ORGANISATIE = _(
    "U wilt uw eigen eHerkenningmiddel opzeggen. Omdat er geen andere gebruikers actief zijn voor deze "
    "organisatie, betekent dit dat u met deze actie eHerkenning voor de hele organisatie opzegt."
)
_GEEN_BELASTINGDIENST_BEHEERDER = _(
    "Een Belastingdienstmiddel kan uitsluitend gebruikt worden door een gebruiker. "
    "Er zijn geen beheerders met een Belastingdienstmiddel."
)


# --- R6, R7, R8: roles --------------------------------------------------------------------------------------


def _wijzig_rol(*, actor, koppeling: Koppeling, rol: str) -> Koppeling:
    """The role change itself; the caller holds the R5 lock and has checked the actor."""
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R6")
    if koppeling.status == Koppeling.Status.BEEINDIGD:
        raise DomainError(_("Deze gebruiker is niet gekoppeld aan deze organisatie."), rule="R4")
    if koppeling.middel.persoon_id == actor.pk:
        raise DomainError(
            _("U kunt uw eigen rol niet wijzigen. Dit kan alleen door een andere beheerder gedaan worden."),
            rule="R6",
            code="eigen_rol",
        )
    if koppeling.rol == rol:
        return koppeling
    if rol == BEHEERDER and koppeling.middel.is_belastingdienst:
        raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
    if _telt_als_beheerder(koppeling) and _blijvende_beheerders(koppeling.organisatie_id, zonder=[koppeling.pk]) == 0:
        raise DomainError(_ALTIJD_EEN_BEHEERDER, rule="R5", code="laatste_beheerder")
    voor = _koppeling_stand(koppeling)
    koppeling.rol = rol
    koppeling.save(update_fields=["rol"])
    audit_log(
        actor=actor,
        organisatie=koppeling.organisatie,
        actie="koppeling.rol_gewijzigd",
        omschrijving=_("Rol van %(naam)s gewijzigd in %(rol)s")
        % {"naam": koppeling.middel.persoon.naam, "rol": koppeling.get_rol_display()},
        object=koppeling,
        voor=voor,
        na=_koppeling_stand(koppeling),
    )
    return koppeling


@transaction.atomic
def koppeling_wijzig_rol(*, actor: Persoon, koppeling: Koppeling, rol: str) -> Koppeling:
    """R5, R6, R7, R8: change a role at once; the former beheerder's next request is refused (R7)."""
    _vergrendel_beheerders([koppeling.organisatie_id])
    koppeling = Koppeling.objects.select_related("middel__persoon", "organisatie").get(pk=koppeling.pk)
    _vereis_beheerder(actor, [koppeling.organisatie_id])
    return _wijzig_rol(actor=actor, koppeling=koppeling, rol=rol)


# --- R14, R15, R16: validating a new user's data ------------------------------------------------------------


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


# Extensions the manual lists (§3.2; "pipeg" is the manual's typo for pjpeg) and the content each must have.
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


# --- R23: the EH3 Belastingdienstmiddel ---------------------------------------------------------------------


def _vereis_geen_belastingdienstmiddel(organisatie_ids, *, behalve_middel_id: int | None = None) -> None:
    """R23: at most one Belastingdienstmiddel per KvK-nummer (all vestigingen of that KvK-nummer together)."""
    kvk_nummers = set(Organisatie.objects.filter(pk__in=organisatie_ids).values_list("kvk_nummer", flat=True))
    # Lock the organisations of these KvK-nummers so two requests for the same KvK-nummer run one after the other.
    list(
        Organisatie.objects.select_for_update()
        .filter(kvk_nummer__in=kvk_nummers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    bestaand = (
        Koppeling.objects.filter(organisatie__kvk_nummer__in=kvk_nummers, middel__type=Middel.Type.BELASTINGDIENST)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exclude(middel__status__in=VERBORGEN_STATUSSEN)
        .exclude(middel_id=behalve_middel_id)
    )
    if bestaand.exists():
        raise DomainError(
            _("Er is maximaal 1 EH3 Belastingdienstmiddel per KvK-nummer mogelijk."), rule="R23", code="een_per_kvk"
        )


def _vereis_wettelijk_vertegenwoordiger(organisaties, persoon) -> None:
    """R23: the person must be a wettelijk vertegenwoordiger, fully authorised, of every organisation involved, as
    the Handelsregister says (by name and date of birth). A register that cannot answer refuses too, saying so."""
    from gebruikers import selectors
    from handelsregister.errors import HandelsregisterFout

    try:
        erkend = all(selectors.is_wettelijk_vertegenwoordiger(o, persoon) for o in organisaties)
    except HandelsregisterFout as fout:
        raise DomainError(fout.message, rule="R23", code="wettelijk_vertegenwoordiger") from fout
    if not erkend:
        raise DomainError(
            _(
                "Een EH3 Belastingdienstmiddel is alleen aan te vragen voor een natuurlijk persoon die volledig "
                "bevoegd is voor de organisatie (wettelijk vertegenwoordiger)."
            ),
            rule="R23",
            code="wettelijk_vertegenwoordiger",
        )


# --- R10, R14–R17: requesting a new middel -----------------------------------------------------------------


@transaction.atomic
def middel_aanvragen(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    niveau: int,
    rol: str,
    persoon_gegevens: PersoonGegevens,
    id_document: IdDocument,
    tweede_factor: str,
    mobiel: str = "",
    identificatieadres: Identificatieadres | None = None,
    extra_organisaties=(),
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
    type: str = Middel.Type.REGULIER,
) -> Aanvraag:
    """Request a new middel for a new user (§3.2): Persoon, Middel (Wachten op goedkeuring), Koppelingen
    (aangevraagd) and an Aanvraag for support, all or nothing."""
    extra = [o for o in extra_organisaties if o.pk != organisatie.pk]
    actor_middel = _vereis_beheerder(actor, [organisatie, *extra])
    if niveau not in UITGIFTE_NIVEAUS:
        raise DomainError(_("Kies een niveau: EH2+, EH3 of EH4."), rule="R10", code="niveau")
    if niveau > actor_middel.niveau:
        raise DomainError(
            _(
                "Nieuwe middelen kunnen alleen aangevraagd worden op hetzelfde niveau of lager als het niveau "
                "van de beheerder."
            ),
            rule="R10",
            code="niveau_te_hoog",
        )
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R6", code="rol")
    if type not in Middel.Type.values:
        raise DomainError(_("Kies het type eHerkenningsmiddel."), rule="R23", code="type")
    if type == Middel.Type.BELASTINGDIENST:
        if rol == BEHEERDER:
            raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
        if niveau != Niveau.EH3:
            raise DomainError(_("Een Belastingdienstmiddel bestaat alleen op niveau EH3."), rule="R23")
        _vereis_geen_belastingdienstmiddel([organisatie.pk, *(o.pk for o in extra)])
        _vereis_wettelijk_vertegenwoordiger([organisatie, *extra], persoon_gegevens)
    factor, nummer, adres = valideer_nieuwe_gebruiker(
        niveau=niveau,
        persoon_gegevens=persoon_gegevens,
        id_document=id_document,
        tweede_factor=tweede_factor,
        mobiel=mobiel,
        identificatieadres=identificatieadres,
    )
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        niveau=niveau,
        type=type,
        abonnement_jaren=abonnement_jaren,
        extra_organisaties=len(extra),
        otp_device=factor == Middel.TweedeFactor.OTP,
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    persoon = Persoon(
        username=None,
        voornamen=persoon_gegevens.voornamen.strip(),
        tussenvoegsel=(persoon_gegevens.tussenvoegsel or "").strip(),
        achternaam=persoon_gegevens.achternaam.strip(),
        geboortedatum=persoon_gegevens.geboortedatum,
        geslacht=id_document.geslacht,
        email=persoon_gegevens.email.strip(),
        mobiel=nummer,
    )
    persoon.set_unusable_password()  # a username and password are chosen at activation (R18)
    persoon.save()
    middel = Middel.objects.create(
        persoon=persoon,
        niveau=niveau,
        type=type,
        status=Middel.Status.WACHTEN_OP_GOEDKEURING,
        tweede_factor=factor,
        **_adres_velden(adres),
    )
    koppelingen = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in [organisatie, *extra]
    ]
    gegevens = _json(
        {
            "niveau": int(niveau),
            "type": type,
            "rol": rol,
            "persoon": {
                "voornamen": persoon.voornamen,
                "tussenvoegsel": persoon.tussenvoegsel,
                "achternaam": persoon.achternaam,
                "geboortedatum": persoon.geboortedatum,
                "email": persoon.email,
            },
            "id_document": {
                "type": id_document.type,
                "documentnummer": id_document.documentnummer.replace(" ", "").upper(),
                "geslacht": id_document.geslacht,
                "geldigheidsdatum": id_document.geldigheidsdatum,
                "voor_en_achter_in_een_bestand": id_document.voor_en_achter_in_een_bestand,
            },
            "tweede_factor": factor,
            "mobiel": nummer,
            "identificatieadres": _adres_velden(adres),
            "organisaties": [k.organisatie_id for k in koppelingen],
            "koppelingen": [k.pk for k in koppelingen],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
            "is_wettelijk_vertegenwoordiger": type == Middel.Type.BELASTINGDIENST,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.NIEUW_MIDDEL,
        organisatie=organisatie,
        middel=middel,
        koppeling=koppelingen[0],
        aangevraagd_door=actor,
        gegevens=gegevens,
        id_document_voorzijde=id_document.voorzijde,
        id_document_achterzijde=id_document.achterzijde or "",
    )
    for koppeling in koppelingen:
        audit_log(
            actor=actor,
            organisatie=koppeling.organisatie,
            actie="middel.aangevraagd",
            omschrijving=_("Nieuw eHerkenningsmiddel %(niveau)s aangevraagd voor %(naam)s")
            % {"niveau": Niveau(niveau).label, "naam": persoon.naam},
            object=middel,
            voor=None,
            na={**_middel_stand(middel), "rol": rol, "kosten": gegevens["kosten"]},
        )
    _notify("aanvraag_ontvangen", aanvraag=aanvraag)
    return aanvraag


# --- R11: upgrade ------------------------------------------------------------------------------------------


@transaction.atomic
def middel_upgraden(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    niveau: int,
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
    rol: str | None = None,
    tweede_factor: str | None = None,
    mobiel: str = "",
    identificatieadres: Identificatieadres | None = None,
    persoon_gegevens: PersoonGegevens | None = None,
    extra_organisaties=(),
) -> Aanvraag:
    """Change the niveau of someone else's middel (§3.8 "Up- en downgraden"): an Aanvraag of soort upgrade.

    Up to the own niveau at most (R11); a lower issued niveau is a downgrade, which keeps the second factor and,
    once approved, ends the machtigingen the lower niveau no longer allows. A role change chosen in the same
    step applies at once, with every role rule (R5–R8).
    """
    extra = [o for o in extra_organisaties if o.pk != organisatie.pk]
    _vergrendel_beheerders([organisatie, *extra])
    actor_middel = _vereis_beheerder(actor, [organisatie, *extra])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    koppeling = _koppeling_bij(middel, organisatie)
    koppeling.middel = middel
    if middel.persoon_id == actor.pk:
        raise DomainError(
            _("U kunt alleen het eHerkenningmiddel van iemand anders upgraden."), rule="R11", code="eigen_middel"
        )
    if middel.status != Middel.Status.ACTIEF:
        raise DomainError(_("Alleen een actief eHerkenningsmiddel kan worden geüpgraded."), rule="R11")
    if middel.is_belastingdienst:
        raise DomainError(
            _("Een Belastingdienstmiddel kan niet worden geüpgraded; wijzig eerst het type in regulier."), rule="R23"
        )
    if niveau not in UITGIFTE_NIVEAUS or niveau == middel.niveau:
        raise DomainError(_("Kies een ander niveau dan het huidige niveau."), rule="R11", code="niveau")
    if niveau > actor_middel.niveau:
        raise DomainError(
            _("U kunt het middel van iemand anders upgraden tot maximaal uw eigen niveau."),
            rule="R11",
            code="niveau_te_hoog",
        )
    _vereis_geen_open_aanvraag(middel)
    persoon = middel.persoon
    if persoon_gegevens is not None and (
        persoon_gegevens.voornamen.strip() != persoon.voornamen
        or (persoon_gegevens.tussenvoegsel or "").strip() != persoon.tussenvoegsel
        or persoon_gegevens.achternaam.strip() != persoon.achternaam
        or persoon_gegevens.geboortedatum != persoon.geboortedatum
    ):
        raise DomainError(
            _("Gegevens die de persoon identificeren kunnen bij een upgrade niet gewijzigd worden."),
            rule="R11",
            code="identificerende_gegevens",
        )
    if middel.niveau >= Niveau.EH2_PLUS:
        if tweede_factor not in (None, "", middel.tweede_factor):
            raise DomainError(
                _("Bij een upgrade vanaf niveau 2+ blijft de tweede factor ongewijzigd."),
                rule="R11",
                code="tweede_factor",
            )
        factor, nummer = middel.tweede_factor, ""
    else:
        factor, nummer = valideer_tweede_factor(niveau=niveau, tweede_factor=tweede_factor or "", mobiel=mobiel)
    adres = None
    if niveau >= Niveau.EH3 and not middel.id_postcode:
        adres = valideer_identificatieadres(identificatieadres, niveau=niveau)
    gekoppeld = set(
        Koppeling.objects.filter(middel=middel)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("organisatie_id", flat=True)
    )
    if any(o.pk in gekoppeld for o in extra):
        raise DomainError(_("Deze gebruiker is al gekoppeld aan deze organisatie."), rule="R12")
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        niveau=niveau,
        abonnement_jaren=abonnement_jaren,
        extra_organisaties=len(extra),
        otp_device=factor == Middel.TweedeFactor.OTP and middel.tweede_factor != Middel.TweedeFactor.OTP,
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    if rol is not None and rol != koppeling.rol:
        _wijzig_rol(actor=actor, koppeling=koppeling, rol=rol)
    nieuwe = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=koppeling.rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in extra
    ]
    gegevens = _json(
        {
            "van_niveau": int(middel.niveau),
            "niveau": int(niveau),
            "tweede_factor": factor,
            "mobiel": nummer,
            "identificatieadres": _adres_velden(adres),
            "koppeling": koppeling.pk,
            "koppelingen": [k.pk for k in nieuwe],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.UPGRADE,
        organisatie=organisatie,
        middel=middel,
        koppeling=koppeling,
        aangevraagd_door=actor,
        gegevens=gegevens,
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie="middel.upgrade_aangevraagd",
        omschrijving=_("Upgrade naar %(niveau)s aangevraagd voor %(naam)s")
        % {"niveau": Niveau(niveau).label, "naam": persoon.naam},
        object=middel,
        voor=_middel_stand(middel),
        na={**_middel_stand(middel), "aangevraagd_niveau": Niveau(niveau).label, "kosten": gegevens["kosten"]},
    )
    _notify("aanvraag_ontvangen", aanvraag=aanvraag)
    return aanvraag


# --- R12: link an existing user to other organisations ----------------------------------------------------


@transaction.atomic
def middel_koppelen(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    organisaties,
    rol: str,
    abonnement_jaren: int = 1,
    kosten_geaccepteerd: bool = False,
) -> Aanvraag:
    """Link an existing user (of `organisatie`) to other organisations where the actor is beheerder (§3.2.2).

    The niveau is the middel's own, the role is chosen, the e-mail address is taken over. Creates Koppelingen
    (aangevraagd) and one Aanvraag of soort koppeling.
    """
    doelen = [o for o in organisaties if o.pk != organisatie.pk]
    if not doelen:
        raise DomainError(_("Kies de organisaties waaraan u de gebruiker wilt koppelen."), rule="R12")
    ids = {o.pk for o in doelen}
    if not ids <= {o.pk for o in beheerbare_organisaties(actor)}:
        raise DomainError(
            _("U kunt gebruikers alleen koppelen aan organisaties waar u zelf beheerder bent."),
            rule="R12",
            code="geen_beheerder_doel",
        )
    actor_middel = _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    _koppeling_bij(middel, organisatie)
    if middel.status not in (Middel.Status.ACTIEF, Middel.Status.WACHTEN_OP_ACTIVATIE):
        raise DomainError(_("Alleen een goedgekeurd eHerkenningsmiddel kan worden gekoppeld."), rule="R12")
    if middel.niveau > actor_middel.niveau:
        raise DomainError(
            _("U kunt gebruikers koppelen tot en met maximaal uw eigen niveau."), rule="R12", code="niveau_te_hoog"
        )
    if rol not in Koppeling.Rol.values:
        raise DomainError(_("Kies de rol gebruiker of beheerder."), rule="R12", code="rol")
    if rol == BEHEERDER and middel.is_belastingdienst:
        raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
    if (
        Koppeling.objects.filter(middel=middel, organisatie_id__in=ids)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exists()
    ):
        raise DomainError(_("Deze gebruiker is al gekoppeld aan deze organisatie."), rule="R12", code="al_gekoppeld")
    _vereis_geen_open_aanvraag(middel)
    if middel.is_belastingdienst:
        _vereis_geen_belastingdienstmiddel(ids, behalve_middel_id=middel.pk)
    _vereis_abonnement(abonnement_jaren)
    kosten = facturatie.bereken_kosten(
        abonnement_jaren=abonnement_jaren, extra_organisaties=len(doelen), koppeling_niveau=middel.niveau
    )
    _vereis_akkoord_kosten(kosten_geaccepteerd)

    nieuwe = [
        Koppeling.objects.create(
            middel=middel,
            organisatie=org,
            rol=rol,
            status=Koppeling.Status.AANGEVRAAGD,
            abonnement_jaren=abonnement_jaren,
        )
        for org in doelen
    ]
    gegevens = _json(
        {
            "niveau": int(middel.niveau),
            "rol": rol,
            "email": middel.persoon.email,
            "organisaties": [o.pk for o in doelen],
            "koppelingen": [k.pk for k in nieuwe],
            "abonnement_jaren": abonnement_jaren,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
        }
    )
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.KOPPELING,
        organisatie=organisatie,
        middel=middel,
        koppeling=nieuwe[0],
        aangevraagd_door=actor,
        gegevens=gegevens,
    )
    for k in nieuwe:
        audit_log(
            actor=actor,
            organisatie=k.organisatie,
            actie="koppeling.aangevraagd",
            omschrijving=_("Koppeling van %(naam)s aan %(organisatie)s aangevraagd")
            % {"naam": middel.persoon.naam, "organisatie": k.organisatie.naam},
            object=k,
            voor=None,
            na=_koppeling_stand(k),
        )
    _notify("aanvraag_ontvangen", aanvraag=aanvraag)
    return aanvraag


# --- R23: type change regulier ↔ Belastingdienst ----------------------------------------------------------


@dataclass(frozen=True)
class TypeWijzigingKosten:
    kosten: facturatie.Kosten
    credit: Decimal

    @property
    def te_betalen(self) -> Decimal:
        return self.kosten.totaal - self.credit


def bereken_type_wijziging(
    *, koppeling: Koppeling, nieuw_type: str, abonnement_jaren: int, peildatum: dt.date | None = None
) -> TypeWijzigingKosten:
    """The new subscription's cost and the pro-rata credit for what remains of the current one (R23)."""
    dag = peildatum or vandaag()
    middel = koppeling.middel
    oud_bedrag = facturatie.tarief(
        code=facturatie.middel_tariefcode(niveau=middel.niveau, type=middel.type),
        abonnement_jaren=koppeling.abonnement_jaren,
    )
    credit = facturatie.bereken_credit(
        bedrag=oud_bedrag, start=koppeling.abonnement_start, eind=koppeling.abonnement_eind, peildatum=dag
    )
    kosten = facturatie.bereken_kosten(niveau=middel.niveau, type=nieuw_type, abonnement_jaren=abonnement_jaren)
    return TypeWijzigingKosten(kosten=kosten, credit=credit)


def _machtigingen_intrekken(*, middel_id: int, organisatie_ids=None) -> int:
    """Set-based: end the middel's active machtigingen at once (R19, R23); the person is told per organisation
    (R37), in the same transaction."""
    from machtigingen.models import Machtiging
    from machtigingen.models import Status as MachtigingStatus

    qs = Machtiging.objects.filter(middel_id=middel_id, status=MachtigingStatus.ACTIEF)
    if organisatie_ids is not None:
        qs = qs.filter(organisatie_id__in=organisatie_ids)
    return _machtigingen_beeindigen(list(qs.values_list("pk", flat=True)), middel_id=middel_id)


def _machtigingen_beeindigen(ids: list[int], *, middel_id: int) -> int:
    from berichten.services import meld_machtigingen_gewijzigd_aan_personen
    from machtigingen.models import Machtiging
    from machtigingen.models import Status as MachtigingStatus

    if not ids:
        return 0
    organisatie_ids = set(Machtiging.objects.filter(pk__in=ids).values_list("organisatie_id", flat=True))
    Machtiging.objects.filter(pk__in=ids).update(status=MachtigingStatus.INGETROKKEN, ingetrokken_op=timezone.now())
    persoon_id = Middel.objects.filter(pk=middel_id).values_list("persoon_id", flat=True).get()
    for organisatie_id in sorted(organisatie_ids):
        meld_machtigingen_gewijzigd_aan_personen(
            persoon_ids=[persoon_id], organisatie_id=organisatie_id, actie="machtiging_ingetrokken"
        )
    return len(ids)


def _machtigingen_boven_niveau_beeindigen(*, middel: Middel, niveau: int, door) -> int:
    """A downgrade (§3.8): the machtigingen for diensten and Algemene bevoegdheid above the new niveau end now,
    in one UPDATE; a Dienstverlenersmachtiging stays (the register checks each dienst's niveau, R71)."""
    from machtigingen.models import Machtiging, Scope
    from machtigingen.models import Status as MachtigingStatus

    boven = Machtiging.objects.filter(middel=middel, status=MachtigingStatus.ACTIEF).filter(
        Q(scope=Scope.DIENST, dienst__niveau__gt=niveau) | Q(scope=Scope.ALGEMEEN, niveau__gt=niveau)
    )
    ids = list(boven.values_list("pk", flat=True))
    if ids:
        _machtigingen_beeindigen(ids, middel_id=middel.pk)
        audit_log(
            actor=door,
            organisatie=None,
            actie="machtigingen.ingetrokken_bij_downgrade",
            omschrijving=_("%(aantal)s machtiging(en) beëindigd door een lager niveau voor %(naam)s")
            % {"aantal": len(ids), "naam": middel.persoon.naam},
            object=middel,
            na={"machtigingen": ids, "niveau": Niveau(niveau).label},
        )
    return len(ids)


@transaction.atomic
def middel_wijzig_type(
    *,
    actor: Persoon,
    organisatie: Organisatie,
    middel: Middel,
    type: str,
    abonnement_jaren: int,
    bevestigd: bool = False,
) -> Aanvraag:
    """Change an EH3 middel between regulier and Belastingdienst (§3.8.2), at once: a new subscription starts
    today with a pro-rata credit, the machtigingen are cleared. Kept as a handled Aanvraag for invoicing."""
    _vergrendel_beheerders([organisatie])
    _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    koppeling = _koppeling_bij(middel, organisatie)
    koppeling.middel = middel
    if type not in Middel.Type.values or type == middel.type:
        raise DomainError(_("Kies het nieuwe type eHerkenningsmiddel."), rule="R23", code="type")
    if middel.status != Middel.Status.ACTIEF:
        raise DomainError(_("Alleen van een actief eHerkenningsmiddel kan het type worden gewijzigd."), rule="R23")
    if middel.niveau != Niveau.EH3:
        raise DomainError(_("Een Belastingdienstmiddel bestaat alleen op niveau EH3."), rule="R23")
    if type == Middel.Type.BELASTINGDIENST:
        koppelingen = Koppeling.objects.filter(middel=middel).exclude(status=Koppeling.Status.BEEINDIGD)
        if koppelingen.filter(rol=BEHEERDER).exists():
            raise DomainError(_GEEN_BELASTINGDIENST_BEHEERDER, rule="R8", code="belastingdienst_beheerder")
        _vereis_geen_belastingdienstmiddel(
            list(koppelingen.values_list("organisatie_id", flat=True)), behalve_middel_id=middel.pk
        )
        _vereis_wettelijk_vertegenwoordiger(
            list(Organisatie.objects.filter(koppelingen__in=koppelingen).distinct()), middel.persoon
        )
    _vereis_geen_open_aanvraag(middel)
    _vereis_abonnement(abonnement_jaren)
    if not bevestigd:
        raise DomainError(
            _("Bevestig dat u zich bewust bent van de gevolgen van de veranderingen en hiermee akkoord gaat."),
            rule="R23",
            code="niet_bevestigd",
        )
    dag = vandaag()
    berekening = bereken_type_wijziging(koppeling=koppeling, nieuw_type=type, abonnement_jaren=abonnement_jaren)

    voor = {**_middel_stand(middel), **_koppeling_stand(koppeling)}
    oud_type = middel.type
    middel.type = type
    middel.save(update_fields=["type"])
    koppeling.abonnement_jaren = abonnement_jaren
    koppeling.abonnement_start = dag
    koppeling.abonnement_eind = plus_jaren(dag, abonnement_jaren)
    koppeling.automatische_verlenging = True
    koppeling.save(update_fields=["abonnement_jaren", "abonnement_start", "abonnement_eind", "automatische_verlenging"])
    ingetrokken = _machtigingen_intrekken(middel_id=middel.pk)
    gegevens = _json(
        {
            "van_type": oud_type,
            "type": type,
            "abonnement_jaren": abonnement_jaren,
            "kosten": berekening.kosten.as_json(),
            "credit": berekening.credit,
            "te_betalen": berekening.te_betalen,
            "machtigingen_ingetrokken": ingetrokken,
            "bevestigd": True,
        }
    )
    nu = timezone.now()
    aanvraag = Aanvraag.objects.create(
        soort=Aanvraag.Soort.TYPE_WIJZIGING,
        status=Aanvraag.Status.GOEDGEKEURD,  # applied at once (§3.8.2 "per direct omgezet"); kept for invoicing
        organisatie=organisatie,
        middel=middel,
        koppeling=koppeling,
        aangevraagd_door=actor,
        behandeld_op=nu,
        gegevens=gegevens,
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie="middel.type_gewijzigd",
        omschrijving=_("Type van het eHerkenningsmiddel van %(naam)s gewijzigd in %(type)s")
        % {"naam": middel.persoon.naam, "type": middel.get_type_display()},
        object=middel,
        voor=voor,
        na={
            **_middel_stand(middel),
            **_koppeling_stand(koppeling),
            "credit": gegevens["credit"],
            "machtigingen_ingetrokken": ingetrokken,
        },
    )
    _notify("type_gewijzigd", aanvraag=aanvraag)
    return aanvraag


# --- R18: the status flow -----------------------------------------------------------------------------------


def _activeer_koppelingen(koppeling_ids, *, jaren: int | None, dag: dt.date) -> int:
    """Aangevraagde koppelingen become actief; their subscription starts today."""
    qs = Koppeling.objects.filter(pk__in=koppeling_ids, status=Koppeling.Status.AANGEVRAAGD)
    velden = {"status": Koppeling.Status.ACTIEF, "abonnement_start": dag}
    if jaren in (1, 3):
        return qs.update(**velden, abonnement_jaren=jaren, abonnement_eind=plus_jaren(dag, jaren))
    return sum(
        Koppeling.objects.filter(pk__in=qs.filter(abonnement_jaren=j).values("pk")).update(
            **velden, abonnement_eind=plus_jaren(dag, j)
        )
        for j in (1, 3)
    )


@transaction.atomic
def aanvraag_goedkeuren(*, aanvraag: Aanvraag, door: Persoon) -> Aanvraag:
    """Support approves (§3.5.2). New middel → Wachten op activatie for 30 days; koppeling/upgrade/new
    activation/type change → the change is applied."""
    _vereis_support(door)
    aanvraag = Aanvraag.objects.select_for_update().select_related("organisatie").get(pk=aanvraag.pk)
    if aanvraag.status != Aanvraag.Status.IN_BEHANDELING:
        raise DomainError(_("Deze aanvraag is al behandeld."), rule="R18", code="al_behandeld")
    dag, nu = vandaag(), timezone.now()
    middel = (
        Middel.objects.select_for_update().select_related("persoon").get(pk=aanvraag.middel_id)
        if aanvraag.middel_id
        else None
    )
    g = aanvraag.gegevens or {}
    voor = _middel_stand(middel) if middel else None
    if middel is not None and middel.status in VERBORGEN_STATUSSEN:
        raise DomainError(_("Dit eHerkenningsmiddel is beëindigd."), rule="R18")
    soort = aanvraag.soort
    if soort == Aanvraag.Soort.NIEUW_MIDDEL:
        if middel.status != Middel.Status.WACHTEN_OP_GOEDKEURING:
            raise DomainError(_("Dit eHerkenningsmiddel wacht niet op goedkeuring."), rule="R18")
        middel.status = Middel.Status.WACHTEN_OP_ACTIVATIE
        middel.goedgekeurd_op = nu
        middel.activeren_tot = dag + dt.timedelta(days=ACTIVATIE_TERMIJN_DAGEN)
        middel.save(update_fields=["status", "goedgekeurd_op", "activeren_tot"])
        _activeer_koppelingen(g.get("koppelingen", []), jaren=g.get("abonnement_jaren"), dag=dag)
    elif soort == Aanvraag.Soort.KOPPELING:
        _activeer_koppelingen(g.get("koppelingen", []), jaren=g.get("abonnement_jaren"), dag=dag)
    elif soort == Aanvraag.Soort.UPGRADE:
        if int(g["niveau"]) < middel.niveau:
            _machtigingen_boven_niveau_beeindigen(middel=middel, niveau=int(g["niveau"]), door=door)
        middel.niveau = int(g["niveau"])
        if g.get("tweede_factor"):
            middel.tweede_factor = g["tweede_factor"]
        for veld, waarde in (g.get("identificatieadres") or {}).items():
            setattr(middel, veld, waarde)
        middel.save()
        if g.get("mobiel"):
            middel.persoon.mobiel = g["mobiel"]
            middel.persoon.save(update_fields=["mobiel"])
        jaren = g.get("abonnement_jaren")
        if g.get("koppeling") and jaren in (1, 3):
            # The higher level is a new subscription for this organisation, starting today.
            Koppeling.objects.filter(pk=g["koppeling"]).exclude(status=Koppeling.Status.BEEINDIGD).update(
                abonnement_jaren=jaren, abonnement_start=dag, abonnement_eind=plus_jaren(dag, jaren)
            )
        _activeer_koppelingen(g.get("koppelingen", []), jaren=jaren, dag=dag)
    elif soort == Aanvraag.Soort.NIEUWE_ACTIVATIE:
        if middel.status != Middel.Status.ACTIVATIE_VERLOPEN:
            raise DomainError(_("De activatie van dit eHerkenningsmiddel is niet verlopen."), rule="R18")
        middel.status = Middel.Status.WACHTEN_OP_ACTIVATIE
        middel.goedgekeurd_op = nu
        middel.activeren_tot = dag + dt.timedelta(days=ACTIVATIE_TERMIJN_DAGEN)
        middel.activatie_verlopen_op = None
        middel.save(update_fields=["status", "goedgekeurd_op", "activeren_tot", "activatie_verlopen_op"])
    elif soort == Aanvraag.Soort.TYPE_WIJZIGING:
        if g.get("type") not in Middel.Type.values:
            raise DomainError(_("Kies het nieuwe type eHerkenningsmiddel."), rule="R23")
        middel.type = g["type"]
        middel.save(update_fields=["type"])
        _machtigingen_intrekken(middel_id=middel.pk)
    else:
        # Nieuwe organisatie and ketenmodule are handled by their own apps.
        raise DomainError(_("Deze soort aanvraag wordt hier niet behandeld."), rule="R18")
    aanvraag.status = Aanvraag.Status.GOEDGEKEURD
    aanvraag.behandeld_door = door
    aanvraag.behandeld_op = nu
    aanvraag.save(update_fields=["status", "behandeld_door", "behandeld_op"])
    if middel is not None:
        middel.refresh_from_db()
    audit_log(
        actor=door,
        organisatie=aanvraag.organisatie,
        actie="aanvraag.goedgekeurd",
        omschrijving=_("Aanvraag goedgekeurd: %(soort)s") % {"soort": aanvraag.get_soort_display()},
        object=aanvraag,
        voor=voor,
        na=_middel_stand(middel) if middel else None,
    )
    _notify("aanvraag_goedgekeurd", aanvraag=aanvraag)
    return aanvraag


@transaction.atomic
def aanvraag_afkeuren(*, aanvraag: Aanvraag, door: Persoon, reden: str) -> Aanvraag:
    """Support rejects (§3.5.5): the request disappears, the beheerder gets the reason and may apply again."""
    _vereis_support(door)
    reden = (reden or "").strip()
    if not reden:
        raise DomainError(_("Geef de reden van afkeuring op."), rule="R18", code="reden")
    aanvraag = Aanvraag.objects.select_for_update().select_related("organisatie").get(pk=aanvraag.pk)
    if aanvraag.status != Aanvraag.Status.IN_BEHANDELING:
        raise DomainError(_("Deze aanvraag is al behandeld."), rule="R18", code="al_behandeld")
    dag, nu = vandaag(), timezone.now()
    g = aanvraag.gegevens or {}
    middel = Middel.objects.select_for_update().get(pk=aanvraag.middel_id) if aanvraag.middel_id else None
    voor = _middel_stand(middel) if middel else None
    beeindig = Koppeling.objects.none()
    if aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL and middel is not None:
        middel.status = Middel.Status.AFGEKEURD
        middel.save(update_fields=["status"])
        Persoon.objects.filter(pk=middel.persoon_id).update(is_active=False)
        beeindig = Koppeling.objects.filter(middel=middel)
    elif aanvraag.soort in (Aanvraag.Soort.KOPPELING, Aanvraag.Soort.UPGRADE):
        beeindig = Koppeling.objects.filter(pk__in=g.get("koppelingen", []), status=Koppeling.Status.AANGEVRAAGD)
    # The requested koppelingen end, so they leave every list and may be requested again.
    beeindig.exclude(status=Koppeling.Status.BEEINDIGD).update(status=Koppeling.Status.BEEINDIGD, beeindigd_op=dag)
    aanvraag.status = Aanvraag.Status.AFGEKEURD
    aanvraag.reden_afkeuring = reden
    aanvraag.behandeld_door = door
    aanvraag.behandeld_op = nu
    aanvraag.save(update_fields=["status", "reden_afkeuring", "behandeld_door", "behandeld_op"])
    audit_log(
        actor=door,
        organisatie=aanvraag.organisatie,
        actie="aanvraag.afgekeurd",
        omschrijving=_("Aanvraag afgekeurd: %(soort)s") % {"soort": aanvraag.get_soort_display()},
        object=aanvraag,
        voor=voor,
        na={**(_middel_stand(middel) if middel else {}), "reden": reden},
    )
    _notify("aanvraag_afgekeurd", aanvraag=aanvraag, ontvanger=aanvraag.aangevraagd_door, reden=reden)
    return aanvraag


@transaction.atomic
def middel_activeren(*, middel: Middel, username: str, password: str) -> Middel:
    """The person activates the middel within the term (§3.5.4): username and password chosen, → Actief."""
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    if middel.status != Middel.Status.WACHTEN_OP_ACTIVATIE:
        raise DomainError(_("Dit eHerkenningsmiddel kan niet (meer) worden geactiveerd."), rule="R18")
    # activeren_tot is exclusive, like every end date: activation is possible on the days before it.
    if middel.activeren_tot is None or vandaag() >= middel.activeren_tot:
        raise DomainError(
            _("De activatietermijn is verlopen. Vraag uw beheerder om een nieuwe uitnodiging."),
            rule="R18",
            code="activatie_verlopen",
        )
    username = (username or "").strip()
    persoon = middel.persoon
    if not username:
        raise DomainError(_("Kies een gebruikersnaam."), rule="R18", code="username")
    if Persoon.objects.filter(username__iexact=username).exclude(pk=persoon.pk).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik."), rule="R18", code="username")
    try:
        password_validation.validate_password(password, user=persoon)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), rule="R18", code="password") from None
    voor = _middel_stand(middel)
    persoon.username = username
    persoon.set_password(password)
    persoon.is_active = True
    persoon.save(update_fields=["username", "password", "is_active"])
    middel.status = Middel.Status.ACTIEF
    middel.geactiveerd_op = timezone.now()
    middel.save(update_fields=["status", "geactiveerd_op"])
    for org_id in (
        Koppeling.objects.filter(middel=middel)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("organisatie_id", flat=True)
    ):
        audit_log(
            actor=persoon,
            organisatie=Organisatie(pk=org_id),
            actie="middel.geactiveerd",
            omschrijving=_("eHerkenningsmiddel van %(naam)s geactiveerd") % {"naam": persoon.naam},
            object=middel,
            voor=voor,
            na=_middel_stand(middel),
        )
    return middel


def _koppelingen_per_middel(middel_ids) -> dict[int, list[int]]:
    per_middel: dict[int, list[int]] = defaultdict(list)
    for middel_id, org_id in (
        Koppeling.objects.filter(middel_id__in=middel_ids)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("middel_id", "organisatie_id")
    ):
        per_middel[middel_id].append(org_id)
    return per_middel


@transaction.atomic
def activaties_verlopen(*, peildatum: dt.date | None = None) -> int:
    """Job (§3.5.3): Wachten op activatie whose term has passed → Activatie verlopen. Set-based, idempotent.

    activeren_tot is exclusive, so on that day the activation has expired; activatie_verlopen_op = activeren_tot.
    A constant number of queries whatever the number of middelen.
    """
    dag = peildatum or vandaag()
    te_laat = Middel.objects.filter(status=Middel.Status.WACHTEN_OP_ACTIVATIE, activeren_tot__lte=dag)
    rijen = list(te_laat.select_for_update().values_list("pk", "activeren_tot"))
    if not rijen:
        return 0
    ids = [pk for pk, _tot in rijen]
    aantal = Middel.objects.filter(pk__in=ids, status=Middel.Status.WACHTEN_OP_ACTIVATIE).update(
        status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=F("activeren_tot")
    )
    per_middel = _koppelingen_per_middel(ids)
    audit_bulk(
        {
            "organisatie_id": org_id,
            "actie": "middel.activatie_verlopen",
            "omschrijving": _("Activatie verlopen op %(datum)s") % {"datum": f"{tot:%d-%m-%Y}"},
            "object_type": "Middel",
            "object_id": pk,
            "voor": {"status": Middel.Status.WACHTEN_OP_ACTIVATIE},
            "na": {"status": Middel.Status.ACTIVATIE_VERLOPEN, "activatie_verlopen_op": tot.isoformat()},
        }
        for pk, tot in rijen
        for org_id in per_middel.get(pk) or [None]
    )
    return aantal


@transaction.atomic
def nieuwe_uitnodiging_versturen(
    *, actor: Persoon, middel: Middel, kosten_geaccepteerd: bool, organisatie: Organisatie | None = None
) -> Aanvraag:
    """Activatie verlopen → ask for a new activation letter (costs, §3.5.3); on approval a new 30 days."""
    if organisatie is None:
        beheerd = {o.pk for o in beheerbare_organisaties(actor)}
        # Exists, not exclude() on the join: that would drop an organisation where anyone's koppeling has ended.
        organisatie = (
            Organisatie.objects.filter(
                Exists(
                    Koppeling.objects.filter(organisatie=OuterRef("pk"), middel=middel).exclude(
                        status=Koppeling.Status.BEEINDIGD
                    )
                ),
                pk__in=beheerd,
            )
            .order_by("naam", "pk")
            .first()
        )
        if organisatie is None:
            raise DomainError(_("U bent geen beheerder van deze organisatie."), rule="R1", code="geen_beheerder")
    _vereis_beheerder(actor, [organisatie])
    middel = Middel.objects.select_for_update().select_related("persoon").get(pk=middel.pk)
    _koppeling_bij(middel, organisatie)
    if middel.status != Middel.Status.ACTIVATIE_VERLOPEN:
        raise DomainError(
            _("Een nieuwe uitnodiging kan alleen worden verstuurd als de activatie is verlopen."), rule="R18"
        )
    _vereis_geen_open_aanvraag(middel)
    kosten = facturatie.bereken_kosten(nieuwe_activatie=True)
    _vereis_akkoord_kosten(kosten_geaccepteerd)
    aanvraag = _maak_aanvraag(
        soort=Aanvraag.Soort.NIEUWE_ACTIVATIE,
        organisatie=organisatie,
        middel=middel,
        aangevraagd_door=actor,
        gegevens={"kosten": kosten.as_json(), "kosten_geaccepteerd": True},
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie="middel.nieuwe_uitnodiging_aangevraagd",
        omschrijving=_("Nieuwe uitnodiging tot activatie aangevraagd voor %(naam)s") % {"naam": middel.persoon.naam},
        object=middel,
        voor=_middel_stand(middel),
        na={**_middel_stand(middel), "kosten": kosten.as_json()},
    )
    _notify("aanvraag_ontvangen", aanvraag=aanvraag)
    return aanvraag


# --- R19, R20: opzeggen -----------------------------------------------------------------------------------


def _middelen_beeindigen(middel_ids, *, dag: dt.date) -> list[int]:
    """Middelen left without any koppeling end: nobody logs in with them any more (R19). Set-based."""
    zonder_koppeling = (
        Middel.objects.filter(pk__in=middel_ids)
        .exclude(status__in=VERBORGEN_STATUSSEN)
        .exclude(Exists(Koppeling.objects.filter(middel_id=OuterRef("pk")).exclude(status=Koppeling.Status.BEEINDIGD)))
    )
    ids = list(zonder_koppeling.values_list("pk", flat=True))
    if ids:
        Middel.objects.filter(pk__in=ids).update(status=Middel.Status.BEEINDIGD, beeindigd_op=dag)
        Persoon.objects.filter(middel__pk__in=ids).update(is_active=False)
        # An open mutation for a middel that no longer exists cannot be processed any more.
        Aanvraag.objects.filter(middel_id__in=ids, status=Aanvraag.Status.IN_BEHANDELING).update(
            status=Aanvraag.Status.AFGEKEURD,
            reden_afkeuring=str(_("Het eHerkenningsmiddel is opgezegd.")),
            behandeld_op=timezone.now(),
        )
    return ids


@transaction.atomic
def middel_opzeggen(
    *,
    actor: Persoon,
    koppeling: Koppeling,
    moment: str,
    datum: dt.date | None = None,
    ook_organisaties=(),
    bevestig_opzeggen_organisatie: bool = False,
) -> list[Koppeling]:
    """Terminate a user's eHerkenning (§3.4): per direct, on a future date, or at the end of the contract,
    for this organisation and optionally the other organisations of the same middel where the actor is beheerder.

    R5: never leaves an organisation without a beheerder (also when planned: another beheerder must remain
    beyond the date; the job re-checks). R20: the only beheerder terminating their own middel is refused while
    other users remain; when none remain it terminates the whole organisation, only when confirmed.
    """
    org_ids = [koppeling.organisatie_id, *(o.pk for o in ook_organisaties)]
    _vergrendel_beheerders(org_ids)
    _vereis_beheerder(actor, org_ids)
    koppeling = Koppeling.objects.select_related("middel__persoon", "organisatie").get(pk=koppeling.pk)
    if koppeling.status == Koppeling.Status.BEEINDIGD:
        raise DomainError(_("Deze gebruiker is niet meer gekoppeld aan deze organisatie."), rule="R19")
    middel = koppeling.middel
    doelen = [koppeling]
    for org_id in dict.fromkeys(org_ids[1:]):
        if org_id == koppeling.organisatie_id:
            continue
        doel = _koppeling_bij(middel, org_id)
        doel.middel = middel
        doelen.append(doel)
    dag = vandaag()
    per: dict[int, dt.date | None] = {}
    for doel in doelen:
        if moment == Koppeling.Opzegmoment.PER_DIRECT:
            per[doel.pk] = None
        elif moment == Koppeling.Opzegmoment.DATUM:
            if datum is None or datum <= dag:
                raise DomainError(_("Kies een datum in de toekomst."), rule="R19", code="datum")
            per[doel.pk] = datum
        elif moment == Koppeling.Opzegmoment.EINDE_CONTRACT:
            if doel.abonnement_eind is None or doel.abonnement_eind <= dag:
                raise DomainError(
                    _("Er is geen lopende contractperiode om aan het einde van op te zeggen."), rule="R19"
                )
            per[doel.pk] = doel.abonnement_eind
        else:
            raise DomainError(_("Kies per wanneer u eHerkenning wilt opzeggen."), rule="R19", code="moment")

    eigen = middel.persoon_id == actor.pk
    organisatie_opzeggen: list[int] = []
    for doel in doelen:
        if not _telt_als_beheerder(doel):
            continue
        if _blijvende_beheerders(doel.organisatie_id, zonder=[doel.pk], per=per[doel.pk]):
            continue
        if _blijvende_koppelingen(doel.organisatie_id, zonder=[doel.pk], per=per[doel.pk]):
            if eigen:
                raise DomainError(_EIGEN_MIDDEL_NIET_OPZEGGEN, rule="R20", code="eigen_middel_laatste_beheerder")
            raise DomainError(_ALTIJD_EEN_BEHEERDER, rule="R5", code="laatste_beheerder")
        # Nobody else remains: this terminates eHerkenning for the whole organisation (§3.4.1).
        if not bevestig_opzeggen_organisatie:
            raise DomainError(_BEVESTIG_OPZEGGEN_ORGANISATIE, rule="R20", code="bevestig_opzeggen_organisatie")
        organisatie_opzeggen.append(doel.organisatie_id)

    voor = {d.pk: _koppeling_stand(d) for d in doelen}
    ids = [d.pk for d in doelen]
    if moment == Koppeling.Opzegmoment.PER_DIRECT:
        Koppeling.objects.filter(pk__in=ids).update(
            status=Koppeling.Status.BEEINDIGD,
            beeindigd_op=dag,
            opzegmoment=moment,
            opzeggen_per=None,
            automatische_verlenging=False,
        )
        _machtigingen_intrekken(middel_id=middel.pk, organisatie_ids=[d.organisatie_id for d in doelen])
        _middelen_beeindigen([middel.pk], dag=dag)
        if organisatie_opzeggen:
            Organisatie.objects.filter(pk__in=organisatie_opzeggen).update(
                status=Organisatie.Status.OPGEZEGD, opgezegd_op=dag
            )
    else:
        for doel in doelen:  # at most a handful: the organisations of one person
            Koppeling.objects.filter(pk=doel.pk).update(
                opzeggen_per=per[doel.pk], opzegmoment=moment, automatische_verlenging=False
            )
    resultaat = list(Koppeling.objects.select_related("organisatie", "middel__persoon").filter(pk__in=ids))
    for k in resultaat:
        audit_log(
            actor=actor,
            organisatie=k.organisatie,
            actie="koppeling.opgezegd" if moment == Koppeling.Opzegmoment.PER_DIRECT else "koppeling.opzegging_gepland",
            omschrijving=_("eHerkenning van %(naam)s opgezegd: %(moment)s")
            % {"naam": middel.persoon.naam, "moment": Koppeling.Opzegmoment(moment).label},
            object=k,
            voor=voor[k.pk],
            na={**_koppeling_stand(k), "organisatie_opgezegd": k.organisatie_id in organisatie_opzeggen},
        )
    _notify("middel_opgezegd", koppelingen=resultaat, organisaties_opgezegd=organisatie_opzeggen)
    return resultaat


@transaction.atomic
def opzeggingen_uitvoeren(*, peildatum: dt.date | None = None) -> int:
    """Job: carry out planned terminations whose date has come. Set-based and idempotent; returns how many ran.

    R5 is re-checked per organisation: if a due beheerder koppeling would leave an organisation that still has
    other users without an active beheerder, those beheerder terminations are NOT carried out; the plan is
    cancelled (opzeggen_per cleared, audited, and the beheerders notified) so the job does not retry it forever.
    When nothing at all remains of an organisation, it is terminated as a whole (R20, confirmed when planned).
    """
    dag = peildatum or vandaag()
    verschuldigd = Koppeling.objects.exclude(status=Koppeling.Status.BEEINDIGD).filter(opzeggen_per__lte=dag)
    betrokken_orgs = verschuldigd.values("organisatie_id")
    # The R5 lock, in the same order as the services, before anything else.
    list(
        Koppeling.objects.select_for_update()
        .filter(organisatie_id__in=Subquery(betrokken_orgs), rol=BEHEERDER)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .order_by("organisatie_id", "pk")
        .values_list("pk", flat=True)
    )
    rijen = list(
        verschuldigd.select_for_update(of=("self",)).values(
            "pk", "middel_id", "organisatie_id", "rol", "status", "opzeggen_per", "middel__status"
        )
    )
    if not rijen:
        return 0
    blijft = (Q(koppelingen__opzeggen_per__isnull=True) | Q(koppelingen__opzeggen_per__gt=dag)) & ~Q(
        koppelingen__status=Koppeling.Status.BEEINDIGD
    )
    stand = {
        r["pk"]: r
        for r in Organisatie.objects.filter(pk__in={r["organisatie_id"] for r in rijen})
        .annotate(
            blijvende_beheerders=Count(
                "koppelingen",
                filter=blijft
                & Q(
                    koppelingen__rol=BEHEERDER,
                    koppelingen__status=Koppeling.Status.ACTIEF,
                    koppelingen__middel__status=Middel.Status.ACTIEF,
                ),
            ),
            blijvende=Count("koppelingen", filter=blijft & ~Q(koppelingen__middel__status__in=VERBORGEN_STATUSSEN)),
        )
        .values("pk", "blijvende_beheerders", "blijvende")
    }

    def telt_als_beheerder(r) -> bool:
        return (
            r["rol"] == BEHEERDER
            and r["status"] == Koppeling.Status.ACTIEF
            and r["middel__status"] == Middel.Status.ACTIEF
        )

    orgs_met_vertrekkende_beheerder = {r["organisatie_id"] for r in rijen if telt_als_beheerder(r)}
    geblokkeerd = {
        org_id
        for org_id in orgs_met_vertrekkende_beheerder
        if stand[org_id]["blijvende_beheerders"] == 0 and stand[org_id]["blijvende"] > 0
    }
    overslaan = [r for r in rijen if r["organisatie_id"] in geblokkeerd and telt_als_beheerder(r)]
    overslaan_ids = {r["pk"] for r in overslaan}
    uitvoeren = [r for r in rijen if r["pk"] not in overslaan_ids]
    uitvoeren_ids = [r["pk"] for r in uitvoeren]
    orgs_opzeggen = [org_id for org_id, s in stand.items() if s["blijvende"] == 0 and org_id not in geblokkeerd]

    Koppeling.objects.filter(pk__in=uitvoeren_ids).update(
        status=Koppeling.Status.BEEINDIGD, beeindigd_op=F("opzeggen_per"), automatische_verlenging=False
    )
    if overslaan_ids:
        Koppeling.objects.filter(pk__in=overslaan_ids).update(opzeggen_per=None, opzegmoment="")
    from machtigingen.models import Machtiging
    from machtigingen.models import Status as MachtigingStatus

    Machtiging.objects.filter(status=MachtigingStatus.ACTIEF).filter(
        Exists(
            Koppeling.objects.filter(
                pk__in=uitvoeren_ids, middel_id=OuterRef("middel_id"), organisatie_id=OuterRef("organisatie_id")
            )
        )
    ).update(status=MachtigingStatus.INGETROKKEN, ingetrokken_op=timezone.now())
    beeindigde_middelen = set(_middelen_beeindigen({r["middel_id"] for r in uitvoeren}, dag=dag))
    if orgs_opzeggen:
        Organisatie.objects.filter(pk__in=orgs_opzeggen).exclude(status=Organisatie.Status.OPGEZEGD).update(
            status=Organisatie.Status.OPGEZEGD, opgezegd_op=dag
        )

    entries = [
        {
            "organisatie_id": r["organisatie_id"],
            "actie": "koppeling.opgezegd",
            "omschrijving": _("Geplande opzegging uitgevoerd per %(datum)s")
            % {"datum": f"{r['opzeggen_per']:%d-%m-%Y}"},
            "object_type": "Koppeling",
            "object_id": r["pk"],
            "voor": {"status": r["status"], "opzeggen_per": r["opzeggen_per"].isoformat()},
            "na": {
                "status": Koppeling.Status.BEEINDIGD,
                "beeindigd_op": r["opzeggen_per"].isoformat(),
                # The middel itself ended too when this was its last koppeling (R19).
                "middel_beeindigd": r["middel_id"] in beeindigde_middelen,
            },
        }
        for r in uitvoeren
    ]
    entries += [
        {
            "organisatie_id": r["organisatie_id"],
            "actie": "koppeling.opzegging_niet_uitgevoerd",
            "omschrijving": _(
                "Geplande opzegging niet uitgevoerd: er dient altijd 1 beheerder actief te zijn namens het bedrijf."
            ),
            "object_type": "Koppeling",
            "object_id": r["pk"],
            "voor": {"opzeggen_per": r["opzeggen_per"].isoformat()},
            "na": {"opzeggen_per": None},
        }
        for r in overslaan
    ]
    entries += [
        {
            "organisatie_id": org_id,
            "actie": "organisatie.opgezegd",
            "omschrijving": _("eHerkenning voor de hele organisatie opgezegd"),
            "object_type": "Organisatie",
            "object_id": org_id,
            "na": {"status": Organisatie.Status.OPGEZEGD},
        }
        for org_id in orgs_opzeggen
    ]
    audit_bulk(entries)
    if overslaan:
        _notify("opzegging_niet_uitgevoerd", koppeling_ids=sorted(overslaan_ids))
    return len(uitvoeren_ids)


# --- R21, R22: phone number and e-mail ----------------------------------------------------------------------


def _vereis_beheerder_van_persoon(actor, persoon: Persoon, organisatie: Organisatie | None) -> Middel:
    middel = Middel.objects.select_for_update().select_related("persoon").get(persoon=persoon)
    if organisatie is not None:
        _vereis_beheerder(actor, [organisatie])
        _koppeling_bij(middel, organisatie)
        return middel
    beheerd = {o.pk for o in beheerbare_organisaties(actor)}
    if (
        not Koppeling.objects.filter(middel=middel, organisatie_id__in=beheerd)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exists()
    ):
        raise DomainError(_("U bent geen beheerder van deze organisatie."), rule="R1", code="geen_beheerder")
    return middel


def _audit_persoon(actor, middel: Middel, *, actie: str, omschrijving, voor: dict, na: dict) -> None:
    for org_id in (
        Koppeling.objects.filter(middel=middel)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .values_list("organisatie_id", flat=True)
    ):
        audit_log(
            actor=actor,
            organisatie=Organisatie(pk=org_id),
            actie=actie,
            omschrijving=omschrijving,
            object=middel.persoon,
            voor=voor,
            na=na,
        )


@transaction.atomic
def persoon_wijzig_mobiel(
    *, actor: Persoon, persoon: Persoon, mobiel: str, organisatie: Organisatie | None = None
) -> Persoon:
    """R21: a beheerder changes someone else's SMS number when their middel is Wachten op activatie or Actief;
    the own number goes by wijzigingsformulier. The person is told."""
    if persoon.pk == actor.pk:
        raise DomainError(
            _(
                "Het wijzigen van het eigen mobiele nummer kan niet via de beheermodule. "
                "Gebruik hiervoor het wijzigingsformulier."
            ),
            rule="R21",
            code="eigen_nummer",
        )
    middel = _vereis_beheerder_van_persoon(actor, persoon, organisatie)
    if middel.status not in (Middel.Status.WACHTEN_OP_ACTIVATIE, Middel.Status.ACTIEF):
        raise DomainError(
            _(
                "Het mobiele nummer kan alleen worden gewijzigd bij de status 'Wachten op activatie' "
                "en bij geactiveerde eHerkenningsmiddelen."
            ),
            rule="R21",
            code="status",
        )
    if middel.tweede_factor != Middel.TweedeFactor.SMS:
        raise DomainError(_("Deze gebruiker gebruikt geen SMS als tweede factor."), rule="R21", code="geen_sms")
    nummer = normaliseer_mobiel(mobiel)
    persoon = middel.persoon
    voor = {"mobiel": persoon.mobiel}
    persoon.mobiel = nummer
    persoon.save(update_fields=["mobiel"])
    _audit_persoon(
        actor,
        middel,
        actie="persoon.mobiel_gewijzigd",
        omschrijving=_("Mobiel nummer van %(naam)s gewijzigd") % {"naam": persoon.naam},
        voor=voor,
        na={"mobiel": nummer},
    )
    _notify("mobiel_gewijzigd", persoon=persoon, oud=voor["mobiel"], nieuw=nummer, organisatie=organisatie)
    return persoon


@transaction.atomic
def persoon_wijzig_email(
    *, actor: Persoon, persoon: Persoon, email: str, organisatie: Organisatie | None = None
) -> Persoon:
    """R22: a beheerder changes the e-mail address only before activation; afterwards only the person
    themself (on the own profile page)."""
    email = _valideer_email(email)
    if persoon.pk == actor.pk:
        middel = Middel.objects.select_for_update().select_related("persoon").get(persoon=persoon)
    else:
        middel = _vereis_beheerder_van_persoon(actor, persoon, organisatie)
        if middel.status not in NIET_GEACTIVEERD:
            raise DomainError(
                _(
                    "Zodra het account door een gebruiker is geactiveerd, kan alleen de gebruiker zelf het "
                    "e-mailadres aanpassen op de profielpagina."
                ),
                rule="R22",
                code="na_activatie",
            )
    persoon = middel.persoon
    voor = {"email": persoon.email}
    persoon.email = email
    persoon.save(update_fields=["email"])
    _audit_persoon(
        actor,
        middel,
        actie="persoon.email_gewijzigd",
        omschrijving=_("E-mailadres van %(naam)s gewijzigd") % {"naam": persoon.naam},
        voor=voor,
        na={"email": email},
    )
    _notify("email_gewijzigd", persoon=persoon, oud=voor["email"], nieuw=email)
    return persoon
