"""The one interface to the Handelsregister. Inputs are checked here, before either register is asked."""

from abc import ABC, abstractmethod

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .errors import OngeldigeWaarde, OrganisatieNietGevonden
from .identifiers import compact_nummer, valideer_kvk_nummer, valideer_vestigingsnummer
from .records import Organisatieprofiel, Zoekresultaat

NAAM_MAX_LENGTE = 500


def niet_gevonden_kvk(kvk_nummer: str) -> OrganisatieNietGevonden:
    return OrganisatieNietGevonden(
        format_lazy(_("Geen organisatie gevonden met KvK-nummer {kvk_nummer}."), kvk_nummer=kvk_nummer),
        code="organisatie_niet_gevonden",
    )


def niet_gevonden_vestiging(vestigingsnummer: str) -> OrganisatieNietGevonden:
    return OrganisatieNietGevonden(
        format_lazy(
            _("Geen vestiging gevonden met vestigingsnummer {vestigingsnummer}."), vestigingsnummer=vestigingsnummer
        ),
        code="vestiging_niet_gevonden",
    )


class Handelsregister(ABC):
    """Look-ups of organisations by KvK-nummer or vestigingsnummer, and Zoeken.

    Each raises `OngeldigeWaarde` for a malformed number, `OrganisatieNietGevonden` when the register does not
    know it, `HandelsregisterNietBereikbaar` when the register cannot answer now.
    """

    def zoek_op_kvk_nummer(self, kvk_nummer: str) -> Organisatieprofiel:
        return self._profiel(valideer_kvk_nummer(kvk_nummer))

    def zoek_op_vestigingsnummer(self, vestigingsnummer: str) -> Organisatieprofiel:
        return self._profiel_van_vestiging(valideer_vestigingsnummer(vestigingsnummer))

    def opzoeken(self, nummer: str) -> Organisatieprofiel:
        """What a person typed in "KvK- of vestigingsnummer" (R53): 8 digits or 12, told apart by length."""
        digits = compact_nummer(nummer)
        if len(digits) == 12:
            return self.zoek_op_vestigingsnummer(digits)
        if len(digits) == 8:
            return self.zoek_op_kvk_nummer(digits)
        raise OngeldigeWaarde(
            _("Vul een KvK-nummer (8 cijfers) of een vestigingsnummer (12 cijfers) in."),
            rule="R53",
            code="kvk_of_vestigingsnummer_ongeldig",
        )

    def zoeken(
        self, *, kvk_nummer: str | None = None, vestigingsnummer: str | None = None, naam: str | None = None
    ) -> list[Zoekresultaat]:
        """Zoeken: every criterion given must match. No match is an empty list, not an error."""
        criteria: dict[str, str] = {}
        if kvk_nummer:
            criteria["kvkNummer"] = valideer_kvk_nummer(kvk_nummer)
        if vestigingsnummer:
            criteria["vestigingsnummer"] = valideer_vestigingsnummer(vestigingsnummer)
        if naam and naam.strip():
            if len(naam.strip()) > NAAM_MAX_LENGTE:
                raise OngeldigeWaarde(_("De naam is te lang om op te zoeken."), code="naam_te_lang")
            criteria["naam"] = naam.strip()
        if not criteria:
            raise OngeldigeWaarde(
                _("Vul een KvK-nummer, vestigingsnummer of naam in om te zoeken."), code="zoekvraag_leeg"
            )
        return self._zoeken(criteria)

    @abstractmethod
    def _profiel(self, kvk_nummer: str) -> Organisatieprofiel: ...

    @abstractmethod
    def _profiel_van_vestiging(self, vestigingsnummer: str) -> Organisatieprofiel: ...

    @abstractmethod
    def _zoeken(self, criteria: dict[str, str]) -> list[Zoekresultaat]:
        """`criteria` uses the KvK query names (kvkNummer, vestigingsnummer, naam), already validated."""
