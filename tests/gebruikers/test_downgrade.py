"""§3.8 "Up- en downgraden": a lower niveau is a request too; on approval the machtigingen above it end."""

import pytest

from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Aanvraag, Middel
from machtigingen.models import Machtiging, Scope
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.helpers import middel_bij

pytestmark = pytest.mark.django_db


def _wijzig(beheerder, organisatie, middel, niveau):
    return services.middel_upgraden(
        actor=beheerder,
        organisatie=organisatie,
        middel=middel,
        niveau=niveau,
        abonnement_jaren=1,
        kosten_geaccepteerd=True,
    )


def test_r11_downgrade_keeps_the_second_factor_and_ends_machtigingen_above_the_new_niveau(
    organisatie, beheerder, tarieven, support
):
    middel = middel_bij(organisatie, niveau=Niveau.EH3).middel
    eh3 = DienstFactory(niveau=Niveau.EH3)
    eh2plus = DienstFactory(niveau=Niveau.EH2_PLUS)
    boven = Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.DIENST,
        dienst=eh3,
        begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )
    algemeen = Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH3,
        begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )
    blijft = Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.DIENST,
        dienst=eh2plus,
        begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )

    aanvraag = _wijzig(beheerder, organisatie, middel, Niveau.EH2_PLUS)
    assert aanvraag.soort == Aanvraag.Soort.UPGRADE
    assert aanvraag.gegevens["tweede_factor"] == Middel.TweedeFactor.SMS
    boven.refresh_from_db()
    assert boven.status == "actief"  # nothing changes before support approves

    services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)

    middel.refresh_from_db()
    assert middel.niveau == Niveau.EH2_PLUS
    assert {m.pk: m.status for m in Machtiging.objects.filter(pk__in=[boven.pk, algemeen.pk, blijft.pk])} == {
        boven.pk: "ingetrokken",
        algemeen.pk: "ingetrokken",
        blijft.pk: "actief",
    }


def test_r11_the_same_niveau_is_no_change(organisatie, beheerder, tarieven):
    middel = middel_bij(organisatie, niveau=Niveau.EH3).middel
    with pytest.raises(DomainError) as fout:
        _wijzig(beheerder, organisatie, middel, Niveau.EH3)
    assert fout.value.rule == "R11" and fout.value.code == "niveau"


def test_r37_the_person_is_told_when_a_downgrade_ends_machtigingen(organisatie, beheerder, tarieven, support):
    from berichten.models import Bericht

    middel = middel_bij(organisatie, niveau=Niveau.EH3).middel
    Machtiging.objects.create(
        middel=middel,
        organisatie=organisatie,
        scope=Scope.DIENST,
        dienst=DienstFactory(niveau=Niveau.EH3),
        begint_op="2026-01-01",
        eindigt_op="2030-01-01",
    )
    aanvraag = _wijzig(beheerder, organisatie, middel, Niveau.EH2_PLUS)
    services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)

    (bericht,) = Bericht.objects.filter(soort="machtigingen_gewijzigd")
    assert bericht.persoon_id == middel.persoon_id and bericht.organisatie_id == organisatie.pk
