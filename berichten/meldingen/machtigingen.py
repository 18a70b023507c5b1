"""R37: the message that a person's machtigingen changed, once per person per action."""

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from berichten.models import Bericht, Soort
from berichten.outbox import Plaatsing, bericht_plaatsen, plaats_alle, plaats_in_bulk, taal_voor
from common.weergave import datum
from gebruikers.models import Persoon
from organisaties.models import Organisatie


def meld_machtigingen_gewijzigd(*, persoon, organisatie, wijzigingen: Sequence) -> Bericht | None:
    """R37: ONE message to one person for one action, listing its changes. Call it once per person per action.
    Items may be lazy translations (`gettext_lazy`) so they appear in the person's language."""
    return bericht_plaatsen(
        soort=Soort.MACHTIGINGEN_GEWIJZIGD,
        persoon=persoon,
        organisatie=organisatie,
        context={"wijzigingen": list(wijzigingen)},
    )


# What each machtigingen audit action means to the person.
ACTIE_OMSCHRIJVING = {
    Actie.MACHTIGING_TOEGEVOEGD: _("Er zijn machtigingen aan u toegekend."),
    Actie.MACHTIGING_EINDDATUM_GEWIJZIGD: _("De einddatum van uw machtigingen is gewijzigd."),
    Actie.MACHTIGING_VERLENGD: _("Uw machtiging is verlengd."),
    Actie.MACHTIGING_INGETROKKEN: _("Een machtiging van u is ingetrokken."),
    Actie.MACHTIGING_VERLOPEN: _("Een machtiging van u is verlopen."),
}


def meld_machtigingen_gewijzigd_aan_personen(*, persoon_ids: Iterable[int], organisatie_id: int, actie: Actie) -> int:
    """R37 for a whole action in one organisation: one message per distinct person, placed with one INSERT."""
    return meld_machtigingen_gewijzigd_per_organisatie(paren=((p, organisatie_id) for p in persoon_ids), actie=actie)


def meld_machtigingen_gewijzigd_per_organisatie(*, paren: Iterable[tuple[int, int]], actie: Actie) -> int:
    """R37 for a whole action at once, over any number of organisations: ONE message per distinct
    (persoon id, organisatie id) pair, in a constant number of queries (organisations, persons, one INSERT)."""
    paren = sorted(set(paren), key=lambda paar: (paar[1], paar[0]))
    if not paren:
        return 0
    organisaties = Organisatie.objects.in_bulk({org_id for _p, org_id in paren})
    personen = Persoon.objects.in_bulk({persoon_id for persoon_id, _o in paren})
    omschrijving = ACTIE_OMSCHRIJVING.get(actie, _("Uw machtigingen zijn gewijzigd."))
    plaatsingen = [
        Plaatsing(
            soort=Soort.MACHTIGINGEN_GEWIJZIGD,
            ontvanger=personen[persoon_id].email,
            context={
                "persoon": personen[persoon_id],
                "organisatie": organisaties.get(org_id),
                "wijzigingen": [omschrijving],
            },
            taal=taal_voor(personen[persoon_id], None),
            persoon_id=persoon_id,
            organisatie_id=org_id,
        )
        for persoon_id, org_id in paren
        if persoon_id in personen
    ]
    return len(plaats_alle(plaatsingen))


class Wijziging:
    """One line of the R37 message, rendered when the message is (in the person's language), not when made.
    A step of + Voeg toe renders thousands: the translated text is looked up once per language."""

    TEKSTEN = {
        "toegevoegd": _("Machtiging %(scope)s toegevoegd, geldig tot %(datum)s"),
        "einddatum": _("Einddatum van machtiging %(scope)s gewijzigd naar %(datum)s"),
    }
    _vertaald: dict = {}

    __slots__ = ("soort", "scope", "datum")

    def __init__(self, soort: str, scope: str, eindigt_op) -> None:
        # A date, or the date already formatted (a step formats it once for all its lines).
        self.soort, self.scope = soort, scope
        self.datum = eindigt_op if isinstance(eindigt_op, str) else datum(eindigt_op)

    @classmethod
    def toegevoegd(cls, scope: str, eindigt_op) -> "Wijziging":
        return cls("toegevoegd", scope, eindigt_op)

    @classmethod
    def einddatum(cls, scope: str, eindigt_op) -> "Wijziging":
        return cls("einddatum", scope, eindigt_op)

    # A message rendered at delivery keeps its lines as these lists (berichten.bezorging.context_naar_json).
    def naar_json(self) -> tuple:
        return (self.soort, self.scope, self.datum)

    @classmethod
    def van_json(cls, waarden: list) -> "Wijziging":
        return cls(*waarden)

    def __str__(self) -> str:
        sleutel = (get_language(), self.soort)
        tekst = self._vertaald.get(sleutel)
        if tekst is None:
            tekst = self._vertaald[sleutel] = str(self.TEKSTEN[self.soort])
        return tekst % {"scope": self.scope, "datum": self.datum}


def meld_machtigingen_bulk(*, organisatie, wijzigingen: Mapping) -> int:
    """R37 for + Voeg toe in the rubriek (§4.2, §4.4, §4.5): ONE message per person for the whole step, listing
    every machtiging added or given a new end date for them. `wijzigingen`: persoon → [Wijziging]. One INSERT.
    People given the same changes share one list, which the outbox then encodes once."""
    gelijk: dict[tuple, list] = {}
    plaatsingen = [
        Plaatsing(
            soort=Soort.MACHTIGINGEN_GEWIJZIGD,
            ontvanger=persoon.email,
            context={
                "persoon": persoon,
                "organisatie": organisatie,
                "wijzigingen": gelijk.setdefault(tuple(regels), regels),
            },
            taal=taal_voor(persoon, None),
            persoon_id=persoon.pk,
            organisatie_id=organisatie.pk,
        )
        for persoon, regels in wijzigingen.items()
        if regels
    ]
    # Hundreds in the step's transaction: written as their contexts, rendered at delivery in the person's language.
    return plaats_in_bulk(plaatsingen)
