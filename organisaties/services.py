"""Writes of Instellingen → Algemeen and Organisatie toevoegen (R51, R53), each in one transaction with its audit
entry (R74).

Adding an organisation (§3.3) makes the organisation (Wachten op goedkeuring), the beheerder's koppeling to it
(aangevraagd) and an aanvraag NIEUWE_ORGANISATIE for support, who approves it once the signed contract has
arrived (`nieuwe_organisatie_goedkeuren`, called from `gebruikers.services.behandeling`). Only then does the
organisation open in the Beheermodule (`Koppeling.objects.beheer()` needs an Actief koppeling).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log, audit_per_organisatie
from beheer.selectors import beheerbare_organisaties
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from facturatie.services import bereken_kosten, maak_machtigingskenmerk
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from handelsregister.backend import get_handelsregister
from handelsregister.identifiers import valideer_bic, valideer_iban
from handelsregister.records import Organisatieprofiel
from organisaties import rules, selectors
from organisaties.models import Organisatie

GEEN_BEHEERDER = _("U bent geen beheerder van deze organisatie.")
AL_BEHEERD = _("U bent al beheerder van een organisatie met dit KvK-nummer, of u heeft deze al aangevraagd.")
AL_OP_PLATFORM = _(
    "Deze organisatie gebruikt eHerkenning van We-ID al. Vraag een beheerder van die organisatie om u toe te "
    "voegen, of neem contact op met We-ID."
)
NIVEAU_NIET_KIESBAAR = _("Kies EH 2+ of EH 3, niet hoger dan het niveau van uw eigen eHerkenningsmiddel.")
ONBEKENDE_VERTEGENWOORDIGER = _("Kies alleen wettelijk vertegenwoordigers uit het Handelsregister.")
AKKOORD_GEGEVENS = _("Geef toestemming voor het verwerken van de gegevens.")
AKKOORD_VOORWAARDEN = _("Ga akkoord met de algemene voorwaarden.")
EMAIL_ONGELDIG = _("Vul een geldig facturatie e-mailadres in.")
IBAN_NODIG = _("Vul het IBAN en de BIC in voor de automatische incasso.")


def _vereis_beheerder(door, organisatie: Organisatie) -> None:
    if organisatie.pk not in {o.pk for o in beheerbare_organisaties(door)}:
        raise DomainError(GEEN_BEHEERDER, rule="R1", code="geen_beheerder")


# --- R51: removing the vestigingsnummer ---------------------------------------------------------------------------


@transaction.atomic
def vestigingsnummer_verwijderen(*, door, organisatie: Organisatie) -> Organisatie:
    """§2.4.2: the organisation continues under its 8-digit KvK-nummer, so UWV and Belastingdienst accept it."""
    _vereis_beheerder(door, organisatie)
    org = Organisatie.objects.select_for_update().get(pk=organisatie.pk)
    weigering = rules.vestigingsnummer_weigering(
        org,
        aantal_vestigingen=selectors.aantal_vestigingen(org) if org.vestigingsnummer else None,
        kvk_al_bezet=selectors.kvk_zonder_vestiging_bezet(org),
    )
    if weigering:
        raise DomainError(weigering, rule="R51", code="vestigingsnummer")
    oud = org.vestigingsnummer
    org.vestigingsnummer = ""
    org.save(update_fields=["vestigingsnummer"])
    audit_log(
        actor=door,
        organisatie=org,
        actie=Actie.ORGANISATIE_VESTIGINGSNUMMER_VERWIJDERD,
        omschrijving=_("Vestigingsnummer %(nummer)s verwijderd; de organisatie gebruikt KvK-nummer %(kvk)s")
        % {"nummer": oud, "kvk": org.kvk_nummer},
        object=org,
        voor={"kvk_nummer": org.kvk_nummer, "vestigingsnummer": oud},
        na={"kvk_nummer": org.kvk_nummer, "vestigingsnummer": ""},
    )
    return org


# --- R53: adding an organisation ----------------------------------------------------------------------------------


def organisatie_opzoeken(*, door, nummer: str) -> Organisatieprofiel:
    """Stap 1: the organisation by KvK- or vestigingsnummer, refused when it cannot be added by this person.
    Raises the Handelsregister's own refusals (malformed, unknown, unreachable) unchanged: they are DomainErrors."""
    profiel = get_handelsregister().opzoeken(nummer)
    _vereis_toe_te_voegen(door, profiel)
    return profiel


def _vereis_toe_te_voegen(door, profiel: Organisatieprofiel) -> Organisatie | None:
    """The organisation row to reuse (one that ended earlier), or None for a new one."""
    if selectors.beheert_kvk(door, profiel.kvk_nummer):
        raise DomainError(AL_BEHEERD, rule="R53", code="al_beheerd")
    bestaand = Organisatie.objects.filter(
        kvk_nummer=profiel.kvk_nummer, vestigingsnummer=profiel.vestigingsnummer
    ).first()
    if bestaand is not None and bestaand.status != Organisatie.Status.OPGEZEGD:
        raise DomainError(AL_OP_PLATFORM, rule="R53", code="al_op_platform")
    return bestaand


@dataclass(frozen=True)
class Beheerdersgegevens:
    """Stap 3, as entered: the beheerder's own data, completed or checked (kept in the aanvraag for support)."""

    voornamen: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: dt.date | None
    email: str
    postcode: str = ""
    huisnummer: str = ""
    toevoeging: str = ""
    straat: str = ""
    plaats: str = ""
    tweede_factor: str = ""
    mobiel: str = ""

    def as_json(self) -> dict:
        return {**self.__dict__, "geboortedatum": self.geboortedatum.isoformat() if self.geboortedatum else None}


@dataclass(frozen=True)
class Facturatie:
    factuur_email: str
    betaalwijze: str
    iban: str = ""
    bic: str = ""
    inkoopordernummer: str = ""


def _facturatie_gecontroleerd(f: Facturatie) -> Facturatie:
    email = (f.factuur_email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(EMAIL_ONGELDIG, rule="R53", code="factuur_email") from None
    if f.betaalwijze not in Organisatie.Betaalwijze.values:
        raise DomainError(_("Kies een betaalwijze."), rule="R53", code="betaalwijze")
    iban, bic = (f.iban or "").strip(), (f.bic or "").strip()
    if f.betaalwijze == Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO and not (iban and bic):
        raise DomainError(IBAN_NODIG, rule="R53", code="iban")
    iban = valideer_iban(iban) if iban else ""
    bic = valideer_bic(bic) if bic else ""
    return Facturatie(email, f.betaalwijze, iban, bic, (f.inkoopordernummer or "").strip()[:50])


@transaction.atomic
def organisatie_aanvragen(
    *,
    door: Persoon,
    vanuit: Organisatie | None,
    nummer: str,
    niveau: int,
    beheerder: Beheerdersgegevens,
    vertegenwoordigers: list[str],
    abonnement_jaren: int,
    facturatie: Facturatie,
    akkoord_gegevens: bool,
    akkoord_voorwaarden: bool,
) -> Aanvraag:
    """§3.3 "Download contract en voeg organisatie toe". The Handelsregister is asked again here: what the
    screens carried between the steps is not trusted for the name, address or signatories."""
    middel = Middel.objects.filter(persoon=door).first()
    if vanuit is None or middel is None or not beheerbare_organisaties(door):
        raise DomainError(GEEN_BEHEERDER, rule="R1", code="geen_beheerder")
    profiel = get_handelsregister().opzoeken(nummer)
    bestaand = _vereis_toe_te_voegen(door, profiel)
    if niveau not in rules.kiesbare_niveaus(middel.niveau):
        raise DomainError(NIVEAU_NIET_KIESBAAR, rule="R53", code="niveau")
    bekend = {w.naam: w for w in profiel.wettelijk_vertegenwoordigers}
    if any(naam not in bekend for naam in vertegenwoordigers):
        raise DomainError(ONBEKENDE_VERTEGENWOORDIGER, rule="R53", code="vertegenwoordigers")
    kosten = bereken_kosten(extra_organisaties=1, koppeling_niveau=niveau, abonnement_jaren=abonnement_jaren)
    facturatie = _facturatie_gecontroleerd(facturatie)
    if not akkoord_gegevens:
        raise DomainError(AKKOORD_GEGEVENS, rule="R53", code="akkoord_gegevens")
    if not akkoord_voorwaarden:
        raise DomainError(AKKOORD_VOORWAARDEN, rule="R53", code="akkoord_voorwaarden")

    adres = profiel.adres
    velden = dict(
        naam=profiel.naam,
        rsin=profiel.rsin,
        straat=adres.straat,
        huisnummer=f"{adres.huisnummer}{adres.huisletter}"
        + (f"-{adres.huisnummertoevoeging}" if adres.huisnummertoevoeging else ""),
        postcode=adres.postcode,
        plaats=adres.plaats,
        land=adres.land,
        status=Organisatie.Status.AANGEVRAAGD,
        opgezegd_op=None,
        betaalwijze=facturatie.betaalwijze,
        iban=facturatie.iban,
        bic=facturatie.bic,
        machtigingskenmerk="",
        facturatiewijze=Organisatie.Facturatiewijze.EMAIL,
        factuur_email=facturatie.factuur_email,
        inkoopordernummer=facturatie.inkoopordernummer,
    )
    if bestaand is None:
        try:
            with transaction.atomic():
                organisatie = Organisatie.objects.create(
                    kvk_nummer=profiel.kvk_nummer, vestigingsnummer=profiel.vestigingsnummer, **velden
                )
        except IntegrityError:
            # Someone else registered the same KvK-/vestigingsnummer a moment ago (uniek_kvk_vestiging).
            raise DomainError(AL_OP_PLATFORM, rule="R53", code="al_op_platform") from None
    else:
        organisatie = Organisatie.objects.select_for_update().get(pk=bestaand.pk)
        for veld, waarde in velden.items():
            setattr(organisatie, veld, waarde)
        organisatie.save()
    if facturatie.betaalwijze == Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO:
        organisatie.machtigingskenmerk = maak_machtigingskenmerk(organisatie)
        organisatie.save(update_fields=["machtigingskenmerk"])
    koppeling = Koppeling.objects.create(
        middel=middel,
        organisatie=organisatie,
        rol=Koppeling.Rol.BEHEERDER,
        status=Koppeling.Status.AANGEVRAAGD,
        abonnement_jaren=abonnement_jaren,
    )
    gekozen = [
        {"naam": naam, "geboortedatum": bekend[naam].geboortedatum.isoformat() if bekend[naam].geboortedatum else None}
        for naam in dict.fromkeys(vertegenwoordigers)
    ]
    aanvraag = Aanvraag.objects.create(
        soort=Aanvraag.Soort.NIEUWE_ORGANISATIE,
        organisatie=organisatie,
        koppeling=koppeling,
        aangevraagd_door=door,
        gegevens={
            "kvk_nummer": profiel.kvk_nummer,
            "vestigingsnummer": profiel.vestigingsnummer,
            "naam": profiel.naam,
            "adres": str(adres),
            "niveau": Niveau(niveau).label,
            "abonnement_jaren": abonnement_jaren,
            "koppelingen": [koppeling.pk],
            # The organisation the beheerder asked from: its Lopende aanvragen lists this one (and may withdraw it).
            "vanuit": vanuit.pk,
            "beheerder": beheerder.as_json(),
            "vertegenwoordigers": gekozen,
            "kosten": kosten.as_json(),
            "kosten_geaccepteerd": True,
            "facturatie": {
                "factuur_email": facturatie.factuur_email,
                "betaalwijze": facturatie.betaalwijze,
                "iban": facturatie.iban,
                "bic": facturatie.bic,
                "inkoopordernummer": facturatie.inkoopordernummer,
            },
            "akkoord_gegevens": True,
            "akkoord_voorwaarden": True,
        },
    )
    audit_per_organisatie(
        actor=door,
        # In the new organisation's trail and in that of the organisation the beheerder worked for.
        organisaties=[organisatie, vanuit],
        actie=Actie.ORGANISATIE_AANGEVRAAGD,
        omschrijving=_("Organisatie %(naam)s (KvK %(kvk)s) aangevraagd, %(niveau)s, %(jaren)s jaar")
        % {
            "naam": organisatie.naam,
            "kvk": organisatie.kvk_nummer,
            "niveau": Niveau(niveau).label,
            "jaren": abonnement_jaren,
        },
        object=aanvraag,
        na={"organisatie": organisatie.pk, "koppeling": koppeling.pk, "vertegenwoordigers": vertegenwoordigers},
    )
    return aanvraag


def nieuwe_organisatie_goedkeuren(*, aanvraag: Aanvraag, door, dag: dt.date) -> None:
    """Support approves once the signed contract is in (called inside `aanvraag_goedkeuren`'s transaction): the
    organisation becomes Actief and gets its klantnummer; the koppeling is activated by the caller."""
    organisatie = Organisatie.objects.select_for_update().get(pk=aanvraag.organisatie_id)
    if organisatie.status != Organisatie.Status.AANGEVRAAGD:
        raise DomainError(_("Deze organisatie wacht niet op goedkeuring."), rule="R53", code="niet_aangevraagd")
    organisatie.status = Organisatie.Status.ACTIEF
    if not organisatie.klantnummer:
        organisatie.klantnummer = f"{900000 + organisatie.pk}"
    organisatie.save(update_fields=["status", "klantnummer"])
    _eigen_gegevens_aanvullen(aanvraag)
    audit_log(
        actor=door,
        organisatie=organisatie,
        actie=Actie.ORGANISATIE_GOEDGEKEURD,
        omschrijving=_("Organisatie %(naam)s toegevoegd") % {"naam": organisatie.naam},
        object=organisatie,
        voor={"status": Organisatie.Status.AANGEVRAAGD},
        na={"status": Organisatie.Status.ACTIEF, "klantnummer": organisatie.klantnummer},
    )


def _eigen_gegevens_aanvullen(aanvraag: Aanvraag) -> None:
    """Stap 3 completed the beheerder's own data: what was missing on the account is filled in now; what was
    there already is never overwritten (a change of those goes by its own mutation)."""
    gegevens = (aanvraag.gegevens or {}).get("beheerder") or {}
    persoon = aanvraag.aangevraagd_door
    if not gegevens or persoon is None:
        return
    if persoon.geboortedatum is None and gegevens.get("geboortedatum"):
        persoon.geboortedatum = dt.date.fromisoformat(gegevens["geboortedatum"])
        persoon.save(update_fields=["geboortedatum"])
    middel = Middel.objects.filter(persoon=persoon).first()
    if middel is None:
        return
    velden = {
        "id_postcode": "postcode",
        "id_huisnummer": "huisnummer",
        "id_toevoeging": "toevoeging",
        "id_straat": "straat",
        "id_plaats": "plaats",
    }
    aangevuld = [veld for veld, sleutel in velden.items() if not getattr(middel, veld) and gegevens.get(sleutel)]
    for veld in aangevuld:
        setattr(middel, veld, gegevens[velden[veld]])
    if aangevuld:
        middel.save(update_fields=aangevuld)


def nieuwe_organisatie_afkeuren(*, aanvraag: Aanvraag, dag: dt.date) -> None:
    """Support rejects: the organisation that was never active ends, so it may be requested again later."""
    Organisatie.objects.filter(pk=aanvraag.organisatie_id, status=Organisatie.Status.AANGEVRAAGD).update(
        status=Organisatie.Status.OPGEZEGD, opgezegd_op=dag or vandaag()
    )
