"""R53: adding an organisation (§3.3) in the domain layer, and support's approval (R18) that opens it."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from beheer.selectors import beheerbare_organisaties
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling
from gebruikers.services import aanvraag_afkeuren, aanvraag_goedkeuren
from handelsregister.errors import OngeldigeWaarde, OrganisatieNietGevonden
from organisaties.models import Organisatie
from organisaties.services import Beheerdersgegevens, Facturatie, organisatie_aanvragen, organisatie_opzoeken
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.conftest import DONALD, KATRIEN
from tests.organisaties.factories import OrganisatieFactory


@pytest.fixture
def huidig(register, tarieven):
    return OrganisatieFactory(naam="Santos B.V.", kvk_nummer="12345678")


@pytest.fixture
def door(huidig):
    return KoppelingFactory(organisatie=huidig, beheerder=True).middel.persoon


def aanvragen(door, vanuit, **kwargs):
    args = dict(
        door=door,
        vanuit=vanuit,
        nummer=KATRIEN,
        niveau=Niveau.EH3,
        beheerder=Beheerdersgegevens(
            voornamen=door.voornamen,
            tussenvoegsel="",
            achternaam=door.achternaam,
            geboortedatum=dt.date(1980, 5, 17),
            email=door.email,
        ),
        vertegenwoordigers=["Katrien Duck", "Gijs Gans"],
        abonnement_jaren=3,
        facturatie=Facturatie(
            factuur_email="factuur@katrien.nl",
            betaalwijze="incasso",
            iban="NL91ABNA0417164300",
            bic="ABNANL2A",
            inkoopordernummer="PO-42",
        ),
        akkoord_gegevens=True,
        akkoord_voorwaarden=True,
    )
    args.update(kwargs)
    return organisatie_aanvragen(**args)


def test_r53_request_makes_a_pending_organisation_koppeling_and_aanvraag(door, huidig):
    aanvraag = aanvragen(door, huidig)
    org = aanvraag.organisatie
    assert (org.naam, org.kvk_nummer, org.status) == ("Test NV Katrien", KATRIEN, Organisatie.Status.AANGEVRAAGD)
    assert (org.betaalwijze, org.iban, org.factuur_email) == ("incasso", "NL91ABNA0417164300", "factuur@katrien.nl")
    assert org.machtigingskenmerk and org.facturatiewijze == Organisatie.Facturatiewijze.EMAIL
    assert aanvraag.soort == Aanvraag.Soort.NIEUWE_ORGANISATIE and aanvraag.middel is None
    koppeling = aanvraag.koppeling
    assert (koppeling.rol, koppeling.status, koppeling.abonnement_jaren) == ("beheerder", "aangevraagd", 3)
    assert koppeling.middel.persoon == door
    g = aanvraag.gegevens
    assert [v["naam"] for v in g["vertegenwoordigers"]] == ["Katrien Duck", "Gijs Gans"]
    assert g["kosten"]["totaal"] == "58.95" and g["niveau"] == "EH3"
    # Logged in both trails; not yet in the switcher (R1: only an Actief koppeling opens the Beheermodule).
    assert set(
        AuditEntry.objects.filter(actie=Actie.ORGANISATIE_AANGEVRAAGD).values_list("organisatie", flat=True)
    ) == {org.pk, huidig.pk}
    assert org not in beheerbare_organisaties(door)


def test_r53_support_approval_opens_it_in_the_switcher(door, huidig, support):
    door.geboortedatum = None
    door.save()
    aanvraag = aanvragen(door, huidig)
    aanvraag_goedkeuren(aanvraag=aanvraag, door=support)
    org = Organisatie.objects.get(pk=aanvraag.organisatie_id)
    assert org.status == Organisatie.Status.ACTIEF and org.klantnummer
    koppeling = Koppeling.objects.get(pk=aanvraag.koppeling_id)
    assert koppeling.status == "actief" and koppeling.abonnement_eind
    assert org in beheerbare_organisaties(door)
    assert AuditEntry.objects.filter(actie=Actie.ORGANISATIE_GOEDGEKEURD, organisatie=org).exists()
    # Stap 3 completed what the account lacked.
    door.refresh_from_db()
    assert door.geboortedatum == dt.date(1980, 5, 17)


def test_r53_rejection_ends_it_and_it_may_be_requested_again(door, huidig, support):
    aanvraag = aanvragen(door, huidig)
    aanvraag_afkeuren(aanvraag=aanvraag, door=support, reden="Geen contract ontvangen")
    assert Organisatie.objects.get(pk=aanvraag.organisatie_id).status == Organisatie.Status.OPGEZEGD
    assert Koppeling.objects.get(pk=aanvraag.koppeling_id).status == "beeindigd"
    opnieuw = aanvragen(door, huidig)
    assert opnieuw.organisatie_id == aanvraag.organisatie_id
    assert opnieuw.organisatie.status == Organisatie.Status.AANGEVRAAGD


def test_r53_an_organisation_the_beheerder_manages_is_refused(door, huidig):
    with pytest.raises(DomainError) as fout:
        organisatie_opzoeken(door=door, nummer="12345678")
    assert fout.value.code == "al_beheerd"
    # Also another vestiging of a KvK-nummer they manage, and one already requested.
    with pytest.raises(DomainError):
        organisatie_opzoeken(door=door, nummer="000012345686")
    aanvragen(door, huidig)
    with pytest.raises(DomainError) as fout:
        aanvragen(door, huidig)
    assert fout.value.code == "al_beheerd"
    assert Aanvraag.objects.count() == 1


def test_r53_an_organisation_of_someone_else_on_the_platform_is_refused(door, huidig):
    OrganisatieFactory(kvk_nummer=DONALD[0])
    with pytest.raises(DomainError) as fout:
        organisatie_opzoeken(door=door, nummer=DONALD[0])
    assert fout.value.code == "al_op_platform"


@pytest.mark.parametrize(
    ("nummer", "fout"),
    [("1234", OngeldigeWaarde), ("1234567a", OngeldigeWaarde), ("11112222", OrganisatieNietGevonden)],
)
def test_r53_malformed_or_unknown_numbers_are_refused(door, huidig, nummer, fout):
    with pytest.raises(fout):
        organisatie_opzoeken(door=door, nummer=nummer)
    with pytest.raises(fout):
        aanvragen(door, huidig, nummer=nummer)
    assert not Aanvraag.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"niveau": Niveau.EH4}, "niveau"),
        ({"vertegenwoordigers": ["Dagobert Duck"]}, "vertegenwoordigers"),
        ({"akkoord_gegevens": False}, "akkoord_gegevens"),
        ({"akkoord_voorwaarden": False}, "akkoord_voorwaarden"),
        ({"abonnement_jaren": 2}, "R17"),
        ({"facturatie": Facturatie(factuur_email="geen", betaalwijze="incasso")}, "factuur_email"),
        ({"facturatie": Facturatie(factuur_email="a@b.nl", betaalwijze="incasso")}, "iban"),
        (
            {"facturatie": Facturatie(factuur_email="a@b.nl", betaalwijze="incasso", iban="NL00", bic="X")},
            "iban_ongeldig",
        ),
    ],
)
def test_r53_every_bad_input_is_refused_and_nothing_is_made(door, huidig, kwargs, code):
    with pytest.raises(DomainError) as fout:
        aanvragen(door, huidig, **kwargs)
    assert fout.value.code == code
    assert not Organisatie.objects.filter(kvk_nummer=KATRIEN).exists() and not Aanvraag.objects.exists()


def test_r53_bankoverschrijving_needs_no_iban_and_skipping_signatories_is_allowed(door, huidig):
    aanvraag = aanvragen(
        door,
        huidig,
        vertegenwoordigers=[],
        facturatie=Facturatie(factuur_email="a@b.nl", betaalwijze="bankoverschrijving"),
    )
    assert aanvraag.organisatie.machtigingskenmerk == "" and aanvraag.gegevens["vertegenwoordigers"] == []


def test_r53_an_eh2plus_beheerder_chooses_eh2plus_only(register, tarieven, huidig):
    door = KoppelingFactory(organisatie=huidig, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    with pytest.raises(DomainError):
        aanvragen(door, huidig)
    assert (
        aanvragen(door, huidig, niveau=Niveau.EH2_PLUS).gegevens["kosten"]["regels"][0]["code"] == "koppeling_eh2plus"
    )


def test_r53_support_sees_what_to_check_the_signed_contract_against(door, huidig):
    from support.weergave import gegevens_secties

    secties = {s.titel: dict(s.regels) for s in gegevens_secties(aanvragen(door, huidig).gegevens, {})}
    assert secties["Nieuwe organisatie"]["Organisatienaam"] == "Test NV Katrien"
    assert "Katrien Duck" in secties["Nieuwe organisatie"]["Wettelijk vertegenwoordiger(s) die tekenen"]
    assert secties["Facturatie"]["Betaalwijze"] == "Automatische incasso"
    assert secties["Beheerder"]["E-mailadres"] == door.email
    assert "Overige gegevens" not in secties


def test_r53_the_beheerder_withdraws_a_new_organisation_before_support_handles_it(door, huidig):
    """Lopende aanvragen: withdrawing ends the organisation that was never active and its koppeling, as a
    rejection does, so it may be requested again."""
    from gebruikers.services import aanvraag_intrekken

    aanvraag = aanvragen(door, huidig)
    aanvraag_intrekken(actor=door, organisatie=huidig, aanvraag=aanvraag)
    aanvraag.refresh_from_db()
    assert aanvraag.status == Aanvraag.Status.INGETROKKEN
    assert Organisatie.objects.get(pk=aanvraag.organisatie_id).status == Organisatie.Status.OPGEZEGD
    assert not Koppeling.objects.lopend().filter(organisatie_id=aanvraag.organisatie_id).exists()
    opnieuw = aanvragen(door, huidig)
    assert opnieuw.pk != aanvraag.pk
