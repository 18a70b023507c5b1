"""R52: the invoicing data (§2.4.3–§2.4.6): IBAN/BIC, the one-way switches, the invoice e-mail; each audited and
confirmed by e-mail to the invoice address (old and new)."""

from decimal import Decimal

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, Soort
from common.errors import DomainError
from facturatie import rules
from facturatie.models import Tarief
from facturatie.services import factuur_per_email, rekening_wijzigen, toeslag_per_factuur, vanaf_per_jaar
from organisaties.models import Organisatie
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

IBAN, BIC = "NL91ABNA0417164300", "ABNANL2A"


@pytest.fixture
def org():
    return OrganisatieFactory(factuur_email="factuur@santos.nl")


@pytest.fixture
def door(org):
    return KoppelingFactory(organisatie=org, beheerder=True).middel.persoon


def _mails():
    return list(Bericht.objects.filter(soort=Soort.FACTURATIEGEGEVENS_GEWIJZIGD).values_list("ontvanger", flat=True))


def _ongewijzigd(org):
    voor = Organisatie.objects.filter(pk=org.pk).values().get()
    return lambda: Organisatie.objects.filter(pk=org.pk).values().get() == voor


def test_r52_bankoverschrijving_to_incasso_creates_a_mandate(org, door):
    assert org.betaalwijze == Organisatie.Betaalwijze.BANKOVERSCHRIJVING
    rekening_wijzigen(
        door=door, organisatie=org, iban="nl91 abna 0417 1643 00", bic="abnanl2a", akkoord_voorwaarden=True
    )
    org.refresh_from_db()
    assert (org.betaalwijze, org.iban, org.bic) == (Organisatie.Betaalwijze.AUTOMATISCHE_INCASSO, IBAN, BIC)
    assert org.machtigingskenmerk.endswith(f"BH{100000 + org.pk}") and len(org.machtigingskenmerk) == 16
    entry = AuditEntry.objects.get(actie=Actie.FACTURATIE_BETAALWIJZE_GEWIJZIGD)
    assert entry.voor["betaalwijze"] == "bankoverschrijving" and entry.na["iban"] == IBAN
    assert _mails() == ["factuur@santos.nl"]
    tekst = Bericht.objects.get().tekst
    assert "automatische incasso" in tekst and IBAN not in tekst and "4300" in tekst


def test_r52_new_iban_keeps_the_mandate(org, door):
    rekening_wijzigen(door=door, organisatie=org, iban=IBAN, bic=BIC, akkoord_voorwaarden=True)
    kenmerk = Organisatie.objects.get(pk=org.pk).machtigingskenmerk
    rekening_wijzigen(door=door, organisatie=org, iban="NL44RABO0123456789", bic="RABONL2U", akkoord_voorwaarden=True)
    org.refresh_from_db()
    assert (org.iban, org.machtigingskenmerk) == ("NL44RABO0123456789", kenmerk)
    assert AuditEntry.objects.filter(actie=Actie.FACTURATIE_REKENING_GEWIJZIGD).count() == 1


def test_r52_never_back_to_bankoverschrijving(org, door):
    rekening_wijzigen(door=door, organisatie=org, iban=IBAN, bic=BIC, akkoord_voorwaarden=True)
    org.refresh_from_db()
    ongewijzigd = _ongewijzigd(org)
    with pytest.raises(DomainError) as fout:
        rekening_wijzigen(
            door=door, organisatie=org, iban=IBAN, bic=BIC, akkoord_voorwaarden=True, betaalwijze="bankoverschrijving"
        )
    assert fout.value.message == rules.TERUG_NAAR_BANKOVERSCHRIJVING and fout.value.rule == "R52"
    assert ongewijzigd()


def test_r52_never_back_to_post(org, door):
    factuur_per_email(door=door, organisatie=org, email="facturen@santos.nl")
    org.refresh_from_db()
    ongewijzigd = _ongewijzigd(org)
    with pytest.raises(DomainError) as fout:
        factuur_per_email(door=door, organisatie=org, email="facturen@santos.nl", facturatiewijze="post")
    assert fout.value.message == rules.TERUG_NAAR_POST
    assert ongewijzigd()


@pytest.mark.parametrize(
    ("iban", "bic", "akkoord", "melding"),
    [
        ("NL91ABNA0417164301", BIC, True, "geldig IBAN"),
        ("", BIC, True, "geldig IBAN"),
        (IBAN, "ABNA", True, "geldige BIC"),
        (IBAN, BIC, False, "algemene voorwaarden"),
    ],
)
def test_r52_bad_iban_bic_or_no_terms_refused_and_nothing_changed(org, door, iban, bic, akkoord, melding):
    ongewijzigd = _ongewijzigd(org)
    with pytest.raises(DomainError) as fout:
        rekening_wijzigen(door=door, organisatie=org, iban=iban, bic=bic, akkoord_voorwaarden=akkoord)
    assert melding in str(fout.value)
    assert ongewijzigd() and not AuditEntry.objects.exists() and not _mails()


def test_r52_post_to_email_and_a_new_address_tell_old_and_new(org, door):
    factuur_per_email(door=door, organisatie=org, email="facturen@santos.nl")
    org.refresh_from_db()
    assert (org.facturatiewijze, org.factuur_email) == (Organisatie.Facturatiewijze.EMAIL, "facturen@santos.nl")
    assert AuditEntry.objects.filter(actie=Actie.FACTURATIE_FACTURATIEWIJZE_GEWIJZIGD).count() == 1
    assert sorted(_mails()) == sorted(["factuur@santos.nl", "facturen@santos.nl"])
    Bericht.objects.all().delete()
    factuur_per_email(door=door, organisatie=org, email="admin@santos.nl")
    assert AuditEntry.objects.filter(actie=Actie.FACTURATIE_FACTUUR_EMAIL_GEWIJZIGD).count() == 1
    assert sorted(_mails()) == ["admin@santos.nl", "facturen@santos.nl"]


@pytest.mark.parametrize("email", ["", "geen-adres", "a@b", "factuur@santos.nl "])
def test_r52_bad_or_unchanged_email_refused(org, door, email):
    org.facturatiewijze = Organisatie.Facturatiewijze.EMAIL
    org.save()
    ongewijzigd = _ongewijzigd(org)
    with pytest.raises(DomainError):
        factuur_per_email(door=door, organisatie=org, email=email)
    assert ongewijzigd() and not _mails()


def test_r52_without_invoice_address_the_beheerder_is_told(door, org):
    org.factuur_email = ""
    org.save()
    rekening_wijzigen(door=door, organisatie=org, iban=IBAN, bic=BIC, akkoord_voorwaarden=True)
    assert _mails() == [door.email]


def test_r52_surcharge_from_the_tariff_table(db):
    assert toeslag_per_factuur(Tarief.Code.TOESLAG_FACTUUR_POST) is None
    Tarief.objects.create(code=Tarief.Code.TOESLAG_FACTUUR_POST, periode=Tarief.Periode.PER_FACTUUR, bedrag="1.95")
    assert toeslag_per_factuur(Tarief.Code.TOESLAG_FACTUUR_POST) == Decimal("1.95")


def test_vanaf_per_jaar_is_the_lowest_yearly_price(tarieven):
    assert vanaf_per_jaar(code=Tarief.Code.KOPPELING_EH3) == Decimal("19.65")  # 58,95 / 3 (§3.3)
    assert vanaf_per_jaar(code=Tarief.Code.KOPPELING_EH2_PLUS) == Decimal("13.30")
    assert vanaf_per_jaar(code=Tarief.Code.KOPPELING_EH4) is None
