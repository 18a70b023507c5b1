"""What the ketenmachtiging services share: the result types, the permission checks, the KvK look-up
that registers an intermediair or relation not known yet.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from catalogus.goedkeuringen import is_goedgekeurd
from catalogus.models import Dienst, Dienstverlener
from catalogus.rules import via_intermediair_toegestaan
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from gebruikers.rules import beheer_koppeling, is_support
from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
from ketenmachtigingen.rules import KETEN_MINIMUM_NIVEAU
from machtigingen.models import Scope
from organisaties.models import Organisatie

# Where ketenmachtigingen are registered: what the verlener tells its intermediair (R42).
GEREGISTREERD_BIJ_STANDAARD = "We-ID"
UITNODIGING_GELDIG_DAGEN = 30


def geregistreerd_bij() -> str:
    return getattr(settings, "KETENMACHTIGING_GEREGISTREERD_BIJ", GEREGISTREERD_BIJ_STANDAARD)


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
class ScopeKeuze:
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


def scope_tekst(houder) -> str:
    if houder.scope == Scope.DIENST:
        return f"{houder.dienst.dienstverlener} – {houder.dienst}"
    if houder.scope == Scope.ALGEMEEN:
        return f"{Scope.ALGEMEEN.label} {Niveau(houder.niveau).label}"
    return f"{Scope.DIENSTVERLENER.label} {houder.dienstverlener}"


def vereis_beheerder(persoon, organisatie, *, rule: str) -> Middel:
    koppeling = beheer_koppeling(persoon, organisatie)
    if koppeling is None:
        raise DomainError(
            _("Alleen een beheerder van %(organisatie)s kan dit doen.") % {"organisatie": organisatie}, rule=rule
        )
    return koppeling.middel


def vereis_support(persoon) -> None:
    if not is_support(persoon):
        raise DomainError(_("Alleen een medewerker van support kan dit doen."), rule="R43")


def keten_middel_fout(middel: Middel | None):
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


def adres_velden(adres) -> dict:
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


def organisatie_voor_kvk(*, kvk_nummer: str, naam: str, adres, actor, door_organisatie) -> tuple[Organisatie, bool]:
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
        naam=naam.strip()[:200], kvk_nummer=kvk_nummer, status=Organisatie.Status.ACTIEF, **adres_velden(adres)
    )
    audit_log(
        actor=actor,
        organisatie=door_organisatie,
        actie=Actie.ORGANISATIE_GEREGISTREERD,
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


def controleer_dienst_via_intermediair(dienst: Dienst, intermediair: Organisatie | None = None) -> None:
    """R72, R75: the dienst may be used through an intermediair (through this one, when it is known).

    Without `intermediair` (a screen that does not know it yet) only `noIntermediation` is refused; with it a
    dienst needing the dienstverlener's approval is refused unless support recorded it for this intermediair.
    """
    if dienst.ingetrokken:
        raise DomainError(_("De dienst %(dienst)s is ingetrokken.") % {"dienst": dienst}, rule="R70")
    if dienst.intermediatie == Dienst.Intermediatie.GEEN:
        raise DomainError(
            _("De dienst %(dienst)s kan niet via een intermediair worden gebruikt.") % {"dienst": dienst}, rule="R72"
        )
    if intermediair is None or not dienst.goedkeuring_nodig:
        return
    goedgekeurd = intermediair.pk is not None and is_goedgekeurd(dienst, intermediair)
    if not via_intermediair_toegestaan(dienst.intermediatie, goedgekeurd=goedgekeurd):
        raise DomainError(
            _(
                "De dienst %(dienst)s kan alleen via een intermediair worden gebruikt die de dienstverlener heeft "
                "goedgekeurd; %(intermediair)s is niet goedgekeurd. Vraag de dienstverlener om goedkeuring."
            )
            % {"dienst": dienst, "intermediair": intermediair},
            rule="R75",
        )


def snapshot(k: Ketenmachtiging) -> dict:
    return {
        "verlener": k.verlener_id,
        "intermediair": k.intermediair_id,
        "scope": k.scope,
        "dienst": k.dienst_id,
        "niveau": k.niveau,
        "dienstverlener": k.dienstverlener_id,
        "begint_op": k.begint_op.isoformat(),
        "termijn_begint_op": k.termijn_begint_op.isoformat() if k.termijn_begint_op else None,
        "eindigt_op": k.eindigt_op.isoformat(),
        "status": k.status,
        "aangevraagd_door": k.aangevraagd_door,
    }
