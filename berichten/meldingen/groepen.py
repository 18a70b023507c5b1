"""R37 for Groepen (R24): a person whose machtigingen change through a group (a group machtiging added, given a
new end date or ended; joining or leaving a group that holds machtigingen) gets ONE message per action."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from berichten.models import Soort
from berichten.outbox import Plaatsing, plaats_alle, taal_voor


class GroepWijziging:
    """One line of the message, rendered in the person's language when the message is."""

    TOEGEVOEGD = _("Via de groep %(groep)s zijn er machtigingen aan u toegekend.")
    EINDDATUM = _("De einddatum van machtigingen van de groep %(groep)s is gewijzigd.")
    BEEINDIGD = _("Machtigingen van de groep %(groep)s zijn beëindigd.")
    LID_GEWORDEN = _("U bent lid geworden van de groep %(groep)s en heeft daarmee de machtigingen van deze groep.")
    GEEN_LID_MEER = _("U bent geen lid meer van de groep %(groep)s en heeft de machtigingen van deze groep niet meer.")
    VERWIJDERD = _("De groep %(groep)s is verwijderd; de machtigingen van deze groep zijn beëindigd.")

    def __init__(self, tekst, groep: str) -> None:
        self.tekst, self.groep = tekst, groep

    def __str__(self) -> str:
        return str(self.tekst) % {"groep": self.groep}


def meld_groep_machtigingen_gewijzigd(*, organisatie, personen: Iterable, groep, tekst) -> int:
    """R37: ONE message per distinct person for one action on `groep` (the machtigingen they hold through it
    changed). `tekst` is one of the GroepWijziging texts. One INSERT, whatever the number of people."""
    uniek = {p.pk: p for p in personen}
    plaatsingen = [
        Plaatsing(
            soort=Soort.MACHTIGINGEN_GEWIJZIGD,
            ontvanger=persoon.email,
            context={
                "persoon": persoon,
                "organisatie": organisatie,
                "wijzigingen": [GroepWijziging(tekst, groep.naam)],
            },
            taal=taal_voor(persoon, None),
            persoon_id=persoon.pk,
            organisatie_id=organisatie.pk,
        )
        for persoon in uniek.values()
        if persoon.email
    ]
    return len(plaats_alle(plaatsingen)) if plaatsingen else 0
