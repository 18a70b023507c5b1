import uuid

import pytest

from audit.models import AuditEntry
from catalogus import voorbeeld
from catalogus.importer import parse_catalogus
from catalogus.models import CatalogusImport, Dienst, Dienstverlener
from catalogus.xmlnames import NS_1_11, NS_1_13
from common.niveau import Niveau
from tests.catalogus.edities import OIN, dienst, editie
from tests.gebruikers.factories import PersoonFactory

A, B, C = (uuid.UUID(int=n, version=4) for n in (1, 2, 3))


def test_imports_the_shipped_catalogue_in_the_1_13_namespace(importeer):
    resultaat = importeer(voorbeeld.BESTAND.read_bytes(), bron=str(voorbeeld.BESTAND))

    assert resultaat.samenvatting == "added 40, changed 0, withdrawn 0, unchanged 0"
    assert Dienst.objects.count() == 40
    assert Dienstverlener.objects.count() == 15
    omzet = Dienst.objects.get(service_uuid=voorbeeld.AANGIFTE_OMZETBELASTING)
    assert omzet.dienstverlener.oin == voorbeeld.BELASTINGDIENST_OIN
    assert omzet.dienstverlener.naam == "Belastingdienst"
    assert omzet.dienstverlener.naam_en == "Netherlands Tax Administration"
    assert (omzet.naam, omzet.naam_en) == ("Aangifte omzetbelasting", "VAT return")
    assert omzet.omschrijving.startswith("Doe aangifte omzetbelasting")
    assert omzet.omschrijving_en.startswith("File the VAT return")
    assert omzet.url == "https://www.belastingdienst.nl/wps/wcm/connect/nl/ondernemers/btw"
    assert omzet.niveau == Niveau.EH3
    assert omzet.intermediatie == Dienst.Intermediatie.ALGEMEEN
    assert omzet.is_public and not omzet.ingetrokken
    # Every level occurs, from the old EH1 to EH4.
    assert set(Dienst.objects.values_list("niveau", flat=True)) == set(Niveau.values)
    assert not Dienst.objects.get(service_uuid=voorbeeld.BELASTINGDIENST_TESTDIENST).is_public


def test_imports_the_1_11_namespace(importeer):
    resultaat = importeer(voorbeeld.BESTAND_1_11.read_bytes())

    assert resultaat.samenvatting == "added 6, changed 0, withdrawn 0, unchanged 0"
    portaal = Dienst.objects.get(service_uuid=voorbeeld.UWV_WERKGEVERSPORTAAL)
    assert portaal.niveau == Niveau.EH2_PLUS
    assert portaal.dienstverlener.naam == "UWV"
    assert CatalogusImport.objects.get().schema == NS_1_11


def test_a_1_13_edition_over_a_1_11_one_updates_adds_and_withdraws(importeer):
    importeer(voorbeeld.BESTAND_1_11.read_bytes())
    portaal_pk = Dienst.objects.get(service_uuid=voorbeeld.UWV_WERKGEVERSPORTAAL).pk

    resultaat = importeer(voorbeeld.BESTAND.read_bytes())

    # The 1.11 edition had 6 definitions: 5 are in the current one (all changed), 1 is gone.
    assert resultaat.samenvatting == "added 35, changed 5, withdrawn 1, unchanged 0"
    assert resultaat.ingetrokken == [voorbeeld.UWV_DIGITAAL_KLANTDOSSIER]
    portaal = Dienst.objects.get(service_uuid=voorbeeld.UWV_WERKGEVERSPORTAAL)
    assert (portaal.pk, portaal.niveau) == (portaal_pk, Niveau.EH3)
    assert CatalogusImport.objects.first().schema == NS_1_13


def test_second_import_of_the_same_edition_changes_nothing(importeer, momentopname):
    importeer(voorbeeld.BESTAND.read_bytes())
    diensten, dienstverleners, imports, audits = momentopname()

    resultaat = importeer(voorbeeld.BESTAND.read_bytes())

    assert resultaat.samenvatting == "added 0, changed 0, withdrawn 0, unchanged 40"
    # Rows identical, bijgewerkt_op included; only the import log and its audit entry grow.
    assert momentopname() == (diensten, dienstverleners, imports + 1, audits + 1)


def test_changes_are_applied_in_place(importeer):
    importeer(editie(dienst(A, "Oude naam", Niveau.EH2_PLUS, ("noIntermediation",)), dienst(B, "Blijft")))
    oud = Dienst.objects.get(service_uuid=A)

    resultaat = importeer(
        editie(
            dienst(A, "Nieuwe naam", Niveau.EH3, ("generalAvailable",), omschrijving="Nieuw.", url="https://n.nl"),
            dienst(B, "Blijft"),
            naam="Belastingdienst Nieuw",
        )
    )

    assert resultaat.samenvatting == "added 0, changed 1, withdrawn 0, unchanged 1"
    nieuw = Dienst.objects.get(service_uuid=A)
    assert nieuw.pk == oud.pk
    assert (nieuw.naam, nieuw.niveau, nieuw.intermediatie) == ("Nieuwe naam", Niveau.EH3, "generalAvailable")
    assert (nieuw.omschrijving, nieuw.url) == ("Nieuw.", "https://n.nl")
    assert nieuw.bijgewerkt_op > oud.bijgewerkt_op
    assert Dienstverlener.objects.get(oin=OIN).naam == "Belastingdienst Nieuw"


def test_a_dienst_can_move_to_another_dienstverlener(importeer):
    importeer(editie(dienst(A)))
    importeer(editie(dienst(A), oin="00000001001608124000", naam="Gemeente Haarlem"))

    verhuisd = Dienst.objects.get(service_uuid=A)
    assert verhuisd.dienstverlener.naam == "Gemeente Haarlem"
    assert Dienstverlener.objects.get(oin=OIN).ingetrokken


def test_withdrawn_then_back(importeer):
    importeer(editie(dienst(A), dienst(B)))

    weg = importeer(editie(dienst(A)))
    assert weg.samenvatting == "added 0, changed 0, withdrawn 1, unchanged 1"
    b = Dienst.objects.get(service_uuid=B)
    assert b.ingetrokken and b.ingetrokken_op is not None

    nog_steeds_weg = importeer(editie(dienst(A)))
    assert nog_steeds_weg.samenvatting == "added 0, changed 0, withdrawn 0, unchanged 1"

    terug = importeer(editie(dienst(A), dienst(B)))
    assert terug.samenvatting == "added 0, changed 1, withdrawn 0, unchanged 1"
    b.refresh_from_db()
    assert not b.ingetrokken and b.ingetrokken_op is None


def test_intermediation_comes_from_the_instances_and_the_most_permissive_wins(importeer):
    importeer(
        editie(
            dienst(A, "Geen instantie", instanties=()),
            dienst(B, "Zonder attribuut", instanties=(None,)),
            dienst(C, "Twee instanties", instanties=("serviceProviderOnly", "requiresApproval")),
        )
    )
    intermediatie = dict(Dienst.objects.values_list("service_uuid", "intermediatie"))
    assert intermediatie == {A: "noIntermediation", B: "noIntermediation", C: "requiresApproval"}


def test_the_intermediation_attribute_is_unqualified(importeer):
    xml = editie(dienst(A, instanties=("generalAvailable",))).replace(
        'intermediationAllowed="generalAvailable"', 'esc:intermediationAllowed="generalAvailable"'
    )
    importeer(xml)
    # A prefixed attribute is not the spec's attribute: the default applies.
    assert Dienst.objects.get().intermediatie == "noIntermediation"


def test_dutch_name_first_then_any_other_language():
    xml = editie(dienst(A, "Naam")).replace('<esc:ServiceName xml:lang="nl">Naam</esc:ServiceName>', "")
    gegevens = parse_catalogus(xml.replace('xml:lang="en">Naam (EN)', 'xml:lang="de">Name').encode())
    assert gegevens.diensten[0].naam == "Name"
    assert gegevens.diensten[0].naam_en == ""


def test_each_import_is_logged_and_audited(importeer):
    beheerder = PersoonFactory()
    importeer(editie(dienst(A), dienst(B)), bron="/srv/dc/dienstencatalogus.xml", actor=beheerder)

    log = CatalogusImport.objects.get()
    assert (log.bron, log.toegevoegd, log.gewijzigd, log.ingetrokken, log.ongewijzigd) == (
        "/srv/dc/dienstencatalogus.xml",
        2,
        0,
        0,
        0,
    )
    assert log.catalogus_id == "_dc-productie"
    assert log.uitgegeven_op is not None
    audit = AuditEntry.objects.get()
    assert audit.organisatie is None
    assert audit.actor == beheerder
    assert audit.object_id == str(log.pk)
    assert "2 toegevoegd" in audit.omschrijving
    assert audit.na["toegevoegd_uuids"] == [str(A), str(B)]


@pytest.mark.django_db
def test_a_job_without_actor_is_audited_as_systeem(importeer):
    importeer(editie(dienst(A)))
    assert AuditEntry.objects.get().actor_label == "systeem"
