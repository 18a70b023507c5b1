"""Writing ketenmachtigingen (R40–R45, R23, R73, R74).

Two ways in: the verlener's beheerder issues one (`ketenmachtiging_afgeven`, R40), or the intermediair with
the KetenModule invites a relation, who gives it through the invitation without eHerkenning
(`relatie_uitnodigen` / `uitnodiging_accepteren`, R43). The intermediair's beheerder then links received
ketenmachtigingen to its own regular EH3+ middelen (R44); the Machtigingenregister decides from those links
(`machtigingen.register`, R72).

An intermediair that is not on the platform yet is registered as a plain `Organisatie` record (status Actief,
without koppelingen) holding the KvK data looked up in the Handelsregister: the ketenmachtiging must point at
an organisation, and when that intermediair joins later it finds its received ketenmachtigingen at once (R42).
"On the platform" means: it has an actief koppeling of an Actief middel (`op_platform`).
"""

import datetime as dt
import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_bulk, audit_log
from catalogus.models import Dienst, Dienstverlener
from common.dates import MAX_JAREN, plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel
from gebruikers.rules import beheer_koppeling, is_beheerder_van, is_support
from handelsregister.identifiers import valideer_kvk_nummer
from machtigingen.models import Scope, Status
from organisaties.models import Organisatie

from .models import Ketenmachtiging, KetenmachtigingMiddel, KetenModule, Uitnodiging
from .selectors import ketenmachtiging_kosten_per_jaar

logger = logging.getLogger(__name__)

# Where ketenmachtigingen are registered: what the verlener tells its intermediair (R42).
GEREGISTREERD_BIJ_STANDAARD = "We-ID"
KETEN_MINIMUM_NIVEAU = Niveau.EH3
UITNODIGING_GELDIG_DAGEN = 30


def geregistreerd_bij() -> str:
    return getattr(settings, "KETENMACHTIGING_GEREGISTREERD_BIJ", GEREGISTREERD_BIJ_STANDAARD)


# ------------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class KetenmachtigingAfgifte:
    """What the verlener must tell its intermediair (R42), and what was registered."""

    ketenmachtigingen: tuple[Ketenmachtiging, ...]
    verlener_kvk: str
    verlener_naam: str
    intermediair: Organisatie
    intermediair_kvk: str
    intermediair_naam: str
    intermediair_op_platform: bool
    diensten: tuple[str, ...]
    geregistreerd_bij: str
    eindigt_op: dt.date
    intermediair_email: str
    nieuwe_intermediair: bool
    kosten_per_jaar: Decimal | None


@dataclass(frozen=True)
class VerstuurdeUitnodiging:
    uitnodiging: Uitnodiging
    # The only copy of the token: it goes into the link in the e-mail and is stored hashed.
    token: str


class BulkUitnodigingFout(DomainError):
    """A bulk invitation with invalid rows: nothing was created; `fouten` lists (rijnummer, melding)."""

    def __init__(self, fouten: list[tuple[int, object]]):
        super().__init__(
            _("%(aantal)d regel(s) bevatten fouten; er is niemand uitgenodigd.") % {"aantal": len(fouten)},
            rule="R43",
        )
        self.fouten = fouten


@dataclass(frozen=True)
class _ScopeKeuze:
    scope: str
    dienst: Dienst | None = None
    niveau: int | None = None
    dienstverlener: Dienstverlener | None = None

    @property
    def sleutel(self) -> tuple:
        return (
            self.scope,
            self.dienst.pk if self.dienst else None,
            self.niveau,
            self.dienstverlener.pk if self.dienstverlener else None,
        )

    @property
    def omschrijving(self) -> str:
        if self.scope == Scope.DIENST:
            return f"{self.dienst.dienstverlener} – {self.dienst}"
        if self.scope == Scope.ALGEMEEN:
            return f"{Scope.ALGEMEEN.label} {Niveau(self.niveau).label}"
        return f"{Scope.DIENSTVERLENER.label} {self.dienstverlener}"


# ------------------------------------------------------------------------------------------------ hooks


def intermediair_informeren(*, afgifte: KetenmachtigingAfgifte) -> None:
    """Tell the intermediair by e-mail what was registered for it (R42), when an address was given.

    Called inside the afgifte's transaction: the outbox row commits (and is then sent) with the change.
    """
    from berichten.services import meld_intermediair_geinformeerd

    if not afgifte.intermediair_email:
        return
    meld_intermediair_geinformeerd(
        email=afgifte.intermediair_email,
        verlener_kvk=afgifte.verlener_kvk,
        verlener_naam=afgifte.verlener_naam,
        intermediair_kvk=afgifte.intermediair_kvk,
        intermediair_naam=afgifte.intermediair_naam,
        diensten=afgifte.diensten,
        geregistreerd_bij=afgifte.geregistreerd_bij,
        eindigt_op=afgifte.eindigt_op,
        organisatie=afgifte.ketenmachtigingen[0].verlener if afgifte.ketenmachtigingen else None,
    )


def uitnodiging_link(token: str) -> str:
    """The absolute link a relation opens to give the ketenmachtiging (R43); the token is its only key."""
    return f"{settings.SITE_URL.rstrip('/')}/uitnodiging/{token}/"


def uitnodiging_versturen(*, uitnodiging: Uitnodiging, token: str) -> None:
    """Send the invitation link to the relation (R43), inside the invitation's transaction (outbox)."""
    from berichten.services import meld_uitnodiging_ketenmachtiging

    meld_uitnodiging_ketenmachtiging(
        email=uitnodiging.email,
        intermediair=uitnodiging.intermediair,
        link=uitnodiging_link(token),
        geldig_tot=uitnodiging.verloopt_op,
        scope=_scope_tekst(uitnodiging),
        relatie_naam=uitnodiging.naam,
    )


def uitnodigingen_versturen(*, intermediair: Organisatie, verstuurd: Sequence[VerstuurdeUitnodiging]) -> None:
    """R43 in bulk: all invitation e-mails of one upload written to the outbox at once."""
    from berichten.services import meld_uitnodigingen_ketenmachtiging

    meld_uitnodigingen_ketenmachtiging(
        intermediair=intermediair,
        uitnodigingen=[
            {
                "email": v.uitnodiging.email,
                "link": uitnodiging_link(v.token),
                "geldig_tot": v.uitnodiging.verloopt_op,
                "scope": _scope_tekst(v.uitnodiging),
                "relatie_naam": v.uitnodiging.naam,
            }
            for v in verstuurd
        ],
    )


def _scope_tekst(houder) -> str:
    if houder.scope == Scope.DIENST:
        return f"{houder.dienst.dienstverlener} – {houder.dienst}"
    if houder.scope == Scope.ALGEMEEN:
        return f"{Scope.ALGEMEEN.label} {Niveau(houder.niveau).label}"
    return f"{Scope.DIENSTVERLENER.label} {houder.dienstverlener}"


# ------------------------------------------------------------------------------------------------ helpers


def _vereis_beheerder(persoon, organisatie, *, rule: str) -> Middel:
    koppeling = beheer_koppeling(persoon, organisatie)
    if koppeling is None:
        raise DomainError(
            _("Alleen een beheerder van %(organisatie)s kan dit doen.") % {"organisatie": organisatie}, rule=rule
        )
    return koppeling.middel


def _vereis_support(persoon) -> None:
    if not is_support(persoon):
        raise DomainError(_("Alleen een medewerker van support kan dit doen."), rule="R43")


def _keten_middel_fout(middel: Middel | None):
    """Why a middel cannot work with ketenmachtigingen (R23, R44), or None when it can."""
    if middel is None or middel.status != Middel.Status.ACTIEF:
        return DomainError(_("Voor ketenmachtigingen is een actief eHerkenningsmiddel nodig."), rule="R44")
    if middel.type == Middel.Type.BELASTINGDIENST:
        return DomainError(
            _("Een EH3 Belastingdienstmiddel kan niet worden gebruikt voor ketenmachtigingen."), rule="R23"
        )
    if middel.niveau < KETEN_MINIMUM_NIVEAU:
        return DomainError(
            _("Voor ketenmachtigingen is een regulier eHerkenningsmiddel op niveau EH3 of hoger nodig."), rule="R44"
        )
    return None


def _adres_velden(adres) -> dict:
    """Organisatie address fields from a mapping or an address record (e.g. handelsregister.records.Adres)."""
    if adres is None:
        return {}

    def lees(naam: str) -> str:
        waarde = adres.get(naam, "") if isinstance(adres, Mapping) else getattr(adres, naam, "")
        return str(waarde or "")

    huisnummer = lees("huisnummer") + lees("huisletter")
    if lees("huisnummertoevoeging"):
        huisnummer = f"{huisnummer}-{lees('huisnummertoevoeging')}"
    velden = {
        "straat": lees("straat"),
        "huisnummer": huisnummer,
        "postcode": lees("postcode"),
        "plaats": lees("plaats"),
    }
    if lees("land"):
        velden["land"] = lees("land")
    return velden


def _organisatie_voor_kvk(*, kvk_nummer: str, naam: str, adres, actor, door_organisatie) -> tuple[Organisatie, bool]:
    """The organisation holding this KvK-nummer; registered from the Handelsregister data when not known yet."""
    bestaand = Organisatie.objects.filter(kvk_nummer=kvk_nummer).order_by("vestigingsnummer", "pk").first()
    if bestaand is not None:
        return bestaand, False
    if not naam.strip():
        raise DomainError(
            _("Het bedrijf met KvK-nummer %(kvk)s is niet gevonden in het Handelsregister.") % {"kvk": kvk_nummer},
            rule="R40",
        )
    organisatie = Organisatie.objects.create(
        naam=naam.strip()[:200], kvk_nummer=kvk_nummer, status=Organisatie.Status.ACTIEF, **_adres_velden(adres)
    )
    audit_log(
        actor=actor,
        organisatie=door_organisatie,
        actie="organisatie_geregistreerd",
        omschrijving=_("Organisatie %(naam)s (KvK %(kvk)s) vastgelegd voor een ketenmachtiging")
        % {"naam": organisatie.naam, "kvk": kvk_nummer},
        object=organisatie,
        na={"naam": organisatie.naam, "kvk_nummer": kvk_nummer},
    )
    return organisatie, True


def op_platform(organisatie: Organisatie) -> bool:
    """The organisation uses this platform: someone with an Actief middel is linked to it."""
    return Koppeling.objects.filter(
        organisatie=organisatie, status=Koppeling.Status.ACTIEF, middel__status=Middel.Status.ACTIEF
    ).exists()


def _controleer_dienst_via_intermediair(dienst: Dienst) -> None:
    if dienst.ingetrokken:
        raise DomainError(_("De dienst %(dienst)s is ingetrokken.") % {"dienst": dienst}, rule="R70")
    if dienst.intermediatie == Dienst.Intermediatie.GEEN:
        raise DomainError(
            _("De dienst %(dienst)s kan niet via een intermediair worden gebruikt.") % {"dienst": dienst}, rule="R72"
        )


def _controleer_einddatum(eindigt_op: dt.date, *, begint_op: dt.date) -> None:
    if eindigt_op <= vandaag():
        raise DomainError(_("De einddatum is op zijn vroegst morgen."), rule="R73")
    uiterlijk = plus_jaren(begint_op, MAX_JAREN)
    if eindigt_op > uiterlijk:
        raise DomainError(
            _("Een ketenmachtiging loopt ten hoogste 5 jaar; de einddatum is uiterlijk %(datum)s.")
            % {"datum": uiterlijk.strftime("%d-%m-%Y")},
            rule="R73",
        )


def _snapshot(k: Ketenmachtiging) -> dict:
    return {
        "verlener": k.verlener_id,
        "intermediair": k.intermediair_id,
        "scope": k.scope,
        "dienst": k.dienst_id,
        "niveau": k.niveau,
        "dienstverlener": k.dienstverlener_id,
        "begint_op": k.begint_op.isoformat(),
        "eindigt_op": k.eindigt_op.isoformat(),
        "status": k.status,
        "aangevraagd_door": k.aangevraagd_door,
    }


def _audit_beide(*, actor, k: Ketenmachtiging, actie: str, omschrijving, voor=None, na=None) -> None:
    """Both organisations keep the change in their audit trail (R74)."""
    for organisatie in (k.verlener, k.intermediair):
        audit_log(
            actor=actor, organisatie=organisatie, actie=actie, omschrijving=omschrijving, object=k, voor=voor, na=na
        )


def _heeft_lopende_ketenmachtiging(verlener, intermediair) -> bool:
    dag = vandaag()
    return Ketenmachtiging.objects.filter(
        verlener=verlener, intermediair=intermediair, status=Status.ACTIEF, begint_op__lte=dag, eindigt_op__gt=dag
    ).exists()


# ------------------------------------------------------------------------------------------------ R40, R42


@transaction.atomic
def ketenmachtiging_afgeven(
    *,
    actor,
    verlener: Organisatie,
    intermediair_kvk: str,
    intermediair_naam: str = "",
    intermediair_adres=None,
    diensten: Iterable = (),
    algemene_niveaus: Iterable[int] = (),
    dienstverleners: Iterable = (),
    eindigt_op: dt.date | None = None,
    intermediair_email: str = "",
    kosten_geaccepteerd: bool,
) -> KetenmachtigingAfgifte:
    """The verlener's beheerder registers ketenmachtigingen for an intermediair named by KvK-nummer (R40).

    `intermediair_naam` and `intermediair_adres` (a mapping or address record) come from the Handelsregister
    look-up the screen did; they are used only when the intermediair is not known yet.
    Scopes the verlener already gave this intermediair get the new end date (as bulk machtigingen do, R36) and
    start a new term today (R73).
    """
    # R40 / R23: a regular Actief EH3+ middel and beheerder at the verlener.
    middel = Middel.objects.filter(persoon=actor).first() if getattr(actor, "pk", None) else None
    fout = _keten_middel_fout(middel)
    if fout is not None:
        if fout.rule == "R44":
            fout = DomainError(
                _(
                    "Om een ketenmachtiging af te geven heeft u een actief, regulier eHerkenningsmiddel op niveau EH3 of hoger nodig."
                ),
                rule="R40",
            )
        raise fout
    _vereis_beheerder(actor, verlener, rule="R40")

    kvk = valideer_kvk_nummer(intermediair_kvk)
    if kvk == verlener.kvk_nummer:
        raise DomainError(_("U kunt geen ketenmachtiging aan uw eigen organisatie afgeven."), rule="R40")
    if intermediair_email:
        try:
            validate_email(intermediair_email)
        except ValidationError:
            raise DomainError(_("Vul een geldig e-mailadres in."), rule="R42") from None

    keuzes = _scope_keuzes(
        diensten=diensten, algemene_niveaus=algemene_niveaus, dienstverleners=dienstverleners, max_niveau=middel.niveau
    )
    begint_op = vandaag()
    eindigt_op = eindigt_op or plus_jaren(begint_op, MAX_JAREN)
    _controleer_einddatum(eindigt_op, begint_op=begint_op)

    intermediair, _nieuw = _organisatie_voor_kvk(
        kvk_nummer=kvk, naam=intermediair_naam, adres=intermediair_adres, actor=actor, door_organisatie=verlener
    )
    if intermediair.pk == verlener.pk:
        raise DomainError(_("U kunt geen ketenmachtiging aan uw eigen organisatie afgeven."), rule="R40")

    # The cost is a yearly amount per intermediair, whatever the number of ketenmachtigingen (R40).
    nieuwe_intermediair = not _heeft_lopende_ketenmachtiging(verlener, intermediair)
    if nieuwe_intermediair and not kosten_geaccepteerd:
        raise DomainError(_("Ga akkoord met de kosten voor het vastleggen van deze nieuwe intermediair."), rule="R40")
    kosten = ketenmachtiging_kosten_per_jaar()

    lopend = {
        (k.scope, k.dienst_id, k.niveau, k.dienstverlener_id): k
        for k in Ketenmachtiging.objects.select_for_update(of=("self",))
        .filter(verlener=verlener, intermediair=intermediair, status=Status.ACTIEF, eindigt_op__gt=begint_op)
        .select_related("verlener", "intermediair")
    }
    resultaat: list[Ketenmachtiging] = []
    for keuze in keuzes:
        bestaand = lopend.get(keuze.sleutel)
        if bestaand is not None:
            # Re-issuing restarts the term from today, so the new end is checked (R73) against today.
            voor = _snapshot(bestaand)
            bestaand.begint_op, bestaand.eindigt_op = begint_op, eindigt_op
            if intermediair_email:
                bestaand.intermediair_email = intermediair_email
            bestaand.save(update_fields=["begint_op", "eindigt_op", "intermediair_email"])
            _audit_beide(
                actor=actor,
                k=bestaand,
                actie="ketenmachtiging_gewijzigd",
                omschrijving=_("Einddatum ketenmachtiging %(scope)s aan %(intermediair)s gewijzigd")
                % {"scope": keuze.omschrijving, "intermediair": intermediair.naam},
                voor=voor,
                na=_snapshot(bestaand),
            )
            resultaat.append(bestaand)
            continue
        k = Ketenmachtiging.objects.create(
            verlener=verlener,
            intermediair=intermediair,
            scope=keuze.scope,
            dienst=keuze.dienst,
            niveau=keuze.niveau,
            dienstverlener=keuze.dienstverlener,
            begint_op=begint_op,
            eindigt_op=eindigt_op,
            aangevraagd_door=Ketenmachtiging.AangevraagdDoor.VERLENER,
            afgegeven_door=actor,
            intermediair_email=intermediair_email,
        )
        _audit_beide(
            actor=actor,
            k=k,
            actie="ketenmachtiging_afgegeven",
            omschrijving=_("Ketenmachtiging %(scope)s afgegeven aan %(intermediair)s (KvK %(kvk)s)")
            % {"scope": keuze.omschrijving, "intermediair": intermediair.naam, "kvk": kvk},
            na={**_snapshot(k), "kosten_per_jaar": str(kosten) if nieuwe_intermediair and kosten else None},
        )
        resultaat.append(k)

    afgifte = KetenmachtigingAfgifte(
        ketenmachtigingen=tuple(resultaat),
        verlener_kvk=verlener.kvk_nummer,
        verlener_naam=verlener.naam,
        intermediair=intermediair,
        intermediair_kvk=intermediair.kvk_nummer,
        intermediair_naam=intermediair.naam,
        intermediair_op_platform=op_platform(intermediair),
        diensten=tuple(keuze.omschrijving for keuze in keuzes),
        geregistreerd_bij=geregistreerd_bij(),
        eindigt_op=eindigt_op,
        intermediair_email=intermediair_email,
        nieuwe_intermediair=nieuwe_intermediair,
        kosten_per_jaar=kosten if nieuwe_intermediair else None,
    )
    if intermediair_email:
        intermediair_informeren(afgifte=afgifte)
    return afgifte


def _scope_keuzes(*, diensten, algemene_niveaus, dienstverleners, max_niveau: int) -> list[_ScopeKeuze]:
    """Validate the chosen scopes: diensten usable through an intermediair, all at or below the actor's niveau."""
    dienst_pks = [getattr(d, "pk", d) for d in diensten]
    dienstverlener_pks = [getattr(d, "pk", d) for d in dienstverleners]
    niveaus = list(dict.fromkeys(int(n) for n in algemene_niveaus))
    if not (dienst_pks or dienstverlener_pks or niveaus):
        raise DomainError(
            _("Kies ten minste één dienst, Algemene bevoegdheid of Dienstverlenersmachtiging."), rule="R40"
        )
    keuzes: list[_ScopeKeuze] = []
    for niveau in niveaus:
        if niveau not in Niveau.values:
            raise DomainError(_("Onbekend betrouwbaarheidsniveau."), rule="R40")
        if niveau > max_niveau:
            raise DomainError(
                _("U kunt alleen een Algemene bevoegdheid tot en met uw eigen niveau afgeven."), rule="R39"
            )
        keuzes.append(_ScopeKeuze(scope=Scope.ALGEMEEN, niveau=niveau))
    # R39 as for machtigingen: a Dienstverlenersmachtiging covers all its current diensten, so the highest counts.
    gevonden_dv = Dienstverlener.objects.annotate(
        hoogste=Max("diensten__niveau", filter=Q(diensten__ingetrokken=False))
    ).in_bulk(dienstverlener_pks)
    for pk in dict.fromkeys(dienstverlener_pks):
        dv = gevonden_dv.get(pk)
        if dv is None or dv.ingetrokken:
            raise DomainError(_("Deze dienstverlener staat niet (meer) in de dienstencatalogus."), rule="R70")
        if dv.hoogste is not None and dv.hoogste > max_niveau:
            raise DomainError(
                _("U kunt alleen ketenmachtigingen afgeven voor diensten tot en met uw eigen niveau (%(dienst)s).")
                % {"dienst": dv},
                rule="R39",
            )
        keuzes.append(_ScopeKeuze(scope=Scope.DIENSTVERLENER, dienstverlener=dv))
    gevonden = Dienst.objects.select_related("dienstverlener").in_bulk(dienst_pks)
    for pk in dict.fromkeys(dienst_pks):
        dienst = gevonden.get(pk)
        if dienst is None:
            raise DomainError(_("Deze dienst staat niet in de dienstencatalogus."), rule="R70")
        _controleer_dienst_via_intermediair(dienst)
        if dienst.niveau > max_niveau:
            raise DomainError(
                _("U kunt alleen ketenmachtigingen afgeven voor diensten tot en met uw eigen niveau (%(dienst)s).")
                % {"dienst": dienst},
                rule="R39",
            )
        keuzes.append(_ScopeKeuze(scope=Scope.DIENST, dienst=dienst))
    return keuzes


# ------------------------------------------------------------------------------------------------ R41, R45


@transaction.atomic
def intermediair_verwijderen(*, actor, verlener: Organisatie, intermediair: Organisatie, bevestigd: bool) -> int:
    """Revoke every ketenmachtiging the verlener gave this intermediair, after explicit confirmation (R41)."""
    _vereis_beheerder(actor, verlener, rule="R41")
    if not bevestigd:
        raise DomainError(
            _(
                "Bevestig dat u de intermediair en alle gekoppelde ketenmachtigingen wilt verwijderen; dit kan niet ongedaan worden gemaakt."
            ),
            rule="R41",
        )
    lopend = Ketenmachtiging.objects.filter(verlener=verlener, intermediair=intermediair, status=Status.ACTIEF)
    rijen = list(lopend.select_for_update().values_list("pk", "eindigt_op"))
    if not rijen:
        raise DomainError(_("Deze intermediair heeft geen lopende ketenmachtigingen van uw organisatie."), rule="R41")
    nu = timezone.now()
    Ketenmachtiging.objects.filter(pk__in=[pk for pk, _e in rijen], status=Status.ACTIEF).update(
        status=Status.INGETROKKEN, ingetrokken_op=nu
    )
    omschrijving = _("Intermediair %(intermediair)s verwijderd: ketenmachtiging ingetrokken") % {
        "intermediair": intermediair.naam
    }
    audit_bulk(
        (
            {
                "organisatie_id": organisatie_id,
                "actie": "ketenmachtiging_ingetrokken",
                "omschrijving": omschrijving,
                "object_type": "Ketenmachtiging",
                "object_id": pk,
                "voor": {"status": Status.ACTIEF, "eindigt_op": eindigt_op.isoformat()},
                "na": {"status": Status.INGETROKKEN, "ingetrokken_op": nu.isoformat()},
            }
            for pk, eindigt_op in rijen
            for organisatie_id in (verlener.pk, intermediair.pk)
        ),
        actor=actor,
    )
    return len(rijen)


@transaction.atomic
def ketenmachtiging_intrekken(*, actor, ketenmachtiging: Ketenmachtiging) -> Ketenmachtiging:
    """The verlener's beheerder revokes what it issued; the intermediair too when it requested it (R45)."""
    k = (
        Ketenmachtiging.objects.select_for_update(of=("self",))
        .select_related("verlener", "intermediair")
        .get(pk=ketenmachtiging.pk)
    )
    mag = is_beheerder_van(actor, k.verlener) or (
        k.aangevraagd_door == Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR and is_beheerder_van(actor, k.intermediair)
    )
    if not mag:
        raise DomainError(
            _(
                "Alleen de organisatie die de ketenmachtiging afgaf, of de intermediair die erom vroeg, kan haar intrekken."
            ),
            rule="R45",
        )
    if k.status != Status.ACTIEF:
        raise DomainError(_("Deze ketenmachtiging is al beëindigd."), rule="R45")
    voor = _snapshot(k)
    k.status = Status.INGETROKKEN
    k.ingetrokken_op = timezone.now()
    k.save(update_fields=["status", "ingetrokken_op"])
    _audit_beide(
        actor=actor,
        k=k,
        actie="ketenmachtiging_ingetrokken",
        omschrijving=_("Ketenmachtiging %(scope)s van %(verlener)s aan %(intermediair)s ingetrokken")
        % {"scope": k.scope_omschrijving, "verlener": k.verlener.naam, "intermediair": k.intermediair.naam},
        voor=voor,
        na=_snapshot(k),
    )
    return k


# ------------------------------------------------------------------------------------------------ R44


@transaction.atomic
def ketenmachtiging_koppel_middel(*, actor, ketenmachtiging: Ketenmachtiging, middel: Middel) -> KetenmachtigingMiddel:
    """The intermediair's beheerder links a received ketenmachtiging to one of its own regular EH3+ middelen."""
    k = Ketenmachtiging.objects.select_related("verlener", "intermediair").get(pk=ketenmachtiging.pk)
    _vereis_beheerder(actor, k.intermediair, rule="R44")
    dag = vandaag()
    if not (k.status == Status.ACTIEF and k.begint_op <= dag < k.eindigt_op):
        raise DomainError(_("Deze ketenmachtiging is niet (meer) geldig."), rule="R44")
    middel = Middel.objects.select_related("persoon").get(pk=middel.pk)
    if not Koppeling.objects.filter(middel=middel, organisatie=k.intermediair, status=Koppeling.Status.ACTIEF).exists():
        raise DomainError(
            _("U kunt ketenmachtigingen alleen koppelen aan eHerkenningsmiddelen van uw eigen organisatie."), rule="R44"
        )
    fout = _keten_middel_fout(middel)
    if fout is not None:
        raise fout
    if KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=middel).exists():
        raise DomainError(_("Deze ketenmachtiging is al aan dit eHerkenningsmiddel gekoppeld."), rule="R44")
    link = KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=middel, gekoppeld_door=actor)
    audit_log(
        actor=actor,
        organisatie=k.intermediair,
        actie="ketenmachtiging_gekoppeld",
        omschrijving=_("Ketenmachtiging van %(verlener)s (%(scope)s) gekoppeld aan %(persoon)s")
        % {"verlener": k.verlener.naam, "scope": k.scope_omschrijving, "persoon": middel.persoon.naam},
        object=link,
        na={"ketenmachtiging": k.pk, "middel": middel.pk},
    )
    return link


@transaction.atomic
def ketenmachtiging_ontkoppel_middel(*, actor, ketenmachtiging: Ketenmachtiging, middel: Middel) -> None:
    k = Ketenmachtiging.objects.select_related("verlener", "intermediair").get(pk=ketenmachtiging.pk)
    _vereis_beheerder(actor, k.intermediair, rule="R44")
    link = (
        KetenmachtigingMiddel.objects.filter(ketenmachtiging=k, middel=middel).select_related("middel__persoon").first()
    )
    if link is None:
        raise DomainError(_("Deze ketenmachtiging is niet aan dit eHerkenningsmiddel gekoppeld."), rule="R44")
    audit_log(
        actor=actor,
        organisatie=k.intermediair,
        actie="ketenmachtiging_ontkoppeld",
        omschrijving=_("Ketenmachtiging van %(verlener)s (%(scope)s) ontkoppeld van %(persoon)s")
        % {"verlener": k.verlener.naam, "scope": k.scope_omschrijving, "persoon": link.middel.persoon.naam},
        object=link,
        voor={"ketenmachtiging": k.pk, "middel": middel.pk},
    )
    link.delete()


# ------------------------------------------------------------------------------------------------ R43 module


@transaction.atomic
def ketenmodule_aanvragen(*, actor, organisatie: Organisatie, spoed: bool = False) -> KetenModule:
    """The intermediair requests the module for ketenmachtigingen van relaties; support sends a quote."""
    _vereis_beheerder(actor, organisatie, rule="R43")
    if KetenModule.objects.filter(organisatie=organisatie).exists():
        raise DomainError(_("De module ketenmachtigingen is voor deze organisatie al aangevraagd."), rule="R43")
    module = KetenModule.objects.create(organisatie=organisatie, spoed=spoed)
    Aanvraag.objects.create(
        soort=Aanvraag.Soort.KETENMODULE,
        organisatie=organisatie,
        aangevraagd_door=actor,
        spoed=spoed,
        gegevens={"ketenmodule": module.pk},
    )
    audit_log(
        actor=actor,
        organisatie=organisatie,
        actie="ketenmodule_aangevraagd",
        omschrijving=_("Module ketenmachtigingen aangevraagd")
        + (" (" + str(_("spoedprocedure")) + ")" if spoed else ""),
        object=module,
        na={"status": module.status, "spoed": spoed},
    )
    return module


def _module_stap(
    *, actor, module: KetenModule, van: str, naar: str, tijdveld: str, actie: str, omschrijving
) -> KetenModule:
    module = KetenModule.objects.select_for_update(of=("self",)).select_related("organisatie").get(pk=module.pk)
    if module.status != van:
        raise DomainError(
            _("Dit kan niet in de huidige status van de module (%(status)s).")
            % {"status": module.get_status_display()},
            rule="R43",
        )
    module.status = naar
    setattr(module, tijdveld, timezone.now())
    module.save(update_fields=["status", tijdveld])
    audit_log(
        actor=actor,
        organisatie=module.organisatie,
        actie=actie,
        omschrijving=omschrijving,
        object=module,
        voor={"status": van},
        na={"status": naar},
    )
    return module


@transaction.atomic
def ketenmodule_offerte_versturen(*, door, module: KetenModule) -> KetenModule:
    _vereis_support(door)
    return _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.AANGEVRAAGD,
        naar=KetenModule.Status.OFFERTE_VERSTUURD,
        tijdveld="offerte_verstuurd_op",
        actie="ketenmodule_offerte_verstuurd",
        omschrijving=_("Offerte module ketenmachtigingen verstuurd"),
    )


@transaction.atomic
def ketenmodule_offerte_accepteren(*, actor, module: KetenModule) -> KetenModule:
    _vereis_beheerder(actor, module.organisatie, rule="R43")
    return _module_stap(
        actor=actor,
        module=module,
        van=KetenModule.Status.OFFERTE_VERSTUURD,
        naar=KetenModule.Status.GEACCEPTEERD,
        tijdveld="geaccepteerd_op",
        actie="ketenmodule_offerte_geaccepteerd",
        omschrijving=_("Offerte module ketenmachtigingen geaccepteerd"),
    )


@transaction.atomic
def ketenmodule_acceptatie_vastleggen(*, door, module: KetenModule, toelichting: str = "") -> KetenModule:
    """Support records that the intermediair accepted the quote by e-mail (§5.1: "die via de mail beantwoord
    mag worden"): the same state step as `ketenmodule_offerte_accepteren`, audited with the staff member."""
    _vereis_support(door)
    toelichting = (toelichting or "").strip()[:300]
    omschrijving = _("Acceptatie offerte module ketenmachtigingen vastgelegd door support namens de intermediair")
    if toelichting:
        omschrijving = f"{omschrijving}: {toelichting}"
    return _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.OFFERTE_VERSTUURD,
        naar=KetenModule.Status.GEACCEPTEERD,
        tijdveld="geaccepteerd_op",
        actie="ketenmodule_offerte_geaccepteerd",
        omschrijving=omschrijving,
    )


@transaction.atomic
def ketenmodule_inschakelen(*, door, module: KetenModule) -> KetenModule:
    """Support enables the module, only after the quote was accepted (R43)."""
    _vereis_support(door)
    module = _module_stap(
        actor=door,
        module=module,
        van=KetenModule.Status.GEACCEPTEERD,
        naar=KetenModule.Status.INGESCHAKELD,
        tijdveld="ingeschakeld_op",
        actie="ketenmodule_ingeschakeld",
        omschrijving=_("Module ketenmachtigingen ingeschakeld"),
    )
    Aanvraag.objects.filter(
        soort=Aanvraag.Soort.KETENMODULE, organisatie=module.organisatie, status=Aanvraag.Status.IN_BEHANDELING
    ).update(status=Aanvraag.Status.GOEDGEKEURD, behandeld_door=door, behandeld_op=timezone.now())
    return module


# ------------------------------------------------------------------------------------------------ R43 invitations


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _vereis_module_ingeschakeld(intermediair: Organisatie) -> None:
    if not KetenModule.objects.filter(organisatie=intermediair, status=KetenModule.Status.INGESCHAKELD).exists():
        raise DomainError(_("Relaties uitnodigen kan pas als de module ketenmachtigingen is ingeschakeld."), rule="R43")


@dataclass
class _UitnodigingRij:
    kvk_nummer: str
    email: str
    naam: str
    keuze: _ScopeKeuze
    looptijd_jaren: int
    fouten: list = field(default_factory=list)


def _parse_niveau(waarde) -> int | None:
    if waarde in (None, ""):
        return None
    if isinstance(waarde, int) or str(waarde).isdigit():
        return int(waarde) if int(waarde) in Niveau.values else None
    labels = {n.label.upper(): n.value for n in Niveau}
    return labels.get(str(waarde).strip().upper().replace(" ", ""))


def _valideer_uitnodiging(
    *,
    intermediair: Organisatie,
    kvk_nummer,
    email: str,
    naam: str,
    scope: str,
    dienst: Dienst | None,
    niveau,
    dienstverlener: Dienstverlener | None,
    looptijd_jaren,
) -> _UitnodigingRij:
    """Check one invitation; the errors are collected (not raised) so a bulk file reports every line."""
    fouten: list[DomainError] = []
    try:
        kvk = valideer_kvk_nummer(kvk_nummer)
    except DomainError as e:
        kvk, fouten = "", [DomainError(e.message, rule="R43")]
    if kvk and kvk == intermediair.kvk_nummer:
        fouten.append(DomainError(_("U kunt uw eigen organisatie niet uitnodigen."), rule="R43"))
    try:
        validate_email(email or "")
    except ValidationError:
        fouten.append(DomainError(_("Vul een geldig e-mailadres in."), rule="R43"))
    try:
        jaren = int(looptijd_jaren)
    except (TypeError, ValueError):
        jaren = 0
    if not 1 <= jaren <= MAX_JAREN:
        fouten.append(DomainError(_("Een ketenmachtiging loopt 1 tot en met 5 jaar."), rule="R73"))
    keuze = _ScopeKeuze(scope=scope)
    if scope == Scope.ALGEMEEN:
        n = _parse_niveau(niveau)
        if n is None:
            fouten.append(DomainError(_("Kies het niveau van de Algemene bevoegdheid."), rule="R43"))
        keuze = _ScopeKeuze(scope=scope, niveau=n)
    elif scope == Scope.DIENSTVERLENER:
        if dienstverlener is None or dienstverlener.ingetrokken:
            fouten.append(DomainError(_("Deze dienstverlener staat niet (meer) in de dienstencatalogus."), rule="R70"))
        keuze = _ScopeKeuze(scope=scope, dienstverlener=dienstverlener)
    elif scope == Scope.DIENST:
        if dienst is None:
            fouten.append(DomainError(_("Deze dienst staat niet in de dienstencatalogus."), rule="R70"))
        else:
            try:
                _controleer_dienst_via_intermediair(dienst)
            except DomainError as e:
                fouten.append(e)
        keuze = _ScopeKeuze(scope=scope, dienst=dienst)
    else:
        fouten.append(DomainError(_("Kies Algemene bevoegdheid, Dienstverlenersmachtiging of een dienst."), rule="R43"))
    return _UitnodigingRij(
        kvk_nummer=kvk,
        email=email or "",
        naam=(naam or "").strip()[:200],
        keuze=keuze,
        looptijd_jaren=jaren,
        fouten=fouten,
    )


def _maak_uitnodigingen(
    *, actor, intermediair: Organisatie, rijen: Sequence[_UitnodigingRij]
) -> list[VerstuurdeUitnodiging]:
    verloopt_op = timezone.now() + dt.timedelta(days=UITNODIGING_GELDIG_DAGEN)
    tokens = [secrets.token_urlsafe(32) for _rij in rijen]
    uitnodigingen = Uitnodiging.objects.bulk_create(
        [
            Uitnodiging(
                intermediair=intermediair,
                uitgenodigd_door=actor if getattr(actor, "pk", None) else None,
                kvk_nummer=rij.kvk_nummer,
                naam=rij.naam,
                email=rij.email,
                token_hash=_token_hash(token),
                scope=rij.keuze.scope,
                dienst=rij.keuze.dienst,
                niveau=rij.keuze.niveau,
                dienstverlener=rij.keuze.dienstverlener,
                looptijd_jaren=rij.looptijd_jaren,
                verloopt_op=verloopt_op,
            )
            for rij, token in zip(rijen, tokens, strict=True)
        ]
    )
    if not all(u.pk for u in uitnodigingen):
        # SQLite before 3.35 returns no ids from bulk_create; fetch them by their unique hash.
        per_hash = Uitnodiging.objects.in_bulk([u.token_hash for u in uitnodigingen], field_name="token_hash")
        uitnodigingen = [per_hash[u.token_hash] for u in uitnodigingen]
    audit_bulk(
        (
            {
                "organisatie_id": intermediair.pk,
                "actie": "relatie_uitgenodigd",
                "omschrijving": _("Relatie KvK %(kvk)s uitgenodigd voor een ketenmachtiging (%(scope)s)")
                % {"kvk": rij.kvk_nummer, "scope": rij.keuze.omschrijving},
                "object_type": "Uitnodiging",
                "object_id": u.pk,
                "na": {"kvk_nummer": rij.kvk_nummer, "email": rij.email, "scope": rij.keuze.scope},
            }
            for u, rij in zip(uitnodigingen, rijen, strict=True)
        ),
        actor=actor,
    )
    verstuurd = [VerstuurdeUitnodiging(uitnodiging=u, token=t) for u, t in zip(uitnodigingen, tokens, strict=True)]
    uitnodigingen_versturen(intermediair=intermediair, verstuurd=verstuurd)
    return verstuurd


@transaction.atomic
def relatie_uitnodigen(
    *,
    actor,
    intermediair: Organisatie,
    kvk_nummer: str,
    email: str,
    naam: str = "",
    scope: str = Scope.ALGEMEEN,
    dienst: Dienst | None = None,
    niveau: int | None = None,
    dienstverlener: Dienstverlener | None = None,
    looptijd_jaren: int = MAX_JAREN,
) -> VerstuurdeUitnodiging:
    """The intermediair invites one relation to give it a ketenmachtiging (R43; module must be enabled)."""
    _vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    rij = _valideer_uitnodiging(
        intermediair=intermediair,
        kvk_nummer=kvk_nummer,
        email=email,
        naam=naam,
        scope=scope,
        dienst=dienst,
        niveau=niveau,
        dienstverlener=dienstverlener,
        looptijd_jaren=looptijd_jaren,
    )
    if rij.fouten:
        raise rij.fouten[0]
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=[rij])[0]


@transaction.atomic
def relaties_uitnodigen(*, actor, intermediair: Organisatie, rijen: Sequence[Mapping]) -> list[VerstuurdeUitnodiging]:
    """Invite many relations from parsed rows (the file upload parses them), all or nothing (R43).

    Each row: `kvk_nummer`, `email`, optional `naam`, `scope` (default algemeen) with `niveau` (10..40 or
    "EH3"), `dienstverlener_oin` or `service_uuid`, and optional `looptijd_jaren` (default 5).
    Constant number of queries, whatever the number of rows.
    """
    _vereis_beheerder(actor, intermediair, rule="R43")
    _vereis_module_ingeschakeld(intermediair)
    if not rijen:
        raise DomainError(_("Het bestand bevat geen relaties."), rule="R43")
    uuids = {str(r.get("service_uuid") or "").strip() for r in rijen} - {""}
    oins = {str(r.get("dienstverlener_oin") or "").strip() for r in rijen} - {""}
    diensten = {}
    geldige_uuids = []
    for u in uuids:
        try:
            geldige_uuids.append(str(uuid.UUID(u)))
        except ValueError:
            continue
    for d in Dienst.objects.select_related("dienstverlener").filter(service_uuid__in=geldige_uuids):
        diensten[str(d.service_uuid)] = d
    dienstverleners = Dienstverlener.objects.in_bulk(oins, field_name="oin")

    geldig: list[_UitnodigingRij] = []
    fouten: list[tuple[int, object]] = []
    for nummer, r in enumerate(rijen, start=1):
        uuid_tekst = str(r.get("service_uuid") or "").strip()
        try:
            uuid_tekst = str(uuid.UUID(uuid_tekst)) if uuid_tekst else ""
        except ValueError:
            uuid_tekst = "?"
        rij = _valideer_uitnodiging(
            intermediair=intermediair,
            kvk_nummer=r.get("kvk_nummer"),
            email=str(r.get("email") or "").strip(),
            naam=str(r.get("naam") or ""),
            scope=str(r.get("scope") or Scope.ALGEMEEN).strip().lower(),
            dienst=diensten.get(uuid_tekst),
            niveau=r.get("niveau"),
            dienstverlener=dienstverleners.get(str(r.get("dienstverlener_oin") or "").strip()),
            looptijd_jaren=r.get("looptijd_jaren") or MAX_JAREN,
        )
        fouten.extend((nummer, fout.message) for fout in rij.fouten)
        geldig.append(rij)
    if fouten:
        raise BulkUitnodigingFout(fouten)
    return _maak_uitnodigingen(actor=actor, intermediair=intermediair, rijen=geldig)


@transaction.atomic
def uitnodiging_accepteren(*, token: str, naam: str = "", adres=None) -> Ketenmachtiging:
    """The relation gives the ketenmachtiging through the invitation, without eHerkenning (R43).

    `naam`/`adres` come from the Handelsregister look-up of the relation's KvK-nummer, used only when the
    relation is not known yet. The intermediair requested it, so it may revoke it too (R45).
    """
    uitnodiging = (
        Uitnodiging.objects.select_for_update(of=("self",))
        .select_related("intermediair", "dienst", "dienstverlener")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    if uitnodiging is None or uitnodiging.status != Uitnodiging.Status.OPEN:
        raise DomainError(_("Deze uitnodiging bestaat niet of is al gebruikt."), rule="R43")
    if uitnodiging.verloopt_op <= timezone.now():
        raise DomainError(_("Deze uitnodiging is verlopen. Vraag uw intermediair om een nieuwe."), rule="R43")
    intermediair = uitnodiging.intermediair
    _vereis_module_ingeschakeld(intermediair)
    if uitnodiging.dienst is not None:
        _controleer_dienst_via_intermediair(uitnodiging.dienst)
    relatie_label = str(_("Relatie KvK %(kvk)s (via uitnodiging)") % {"kvk": uitnodiging.kvk_nummer})
    verlener, _nieuw = _organisatie_voor_kvk(
        kvk_nummer=uitnodiging.kvk_nummer,
        naam=naam or uitnodiging.naam,
        adres=adres,
        actor=relatie_label,
        door_organisatie=intermediair,
    )
    if verlener.pk == intermediair.pk:
        raise DomainError(_("Een organisatie kan geen ketenmachtiging aan zichzelf geven."), rule="R43")
    begint_op = vandaag()
    k = Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=uitnodiging.scope,
        dienst=uitnodiging.dienst,
        niveau=uitnodiging.niveau,
        dienstverlener=uitnodiging.dienstverlener,
        begint_op=begint_op,
        # R73: at most 5 years after it starts (looptijd_jaren is 1..5 by constraint).
        eindigt_op=plus_jaren(begint_op, min(uitnodiging.looptijd_jaren, MAX_JAREN)),
        aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR,
    )
    uitnodiging.status = Uitnodiging.Status.GEACCEPTEERD
    uitnodiging.geaccepteerd_op = timezone.now()
    uitnodiging.ketenmachtiging = k
    uitnodiging.save(update_fields=["status", "geaccepteerd_op", "ketenmachtiging"])
    _audit_beide(
        actor=relatie_label,
        k=k,
        actie="ketenmachtiging_afgegeven",
        omschrijving=_("Ketenmachtiging %(scope)s gegeven door %(verlener)s aan %(intermediair)s via uitnodiging")
        % {"scope": k.scope_omschrijving, "verlener": verlener.naam, "intermediair": intermediair.naam},
        na=_snapshot(k),
    )
    return k


# ------------------------------------------------------------------------------------------------ jobs


@transaction.atomic
def ketenmachtigingen_verlopen(*, dag: dt.date | None = None) -> int:
    """Mark ketenmachtigingen whose end date has passed as verlopen: set-based, idempotent, audited."""
    dag = dag or vandaag()
    te_laat = Ketenmachtiging.objects.filter(status=Status.ACTIEF, eindigt_op__lte=dag)
    rijen = list(te_laat.select_for_update().values_list("pk", "verlener_id", "intermediair_id", "eindigt_op"))
    if not rijen:
        return 0
    Ketenmachtiging.objects.filter(pk__in=[r[0] for r in rijen], status=Status.ACTIEF).update(status=Status.VERLOPEN)
    audit_bulk(
        {
            "organisatie_id": organisatie_id,
            "actie": "ketenmachtiging_verlopen",
            "omschrijving": _("Ketenmachtiging verlopen op %(datum)s") % {"datum": eindigt_op.strftime("%d-%m-%Y")},
            "object_type": "Ketenmachtiging",
            "object_id": pk,
            "voor": {"status": Status.ACTIEF},
            "na": {"status": Status.VERLOPEN},
        }
        for pk, verlener_id, intermediair_id, eindigt_op in rijen
        for organisatie_id in (verlener_id, intermediair_id)
    )
    return len(rijen)


@transaction.atomic
def uitnodigingen_verlopen(*, moment: dt.datetime | None = None) -> int:
    """Close open invitations past their expiry: set-based, idempotent, audited."""
    moment = moment or timezone.now()
    rijen = list(
        Uitnodiging.objects.select_for_update()
        .filter(status=Uitnodiging.Status.OPEN, verloopt_op__lte=moment)
        .values_list("pk", "intermediair_id", "kvk_nummer")
    )
    if not rijen:
        return 0
    Uitnodiging.objects.filter(pk__in=[r[0] for r in rijen], status=Uitnodiging.Status.OPEN).update(
        status=Uitnodiging.Status.VERLOPEN
    )
    audit_bulk(
        {
            "organisatie_id": intermediair_id,
            "actie": "uitnodiging_verlopen",
            "omschrijving": _("Uitnodiging voor KvK %(kvk)s verlopen") % {"kvk": kvk},
            "object_type": "Uitnodiging",
            "object_id": pk,
            "voor": {"status": Uitnodiging.Status.OPEN},
            "na": {"status": Uitnodiging.Status.VERLOPEN},
        }
        for pk, intermediair_id, kvk in rijen
    )
    return len(rijen)
