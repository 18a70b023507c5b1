"""Writes support staff make that the apps' own services do not offer on their behalf.

Each one goes through the owning app's domain code where it exists, so the rules and the audit trail (R74)
are the same as for every other caller.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.models import AuditEntry
from audit.services import audit_log
from berichten.services import meld_offerte_ketenmodule
from common.errors import DomainError
from common.weergave import euro
from facturatie.models import Tarief
from gebruikers.rules import is_support
from handelsregister.services import LaadResultaat, handelsregister_laden
from ketenmachtigingen import services as keten
from ketenmachtigingen.models import KetenModule

MAX_BEDRAG = Decimal("9999999.99")


def _vereis_support(door) -> None:
    if not is_support(door):
        raise DomainError(_("Alleen een medewerker van support kan dit doen."), rule="R43")


# --- R17: the tariff table ----------------------------------------------------------------------------------


@transaction.atomic
def tarief_opslaan(*, door, tarief: Tarief) -> Tarief:
    """Save a new or changed tariff and audit the before/after amounts (R17, R74)."""
    _vereis_support(door)
    try:
        bedrag = Decimal(tarief.bedrag).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        raise DomainError(_("Vul een geldig bedrag in."), rule="R17", code="bedrag") from None
    if bedrag < 0 or bedrag > MAX_BEDRAG:
        raise DomainError(_("Een tarief ligt tussen € 0,00 en € 9.999.999,99."), rule="R17", code="bedrag")
    vorig = Tarief.objects.select_for_update().filter(pk=tarief.pk).first() if tarief.pk else None
    if vorig is not None and vorig.bedrag == bedrag and vorig.code == tarief.code and vorig.periode == tarief.periode:
        return vorig
    tarief.bedrag = bedrag
    tarief.save()
    audit_log(
        actor=door,
        organisatie=None,
        actie=Actie.TARIEF_GEWIJZIGD if vorig else Actie.TARIEF_TOEGEVOEGD,
        omschrijving=_("Tarief %(product)s %(periode)s: %(bedrag)s")
        % {"product": tarief.get_code_display(), "periode": tarief.get_periode_display(), "bedrag": euro(bedrag)},
        object=tarief,
        voor={"code": vorig.code, "periode": vorig.periode, "bedrag": str(vorig.bedrag)} if vorig else None,
        na={"code": tarief.code, "periode": tarief.periode, "bedrag": str(bedrag)},
    )
    return tarief


# --- R43: the ketenmachtiging module ------------------------------------------------------------------------


@dataclass(frozen=True)
class Offerte:
    """What the quote for the ketenmachtiging module says; the amounts are the tariff table's at sending."""

    nummer: str
    datum: dt.date
    bedrag_per_jaar: Decimal
    spoed: bool


def offerte_nummer(module: KetenModule) -> str:
    return f"KM-{module.organisatie.kvk_nummer}-{module.pk:05d}"


def offerte_opstellen(*, module: KetenModule) -> Offerte:
    """The quote as it would be sent now: today's date and the current tariff (code `ketenmachtiging`)."""
    tarief = Tarief.objects.filter(code=Tarief.Code.KETENMACHTIGING, periode=Tarief.Periode.JAAR).first()
    if tarief is None:
        raise DomainError(
            _("Voor %(product)s is geen tarief vastgesteld.") % {"product": Tarief.Code.KETENMACHTIGING.label},
            rule="R17",
            code="tarief_ontbreekt",
        )
    return Offerte(
        nummer=offerte_nummer(module),
        datum=timezone.localdate(),
        bedrag_per_jaar=tarief.bedrag,
        spoed=module.spoed,
    )


def verstuurde_offerte(*, module: KetenModule) -> Offerte | None:
    """The quote as it was sent, from the audit trail (so a later tariff change does not rewrite it)."""
    entry = (
        AuditEntry.objects.filter(
            actie=Actie.KETENMODULE_OFFERTE_OPGESTELD, object_type="KetenModule", object_id=module.pk
        )
        .order_by("-moment", "-id")
        .first()
    )
    if entry is None or not entry.na:
        return None
    return Offerte(
        nummer=entry.na["nummer"],
        datum=dt.date.fromisoformat(entry.na["datum"]),
        bedrag_per_jaar=Decimal(entry.na["bedrag_per_jaar"]),
        spoed=bool(entry.na.get("spoed")),
    )


@transaction.atomic
def ketenmodule_offerte_vastleggen_en_versturen(
    *, door, module: KetenModule, pdf_maken=None
) -> tuple[KetenModule, Offerte]:
    """Record the quote's content in the audit trail, mark it sent through the app's own service, and e-mail it
    as PDF (`pdf_maken(offerte) -> bytes`) to the intermediair's beheerders through the outbox (R43)."""
    _vereis_support(door)
    offerte = offerte_opstellen(module=module)
    module = keten.ketenmodule_offerte_versturen(door=door, module=module)
    if pdf_maken is not None:
        meld_offerte_ketenmodule(
            organisatie=module.organisatie,
            nummer=offerte.nummer,
            bedrag_per_jaar=offerte.bedrag_per_jaar,
            pdf=pdf_maken(offerte),
        )
    audit_log(
        actor=door,
        organisatie=module.organisatie,
        actie=Actie.KETENMODULE_OFFERTE_OPGESTELD,
        omschrijving=_("Offerte %(nummer)s module ketenmachtigingen opgesteld: %(bedrag)s per jaar")
        % {"nummer": offerte.nummer, "bedrag": euro(offerte.bedrag_per_jaar)},
        object=module,
        na={
            "nummer": offerte.nummer,
            "datum": offerte.datum.isoformat(),
            "bedrag_per_jaar": str(offerte.bedrag_per_jaar),
            "spoed": offerte.spoed,
        },
    )
    return module, offerte


# --- The embedded Handelsregister ---------------------------------------------------------------------------


@transaction.atomic
def handelsregister_bestand_laden(*, door, data: dict, bestandsnaam: str) -> LaadResultaat:
    """Load a new Handelsregister file uploaded in the admin; the loader audits as "systeem", so this
    records which staff member did it."""
    _vereis_support(door)
    resultaat = handelsregister_laden(data=data)
    audit_log(
        actor=door,
        organisatie=None,
        actie=Actie.HANDELSREGISTER_BESTAND_GELADEN,
        omschrijving=_("Handelsregisterbestand %(naam)s geladen: %(t)d toegevoegd, %(b)d bijgewerkt, %(o)d ongewijzigd")
        % {
            "naam": bestandsnaam[:200],
            "t": len(resultaat.toegevoegd),
            "b": len(resultaat.bijgewerkt),
            "o": len(resultaat.ongewijzigd),
        },
        na={"bestand": bestandsnaam[:200], "toegevoegd": resultaat.toegevoegd, "bijgewerkt": resultaat.bijgewerkt},
    )
    return resultaat
