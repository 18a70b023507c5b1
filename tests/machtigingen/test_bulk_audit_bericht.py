"""+ Voeg toe (§4.2, §4.4, §4.5) at scale: one audit entry per person and kind of change with every machtiging's
before and after (R74), one message per person rendered at delivery (R37), in a constant number of queries."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection

from audit.acties import Actie
from audit.models import AuditEntry
from audit.selectors import LogboekFilter, logboek_qs, wijzigingen
from berichten.bezorging import bericht_bezorgen
from berichten.models import Bericht
from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from common.weergave import datum
from machtigingen.models import Machtiging
from machtigingen.services import machtigingen_bulk_toevoegen
from machtigingen.services.bulk_invoegen import _rauw, als_tekst
from tests.catalogus.factories import DienstFactory

from .conftest import maak_middel
from .factories import MachtigingFactory

pytestmark = pytest.mark.django_db


def voeg_toe(beheerder, organisatie, middelen, diensten, **kwargs):
    return machtigingen_bulk_toevoegen(
        actor=beheerder, organisatie=organisatie, middelen=middelen, diensten=diensten, **kwargs
    )


def test_r74_one_entry_per_person_and_kind_with_before_and_after(beheerder, organisatie, dienst, dienst_eh2plus):
    a = maak_middel(organisatie, middel__persoon__achternaam="Veenstra")
    b = maak_middel(organisatie, middel__persoon__achternaam="Bulters")
    bestaand = MachtigingFactory(
        organisatie=organisatie,
        middel=a,
        dienst=dienst,
        begint_op=vandaag() - dt.timedelta(days=400),
        termijn_begint_op=vandaag() - dt.timedelta(days=10),
        eindigt_op=vandaag() + dt.timedelta(days=30),
    )
    voeg_toe(beheerder, organisatie, [a, b], [dienst, dienst_eh2plus], eindigt_op="1")
    eind = plus_jaren(vandaag(), 1)
    naam = f"{dienst.dienstverlener} – {dienst}"
    naam_eh2plus = f"{dienst_eh2plus.dienstverlener} – {dienst_eh2plus}"

    gewijzigd = AuditEntry.objects.get(actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD)
    assert (gewijzigd.object_type, gewijzigd.object_id) == ("Middel", str(a.pk))
    assert (gewijzigd.actor_id, gewijzigd.organisatie_id) == (beheerder.pk, organisatie.pk)
    assert gewijzigd.voor == {
        naam: {
            "machtiging": bestaand.pk,
            "eindigt_op": bestaand.eindigt_op.isoformat(),
            "termijn_begint_op": bestaand.termijn_begint_op.isoformat(),
        }
    }
    assert gewijzigd.na == {
        naam: {"machtiging": bestaand.pk, "eindigt_op": eind.isoformat(), "termijn_begint_op": vandaag().isoformat()}
    }
    assert a.persoon.naam in gewijzigd.omschrijving and naam in gewijzigd.omschrijving

    toegevoegd = {e.object_id: e for e in AuditEntry.objects.filter(actie=Actie.MACHTIGING_TOEGEVOEGD)}
    assert set(toegevoegd) == {str(a.pk), str(b.pk)}
    termijn = {"begint_op": vandaag().isoformat(), "eindigt_op": eind.isoformat()}
    assert toegevoegd[str(a.pk)].voor is None
    assert toegevoegd[str(a.pk)].na == {naam_eh2plus: termijn}
    assert toegevoegd[str(b.pk)].na == {naam: termijn, naam_eh2plus: termijn}
    assert toegevoegd[str(b.pk)].omschrijving.startswith(f"2 machtigingen toegevoegd aan {b.persoon.naam}")
    # Every pair is in exactly one entry: 4 pairs, 3 entries.
    assert AuditEntry.objects.filter(actie__startswith="machtiging.").count() == 3


def test_r74_logboek_shows_each_machtiging_of_the_person_and_finds_them_by_name(
    beheerder, organisatie, dienst, dienst_eh2plus
):
    a = maak_middel(organisatie, middel__persoon__achternaam="Veenstra")
    bestaand = MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst)
    voeg_toe(beheerder, organisatie, [a], [dienst, dienst_eh2plus], eindigt_op="3")
    gevonden = logboek_qs(organisatie=organisatie, filter=LogboekFilter(persoon="Veenstra"))
    assert set(gevonden.values_list("actie", flat=True)) == {
        Actie.MACHTIGING_TOEGEVOEGD,
        Actie.MACHTIGING_EINDDATUM_GEWIJZIGD,
    }
    gewijzigd = gevonden.get(actie=Actie.MACHTIGING_EINDDATUM_GEWIJZIGD)
    regels = {(w.veld, w.voor, w.na) for w in wijzigingen(gewijzigd.voor, gewijzigd.na)}
    naam = f"{dienst.dienstverlener} – {dienst}"
    assert (f"{naam}.eindigt_op", bestaand.eindigt_op.isoformat(), plus_jaren(vandaag(), 3).isoformat()) in regels
    # The machtiging's number does not change, so it is no line of its own.
    assert not any(veld.endswith(".machtiging") for veld, _v, _n in regels)


def test_r74_two_diensten_of_one_name_keep_both(beheerder, organisatie, dienstverlener):
    a = maak_middel(organisatie)
    twee = [DienstFactory(dienstverlener=dienstverlener, naam="Parkeren", niveau=Niveau.EH2) for _ in range(2)]
    voeg_toe(beheerder, organisatie, [a], twee)
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_TOEGEVOEGD)
    assert len(entry.na) == 2


def test_r74_long_lists_are_cut_in_the_line_but_complete_in_after(beheerder, organisatie, dienstverlener):
    a = maak_middel(organisatie)
    veel = [DienstFactory(dienstverlener=dienstverlener, naam=f"Dienst met een lange naam {i}") for i in range(30)]
    voeg_toe(beheerder, organisatie, [a], veel)
    entry = AuditEntry.objects.get(actie=Actie.MACHTIGING_TOEGEVOEGD)
    assert len(entry.omschrijving) == 500 and entry.omschrijving.endswith("…")
    assert len(entry.na) == 30


def test_r37_message_after_delivery_lists_every_change(
    beheerder, organisatie, dienst, dienst_eh2plus, django_capture_on_commit_callbacks
):
    a = maak_middel(organisatie)
    engels = maak_middel(organisatie, middel__persoon__taal="en")
    MachtigingFactory(organisatie=organisatie, middel=a, dienst=dienst)
    with django_capture_on_commit_callbacks(execute=True):
        voeg_toe(beheerder, organisatie, [a, engels], [dienst, dienst_eh2plus], eindigt_op="1")
    eind = datum(plus_jaren(vandaag(), 1))
    tekst = Bericht.objects.get(persoon_id=a.persoon_id).tekst
    assert f"Einddatum van machtiging {dienst.dienstverlener} – {dienst} gewijzigd naar {eind}" in tekst
    assert f"Machtiging {dienst_eh2plus.dienstverlener} – {dienst_eh2plus} toegevoegd, geldig tot {eind}" in tekst
    assert len(mail.outbox) == 2
    engels_bericht = Bericht.objects.get(persoon_id=engels.persoon_id)
    assert engels_bericht.taal == "en" and engels_bericht.onderwerp != "Uw machtigingen zijn gewijzigd"
    assert "toegevoegd" not in engels_bericht.tekst


def test_r37_html_escapes_names_at_delivery(beheerder, organisatie, dienstverlener):
    a = maak_middel(organisatie)
    vreemd = DienstFactory(dienstverlener=dienstverlener, naam="Vergunning <b>&</b> meer", niveau=Niveau.EH2)
    voeg_toe(beheerder, organisatie, [a], [vreemd])
    bericht = Bericht.objects.get(persoon_id=a.persoon_id)
    bericht_bezorgen(bericht_id=bericht.pk)
    bericht.refresh_from_db()
    assert "Vergunning <b>&</b> meer" in bericht.tekst
    assert "Vergunning &lt;b&gt;&amp;&lt;/b&gt; meer" in bericht.html
    assert "<title>Uw machtigingen zijn gewijzigd</title>" in bericht.html


# The step writes 1 row per 5,000 machtigingen INSERTed, 1 UPDATE, and the audit and outbox rows in executemany
# batches: its queries do not grow with the pairs.
STAP_QUERIES = 13


@pytest.mark.parametrize(("personen", "diensten"), [(2, 1), (4, 5), (6, 8)])
def test_bulk_step_queries_do_not_grow_with_pairs(
    beheerder, organisatie, dienstverlener, django_assert_num_queries, personen, diensten
):
    middelen = [maak_middel(organisatie) for _ in range(personen)]
    gekozen = [DienstFactory(dienstverlener=dienstverlener, niveau=Niveau.EH2) for _ in range(diensten)]
    paren = [(m, d) for m in middelen for d in gekozen]
    for m, d in paren[: len(paren) // 2]:
        MachtigingFactory(organisatie=organisatie, middel=m, dienst=d)
    with django_assert_num_queries(STAP_QUERIES):
        resultaat = voeg_toe(beheerder, organisatie, middelen, gekozen, eindigt_op="3")
    assert (resultaat.nieuw, resultaat.gewijzigd) == (len(paren) - len(paren) // 2, len(paren) // 2)
    assert Bericht.objects.count() == personen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DateStyle is PostgreSQL's setting")
def test_r74_before_dates_are_read_as_iso_whatever_the_connections_datestyle(organisatie, dienst):
    """The step reads the running machtigingen' dates as text (bulk_invoegen.als_tekst) for the audit's before: a
    server or role set to another DateStyle must not change that text."""
    eindigt = vandaag() + dt.timedelta(days=30)
    m = MachtigingFactory(organisatie=organisatie, middel=maak_middel(organisatie), dienst=dienst, eindigt_op=eindigt)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'SQL, DMY'")
        cursor.execute("SELECT CAST(%s::date AS text)", [eindigt])
        assert cursor.fetchone()[0] != eindigt.isoformat()  # the setting took: a plain cast is not ISO
        gelezen = _rauw(Machtiging.objects.filter(pk=m.pk).values_list(als_tekst("eindigt_op")))
        cursor.execute("SET LOCAL DateStyle = 'ISO, MDY'")  # back, for the rest of the test's transaction
    assert gelezen == [(eindigt.isoformat(),)]
