"""What "Kosten eHerkenning" of "+ Voeg toe" shows (R17): the choices it depends on and its lines, computed by
`facturatie.services.bereken_kosten`; prices for the labels of the choices."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.niveau import Niveau
from common.weergave import euro
from facturatie import services as facturatie
from facturatie.models import Tarief
from gebruikers.models import Middel


@dataclass(frozen=True)
class Keuzes:
    """The choices the cost overview depends on, read leniently from what was sent (R17)."""

    niveau: int | None = None
    type: str = Middel.Type.REGULIER
    extra_organisaties: list = field(default_factory=list)
    otp_device: bool = False
    abonnement_jaren: int = 1
    kosten_geaccepteerd: bool = False


@dataclass(frozen=True)
class KostenRegel:
    aantal: int
    omschrijving: str
    bedrag: str
    periode: str
    bedrag_per_jaar: str = ""  # shown struck through next to a 3-year price, as the manual draws it


@dataclass(frozen=True)
class KostenOverzicht:
    regels: list[KostenRegel] = field(default_factory=list)
    fout: str = ""
    niveau_gekozen: bool = False


_PERIODE = {
    Tarief.Periode.JAAR: _("per 1 jaar"),
    Tarief.Periode.DRIE_JAAR: _("per 3 jaar"),
    Tarief.Periode.EENMALIG: _("eenmalig"),
}
_MIDDEL_CODES = {
    Tarief.Code.MIDDEL_EH2_PLUS,
    Tarief.Code.MIDDEL_EH3,
    Tarief.Code.MIDDEL_EH4,
    Tarief.Code.BELASTINGDIENST_EH3,
}


def niveau_tekst(niveau: int) -> str:
    """'eHerkenning niveau 3', as the manual names a level on screen."""
    return str(_("eHerkenning niveau %(niveau)s") % {"niveau": Niveau(niveau).label.removeprefix("EH")})


def kosten_overzicht(keuzes: Keuzes) -> KostenOverzicht:
    """The lines of "Kosten eHerkenning", computed by `facturatie.services.bereken_kosten` (R17)."""
    if keuzes.niveau is None:
        return KostenOverzicht()
    argumenten = {
        "niveau": keuzes.niveau,
        "type": keuzes.type,
        "extra_organisaties": len(keuzes.extra_organisaties),
        "otp_device": keuzes.otp_device,
    }
    try:
        kosten = facturatie.bereken_kosten(abonnement_jaren=keuzes.abonnement_jaren, **argumenten)
        per_jaar = {}
        if keuzes.abonnement_jaren == 3:
            per_jaar = {
                r.code: r.stuksprijs for r in facturatie.bereken_kosten(abonnement_jaren=1, **argumenten).regels
            }
    except DomainError as fout:
        return KostenOverzicht(fout=str(fout), niveau_gekozen=True)
    regels = []
    for regel in kosten.regels:
        if regel.code in _MIDDEL_CODES:
            omschrijving = niveau_tekst(keuzes.niveau)
            if regel.code == Tarief.Code.BELASTINGDIENST_EH3:
                omschrijving = str(Tarief.Code.BELASTINGDIENST_EH3.label)
        else:
            omschrijving = regel.omschrijving
        oud = per_jaar.get(regel.code) if regel.periode == Tarief.Periode.DRIE_JAAR else None
        regels.append(
            KostenRegel(
                aantal=regel.aantal,
                omschrijving=omschrijving,
                bedrag=euro(regel.stuksprijs),
                periode=str(_PERIODE.get(regel.periode, regel.periode_label)),
                bedrag_per_jaar=euro(oud) if oud is not None else "",
            )
        )
    return KostenOverzicht(regels=regels, niveau_gekozen=True)


def prijs_of_leeg(code: str, abonnement_jaren: int = 1) -> str:
    """A price from the tariff table for a label ('vanaf € 41,00 per jaar'); empty when support has not set it."""
    try:
        return euro(facturatie.tarief(code=code, abonnement_jaren=abonnement_jaren))
    except DomainError:
        return ""
