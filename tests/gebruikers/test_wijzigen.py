"""Changing a user's data and the type of the middel: R21, R22, R23."""

import datetime as dt
from decimal import Decimal

import pytest

from audit.models import AuditEntry
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Aanvraag, Koppeling, Middel
from machtigingen.models import Machtiging
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import aanvraag_kwargs, beheerder_van, maria_santos, middel_bij, persoon_gegevens
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


# --- R21 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Middel.Status.ACTIEF, Middel.Status.WACHTEN_OP_ACTIVATIE])
def test_r21_beheerder_changes_sms_number_of_others(organisatie, beheerder, status):
    persoon = middel_bij(organisatie, status=status).middel.persoon
    services.persoon_wijzig_mobiel(actor=beheerder, persoon=persoon, mobiel="06 22955550", organisatie=organisatie)
    persoon.refresh_from_db()
    assert persoon.mobiel == "+31622955550"
    entry = AuditEntry.objects.get(actie="persoon.mobiel_gewijzigd")
    assert entry.voor == {"mobiel": "+31612345678"} and entry.na == {"mobiel": "+31622955550"}


def test_r21_never_own_number(organisatie, beheerder):
    with pytest.raises(DomainError) as exc:
        services.persoon_wijzig_mobiel(actor=beheerder, persoon=beheerder, mobiel="0622955550", organisatie=organisatie)
    assert exc.value.rule == "R21"
    beheerder.refresh_from_db()
    assert beheerder.mobiel == "+31612345678"


@pytest.mark.parametrize("status", [Middel.Status.WACHTEN_OP_GOEDKEURING, Middel.Status.ACTIVATIE_VERLOPEN])
def test_r21_not_in_other_statuses(organisatie, beheerder, status):
    persoon = middel_bij(organisatie, status=status).middel.persoon
    with pytest.raises(DomainError) as exc:
        services.persoon_wijzig_mobiel(actor=beheerder, persoon=persoon, mobiel="0622955550", organisatie=organisatie)
    assert (exc.value.rule, exc.value.code) == ("R21", "status")


def test_r21_not_for_persons_of_other_organisations(organisatie, andere_beheerder, gebruiker):
    with pytest.raises(DomainError) as exc:
        services.persoon_wijzig_mobiel(
            actor=andere_beheerder, persoon=gebruiker, mobiel="0622955550", organisatie=organisatie
        )
    assert exc.value.rule == "R1"


# --- R22 -----------------------------------------------------------------------------------------------------


def test_r22_beheerder_changes_email_before_activation(organisatie, beheerder):
    persoon = middel_bij(organisatie, wachten_op_activatie=True).middel.persoon
    services.persoon_wijzig_email(actor=beheerder, persoon=persoon, email="a.zeeuw@domein.nl", organisatie=organisatie)
    persoon.refresh_from_db()
    assert persoon.email == "a.zeeuw@domein.nl"


def test_r22_after_activation_only_the_person(organisatie, beheerder, gebruiker):
    with pytest.raises(DomainError) as exc:
        services.persoon_wijzig_email(
            actor=beheerder, persoon=gebruiker, email="nieuw@domein.nl", organisatie=organisatie
        )
    assert exc.value.rule == "R22"
    services.persoon_wijzig_eigen_email(persoon=gebruiker, email="nieuw@domein.nl")
    gebruiker.refresh_from_db()
    assert gebruiker.email == "nieuw@domein.nl"


def test_r22_email_validated(organisatie, gebruiker):
    with pytest.raises(DomainError):
        services.persoon_wijzig_eigen_email(persoon=gebruiker, email="geen e-mail")


# --- R23 -----------------------------------------------------------------------------------------------------


def bd_aanvraag(beheerder, organisatie, **kwargs):
    velden = {"type": Middel.Type.BELASTINGDIENST, "persoon_gegevens": maria_santos()}
    velden.update(kwargs)
    return services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie, **velden))


@pytest.fixture(autouse=True)
def _santos_in_het_register(register):
    """R23 is looked up in the Handelsregister: Santos B.V. (the `organisatie` fixture) is in it."""


def test_r23_belastingdienst_middel_only_for_wettelijk_vertegenwoordiger(organisatie, beheerder, tarieven):
    with pytest.raises(DomainError) as exc:
        bd_aanvraag(beheerder, organisatie, persoon_gegevens=persoon_gegevens())
    assert (exc.value.rule, exc.value.code) == ("R23", "wettelijk_vertegenwoordiger")
    aanvraag = bd_aanvraag(beheerder, organisatie)
    assert aanvraag.middel.type == Middel.Type.BELASTINGDIENST
    assert aanvraag.gegevens["kosten"]["totaal"] == "25.00"


def test_r23_at_most_one_per_kvk_nummer(organisatie, beheerder, tarieven):
    bd_aanvraag(beheerder, organisatie)
    with pytest.raises(DomainError) as exc:
        bd_aanvraag(
            beheerder,
            organisatie,
            persoon_gegevens=services.PersoonGegevens(
                voornamen="Piet", achternaam="de Jong", geboortedatum=dt.date(1970, 1, 1), email="p@domein.nl"
            ),
        )
    assert (exc.value.rule, exc.value.code) == ("R23", "een_per_kvk")
    # Another vestiging of the same KvK-nummer counts too.
    vestiging = OrganisatieFactory(kvk_nummer=organisatie.kvk_nummer, vestigingsnummer="000012345678")
    KoppelingFactory(organisatie=vestiging, middel=beheerder.middel, beheerder=True)
    with pytest.raises(DomainError):
        bd_aanvraag(beheerder, vestiging)


def test_r23_only_at_eh3(organisatie, beheerder, tarieven):
    with pytest.raises(DomainError) as exc:
        bd_aanvraag(beheerder, organisatie, niveau=Niveau.EH2_PLUS, identificatieadres=None)
    assert exc.value.rule == "R23"


def _machtiging(koppeling):
    return Machtiging.objects.create(
        middel=koppeling.middel,
        organisatie=koppeling.organisatie,
        scope="dienst",
        dienst=DienstFactory(),
        begint_op=vandaag(),
        eindigt_op=vandaag() + dt.timedelta(days=365),
    )


def test_r23_type_change_needs_acknowledgement(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, belastingdienst=True)
    with pytest.raises(DomainError) as exc:
        services.middel_wijzig_type(
            actor=beheerder,
            organisatie=organisatie,
            middel=koppeling.middel,
            type=Middel.Type.REGULIER,
            abonnement_jaren=1,
            bevestigd=False,
        )
    assert (exc.value.rule, exc.value.code) == ("R23", "niet_bevestigd")
    koppeling.middel.refresh_from_db()
    assert koppeling.middel.type == Middel.Type.BELASTINGDIENST


def test_r23_type_change_new_subscription_pro_rata_credit_and_machtigingen_cleared(organisatie, beheerder, tarieven):
    start = vandaag() - dt.timedelta(days=73)
    koppeling = middel_bij(organisatie, belastingdienst=True)
    Koppeling.objects.filter(pk=koppeling.pk).update(abonnement_start=start, abonnement_eind=plus_jaren(start, 1))
    m = _machtiging(koppeling)

    aanvraag = services.middel_wijzig_type(
        actor=beheerder,
        organisatie=organisatie,
        middel=koppeling.middel,
        type=Middel.Type.REGULIER,
        abonnement_jaren=3,
        bevestigd=True,
    )
    koppeling.refresh_from_db()
    koppeling.middel.refresh_from_db()
    m.refresh_from_db()
    assert koppeling.middel.type == Middel.Type.REGULIER
    assert koppeling.abonnement_start == vandaag()
    assert koppeling.abonnement_eind == plus_jaren(vandaag(), 3)
    assert m.status == "ingetrokken"
    dagen = (plus_jaren(start, 1) - start).days
    verwacht = (Decimal("25.00") * (dagen - 73) / dagen).quantize(Decimal("0.01"))
    assert Decimal(aanvraag.gegevens["credit"]) == verwacht
    assert Decimal(aanvraag.gegevens["te_betalen"]) == Decimal("89.85") - verwacht
    assert aanvraag.soort == Aanvraag.Soort.TYPE_WIJZIGING
    entry = AuditEntry.objects.get(actie="middel.type_gewijzigd")
    assert entry.voor["type"] == "belastingdienst" and entry.na["type"] == "regulier"


def test_r23_type_change_to_belastingdienst_checks_one_per_kvk(organisatie, beheerder, tarieven):
    middel_bij(organisatie, belastingdienst=True)
    regulier = middel_bij(organisatie)
    with pytest.raises(DomainError) as exc:
        services.middel_wijzig_type(
            actor=beheerder,
            organisatie=organisatie,
            middel=regulier.middel,
            type=Middel.Type.BELASTINGDIENST,
            abonnement_jaren=1,
            bevestigd=True,
        )
    assert exc.value.code == "een_per_kvk"


def test_r23_type_change_refused_while_mutation_pending(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, belastingdienst=True)
    Aanvraag.objects.create(soort="koppeling", organisatie=organisatie, middel=koppeling.middel)
    with pytest.raises(DomainError) as exc:
        services.middel_wijzig_type(
            actor=beheerder,
            organisatie=organisatie,
            middel=koppeling.middel,
            type=Middel.Type.REGULIER,
            abonnement_jaren=1,
            bevestigd=True,
        )
    assert exc.value.rule == "R13"


def test_r23_belastingdienst_middel_never_beheerder_even_via_upgrade_role(organisatie, beheerder, tarieven):
    koppeling = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True))
    beheerder_van(organisatie)
    with pytest.raises(DomainError):
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=koppeling, rol="beheerder")
