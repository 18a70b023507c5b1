"""Received ketenmachtigingen at the intermediair (R44, R45, R46, R72): linking to its people's middelen on the
van-relaties page, unlinking, revoking what it asked for; the profile shows the linked ones; foreign ids 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from common.niveau import Niveau
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel
from machtigingen.models import Status
from machtigingen.register import beslis
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    fixture_inter,
    fixture_inter_beheerder,
    fixture_inter_client,
    ketenmachtiging_van,
)
from tests.organisaties.factories import OrganisatieFactory

URL = reverse("ketenmachtigingen:van_relaties")


@pytest.fixture
def klant(db):
    return OrganisatieFactory(naam="Bakkerij Klant", kvk_nummer="11112222")


@pytest.fixture
def medewerker(inter):
    return KoppelingFactory(organisatie=inter, middel__niveau=Niveau.EH3, middel__persoon__achternaam="Jansen").middel


def test_r44_link_to_a_person_then_register_says_yes_and_profile_shows_it(
    client, inter_client, inter, klant, medewerker
):
    k = ketenmachtiging_van(klant, inter)
    dienst = DienstFactory(niveau=Niveau.EH3)
    collega = KoppelingFactory(organisatie=inter, middel__niveau=Niveau.EH3).middel
    KoppelingFactory(organisatie=inter, middel__niveau=Niveau.EH2_PLUS, middel__persoon__achternaam="Laagniveau")
    KoppelingFactory(organisatie=inter, middel__belastingdienst=True, middel__persoon__achternaam="Fiscaal")
    r = inter_client.get(URL)
    assert r.status_code == 200 and "Bakkerij Klant" in r.text and "Nog niemand" in r.text
    # R44: only regular EH3+ Actief middelen are offered.
    assert medewerker.persoon.naam in r.text and "Laagniveau" not in r.text and "Fiscaal" not in r.text
    r = inter_client.post(
        reverse("ketenmachtigingen:ontvangen_koppelen", args=[k.pk]), {"middel": medewerker.pk}, follow=True
    )
    assert r.status_code == 200 and "is gekoppeld aan" in r.text
    assert beslis(middel=medewerker, organisatie=klant, dienst=dienst).toegestaan
    assert not beslis(middel=collega, organisatie=klant, dienst=dienst).toegestaan
    # The linked person sees it on the profile.
    inloggen_geverifieerd(client, medewerker.persoon)
    r = client.get(reverse("beheer:profiel_machtigingen"))
    assert r.status_code == 200 and "Bakkerij Klant" in r.text and "Accountants Vries" in r.text


def test_r44_refused_middel_changes_nothing(inter_client, inter, klant):
    k = ketenmachtiging_van(klant, inter)
    laag = KoppelingFactory(organisatie=inter, middel__niveau=Niveau.EH2_PLUS).middel
    vreemd = KoppelingFactory(middel__niveau=Niveau.EH3).middel
    for middel in (laag, vreemd):
        r = inter_client.post(
            reverse("ketenmachtigingen:ontvangen_koppelen", args=[k.pk]), {"middel": middel.pk}, follow=True
        )
        assert "Kies een medewerker met een actief, regulier eHerkenningsmiddel" in r.text
    assert not KetenmachtigingMiddel.objects.exists()


def test_r44_unlink(inter_client, inter, inter_beheerder, klant, medewerker):
    k = ketenmachtiging_van(klant, inter)
    KetenmachtigingMiddel.objects.create(ketenmachtiging=k, middel=medewerker)
    r = inter_client.post(reverse("ketenmachtigingen:ontvangen_ontkoppelen", args=[k.pk, medewerker.pk]), follow=True)
    assert "is ontkoppeld van" in r.text and not KetenmachtigingMiddel.objects.exists()
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_ONTKOPPELD, organisatie=inter).exists()


def test_r45_intermediair_revokes_only_what_it_asked_for(inter_client, inter, klant, medewerker):
    gevraagd = ketenmachtiging_van(klant, inter)
    KetenmachtigingMiddel.objects.create(ketenmachtiging=gevraagd, middel=medewerker)
    afgegeven = ketenmachtiging_van(klant, inter, aangevraagd_door=Ketenmachtiging.AangevraagdDoor.VERLENER)
    r = inter_client.get(URL)
    assert (
        f'data-testid="intrekken-{gevraagd.pk}"' in r.text and f'data-testid="intrekken-{afgegeven.pk}"' not in r.text
    )
    r = inter_client.post(reverse("ketenmachtigingen:ontvangen_intrekken", args=[afgegeven.pk]), follow=True)
    assert "Alleen de organisatie die de ketenmachtiging afgaf" in r.text
    assert Ketenmachtiging.objects.get(pk=afgegeven.pk).status == Status.ACTIEF
    r = inter_client.post(reverse("ketenmachtigingen:ontvangen_intrekken", args=[gevraagd.pk]), follow=True)
    assert "is ingetrokken" in r.text
    assert Ketenmachtiging.objects.get(pk=gevraagd.pk).status == Status.INGETROKKEN
    assert not beslis(middel=medewerker, organisatie=klant, dienst=DienstFactory(niveau=Niveau.EH3)).toegestaan


def test_r4_foreign_ketenmachtiging_and_middel_404(inter_client, inter, klant, medewerker):
    vreemd = ketenmachtiging_van(klant, OrganisatieFactory())
    eigen = ketenmachtiging_van(klant, inter)
    vreemd_middel = KoppelingFactory(middel__niveau=Niveau.EH3).middel
    assert (
        inter_client.post(
            reverse("ketenmachtigingen:ontvangen_koppelen", args=[vreemd.pk]), {"middel": medewerker.pk}
        ).status_code
        == 404
    )
    assert inter_client.post(reverse("ketenmachtigingen:ontvangen_intrekken", args=[vreemd.pk])).status_code == 404
    assert (
        inter_client.post(
            reverse("ketenmachtigingen:ontvangen_ontkoppelen", args=[vreemd.pk, medewerker.pk])
        ).status_code
        == 404
    )
    assert (
        inter_client.post(
            reverse("ketenmachtigingen:ontvangen_ontkoppelen", args=[eigen.pk, vreemd_middel.pk])
        ).status_code
        == 404
    )
    assert Ketenmachtiging.objects.get(pk=vreemd.pk).status == Status.ACTIEF
    for naam in ("ontvangen_koppelen", "ontvangen_intrekken"):
        assert inter_client.get(reverse(f"ketenmachtigingen:{naam}", args=[eigen.pk])).status_code == 405


def test_ontvangen_overview_query_count_does_not_grow(inter_client, inter, django_assert_num_queries):
    def vul(n):
        for _i in range(n):
            k = ketenmachtiging_van(OrganisatieFactory(), inter)
            for _j in range(2):
                KetenmachtigingMiddel.objects.create(
                    ketenmachtiging=k, middel=KoppelingFactory(organisatie=inter, middel__niveau=Niveau.EH3).middel
                )

    vul(1)
    inter_client.get(URL)
    with CaptureQueriesContext(connection) as een:
        inter_client.get(URL)
    vul(8)
    with django_assert_num_queries(len(een.captured_queries)):
        r = inter_client.get(URL)
    assert r.text.count('data-testid="ontvangen-') == 9
