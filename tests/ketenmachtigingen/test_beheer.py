"""Overview and removal (R41), linking middelen at the intermediair (R44, R23), revoking (R45)."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from ketenmachtigingen import selectors, services
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Scope, Status
from machtigingen.register import beslis
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.organisaties.factories import OrganisatieFactory


def ketenmachtiging(verlener, intermediair, **kwargs):
    kwargs.setdefault("scope", Scope.ALGEMEEN)
    kwargs.setdefault("niveau", Niveau.EH3)
    kwargs.setdefault("begint_op", vandaag())
    kwargs.setdefault("eindigt_op", vandaag() + dt.timedelta(days=365))
    return Ketenmachtiging.objects.create(verlener=verlener, intermediair=intermediair, **kwargs)


# ------------------------------------------------------------------------------------------ R41


def test_r41_afgegeven_grouped_by_intermediair_with_end_dates(verlener, intermediair, django_assert_num_queries):
    tweede = OrganisatieFactory(naam="Boekhouders Zuid")
    a1 = ketenmachtiging(verlener, intermediair)
    a2 = ketenmachtiging(verlener, intermediair, scope=Scope.DIENST, niveau=None, dienst=DienstFactory())
    b1 = ketenmachtiging(verlener, tweede, eindigt_op=vandaag() + dt.timedelta(days=10))
    ketenmachtiging(verlener, tweede, status=Status.INGETROKKEN)
    ketenmachtiging(verlener, tweede, begint_op=vandaag() - dt.timedelta(days=9), eindigt_op=vandaag())  # expired
    ketenmachtiging(OrganisatieFactory(), intermediair)  # someone else's
    with django_assert_num_queries(1):
        groepen = selectors.afgegeven_per_intermediair(verlener)
        inhoud = {g.intermediair.naam: [k.pk for k in g.ketenmachtigingen] for g in groepen}
        [str(k.scope_omschrijving) for g in groepen for k in g.ketenmachtigingen]
    assert inhoud == {"Accountants Vries": [a1.pk, a2.pk], "Boekhouders Zuid": [b1.pk]}
    assert [g.eerste_einddatum for g in groepen][1] == b1.eindigt_op


def test_r41_remove_intermediair_needs_confirmation_and_revokes_all(verlener, verlener_beheerder, intermediair):
    ks = [ketenmachtiging(verlener, intermediair) for _i in range(3)]
    ander = ketenmachtiging(verlener, OrganisatieFactory())
    with pytest.raises(DomainError) as e:
        services.intermediair_verwijderen(
            actor=verlener_beheerder, verlener=verlener, intermediair=intermediair, bevestigd=False
        )
    assert e.value.rule == "R41"
    assert Ketenmachtiging.objects.filter(status=Status.ACTIEF).count() == 4
    aantal = services.intermediair_verwijderen(
        actor=verlener_beheerder, verlener=verlener, intermediair=intermediair, bevestigd=True
    )
    assert aantal == 3
    assert set(Ketenmachtiging.objects.filter(status=Status.INGETROKKEN).values_list("pk", flat=True)) == {
        k.pk for k in ks
    }
    assert Ketenmachtiging.objects.get(pk=ander.pk).status == Status.ACTIEF
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_INGETROKKEN, organisatie=verlener).count() == 3
    assert selectors.afgegeven_aan(verlener, intermediair.pk) is None


def test_r41_only_beheerder_of_verlener_removes(verlener, intermediair, intermediair_beheerder):
    ketenmachtiging(verlener, intermediair)
    with pytest.raises(DomainError):
        services.intermediair_verwijderen(
            actor=intermediair_beheerder, verlener=verlener, intermediair=intermediair, bevestigd=True
        )


# ------------------------------------------------------------------------------------------ R44, R23


def test_r44_beheerder_links_own_eh3_middel_and_register_follows(
    verlener, intermediair, intermediair_beheerder, medewerker
):
    k = ketenmachtiging(verlener, intermediair)
    dienst = DienstFactory(niveau=Niveau.EH3)
    assert not beslis(middel=medewerker, organisatie=verlener, dienst=dienst).toegestaan
    services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    assert beslis(middel=medewerker, organisatie=verlener, dienst=dienst).toegestaan
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_GEKOPPELD, organisatie=intermediair).exists()
    with pytest.raises(DomainError):  # twice
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    services.ketenmachtiging_ontkoppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    assert not beslis(middel=medewerker, organisatie=verlener, dienst=dienst).toegestaan


def test_r44_eh2plus_middel_cannot_be_linked(verlener, intermediair, intermediair_beheerder):
    k = ketenmachtiging(verlener, intermediair)
    laag = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH2_PLUS).middel
    with pytest.raises(DomainError) as e:
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=laag)
    assert e.value.rule == "R44"
    assert not KetenmachtigingMiddel.objects.exists()


def test_r23_belastingdienstmiddel_cannot_be_linked(verlener, intermediair, intermediair_beheerder):
    k = ketenmachtiging(verlener, intermediair)
    bd = KoppelingFactory(organisatie=intermediair, middel__belastingdienst=True).middel
    with pytest.raises(DomainError) as e:
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=bd)
    assert e.value.rule == "R23"


def test_r44_only_own_middelen_and_only_by_intermediair_beheerder(
    verlener, verlener_beheerder, intermediair, intermediair_beheerder, medewerker
):
    k = ketenmachtiging(verlener, intermediair)
    vreemd = MiddelFactory(niveau=Niveau.EH4)
    with pytest.raises(DomainError):
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=vreemd)
    with pytest.raises(DomainError):
        services.ketenmachtiging_koppel_middel(actor=verlener_beheerder, ketenmachtiging=k, middel=medewerker)


def test_r44_not_for_expired_ketenmachtiging(verlener, intermediair, intermediair_beheerder, medewerker):
    k = ketenmachtiging(verlener, intermediair, begint_op=vandaag() - dt.timedelta(days=5), eindigt_op=vandaag())
    with pytest.raises(DomainError):
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)


def test_r42_received_list_shows_linked_middelen(
    verlener, intermediair, intermediair_beheerder, medewerker, django_assert_num_queries
):
    k = ketenmachtiging(verlener, intermediair)
    services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    with django_assert_num_queries(2):
        (ontvangen,) = selectors.ontvangen_ketenmachtigingen(intermediair)
        assert [km.middel.persoon.naam for km in ontvangen.koppelingen.all()] == [medewerker.persoon.naam]
    assert selectors.middel_ketenmachtigingen(medewerker) == [k]


# ------------------------------------------------------------------------------------------ R45


def test_r45_verlener_revokes_what_it_issued(verlener, verlener_beheerder, intermediair):
    k = ketenmachtiging(verlener, intermediair)
    services.ketenmachtiging_intrekken(actor=verlener_beheerder, ketenmachtiging=k)
    k.refresh_from_db()
    assert k.status == Status.INGETROKKEN and k.ingetrokken_op is not None
    with pytest.raises(DomainError):
        services.ketenmachtiging_intrekken(actor=verlener_beheerder, ketenmachtiging=k)


def test_r45_intermediair_revokes_only_what_it_requested(verlener, intermediair, intermediair_beheerder):
    afgegeven = ketenmachtiging(verlener, intermediair)
    gevraagd = ketenmachtiging(
        verlener, intermediair, niveau=Niveau.EH2_PLUS, aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR
    )
    with pytest.raises(DomainError) as e:
        services.ketenmachtiging_intrekken(actor=intermediair_beheerder, ketenmachtiging=afgegeven)
    assert e.value.rule == "R45"
    services.ketenmachtiging_intrekken(actor=intermediair_beheerder, ketenmachtiging=gevraagd)
    assert Ketenmachtiging.objects.get(pk=gevraagd.pk).status == Status.INGETROKKEN
    assert Ketenmachtiging.objects.get(pk=afgegeven.pk).status == Status.ACTIEF


def test_r45_outsider_cannot_revoke(verlener, intermediair, andere_beheerder, medewerker):
    k = ketenmachtiging(verlener, intermediair, aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR)
    for actor in (andere_beheerder, medewerker.persoon):  # other organisation; gebruiker (no beheerder) at A
        with pytest.raises(DomainError):
            services.ketenmachtiging_intrekken(actor=actor, ketenmachtiging=k)
    assert Ketenmachtiging.objects.get(pk=k.pk).status == Status.ACTIEF


# ------------------------------------------------------------------------------------------ R1


@pytest.fixture
def eh2_beheerders(verlener, intermediair):
    """Beheerders at EH2 (below EH2+): not beheerders in the sense of R1 at either organisation."""
    return (
        KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH2).middel.persoon,
        KoppelingFactory(organisatie=intermediair, beheerder=True, middel__niveau=Niveau.EH2).middel.persoon,
    )


def test_r1_eh2_beheerder_cannot_revoke_ketenmachtigingen(verlener, intermediair, eh2_beheerders):
    bij_verlener, bij_intermediair = eh2_beheerders
    afgegeven = ketenmachtiging(verlener, intermediair)
    gevraagd = ketenmachtiging(verlener, intermediair, aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR)
    for actor, k in ((bij_verlener, afgegeven), (bij_intermediair, gevraagd)):
        with pytest.raises(DomainError) as e:
            services.ketenmachtiging_intrekken(actor=actor, ketenmachtiging=k)
        assert e.value.rule == "R45"
    assert not Ketenmachtiging.objects.exclude(status=Status.ACTIEF).exists()


def test_r1_eh2_beheerder_cannot_link_ketenmachtigingen(verlener, intermediair, eh2_beheerders, medewerker):
    k = ketenmachtiging(verlener, intermediair)
    with pytest.raises(DomainError) as e:
        services.ketenmachtiging_koppel_middel(actor=eh2_beheerders[1], ketenmachtiging=k, middel=medewerker)
    assert e.value.rule == "R44"
    assert not KetenmachtigingMiddel.objects.exists()


def test_r1_beheerder_of_a_terminated_organisation_cannot_link(
    verlener, intermediair, intermediair_beheerder, medewerker
):
    k = ketenmachtiging(verlener, intermediair)
    Organisatie.objects.filter(pk=intermediair.pk).update(status=Organisatie.Status.OPGEZEGD)
    with pytest.raises(DomainError) as e:
        services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=medewerker)
    assert e.value.rule == "R44"
    assert not KetenmachtigingMiddel.objects.exists()
