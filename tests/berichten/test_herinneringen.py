"""The daily reminder jobs: set-based (constant queries), idempotent (a second run sends nothing new)."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, HerinneringVerstuurd, Soort
from berichten.services import eigen_middel_zonder_beheerder_waarschuwen, verlopende_machtigingen_herinneren
from berichten.tasks import herinner_verlopende_machtigingen, waarschuw_eigen_middel_zonder_andere_beheerder
from common.dates import vandaag
from machtigingen.models import Status
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.organisaties.factories import OrganisatieFactory

from .conftest import MachtigingFactory

pytestmark = pytest.mark.django_db


def _over(dagen: int) -> dt.date:
    return vandaag() + dt.timedelta(days=dagen)


# ------------------------------------------------------------------------------------------------ machtigingen


def test_r34_machtiging_ending_within_two_months_is_reminded_once(organisatie):
    m = MachtigingFactory(organisatie=organisatie, eindigt_op=_over(30))
    assert herinner_verlopende_machtigingen() == 1
    b = Bericht.objects.get(soort=Soort.MACHTIGING_VERLOOPT_BINNENKORT)
    assert b.persoon_id == m.middel.persoon_id and b.organisatie == organisatie
    assert f"{m.dienst.naam}: einddatum {_over(30):%d-%m-%Y}" in b.tekst
    assert herinner_verlopende_machtigingen() == 0
    assert Bericht.objects.count() == 1
    assert AuditEntry.objects.filter(actie=Actie.BERICHT_HERINNERING_MACHTIGING).count() == 1


def test_r34_a_new_end_date_gets_a_new_reminder(organisatie):
    m = MachtigingFactory(organisatie=organisatie, eindigt_op=_over(30))
    verlopende_machtigingen_herinneren()
    m.eindigt_op = _over(50)
    m.save()
    assert verlopende_machtigingen_herinneren() == 1
    assert HerinneringVerstuurd.objects.filter(object_id=m.pk).count() == 2


def test_r34_only_active_machtigingen_ending_within_two_months(organisatie):
    MachtigingFactory(organisatie=organisatie, eindigt_op=_over(70))
    MachtigingFactory(organisatie=organisatie, eindigt_op=_over(10), status=Status.INGETROKKEN)
    MachtigingFactory(organisatie=organisatie, eindigt_op=vandaag())  # already ended today (exclusive end)
    assert verlopende_machtigingen_herinneren() == 0


def test_one_message_per_person_per_organisation(organisatie):
    middel = MiddelFactory()
    KoppelingFactory(middel=middel, organisatie=organisatie)
    ander = OrganisatieFactory()
    KoppelingFactory(middel=middel, organisatie=ander)
    MachtigingFactory(organisatie=organisatie, middel=middel, eindigt_op=_over(10))
    MachtigingFactory(organisatie=organisatie, middel=middel, eindigt_op=_over(20))
    MachtigingFactory(organisatie=ander, middel=middel, eindigt_op=_over(20))
    assert verlopende_machtigingen_herinneren() == 2
    tekst = Bericht.objects.get(organisatie=organisatie).tekst
    assert tekst.count("einddatum") == 2


def _maak_machtigingen(n):
    for _ in range(n):
        MachtigingFactory(eindigt_op=_over(15))


@pytest.mark.parametrize("job", [verlopende_machtigingen_herinneren])
def test_machtiging_reminders_are_set_based(job, tel_queries):
    _maak_machtigingen(1)
    een = tel_queries(job)
    _maak_machtigingen(20)
    twintig = tel_queries(job)
    assert Bericht.objects.count() == 21
    assert een == twintig


# ------------------------------------------------------------------------------------------------ eigen middel


def _beheerder(organisatie, **kw):
    return KoppelingFactory(organisatie=organisatie, beheerder=True, **kw)


def test_sole_beheerder_with_planned_termination_is_warned_once(organisatie):
    k = _beheerder(organisatie, opzeggen_per=_over(20))
    KoppelingFactory(organisatie=organisatie)  # a gebruiker is not another beheerder
    assert waarschuw_eigen_middel_zonder_andere_beheerder() == 1
    b = Bericht.objects.get(soort=Soort.EIGEN_MIDDEL_EINDIGT)
    assert b.persoon_id == k.middel.persoon_id
    assert f"eindigt op {_over(20):%d-%m-%Y}" in b.tekst and "enige beheerder" in b.tekst
    assert waarschuw_eigen_middel_zonder_andere_beheerder() == 0
    assert AuditEntry.objects.filter(actie=Actie.BERICHT_WAARSCHUWING_EIGEN_MIDDEL).count() == 1


def test_subscription_ending_without_renewal_warns(organisatie):
    _beheerder(organisatie, abonnement_eind=_over(40), automatische_verlenging=False)
    assert eigen_middel_zonder_beheerder_waarschuwen() == 1


def test_no_warning_when_renewed_far_away_or_another_beheerder_stays(organisatie):
    _beheerder(organisatie, abonnement_eind=_over(40), automatische_verlenging=True)
    assert eigen_middel_zonder_beheerder_waarschuwen() == 0
    tweede = OrganisatieFactory()
    _beheerder(tweede, opzeggen_per=_over(90))
    assert eigen_middel_zonder_beheerder_waarschuwen() == 0
    derde = OrganisatieFactory()
    _beheerder(derde, opzeggen_per=_over(20))
    _beheerder(derde)
    assert eigen_middel_zonder_beheerder_waarschuwen() == 0


def test_another_beheerder_leaving_earlier_does_not_count(organisatie):
    laatste = _beheerder(organisatie, opzeggen_per=_over(30))
    _beheerder(organisatie, opzeggen_per=_over(10))
    # The one leaving first still has a beheerder after it; the one leaving last has nobody left.
    assert eigen_middel_zonder_beheerder_waarschuwen() == 1
    assert Bericht.objects.get().persoon_id == laatste.middel.persoon_id


def _maak_beheerders(n):
    for _ in range(n):
        _beheerder(OrganisatieFactory(), opzeggen_per=_over(25))


def test_eigen_middel_warnings_are_set_based(tel_queries):
    _maak_beheerders(1)
    een = tel_queries(eigen_middel_zonder_beheerder_waarschuwen)
    _maak_beheerders(20)
    twintig = tel_queries(eigen_middel_zonder_beheerder_waarschuwen)
    assert Bericht.objects.count() == 21
    assert een == twintig
