"""An organisation's invoicing data (R52, §2.4.3–§2.4.6): bank account, betaalwijze, facturatiewijze, invoice e-mail.

Each change runs in one transaction with its audit entry (R74) and the confirmation e-mail to the invoice
address (old and new when the address itself changes). The one-way switches are refused here by the predicates
of `facturatie.rules`, whatever the screen sent.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log
from berichten.meldingen.instellingen import meld_facturatie_gewijzigd
from common.dates import vandaag
from common.errors import DomainError
from facturatie import rules
from facturatie.models import Tarief
from handelsregister.identifiers import valideer_bic, valideer_iban
from organisaties.models import Organisatie

# The creditor of the SEPA direct debit (§2.4.3), printed on every mandate.
INCASSANT = "Connectis - We-ID"
INCASSANT_ID = "NL85ZZZ390787490000"

AKKOORD_NODIG = _("Ga akkoord met de algemene voorwaarden om automatisch te betalen.")
EMAIL_ONGELDIG = _("Vul een geldig e-mailadres in, bijvoorbeeld factuur@bedrijf.nl.")
EMAIL_ONGEWIJZIGD = _("Dit e-mailadres is al het factuur e-mailadres.")


def toeslag_per_factuur(code: str) -> Decimal | None:
    """The extra cost per invoice of an old choice (bankoverschrijving, factuur per post), or None when the tariff
    table has no amount for it (the screen then says only that there are extra costs)."""
    rij = Tarief.objects.filter(code=code, periode=Tarief.Periode.PER_FACTUUR).values_list("bedrag", flat=True)
    return next(iter(rij), None)


def maak_machtigingskenmerk(organisatie: Organisatie) -> str:
    """The SEPA mandate reference, as the manual shows it (20200826BH100049): the date signed and the customer."""
    return f"{vandaag():%Y%m%d}BH{100000 + organisatie.pk}"


def _vergrendeld(organisatie: Organisatie) -> Organisatie:
    return Organisatie.objects.select_for_update().get(pk=organisatie.pk)


def _stand(o: Organisatie) -> dict:
    return {
        "betaalwijze": o.betaalwijze,
        "iban": o.iban,
        "bic": o.bic,
        "machtigingskenmerk": o.machtigingskenmerk,
        "facturatiewijze": o.facturatiewijze,
        "factuur_email": o.factuur_email,
    }


@transaction.atomic
def rekening_wijzigen(
    *,
    door,
    organisatie: Organisatie,
    iban: str,
    bic: str,
    akkoord_voorwaarden: bool,
    betaalwijze: str = Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO,
) -> Organisatie:
    """§2.4.3 / §2.4.5 "Betaal automatisch": a new IBAN and BIC for the automatische incasso. From
    bankoverschrijving this is the switch to incasso, with a new mandate (machtigingskenmerk)."""
    weigering = rules.betaalwijze_weigering(organisatie, betaalwijze)
    if weigering:
        raise DomainError(weigering, rule="R52", code="betaalwijze_terug")
    iban, bic = valideer_iban(iban), valideer_bic(bic)
    if not akkoord_voorwaarden:
        raise DomainError(AKKOORD_NODIG, rule="R52", code="akkoord_voorwaarden")
    org = _vergrendeld(organisatie)
    voor = _stand(org)
    overstap = org.betaalwijze != Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO
    org.iban, org.bic = iban, bic
    org.betaalwijze = Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO
    if overstap or not org.machtigingskenmerk:
        org.machtigingskenmerk = maak_machtigingskenmerk(org)
    org.save(update_fields=["iban", "bic", "betaalwijze", "machtigingskenmerk"])
    audit_log(
        actor=door,
        organisatie=org,
        actie=Actie.FACTURATIE_BETAALWIJZE_GEWIJZIGD if overstap else Actie.FACTURATIE_REKENING_GEWIJZIGD,
        omschrijving=_("Betaalwijze gewijzigd in automatische incasso (%(iban)s)") % {"iban": iban}
        if overstap
        else _("Rekeningnummer gewijzigd in %(iban)s") % {"iban": iban},
        object=org,
        voor=voor,
        na=_stand(org),
    )
    meld_facturatie_gewijzigd(
        organisatie=org,
        door=door,
        wijziging="betaalwijze" if overstap else "rekening",
        ontvangers=[org.factuur_email],
    )
    return org


@transaction.atomic
def factuur_per_email(
    *,
    door,
    organisatie: Organisatie,
    email: str,
    facturatiewijze: str = Organisatie.Facturatiewijze.EMAIL,
) -> Organisatie:
    """§2.4.4 / §2.4.6 "Ontvang facturen per e-mail": the invoice address changes; from factuur per post this is
    the switch to invoices by e-mail. The old and the new address are both told."""
    weigering = rules.facturatiewijze_weigering(organisatie, facturatiewijze)
    if weigering:
        raise DomainError(weigering, rule="R52", code="facturatiewijze_terug")
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(EMAIL_ONGELDIG, rule="R52", code="email_ongeldig") from None
    org = _vergrendeld(organisatie)
    overstap = org.facturatiewijze != Organisatie.Facturatiewijze.EMAIL
    if not overstap and email.casefold() == org.factuur_email.casefold():
        raise DomainError(EMAIL_ONGEWIJZIGD, rule="R52", code="email_ongewijzigd")
    voor = _stand(org)
    oud_email = org.factuur_email
    org.factuur_email = email
    org.facturatiewijze = Organisatie.Facturatiewijze.EMAIL
    org.save(update_fields=["factuur_email", "facturatiewijze"])
    audit_log(
        actor=door,
        organisatie=org,
        actie=Actie.FACTURATIE_FACTURATIEWIJZE_GEWIJZIGD if overstap else Actie.FACTURATIE_FACTUUR_EMAIL_GEWIJZIGD,
        omschrijving=_("Facturatiewijze gewijzigd in factuur per e-mail (%(email)s)") % {"email": email}
        if overstap
        else _("Factuur e-mailadres gewijzigd in %(email)s") % {"email": email},
        object=org,
        voor=voor,
        na=_stand(org),
    )
    meld_facturatie_gewijzigd(
        organisatie=org,
        door=door,
        wijziging="facturatiewijze" if overstap else "factuur_email",
        ontvangers=[oud_email, email],
    )
    return org
