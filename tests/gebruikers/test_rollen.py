"""Access and roles: R1, R5 (sequential), R6, R7, R8."""

import pytest

from audit.models import AuditEntry
from beheer.selectors import beheer_context_for, beheerbare_organisaties
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Koppeling, Middel
from gebruikers.selectors import mag_beheermodule_gebruiken
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import aanvraag_kwargs, beheerder_van, middel_bij

pytestmark = pytest.mark.django_db


def koppeling_van(persoon, organisatie) -> Koppeling:
    return Koppeling.objects.get(middel__persoon=persoon, organisatie=organisatie)


# --- R1 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rol", "middel", "mag"),
    [
        ("beheerder", {}, True),
        ("beheerder", {"niveau": Niveau.EH2_PLUS}, True),
        ("gebruiker", {}, False),
        ("beheerder", {"niveau": Niveau.EH2}, False),
        ("beheerder", {"wachten_op_activatie": True}, False),
        ("beheerder", {"status": Middel.Status.ACTIVATIE_VERLOPEN}, False),
        ("beheerder", {"type": Middel.Type.BELASTINGDIENST}, False),
    ],
)
def test_r1_only_active_regular_beheerder_from_eh2plus_uses_beheermodule(organisatie, rol, middel, mag):
    koppeling = middel_bij(organisatie, rol=rol, **middel)
    persoon = koppeling.middel.persoon
    assert mag_beheermodule_gebruiken(persoon) is mag
    assert mag_beheermodule_gebruiken(persoon, organisatie) is mag
    # The same answer as the selector the middleware uses.
    assert (organisatie in beheerbare_organisaties(persoon)) is mag


def test_r1_beheerder_of_other_organisation_is_not_beheerder_here(organisatie, andere_beheerder):
    assert mag_beheermodule_gebruiken(andere_beheerder) is True
    assert mag_beheermodule_gebruiken(andere_beheerder, organisatie) is False


def test_r1_services_refuse_a_gebruiker_as_actor(organisatie, beheerder, gebruiker):
    with pytest.raises(DomainError) as exc:
        services.koppeling_wijzig_rol(actor=gebruiker, koppeling=koppeling_van(beheerder, organisatie), rol="gebruiker")
    assert exc.value.rule == "R1"
    assert koppeling_van(beheerder, organisatie).rol == "beheerder"


def test_r1_services_refuse_beheerder_of_other_organisation(organisatie, gebruiker, andere_beheerder):
    with pytest.raises(DomainError) as exc:
        services.koppeling_wijzig_rol(
            actor=andere_beheerder, koppeling=koppeling_van(gebruiker, organisatie), rol="beheerder"
        )
    assert exc.value.rule == "R1"


# --- R6, R7 --------------------------------------------------------------------------------------------------


def test_r6_nobody_changes_own_role(organisatie, beheerder):
    beheerder_van(organisatie)  # another beheerder exists, so only R6 can refuse
    with pytest.raises(DomainError) as exc:
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=koppeling_van(beheerder, organisatie), rol="gebruiker")
    assert exc.value.rule == "R6"
    assert koppeling_van(beheerder, organisatie).rol == "beheerder"


def test_r6_another_beheerder_changes_the_role(organisatie, beheerder):
    ander = beheerder_van(organisatie).middel.persoon
    services.koppeling_wijzig_rol(actor=ander, koppeling=koppeling_van(beheerder, organisatie), rol="gebruiker")
    assert koppeling_van(beheerder, organisatie).rol == "gebruiker"


def test_r7_role_change_takes_effect_at_once(organisatie, beheerder):
    ander = beheerder_van(organisatie).middel.persoon
    assert organisatie in beheerbare_organisaties(ander)
    assert beheer_context_for(ander, organisatie.pk).is_beheerder

    services.koppeling_wijzig_rol(actor=beheerder, koppeling=koppeling_van(ander, organisatie), rol="gebruiker")

    # The very next request resolves the context from the database again: no longer a beheerder.
    assert organisatie not in beheerbare_organisaties(ander)
    assert not beheer_context_for(ander, organisatie.pk).is_beheerder
    # ... and the former beheerder's own next action is refused.
    with pytest.raises(DomainError) as exc:
        services.koppeling_wijzig_rol(actor=ander, koppeling=koppeling_van(beheerder, organisatie), rol="gebruiker")
    assert exc.value.rule == "R1"


def test_r7_role_change_is_audited_with_before_and_after(organisatie, beheerder, gebruiker):
    services.koppeling_wijzig_rol(actor=beheerder, koppeling=koppeling_van(gebruiker, organisatie), rol="beheerder")
    entry = AuditEntry.objects.get(actie="koppeling.rol_gewijzigd")
    assert entry.actor == beheerder
    assert entry.organisatie == organisatie
    assert entry.voor["rol"] == "gebruiker"
    assert entry.na["rol"] == "beheerder"


# --- R8 ------------------------------------------------------------------------------------------------------


def test_r8_belastingdienst_middel_cannot_become_beheerder(organisatie, beheerder):
    koppeling = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True))
    with pytest.raises(DomainError) as exc:
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=koppeling, rol="beheerder")
    assert exc.value.rule == "R8"
    koppeling.refresh_from_db()
    assert koppeling.rol == "gebruiker"


def test_r8_belastingdienst_middel_cannot_be_requested_as_beheerder(organisatie, beheerder, tarieven):
    with pytest.raises(DomainError) as exc:
        services.middel_aanvragen(
            **aanvraag_kwargs(
                beheerder,
                organisatie,
                type=Middel.Type.BELASTINGDIENST,
                rol="beheerder",
            )
        )
    assert exc.value.rule == "R8"
    assert not Middel.objects.filter(type=Middel.Type.BELASTINGDIENST).exists()


def test_r8_beheerder_middel_cannot_change_type_to_belastingdienst(organisatie, beheerder, tarieven):
    ander = beheerder_van(organisatie)
    with pytest.raises(DomainError) as exc:
        services.middel_wijzig_type(
            actor=beheerder,
            organisatie=organisatie,
            middel=ander.middel,
            type=Middel.Type.BELASTINGDIENST,
            abonnement_jaren=1,
            bevestigd=True,
        )
    assert exc.value.rule == "R8"
    ander.middel.refresh_from_db()
    assert ander.middel.type == Middel.Type.REGULIER
