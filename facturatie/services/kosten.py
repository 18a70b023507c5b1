"""Costs from the tariff table (R17, R23): what a request costs, and the credit for a subscription ended early.

Every price comes from `Tarief`, which support staff edit; nothing here hard-codes an amount.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.niveau import Niveau
from facturatie.models import Tarief

CENT = Decimal("0.01")
NUL = Decimal("0.00")

REGULIER = "regulier"
BELASTINGDIENST = "belastingdienst"

_MIDDEL_CODES = {
    Niveau.EH2_PLUS: Tarief.Code.MIDDEL_EH2_PLUS,
    Niveau.EH3: Tarief.Code.MIDDEL_EH3,
    Niveau.EH4: Tarief.Code.MIDDEL_EH4,
}
# Old EH2 middelen are linked at the EH2+ koppeling price: there is no EH2 product any more.
_KOPPELING_CODES = {
    Niveau.EH2: Tarief.Code.KOPPELING_EH2_PLUS,
    Niveau.EH2_PLUS: Tarief.Code.KOPPELING_EH2_PLUS,
    Niveau.EH3: Tarief.Code.KOPPELING_EH3,
    Niveau.EH4: Tarief.Code.KOPPELING_EH4,
}


@dataclass(frozen=True)
class KostenRegel:
    code: str
    omschrijving: str
    aantal: int
    stuksprijs: Decimal
    periode: str  # Tarief.Periode value: "1", "3" or "0" (eenmalig)

    @property
    def bedrag(self) -> Decimal:
        return (self.stuksprijs * self.aantal).quantize(CENT)

    @property
    def periode_label(self) -> str:
        return str(Tarief.Periode(self.periode).label)


@dataclass(frozen=True)
class Kosten:
    regels: list[KostenRegel] = field(default_factory=list)

    @property
    def totaal(self) -> Decimal:
        return sum((r.bedrag for r in self.regels), NUL).quantize(CENT)

    def as_json(self) -> dict:
        """For Aanvraag.gegevens: amounts as strings so no precision is lost in JSON."""
        return {
            "regels": [
                {
                    "code": r.code,
                    "omschrijving": r.omschrijving,
                    "aantal": r.aantal,
                    "stuksprijs": str(r.stuksprijs),
                    "bedrag": str(r.bedrag),
                    "periode": r.periode,
                }
                for r in self.regels
            ],
            "totaal": str(self.totaal),
        }


def middel_tariefcode(*, niveau: int, type: str = REGULIER) -> str:
    if type == BELASTINGDIENST:
        return Tarief.Code.BELASTINGDIENST_EH3
    try:
        return _MIDDEL_CODES[Niveau(niveau)]
    except (KeyError, ValueError):
        raise DomainError(
            _("Op niveau %(niveau)s worden geen nieuwe eHerkenningsmiddelen uitgegeven.")
            % {"niveau": Niveau(niveau).label},
            rule="R17",
        ) from None


def _tarieven() -> dict[tuple[str, str], Decimal]:
    return {(t.code, t.periode): t.bedrag for t in Tarief.objects.all()}


def _prijs(tarieven: dict, code: str, periode: str) -> Decimal:
    """The price for one period. A missing 3-year price falls back to three times the yearly one (no discount)."""
    if (code, periode) in tarieven:
        return tarieven[(code, periode)]
    if periode == Tarief.Periode.DRIE_JAAR and (code, Tarief.Periode.JAAR) in tarieven:
        return (tarieven[(code, Tarief.Periode.JAAR)] * 3).quantize(CENT)
    raise DomainError(
        _("Voor %(product)s is geen tarief vastgesteld. Neem contact op met We-ID.")
        % {"product": Tarief.Code(code).label},
        rule="R17",
        code="tarief_ontbreekt",
    )


def tarief(*, code: str, abonnement_jaren: int = 1) -> Decimal:
    """One price from the table, for a 1- or 3-year subscription (0 = one-off)."""
    return _prijs(_tarieven(), code, str(abonnement_jaren))


def bereken_kosten(
    *,
    niveau: int | None = None,
    type: str = REGULIER,
    abonnement_jaren: int = 1,
    extra_organisaties: int = 0,
    koppeling_niveau: int | None = None,
    otp_device: bool = False,
    nieuwe_activatie: bool = False,
    ketenmachtiging_intermediairs: int = 0,
) -> Kosten:
    """The cost overview the beheerder accepts (R17): one line per product, Decimal amounts, and the total.

    `niveau` is the middel being requested (None when only koppelingen are asked for, R12);
    `koppeling_niveau` prices the extra organisations and defaults to `niveau`. One query.
    """
    if abonnement_jaren not in (1, 3):
        raise DomainError(_("Kies een 1-jarig of een 3-jarig abonnement."), rule="R17")
    periode = str(abonnement_jaren)
    tarieven = _tarieven()
    regels: list[KostenRegel] = []
    if niveau is not None:
        code = middel_tariefcode(niveau=niveau, type=type)
        regels.append(KostenRegel(code, str(Tarief.Code(code).label), 1, _prijs(tarieven, code, periode), periode))
    if extra_organisaties:
        k_niveau = koppeling_niveau if koppeling_niveau is not None else niveau
        code = _KOPPELING_CODES[Niveau(k_niveau)]
        regels.append(
            KostenRegel(
                code,
                str(_("extra KVK koppeling")),
                extra_organisaties,
                _prijs(tarieven, code, periode),
                periode,
            )
        )
    eenmalig = Tarief.Periode.EENMALIG
    if otp_device:
        code = Tarief.Code.OTP_DEVICE
        regels.append(KostenRegel(code, str(Tarief.Code(code).label), 1, _prijs(tarieven, code, eenmalig), eenmalig))
    if nieuwe_activatie:
        code = Tarief.Code.NIEUWE_ACTIVATIE
        regels.append(KostenRegel(code, str(Tarief.Code(code).label), 1, _prijs(tarieven, code, eenmalig), eenmalig))
    if ketenmachtiging_intermediairs:
        code = Tarief.Code.KETENMACHTIGING
        regels.append(
            KostenRegel(
                code,
                str(Tarief.Code(code).label),
                ketenmachtiging_intermediairs,
                _prijs(tarieven, code, Tarief.Periode.JAAR),
                Tarief.Periode.JAAR,
            )
        )
    return Kosten(regels)


def bereken_credit(*, bedrag: Decimal, start: dt.date | None, eind: dt.date | None, peildatum: dt.date) -> Decimal:
    """Pro-rata credit for the unused part of a paid period (R23): bedrag × remaining days / days in the period.

    The end date is exclusive, so the days still to come are eind − peildatum.
    """
    if start is None or eind is None or eind <= start or peildatum >= eind:
        return NUL
    totaal = (eind - start).days
    resterend = min((eind - max(peildatum, start)).days, totaal)
    return (Decimal(bedrag) * resterend / totaal).quantize(CENT, rounding=ROUND_HALF_UP)


def vanaf_per_jaar(*, code: str) -> Decimal | None:
    """ "vanaf € … per jaar" (§3.3): the lowest yearly price of a product, the 3-year price being discounted.
    None when the table has no price for it."""
    tarieven = _tarieven()
    kandidaten = []
    if (code, Tarief.Periode.JAAR) in tarieven:
        kandidaten.append(tarieven[(code, Tarief.Periode.JAAR)])
    if (code, Tarief.Periode.DRIE_JAAR) in tarieven:
        kandidaten.append((tarieven[(code, Tarief.Periode.DRIE_JAAR)] / 3).quantize(CENT, rounding=ROUND_HALF_UP))
    return min(kandidaten) if kandidaten else None
