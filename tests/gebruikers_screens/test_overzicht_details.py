"""A person's details, opened in place or as a page (§3.6, §3.7, R63), with access rules and a pinned query count."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from common.dates import plus_maanden, vandaag
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel
from machtigingen.models import Status as MachtigingStatus
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.gebruikers_screens import test_overzicht_fixtures as personen
from tests.machtigingen.factories import MachtigingFactory

# The shared fixtures of the overview tests (kept out of a conftest.py: this directory is shared).
bulters, hendriks, smit, zeeuw, vreemde = (
    personen.bulters,
    personen.hendriks,
    personen.smit,
    personen.zeeuw,
    personen.vreemde,
)
inloggen = personen.inloggen

FRAGMENT = {"HTTP_HX_REQUEST": "true"}


def url(persoon) -> str:
    return reverse("gebruikers:details", args=[persoon.pk])


def velden(html: str) -> dict[str, str]:
    """The details' values by field, as printed."""
    return {
        k: re.sub(r"\s+", " ", v).strip() for k, v in re.findall(r'<span data-veld="(\w+)">(.*?)</span>', html, re.S)
    }


@pytest.mark.django_db
class TestToegang:
    def test_beheerder_gets_the_fragment_for_htmx(self, client, inloggen, beheerder, bulters):
        inloggen(beheerder)

        response = client.get(url(bulters), **FRAGMENT)

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith(f'<div class="bm-details" data-testid="details-{bulters.pk}"')
        assert "<html" not in html
        assert "HX-Request" in response["Vary"]

    def test_beheerder_without_js_gets_a_full_page(self, client, inloggen, beheerder, bulters):
        inloggen(beheerder)

        html = client.get(url(bulters)).content.decode()

        assert "<html" in html and "bm-sidebar" in html
        assert f'href="{reverse("gebruikers:overzicht")}"' in html
        assert "Persoonsgegevens" in html

    def test_gebruiker_of_the_same_organisation_is_sent_to_the_profile(self, client, inloggen, gebruiker, bulters):
        inloggen(gebruiker)

        response = client.get(url(bulters))

        assert response.status_code == 302
        assert response["Location"] == reverse("beheer:profiel")

    def test_beheerder_of_another_organisation_gets_404(self, client, inloggen, andere_beheerder, bulters):
        inloggen(andere_beheerder)

        assert client.get(url(bulters)).status_code == 404
        assert client.get(url(bulters), **FRAGMENT).status_code == 404

    def test_foreign_and_missing_ids_answer_the_same(self, client, inloggen, beheerder, vreemde):
        inloggen(beheerder)

        vreemd = client.get(url(vreemde))
        missend = client.get(reverse("gebruikers:details", args=[987654]))

        assert vreemd.status_code == missend.status_code == 404

    def test_terminated_person_is_not_shown(self, client, inloggen, beheerder, organisatie):
        oud = KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD).middel.persoon
        inloggen(beheerder)

        assert client.get(url(oud)).status_code == 404

    def test_signed_out_goes_to_the_log_in(self, client, bulters):
        response = client.get(url(bulters))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("beheer:inloggen"))

    def test_post_is_not_allowed(self, client, inloggen, beheerder, bulters):
        inloggen(beheerder)

        assert client.post(url(bulters)).status_code == 405


@pytest.mark.django_db
def test_r63_details_show_persoonsgegevens_and_eherkenning(client, inloggen, beheerder, bulters):
    inloggen(beheerder)

    html = client.get(url(bulters), **FRAGMENT).content.decode()

    assert "Persoonsgegevens" in html and "eHerkenning" in html and "Abonnement" in html
    assert velden(html) == {
        "naam": "K. Bulters",
        "email": "katarina.bulters@example.com",
        "startdatum": "01-03-2023",
        "einddatum": "Automatische verlenging",
        "abonnement_type": "1-Jaarabonnement",
        "niveau": "2+",
        "type": "Regulier",
        "status": "Actief",
        "tweede_factor": "SMS 0612345678",
        "rol": "Gebruiker",
    }


@pytest.mark.django_db
def test_r63_details_of_a_beheerder_waiting_for_activation(client, inloggen, beheerder, hendriks):
    inloggen(beheerder)

    gegevens = velden(client.get(url(hendriks), **FRAGMENT).content.decode())

    tot = (vandaag() + dt.timedelta(days=30)).strftime("%d-%m-%Y")
    assert gegevens["status"] == f"Activeren mogelijk tot {tot}"
    assert gegevens["startdatum"] == "08-01-2024"
    assert gegevens["abonnement_type"] == "3-Jaarabonnement"
    assert gegevens["niveau"] == "3"
    assert gegevens["rol"] == "Beheerder"


@pytest.mark.django_db
def test_r63_expired_activation_and_otp(client, inloggen, beheerder, smit):
    inloggen(beheerder)

    gegevens = velden(client.get(url(smit), **FRAGMENT).content.decode())

    op = (vandaag() - dt.timedelta(days=3)).strftime("%d-%m-%Y")
    assert gegevens["status"] == f"Activatie verlopen op {op}"
    assert gegevens["tweede_factor"] == "OTP"


@pytest.mark.django_db
def test_r63_waiting_for_approval(client, inloggen, beheerder, zeeuw):
    inloggen(beheerder)

    gegevens = velden(client.get(url(zeeuw), **FRAGMENT).content.decode())

    assert gegevens["status"] == "Wachten op goedkeuring"
    assert gegevens["startdatum"] == "–"


@pytest.mark.django_db
def test_r63_a_planned_end_and_no_renewal_show_the_end_date(client, inloggen, beheerder, organisatie):
    opgezegd = KoppelingFactory(organisatie=organisatie, opzeggen_per=dt.date(2031, 5, 1)).middel.persoon
    vast = KoppelingFactory(
        organisatie=organisatie, automatische_verlenging=False, abonnement_eind=dt.date(2030, 2, 3)
    ).middel.persoon
    inloggen(beheerder)

    assert velden(client.get(url(opgezegd), **FRAGMENT).content.decode())["einddatum"] == "01-05-2031"
    assert velden(client.get(url(vast), **FRAGMENT).content.decode())["einddatum"] == "03-02-2030"


@pytest.mark.django_db
def test_r63_a_new_koppeling_of_an_active_middel_waits_for_approval(client, inloggen, beheerder, organisatie):
    persoon = KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.AANGEVRAAGD).middel.persoon
    inloggen(beheerder)

    assert velden(client.get(url(persoon), **FRAGMENT).content.decode())["status"] == "Wachten op goedkeuring"


@pytest.mark.django_db
def test_r63_r34_the_machtigingen_partial_gets_the_active_machtigingen_flagged(
    client, inloggen, beheerder, bulters, organisatie
):
    """The "Reguliere machtigingen" section (another partial) renders `machtigingen`: the active ones only,
    each flagged when it ends within 2 months (R34)."""
    middel = bulters.middel
    lang = MachtigingFactory(middel=middel, organisatie=organisatie)
    kort = MachtigingFactory(middel=middel, organisatie=organisatie, eindigt_op=plus_maanden(vandaag(), 1))
    MachtigingFactory(middel=middel, organisatie=organisatie, status=MachtigingStatus.INGETROKKEN)
    MachtigingFactory(
        middel=middel, organisatie=organisatie, begint_op=vandaag() - dt.timedelta(days=400), eindigt_op=vandaag()
    )
    MachtigingFactory(middel=beheerder.middel, organisatie=organisatie)
    inloggen(beheerder)

    response = client.get(url(bulters), **FRAGMENT)

    flags = {m.pk: m.eindigt_binnenkort for m in response.context["machtigingen"]}
    assert flags == {lang.pk: False, kort.pk: True}
    assert response.context["details"].persoon == bulters
    assert response.context["persoon_id"] == bulters.pk
    assert response.context["organisatie"] == organisatie
    assert response.context["is_zelf"] is False


@pytest.mark.django_db
def test_r63_both_partials_are_included(client, inloggen, beheerder, bulters):
    inloggen(beheerder)

    response = client.get(url(bulters), **FRAGMENT)

    used = {t.name for t in response.templates}
    assert {"gebruikers/_acties.html", "gebruikers/_machtigingen.html"} <= used


@pytest.mark.django_db
def test_is_zelf_for_the_own_details(client, inloggen, beheerder):
    inloggen(beheerder)

    assert client.get(url(beheerder), **FRAGMENT).context["is_zelf"] is True


@pytest.mark.django_db
def test_r13_details_say_a_mutation_is_in_behandeling(client, inloggen, beheerder, bulters, organisatie):
    Aanvraag.objects.create(soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=bulters.middel)
    inloggen(beheerder)

    html = client.get(url(bulters), **FRAGMENT).content.decode()

    assert "Mutatie in behandeling: Wijziging niveau" in html


@pytest.mark.django_db
@pytest.mark.parametrize("soort", [Aanvraag.Soort.NIEUW_MIDDEL, Aanvraag.Soort.KOPPELING])
def test_details_of_a_new_request_show_one_status(client, inloggen, beheerder, organisatie, zeeuw, soort):
    """Defect: the details of a new request said "Wachten op goedkeuring" and "Mutatie in behandeling" at once;
    the request itself is what waits for approval (§3.5.1). R13 still holds: no mutation is offered."""
    if soort == Aanvraag.Soort.NIEUW_MIDDEL:
        persoon = zeeuw
    else:
        persoon = KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.AANGEVRAAGD).middel.persoon
    Aanvraag.objects.create(soort=soort, organisatie=organisatie, middel=persoon.middel, aangevraagd_door=beheerder)
    inloggen(beheerder)

    html = client.get(url(persoon), **FRAGMENT).content.decode()

    assert velden(html)["status"] == "Wachten op goedkeuring"
    assert "Mutatie in behandeling" not in html
    assert "Wijzig het niveau" not in html and "Koppel aan een andere organisatie" not in html


def _machtigingen(middel, organisatie, aantal):
    for _ in range(aantal):
        MachtigingFactory(middel=middel, organisatie=organisatie, dienst=DienstFactory(niveau=Niveau.EH2_PLUS))


# Session, person, second-factor device, managed organisations, own middel; the details: koppeling, other organisations, open
# aanvraag, machtigingen (selector) and the machtigingen for the partial, those held through a group (R24); the
# session saved (3).
DETAILS_QUERIES = 14


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_details_query_count_does_not_grow_with_machtigingen(
    client, inloggen, beheerder, bulters, organisatie, django_assert_num_queries, htmx
):
    andere = KoppelingFactory(middel=bulters.middel).organisatie  # the person at a second organisation too
    Aanvraag.objects.create(soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=bulters.middel)
    extra = FRAGMENT if htmx else {}
    inloggen(beheerder)
    _machtigingen(bulters.middel, organisatie, 2)
    with django_assert_num_queries(DETAILS_QUERIES):
        klein = client.get(url(bulters), **extra)

    _machtigingen(bulters.middel, organisatie, 18)
    with django_assert_num_queries(DETAILS_QUERIES):
        groot = client.get(url(bulters), **extra)

    assert len(klein.context["machtigingen"]) == 2
    assert len(groot.context["machtigingen"]) == 20
    assert groot.context["details"].andere_organisaties == [andere]


@pytest.mark.django_db
def test_details_of_a_middel_not_actief_show_no_machtigingen(client, inloggen, beheerder, hendriks, organisatie):
    MachtigingFactory(middel=hendriks.middel, organisatie=organisatie)
    inloggen(beheerder)

    assert client.get(url(hendriks), **FRAGMENT).context["machtigingen"] == []
    assert hendriks.middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE
