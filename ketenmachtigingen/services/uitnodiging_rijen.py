"""Judging invitation rows (R43) before anything is sent: one relation asked on the screen or a row of a file,
checked for its KvK-nummer (format and the Handelsregister), e-mail, scope and duration, and against duplicates
in the file and open invitations. `uitnodigingen` sends only the rows judged here."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogus.models import Dienst, Dienstverlener
from common.dates import MAX_JAREN
from common.errors import DomainError
from common.niveau import Niveau
from handelsregister import backend as handelsregister_backend
from handelsregister.errors import HandelsregisterFout, OrganisatieNietGevonden
from handelsregister.identifiers import valideer_kvk_nummer
from ketenmachtigingen.models import Uitnodiging
from ketenmachtigingen.services._common import (
    ScopeKeuze,
    controleer_dienst_via_intermediair,
)
from machtigingen.models import Scope
from organisaties.models import Organisatie


@dataclass
class UitnodigingRij:
    """One invitation as judged: `fouten` empty means it will be sent."""

    rijnummer: int
    kvk_nummer: str
    email: str
    naam: str
    keuzes: list[ScopeKeuze]
    looptijd_jaren: int
    spoed: bool = False
    fouten: list = field(default_factory=list)

    @property
    def geldig(self) -> bool:
        return not self.fouten

    @property
    def omschrijving(self) -> str:
        return "; ".join(k.omschrijving for k in self.keuzes if _keuze_volledig(k))

    @property
    def meldingen(self) -> list[str]:
        return [str(f.message) for f in self.fouten]


def _keuze_volledig(k: ScopeKeuze) -> bool:
    return (
        (k.scope == Scope.ALGEMEEN and k.niveau is not None)
        or (k.scope == Scope.DIENST and k.dienst is not None)
        or (k.scope == Scope.DIENSTVERLENER and k.dienstverlener is not None)
    )


def _parse_niveau(waarde) -> int | None:
    if waarde in (None, ""):
        return None
    # ASCII digits only: '²'.isdigit() is true, yet int('²') raises (a file's cell may hold anything).
    if isinstance(waarde, int) or (str(waarde).isascii() and str(waarde).isdigit()):
        return int(waarde) if int(waarde) in Niveau.values else None
    labels = {n.label.upper(): n.value for n in Niveau}
    return labels.get(str(waarde).strip().upper().replace(" ", ""))


def _valideer_keuze(scope: str, dienst, niveau, dienstverlener, fouten: list, *, intermediair=None) -> ScopeKeuze:
    if scope == Scope.ALGEMEEN:
        n = _parse_niveau(niveau)
        if n is None:
            fouten.append(DomainError(_("Kies het niveau van de Algemene bevoegdheid."), rule="R43"))
        return ScopeKeuze(scope=scope, niveau=n)
    if scope == Scope.DIENSTVERLENER:
        if dienstverlener is None or dienstverlener.ingetrokken:
            fouten.append(DomainError(_("Deze dienstverlener staat niet (meer) in de dienstencatalogus."), rule="R70"))
            dienstverlener = None
        return ScopeKeuze(scope=scope, dienstverlener=dienstverlener)
    if scope == Scope.DIENST:
        if dienst is None:
            fouten.append(DomainError(_("Deze dienst staat niet in de dienstencatalogus."), rule="R70"))
        else:
            try:
                controleer_dienst_via_intermediair(dienst, intermediair)
            except DomainError as e:
                fouten.append(e)
                dienst = None
        return ScopeKeuze(scope=scope, dienst=dienst)
    fouten.append(DomainError(_("Kies Algemene bevoegdheid, Dienstverlenersmachtiging of een dienst."), rule="R43"))
    return ScopeKeuze(scope=Scope.ALGEMEEN)


def valideer_rij(
    *, intermediair: Organisatie, rijnummer: int, kvk_nummer, email, naam, keuzes: Sequence[Mapping], looptijd_jaren
) -> UitnodigingRij:
    """Check one invitation; errors are collected (not raised) so a file reports every line."""
    fouten: list[DomainError] = []
    try:
        kvk = valideer_kvk_nummer(kvk_nummer)
    except DomainError as e:
        kvk = ""
        fouten.append(DomainError(e.message, rule="R43", code="kvk_nummer"))
    if kvk and kvk == intermediair.kvk_nummer:
        fouten.append(DomainError(_("U kunt uw eigen organisatie niet uitnodigen."), rule="R43", code="kvk_nummer"))
    email = str(email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        fouten.append(DomainError(_("Vul een geldig e-mailadres in."), rule="R43", code="email"))
    try:
        jaren = int(looptijd_jaren)
    except (TypeError, ValueError):
        jaren = 0
    if not 1 <= jaren <= MAX_JAREN:
        fouten.append(
            DomainError(_("Een ketenmachtiging loopt 1 tot en met 5 jaar."), rule="R73", code="looptijd_jaren")
        )
    gekozen: list[ScopeKeuze] = []
    for k in keuzes:
        keuze = _valideer_keuze(
            str(k.get("scope") or "").strip().lower(),
            k.get("dienst"),
            k.get("niveau"),
            k.get("dienstverlener"),
            fouten,
            intermediair=intermediair,
        )
        if keuze.sleutel not in {g.sleutel for g in gekozen}:
            gekozen.append(keuze)
    if not keuzes:
        fouten.append(DomainError(_("Kies minstens één dienst waarvoor u de ketenmachtiging vraagt."), rule="R43"))
    return UitnodigingRij(
        rijnummer=rijnummer,
        kvk_nummer=kvk,
        email=email,
        naam=str(naam or "").strip()[:200],
        keuzes=gekozen,
        looptijd_jaren=jaren,
        fouten=fouten,
    )


def controleer_register_en_dubbel(intermediair: Organisatie, rijen: Sequence[UitnodigingRij]) -> None:
    """Unknown in the Handelsregister, or already invited (an open invitation, or twice in one file)."""
    kvks = {r.kvk_nummer for r in rijen if r.kvk_nummer}
    al_open = set(
        Uitnodiging.objects.filter(
            intermediair=intermediair,
            kvk_nummer__in=kvks,
            status=Uitnodiging.Status.OPEN,
            verloopt_op__gt=timezone.now(),
        ).values_list("kvk_nummer", flat=True)
    )
    register = handelsregister_backend.get_handelsregister()
    gezien: set[str] = set()
    for rij in rijen:
        if not rij.kvk_nummer:
            continue
        if rij.kvk_nummer in gezien:
            rij.fouten.append(
                DomainError(_("Deze relatie staat al eerder in het bestand."), rule="R43", code="kvk_nummer")
            )
            continue
        gezien.add(rij.kvk_nummer)
        if rij.kvk_nummer in al_open:
            rij.fouten.append(
                DomainError(_("Deze relatie heeft al een openstaande uitnodiging."), rule="R43", code="kvk_nummer")
            )
            continue
        try:
            profiel = register.zoek_op_kvk_nummer(rij.kvk_nummer)
        except OrganisatieNietGevonden:
            rij.fouten.append(
                DomainError(
                    _("KvK-nummer %(kvk)s is niet gevonden in het Handelsregister.") % {"kvk": rij.kvk_nummer},
                    rule="R43",
                    code="kvk_nummer",
                )
            )
            continue
        except HandelsregisterFout as e:
            rij.fouten.append(DomainError(e.message, rule="R43", code="kvk_nummer"))
            continue
        if not rij.naam:
            rij.naam = profiel.naam[:200]


def bestandsrijen(intermediair: Organisatie, rijen: Sequence[Mapping]) -> list[UitnodigingRij]:
    """Judge parsed file rows: constant queries for the catalogue, one register look-up per relation."""
    uuids = set()
    for r in rijen:
        try:
            uuids.add(str(uuid.UUID(str(r.get("service_uuid") or "").strip())))
        except ValueError:
            continue
    oins = {str(r.get("dienstverlener_oin") or "").strip() for r in rijen} - {""}
    diensten = {
        str(d.service_uuid): d for d in Dienst.objects.select_related("dienstverlener").filter(service_uuid__in=uuids)
    }
    dienstverleners = Dienstverlener.objects.in_bulk(oins, field_name="oin")
    beoordeeld = []
    for nummer, r in enumerate(rijen, start=1):
        try:
            uuid_tekst = str(uuid.UUID(str(r.get("service_uuid") or "").strip()))
        except ValueError:
            uuid_tekst = ""
        scope = str(r.get("scope") or Scope.ALGEMEEN).strip().lower()
        keuze = {
            "scope": scope,
            # A file without a niveau asks the Algemene bevoegdheid at EH3, the level ketenmachtigingen need.
            "niveau": r.get("niveau") or (Niveau.EH3 if scope == Scope.ALGEMEEN else None),
            "dienst": diensten.get(uuid_tekst),
            "dienstverlener": dienstverleners.get(str(r.get("dienstverlener_oin") or "").strip()),
        }
        beoordeeld.append(
            valideer_rij(
                intermediair=intermediair,
                rijnummer=int(r.get("rijnummer") or nummer),
                kvk_nummer=r.get("kvk_nummer"),
                email=r.get("email"),
                naam=r.get("naam"),
                keuzes=[keuze],
                looptijd_jaren=r.get("looptijd_jaren") or MAX_JAREN,
            )
        )
    controleer_register_en_dubbel(intermediair, [r for r in beoordeeld if not r.fouten])
    return beoordeeld
