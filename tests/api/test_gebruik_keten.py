"""R76 Laatst gebruikt for ketenmachtigingen: a yes through a ketenmachtiging (R72) records the day it was last used,
at most one write per ketenmachtiging per day and one statement per request; the screens show it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.gebruik import registreer
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, KetenModule
from machtigingen.models import Machtiging, Scope
from tests.api.conftest import vraag
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

KETEN_UPDATE = 'UPDATE "ketenmachtigingen_ketenmachtiging"'


@pytest.fixture
def klant(db):
    return OrganisatieFactory(naam="Santos B.V.")


@pytest.fixture
def intermediair(db):
    return OrganisatieFactory(naam="Accountants Vries")


@pytest.fixture
def medewerker(intermediair):
    return KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel


def keten(klant, intermediair, dienst, *, middel=None, **velden):
    vandaag = timezone.localdate()
    k = Ketenmachtiging.objects.create(
        verlener=klant,
        intermediair=intermediair,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=vandaag - dt.timedelta(days=5),
        eindigt_op=vandaag + dt.timedelta(days=100),
        **velden,
    )
    if middel is not None:
        KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=middel)
    return k


def test_r76_r72_a_yes_through_a_ketenmachtiging_records_the_last_use(api, klant, intermediair, medewerker, dienst):
    k = keten(klant, intermediair, dienst, middel=medewerker)
    body = api.evaluatie(vraag(medewerker, dienst, klant, tijd=None)).json()
    assert body["decision"] is True and body["context"]["pad"]["ketenmachtiging_id"] == k.pk
    k.refresh_from_db()
    assert k.laatst_gebruikt_op == timezone.localdate()


def test_r76_r72_at_most_one_write_per_ketenmachtiging_per_day(api, klant, intermediair, medewerker, dienst):
    k = keten(klant, intermediair, dienst, middel=medewerker)
    api.evaluatie(vraag(medewerker, dienst, klant, tijd=None))
    with CaptureQueriesContext(connection) as queries:
        api.evaluatie(vraag(medewerker, dienst, klant, tijd=None))
    # This process marked it today and nothing the register reads changed since: no statement at all.
    assert not [q for q in queries.captured_queries if q["sql"].startswith(KETEN_UPDATE)]
    # An earlier day's mark is overwritten; today's is not written again (the filter skips it).
    Ketenmachtiging.objects.filter(pk=k.pk).update(laatst_gebruikt_op=timezone.localdate() - dt.timedelta(days=3))
    api.evaluatie(vraag(medewerker, dienst, klant, tijd=None))
    k.refresh_from_db()
    assert k.laatst_gebruikt_op == timezone.localdate()

    class Antwoord:
        toegestaan = True
        pad = {"ketenmachtiging_id": k.pk}
        context = {"dag": timezone.localdate().isoformat()}

    assert registreer([Antwoord()]) == 0  # already marked today: no row written


def test_r76_r72_a_batch_marks_every_ketenmachtiging_in_one_statement(api, klant, intermediair, medewerker):
    diensten = DienstFactory.create_batch(3, niveau=Niveau.EH3)
    ketens = [keten(klant, intermediair, d, middel=medewerker) for d in diensten[:2]]
    data = {"evaluations": [vraag(medewerker, d, klant, tijd=None) for d in diensten]}
    with CaptureQueriesContext(connection) as queries:
        besluiten = [e["decision"] for e in api.evaluaties(data).json()["evaluations"]]
    assert besluiten == [True, True, False]
    assert len([q for q in queries.captured_queries if q["sql"].startswith(KETEN_UPDATE)]) == 1
    # Nothing came through an own machtiging: no statement for that model.
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "machtigingen_machtiging"')]
    assert set(Ketenmachtiging.objects.filter(laatst_gebruikt_op__isnull=False).values_list("pk", flat=True)) == {
        k.pk for k in ketens
    }
    assert not Machtiging.objects.filter(laatst_gebruikt_op__isnull=False).exists()


def test_r76_r72_a_no_or_a_question_about_another_moment_is_no_use(api, klant, intermediair, medewerker, dienst):
    k = keten(klant, intermediair, dienst, middel=medewerker)
    andere_middel = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel  # not linked
    assert api.evaluatie(vraag(andere_middel, dienst, klant, tijd=None)).json()["decision"] is False
    morgen = (timezone.localtime() + dt.timedelta(days=1)).isoformat()
    assert api.evaluatie(vraag(medewerker, dienst, klant, tijd=morgen)).json()["decision"] is True
    k.refresh_from_db()
    assert k.laatst_gebruikt_op is None


# --- the screens: afgegeven (the verlener) and van relaties (the intermediair) ----------------------------------


def test_r76_afgegeven_shows_laatst_gebruikt_and_niet_gebruikt(client, klant, intermediair):
    beheerder = KoppelingFactory(organisatie=klant, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    gebruikt = keten(klant, intermediair, DienstFactory(niveau=Niveau.EH3), laatst_gebruikt_op=dt.date(2026, 3, 4))
    nooit = keten(klant, intermediair, DienstFactory(niveau=Niveau.EH3))
    inloggen_geverifieerd(client, beheerder)

    html = client.get(reverse("ketenmachtigingen:afgegeven")).content.decode()

    def regel(k):
        begin = html.index(f'data-testid="ketenmachtiging-{k.pk}"')
        return html[begin : html.index("</li>", begin)]

    assert "Laatst gebruikt:" in regel(gebruikt) and "04-03-2026" in regel(gebruikt)
    assert "Laatst gebruikt:" in regel(nooit) and "niet gebruikt" in regel(nooit)


def test_r76_van_relaties_shows_laatst_gebruikt_and_niet_gebruikt(client, klant, intermediair):
    KetenModule.objects.create(organisatie=intermediair, status=KetenModule.Status.INGESCHAKELD)
    beheerder = KoppelingFactory(organisatie=intermediair, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    gebruikt = keten(klant, intermediair, DienstFactory(niveau=Niveau.EH3), laatst_gebruikt_op=dt.date(2026, 3, 4))
    nooit = keten(klant, intermediair, DienstFactory(niveau=Niveau.EH3))
    inloggen_geverifieerd(client, beheerder)

    html = client.get(reverse("ketenmachtigingen:van_relaties")).content.decode()

    def rij(k):
        begin = html.index(f'data-testid="ontvangen-{k.pk}"')
        return html[begin : html.index("</tr>", begin)]

    assert "Laatst gebruikt:" in rij(gebruikt) and "04-03-2026" in rij(gebruikt)
    assert "Laatst gebruikt:" in rij(nooit) and "niet gebruikt" in rij(nooit)
