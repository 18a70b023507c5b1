"""Messages of Instellingen (R52, R74): the confirmation of a change of the invoicing data.

Sent to the invoice address, and on a change of that address to the old and the new one, so a change nobody
at the organisation made is noticed where the invoices arrive. Without any invoice address (factuur per post)
the beheerder who made the change is told instead.
"""

from berichten.models import Bericht, Soort
from berichten.outbox import Plaatsing, plaats_alle, taal_voor


def meld_facturatie_gewijzigd(*, organisatie, door, wijziging: str, ontvangers: list[str]) -> list[Bericht]:
    """`wijziging`: rekening | betaalwijze | factuur_email | facturatiewijze (the template words it)."""
    adressen = list(dict.fromkeys(a.strip() for a in ontvangers if a and a.strip()))
    if not adressen and getattr(door, "email", ""):
        adressen = [door.email]
    taal = taal_voor(door, None)
    context = {
        "organisatie": organisatie,
        "door": door,
        "wijziging": wijziging,
        # Only the last four characters: a bank account is not sent in full by e-mail.
        "iban": f"•••• {organisatie.iban[-4:]}" if organisatie.iban else "",
        "factuur_email": organisatie.factuur_email,
        "machtigingskenmerk": organisatie.machtigingskenmerk,
    }
    return plaats_alle(
        [
            Plaatsing(
                soort=Soort.FACTURATIEGEGEVENS_GEWIJZIGD,
                ontvanger=adres,
                context=context,
                taal=taal,
                organisatie_id=organisatie.pk,
            )
            for adres in adressen
        ]
    )
