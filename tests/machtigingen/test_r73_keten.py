"""R73 for ketenmachtigingen: at most 5 years per term in the database and in the decision; R46 extension."""

import contextlib
import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, Value

from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from ketenmachtigingen import services as keten
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, PlusJarenExact
from machtigingen.models import Machtiging, Scope
from machtigingen.register import PadSoort, RedenCode, beslis
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

SCHRIKKELDAG = dt.date(2028, 2, 29)


@pytest.fixture
def partijen(db):
    verlener = OrganisatieFactory(naam="Santos B.V.")
    intermediair = OrganisatieFactory(naam="Accountants Vries")
    g = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel
    return verlener, intermediair, g


def maak(verlener, intermediair, begint_op, eindigt_op, **velden):
    return Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH4,
        begint_op=begint_op,
        eindigt_op=eindigt_op,
        **velden,
    )


@contextlib.contextmanager
def zonder_r73_constraints():
    """Bad stored data, as from before the constraint or a manual fix: the decision must still cap."""
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA ignore_check_constraints = 1")
        try:
            yield
        finally:
            with connection.cursor() as c:
                c.execute("PRAGMA ignore_check_constraints = 0")
        return
    with connection.cursor() as c:  # dropped inside the test's transaction, so rolled back after it
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the ALTER TABLE
        c.execute("ALTER TABLE ketenmachtigingen_ketenmachtiging DROP CONSTRAINT ketenmachtiging_hoogstens_5_jaar")
        c.execute("ALTER TABLE machtigingen_machtiging DROP CONSTRAINT machtiging_hoogstens_5_jaar")
    yield


# ------------------------------------------------------------------------------------------ the arithmetic


@pytest.mark.parametrize(
    ("datum", "jaren"),
    [
        (SCHRIKKELDAG, 5),
        (SCHRIKKELDAG, 4),
        (SCHRIKKELDAG, 1),
        (dt.date(2028, 2, 28), 5),
        (dt.date(2028, 3, 1), 5),
        (dt.date(2025, 12, 31), 5),
    ],
)
def test_r73_db_five_years_agrees_with_python(db, datum, jaren):
    OrganisatieFactory()  # one row to select the expression from
    (einde,) = Organisatie.objects.annotate(
        einde=PlusJarenExact(Value(datum, output_field=DateField()), jaren)
    ).values_list("einde", flat=True)
    if isinstance(einde, str):  # SQLite returns an expression over a parameter as text
        einde = dt.date.fromisoformat(einde)
    assert einde == plus_jaren(datum, jaren)


def test_r73_term_starting_29_february_ends_at_most_28_february(partijen):
    verlener, intermediair, _g = partijen
    assert plus_jaren(SCHRIKKELDAG, 5) == dt.date(2033, 2, 28)
    maak(verlener, intermediair, SCHRIKKELDAG, dt.date(2033, 2, 28))
    with pytest.raises(IntegrityError), transaction.atomic():
        maak(verlener, intermediair, SCHRIKKELDAG, dt.date(2033, 3, 1))


def test_r73_constraint_refuses_more_than_five_years(partijen):
    verlener, intermediair, _g = partijen
    begin = dt.date(2025, 6, 15)
    maak(verlener, intermediair, begin, plus_jaren(begin, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        maak(verlener, intermediair, begin, plus_jaren(begin, 5) + dt.timedelta(days=1))


def test_r73_r46_term_counts_from_the_later_of_start_and_extension(partijen):
    verlener, intermediair, _g = partijen
    begin = dt.date(2020, 1, 10)
    k = maak(verlener, intermediair, begin, dt.date(2024, 1, 10))
    # Extended on 2023-05-01: the new term allows up to 2028-05-01, the original start stays.
    Ketenmachtiging.objects.filter(pk=k.pk).update(
        termijn_begint_op=dt.date(2023, 5, 1), eindigt_op=dt.date(2028, 5, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ketenmachtiging.objects.filter(pk=k.pk).update(eindigt_op=dt.date(2028, 5, 2))
    # Re-issued later (afgeven moves begint_op): the later start counts, an older extension day does not bind.
    Ketenmachtiging.objects.filter(pk=k.pk).update(begint_op=dt.date(2025, 1, 1), eindigt_op=dt.date(2030, 1, 1))


# ------------------------------------------------------------------------------------------ the decision caps


def test_r73_decision_never_honours_a_ketenmachtiging_past_five_years(partijen):
    verlener, intermediair, g = partijen
    dienst = DienstFactory(niveau=Niveau.EH3)
    begin = dt.date(2020, 3, 1)
    k = maak(verlener, intermediair, begin, dt.date(2021, 3, 1))
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=g)
    with zonder_r73_constraints():
        Ketenmachtiging.objects.filter(pk=k.pk).update(eindigt_op=dt.date(2030, 1, 1))
    laatste = plus_jaren(begin, 5) - dt.timedelta(days=1)
    ja = beslis(middel=g, organisatie=verlener, dienst=dienst, moment=laatste)
    assert ja.toegestaan and ja.pad.soort == PadSoort.KETENMACHTIGING
    assert ja.pad.eindigt_op == plus_jaren(begin, 5)  # never relied on past the cap either (R77)
    nee = beslis(middel=g, organisatie=verlener, dienst=dienst, moment=plus_jaren(begin, 5))
    assert not nee.toegestaan and RedenCode.KETEN_VERLOPEN in {r.code for r in nee.redenen}


def test_r73_decision_caps_a_machtiging_from_its_term_start(db):
    org = OrganisatieFactory()
    middel = KoppelingFactory(organisatie=org, middel__niveau=Niveau.EH3).middel
    dienst = DienstFactory(niveau=Niveau.EH3)
    begin = SCHRIKKELDAG
    m = Machtiging.objects.create(
        middel=middel,
        organisatie=org,
        scope=Scope.DIENST,
        dienst=dienst,
        begint_op=begin,
        eindigt_op=begin.replace(month=6),
    )
    with zonder_r73_constraints():
        Machtiging.objects.filter(pk=m.pk).update(eindigt_op=dt.date(2040, 1, 1))
    assert beslis(middel=middel, organisatie=org, dienst=dienst, moment=dt.date(2033, 2, 27)).toegestaan
    nee = beslis(middel=middel, organisatie=org, dienst=dienst, moment=dt.date(2033, 2, 28))
    assert not nee.toegestaan and {r.code for r in nee.redenen} == {RedenCode.MACHTIGING_VERLOPEN}


# ------------------------------------------------------------------------------------------ R46 extending


@pytest.fixture
def lopend(partijen):
    verlener, intermediair, g = partijen
    bakker = KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    begin = plus_jaren(vandaag(), -4)
    k = maak(verlener, intermediair, begin, vandaag() + dt.timedelta(days=200))
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=g)
    return bakker, k, begin


def test_r46_r73_extending_keeps_the_start_and_starts_a_new_term(lopend):
    bakker, k, begin = lopend
    nieuw = plus_jaren(vandaag(), 5)  # beyond the original start + 5 years: allowed, the term is new
    k = keten.ketenmachtiging_verlengen(actor=bakker, ketenmachtiging=k, eindigt_op=nieuw)
    k.refresh_from_db()
    assert k.begint_op == begin and k.termijn_begint_op == vandaag() and k.eindigt_op == nieuw
    assert KetenmachtigingMiddel.objects.filter(ketenmachtiging=k).exists()


def test_r46_extending_never_shortens(lopend):
    bakker, k, _begin = lopend
    korter = k.eindigt_op - dt.timedelta(days=1)
    with pytest.raises(DomainError) as e:
        keten.ketenmachtiging_verlengen(actor=bakker, ketenmachtiging=k, eindigt_op=korter)
    assert e.value.rule == "R46" and "niet korter" in str(e.value)
    oud = k.eindigt_op
    k.refresh_from_db()
    assert k.eindigt_op == oud and k.termijn_begint_op is None


def test_r73_extending_past_five_years_from_today_refused(lopend):
    bakker, k, _begin = lopend
    with pytest.raises(DomainError) as e:
        keten.ketenmachtiging_verlengen(
            actor=bakker, ketenmachtiging=k, eindigt_op=plus_jaren(vandaag(), 5) + dt.timedelta(days=1)
        )
    assert e.value.rule == "R73"
