"""Plain values the look-ups return, the same whichever register answered."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Adres:
    straat: str = ""
    huisnummer: str = ""
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    postcode: str = ""
    plaats: str = ""
    land: str = "Nederland"
    # A foreign address comes as two free lines (straatHuisnummer, postcodeWoonplaats); they land in
    # `straat` and `plaats`, and `buitenlands` says so.
    buitenlands: bool = False

    @property
    def straatregel(self) -> str:
        nummer = f"{self.huisnummer}{self.huisletter}"
        if self.huisnummertoevoeging:
            nummer = f"{nummer}-{self.huisnummertoevoeging}"
        return f"{self.straat} {nummer}".strip()

    @property
    def plaatsregel(self) -> str:
        return f"{self.postcode} {self.plaats}".strip()

    def __str__(self) -> str:
        regels = [self.straatregel, self.plaatsregel]
        if self.buitenlands and self.land:
            regels.append(self.land)
        return ", ".join(r for r in regels if r)


@dataclass(frozen=True)
class Vestiging:
    vestigingsnummer: str
    eerste_handelsnaam: str
    adres: Adres
    is_hoofdvestiging: bool

    @property
    def soort(self) -> str:
        return "hoofdvestiging" if self.is_hoofdvestiging else "nevenvestiging"


@dataclass(frozen=True)
class WettelijkVertegenwoordiger:
    naam: str
    geboortedatum: date | None
    bevoegdheid: str


@dataclass(frozen=True)
class Organisatieprofiel:
    """An inschrijving as the Basisprofiel, the Zoeken results and (embedded only) the vertegenwoordigers give it.

    `vestiging` is the vestiging asked for when the look-up was by vestigingsnummer, else None; `adres` is
    then that vestiging's address, otherwise the hoofdvestiging's.
    """

    kvk_nummer: str
    naam: str
    statutaire_naam: str
    rsin: str
    rechtsvorm: str
    uitgebreide_rechtsvorm: str
    adres: Adres
    vestigingen: list[Vestiging] = field(default_factory=list)
    wettelijk_vertegenwoordigers: list[WettelijkVertegenwoordiger] = field(default_factory=list)
    vestiging: Vestiging | None = None

    @property
    def vestigingsnummer(self) -> str:
        return self.vestiging.vestigingsnummer if self.vestiging else ""

    @property
    def hoofdvestiging(self) -> Vestiging | None:
        return next((v for v in self.vestigingen if v.is_hoofdvestiging), None)


@dataclass(frozen=True)
class Zoekresultaat:
    kvk_nummer: str
    vestigingsnummer: str
    naam: str
    adres: Adres
    type: str  # hoofdvestiging | nevenvestiging | rechtspersoon, as KvK names them
