"""The tariff table and the cost calculation (R17, R23)."""

import datetime as dt
from decimal import Decimal

import pytest

from common.errors import DomainError
from common.niveau import Niveau
from facturatie.models import Tarief
from facturatie.services import bereken_credit, bereken_kosten, tarief

pytestmark = pytest.mark.django_db


def test_r17_seeded_defaults_from_the_sources():
    """The data migration seeds the tariffs the manual and DOMAIN.md name."""
    bedragen = {(t.code, t.periode): t.bedrag for t in Tarief.objects.all()}
    assert bedragen[("middel_eh3", "1")] == Decimal("41.00")
    assert bedragen[("middel_eh3", "3")] == Decimal("89.85")
    assert bedragen[("koppeling_eh3", "3")] == Decimal("58.95")
    assert bedragen[("otp_device", "0")] == Decimal("40.00")
    assert bedragen[("belastingdienst_eh3", "1")] == Decimal("25.00")
    assert bedragen[("ketenmachtiging", "1")] == Decimal("19.95")


def test_r17_costs_as_in_the_manual_example(tarieven):
    kosten = bereken_kosten(niveau=Niveau.EH3, abonnement_jaren=1, extra_organisaties=1, otp_device=True)
    assert [(r.code, r.bedrag) for r in kosten.regels] == [
        ("middel_eh3", Decimal("41.00")),
        ("koppeling_eh3", Decimal("21.00")),
        ("otp_device", Decimal("40.00")),
    ]
    assert kosten.totaal == Decimal("102.00")
    drie = bereken_kosten(niveau=Niveau.EH3, abonnement_jaren=3, extra_organisaties=1, otp_device=True)
    assert drie.totaal == Decimal("89.85") + Decimal("58.95") + Decimal("40.00")


def test_r17_prices_come_from_the_table(tarieven):
    Tarief.objects.filter(code="middel_eh3", periode="1").update(bedrag=Decimal("45.50"))
    assert bereken_kosten(niveau=Niveau.EH3).totaal == Decimal("45.50")


def test_r17_extra_organisations_multiply(tarieven):
    kosten = bereken_kosten(extra_organisaties=3, koppeling_niveau=Niveau.EH2_PLUS)
    assert kosten.regels[0].aantal == 3
    assert kosten.totaal == Decimal("39.90")


def test_r17_ketenmachtiging_per_intermediair_and_new_activation(tarieven):
    assert bereken_kosten(ketenmachtiging_intermediairs=2).totaal == Decimal("39.90")
    assert bereken_kosten(nieuwe_activatie=True).totaal == Decimal("12.50")


def test_r17_missing_three_year_price_falls_back_to_three_times_yearly(tarieven):
    assert tarief(code="belastingdienst_eh3", abonnement_jaren=3) == Decimal("75.00")


def test_r17_missing_price_is_a_clear_error(tarieven):
    Tarief.objects.filter(code="middel_eh4").delete()
    with pytest.raises(DomainError) as exc:
        bereken_kosten(niveau=Niveau.EH4)
    assert exc.value.code == "tarief_ontbreekt"


def test_r17_only_one_or_three_years(tarieven):
    with pytest.raises(DomainError):
        bereken_kosten(niveau=Niveau.EH3, abonnement_jaren=2)


def test_r23_pro_rata_credit():
    start = dt.date(2025, 1, 1)
    eind = dt.date(2026, 1, 1)
    assert bereken_credit(bedrag=Decimal("25.00"), start=start, eind=eind, peildatum=start) == Decimal("25.00")
    # 73 of 365 days used → 292/365 of €25,00 = €20,00
    assert bereken_credit(bedrag=Decimal("25.00"), start=start, eind=eind, peildatum=dt.date(2025, 3, 15)) == Decimal(
        "20.00"
    )
    assert bereken_credit(bedrag=Decimal("25.00"), start=start, eind=eind, peildatum=eind) == Decimal("0.00")
    assert bereken_credit(bedrag=Decimal("25.00"), start=None, eind=None, peildatum=start) == Decimal("0.00")
