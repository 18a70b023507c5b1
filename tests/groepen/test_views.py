"""The Groepen screens: status codes, scoping (404 for foreign ids), refusals in place, confirmations, and query
counts that do not depend on the number of groups or members."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from common.niveau import Niveau
from groepen.models import Groep, GroepLid, GroepMachtiging
from machtigingen.models import Status
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory, GroepLidFactory, GroepMachtigingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def groep(organisatie):
    return GroepFactory(organisatie=organisatie, naam="Salarisadministratie")


def url(naam, *args):
    return reverse(f"groepen:{naam}", args=args)


def test_overzicht_lists_the_organisations_groups(beheerder_client, organisatie, groep):
    GroepLidFactory(groep=groep)
    GroepMachtigingFactory(groep=groep)
    GroepFactory(naam="Van een ander")
    response = beheerder_client.get(url("overzicht"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Salarisadministratie" in html and "Van een ander" not in html
    assert url("groep", groep.pk) in html


def test_overzicht_search(beheerder_client, organisatie, groep):
    GroepFactory(organisatie=organisatie, naam="Inkoop")
    html = beheerder_client.get(url("overzicht"), {"q": "salaris"}).content.decode()
    assert "Salarisadministratie" in html and "Inkoop" not in html


def test_overzicht_is_get_only(beheerder_client):
    assert beheerder_client.post(url("overzicht")).status_code == 405


@pytest.mark.parametrize("aantal", [1, 5])
def test_overzicht_query_count_does_not_grow(beheerder_client, organisatie, aantal, django_assert_num_queries):
    for _ in range(aantal):
        g = GroepFactory(organisatie=organisatie)
        GroepMachtigingFactory(groep=g)
        for _ in range(aantal):
            GroepLidFactory(groep=g)
    beheerder_client.get(url("overzicht"))
    with django_assert_num_queries(OVERZICHT_QUERIES):
        assert beheerder_client.get(url("overzicht")).status_code == 200


@pytest.mark.parametrize("aantal", [1, 5])
def test_groep_page_query_count_does_not_grow(beheerder_client, organisatie, groep, aantal, django_assert_num_queries):
    for _ in range(aantal):
        GroepLidFactory(groep=groep, koppeling=KoppelingFactory(organisatie=organisatie, middel__niveau=Niveau.EH2))
        GroepMachtigingFactory(groep=groep)
    beheerder_client.get(url("groep", groep.pk))
    with django_assert_num_queries(GROEP_QUERIES):
        assert beheerder_client.get(url("groep", groep.pk)).status_code == 200


# The layout's 8 (session read, person, second-factor device, organisation, beheer middel; the session write in a
# savepoint) plus the page's own: the overview 1 query, a group's page 4 (group, members, machtigingen, shared).
OVERZICHT_QUERIES = 9
GROEP_QUERIES = 12


def test_groep_page_shows_members_machtigingen_and_who_is_not_covered(beheerder_client, organisatie, groep):
    hoog = GroepLidFactory(
        groep=groep, koppeling=KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Hoogmoed")
    )
    laag = GroepLidFactory(
        groep=groep,
        koppeling=KoppelingFactory(
            organisatie=organisatie, middel__niveau=Niveau.EH2, middel__persoon__achternaam="Laagland"
        ),
    )
    GroepMachtigingFactory(groep=groep, dienst=DienstFactory(naam="Loonaangifte", niveau=Niveau.EH3))
    html = beheerder_client.get(url("groep", groep.pk)).content.decode()
    assert "Hoogmoed" in html and "Laagland" in html and "Loonaangifte" in html
    assert f'data-niet-gedekt="{laag.koppeling.middel_id}"' in html
    assert f'data-niet-gedekt="{hoog.koppeling.middel_id}"' not in html
    assert "niet het benodigde niveau" in html


def test_foreign_or_deleted_group_is_404(beheerder_client, organisatie):
    vreemd = GroepFactory()
    assert beheerder_client.get(url("groep", vreemd.pk)).status_code == 404
    for naam in ("hernoemen", "verwijderen", "leden_toevoegen", "machtiging_toevoegen"):
        assert beheerder_client.get(url(naam, vreemd.pk)).status_code == 404, naam
        assert beheerder_client.post(url(naam, vreemd.pk), {"naam": "x"}).status_code == 404, naam
    weg = GroepFactory(organisatie=organisatie, opgeheven_op="2025-01-01T00:00:00Z")
    assert beheerder_client.get(url("groep", weg.pk)).status_code == 404


def test_foreign_member_or_machtiging_is_404(beheerder_client, organisatie, groep):
    vreemd = GroepLidFactory()
    vreemde_machtiging = GroepMachtigingFactory(groep=vreemd.groep)
    assert beheerder_client.get(url("lid_verwijderen", groep.pk, vreemd.koppeling.middel_id)).status_code == 404
    assert beheerder_client.post(url("lid_verwijderen", groep.pk, vreemd.koppeling.middel_id)).status_code == 404
    assert beheerder_client.get(url("machtiging_intrekken", groep.pk, vreemde_machtiging.pk)).status_code == 404
    assert beheerder_client.post(url("machtiging_intrekken", groep.pk, vreemde_machtiging.pk)).status_code == 404
    assert GroepLid.objects.count() == 1 and GroepMachtiging.objects.get().status == Status.ACTIEF


def test_aanmaken_popup_and_success(beheerder_client, organisatie):
    response = beheerder_client.get(url("aanmaken"), **HTMX)
    assert response.status_code == 200 and b"<dialog" in response.content
    response = beheerder_client.post(url("aanmaken"), {"naam": "Inkoop"}, **HTMX)
    groep = Groep.objects.get()
    assert response.status_code == 200 and response["HX-Redirect"] == url("groep", groep.pk)
    html = beheerder_client.get(url("groep", groep.pk)).content.decode()
    assert "De groep Inkoop is aangemaakt." in html


def test_aanmaken_without_javascript_redirects(beheerder_client):
    response = beheerder_client.post(url("aanmaken"), {"naam": "Inkoop"})
    assert response.status_code == 302 and response.url == url("groep", Groep.objects.get().pk)


def test_refusal_in_place_nothing_changed(beheerder_client, organisatie, groep):
    response = beheerder_client.post(
        url("aanmaken"), {"naam": "salarisadministratie"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="bm-popup-inhoud"
    )
    assert response.status_code == 200
    assert "Er is al een groep met deze naam." in response.content.decode()
    assert "<dialog" not in response.content.decode()
    assert Groep.objects.count() == 1
    response = beheerder_client.post(url("aanmaken"), {"naam": ""})
    assert response.status_code == 200 and "Geef de groep een naam." in response.content.decode()


def test_hernoemen(beheerder_client, groep):
    response = beheerder_client.post(url("hernoemen", groep.pk), {"naam": "Loonadministratie"})
    assert response.status_code == 302
    groep.refresh_from_db()
    assert groep.naam == "Loonadministratie"


def test_verwijderen_asks_to_confirm_and_ends_machtigingen(beheerder_client, organisatie, groep):
    GroepMachtigingFactory(groep=groep, dienst=DienstFactory(naam="Loonaangifte"))
    html = beheerder_client.get(url("verwijderen", groep.pk)).content.decode()
    assert "Loonaangifte" in html and "beëindigd" in html
    response = beheerder_client.post(url("verwijderen", groep.pk))
    assert response.status_code == 302 and response.url == url("overzicht")
    assert GroepMachtiging.objects.get().status == Status.INGETROKKEN
    html = beheerder_client.get(url("overzicht")).content.decode()
    assert "is verwijderd; 1 machtiging(en) van de groep zijn beëindigd." in html


def test_leden_toevoegen_and_verwijderen(beheerder_client, organisatie, groep):
    a = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Aalbers").middel
    b = KoppelingFactory(organisatie=organisatie, middel__persoon__achternaam="Brouwer").middel
    html = beheerder_client.get(url("leden_toevoegen", groep.pk)).content.decode()
    assert "Aalbers" in html and "Brouwer" in html
    fragment = beheerder_client.get(url("leden_toevoegen", groep.pk), {"deel": "personen", "zoek": "aal"}, **HTMX)
    assert "Aalbers" in fragment.content.decode() and "Brouwer" not in fragment.content.decode()
    response = beheerder_client.post(url("leden_toevoegen", groep.pk), {"leden": [a.pk, b.pk]})
    assert response.status_code == 302
    assert set(GroepLid.objects.values_list("koppeling__middel_id", flat=True)) == {a.pk, b.pk}
    response = beheerder_client.post(url("lid_verwijderen", groep.pk, a.pk))
    assert response.status_code == 302
    assert list(GroepLid.objects.values_list("koppeling__middel_id", flat=True)) == [b.pk]


def test_leden_toevoegen_foreign_middel_refused_in_place(beheerder_client, organisatie, groep):
    vreemd = KoppelingFactory().middel
    response = beheerder_client.post(url("leden_toevoegen", groep.pk), {"leden": [vreemd.pk]})
    assert response.status_code == 200
    assert "Alleen personen van deze organisatie" in response.content.decode()
    assert not GroepLid.objects.exists()


def test_machtiging_toevoegen_and_intrekken(beheerder_client, organisatie, groep):
    dienst = DienstFactory(naam="Loonaangifte", niveau=Niveau.EH3)
    html = beheerder_client.get(url("machtiging_toevoegen", groep.pk)).content.decode()
    assert "Loonaangifte" in html
    response = beheerder_client.post(
        url("machtiging_toevoegen", groep.pk), {"dienst": [dienst.pk], "algemeen": [10], "keuze": "1"}
    )
    assert response.status_code == 302
    assert GroepMachtiging.objects.filter(groep=groep, status=Status.ACTIEF).count() == 2
    gm = GroepMachtiging.objects.get(dienst=dienst)
    response = beheerder_client.post(url("machtiging_intrekken", groep.pk, gm.pk))
    assert response.status_code == 302
    gm.refresh_from_db()
    assert gm.status == Status.INGETROKKEN
    assert AuditEntry.objects.filter(actie__startswith="groepsmachtiging.").count() == 3


def test_machtiging_toevoegen_refusals_in_place(beheerder_client, groep):
    response = beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"keuze": "5"})
    assert response.status_code == 200 and "Kies ten minste één machtiging." in response.content.decode()
    response = beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"algemeen": [40], "keuze": "5"})
    assert response.status_code == 200 and "tot en met uw eigen niveau" in response.content.decode()
    response = beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"algemeen": [10], "keuze": "zelf"})
    assert response.status_code == 200 and "Vul de einddatum in: dag, maand en jaar." in response.content.decode()
    assert not GroepMachtiging.objects.exists()


def test_menu_shows_groepen(beheerder_client):
    assert url("overzicht") in beheerder_client.get(reverse("beheer:start")).content.decode()


def test_admin_lists_are_read_only(admin_client, groep):
    GroepMachtigingFactory(groep=groep)
    for model in ("groep", "groepmachtiging"):
        assert admin_client.get(reverse(f"admin:groepen_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:groepen_groep_change", args=[groep.pk])).status_code == 200
    assert admin_client.post(reverse("admin:groepen_groep_add"), {}).status_code == 403


def test_r34_verleng_machtiging_opens_the_popup_with_the_scope_chosen(beheerder_client, organisatie, groep):
    import datetime as dt

    from common.dates import vandaag

    dienst = DienstFactory(naam="Loonaangifte", niveau=Niveau.EH3)
    gm = GroepMachtigingFactory(groep=groep, dienst=dienst, eindigt_op=vandaag() + dt.timedelta(days=20))
    DienstFactory.create_batch(3)
    html = beheerder_client.get(url("groep", groep.pk)).content.decode()
    verleng = f"{url('machtiging_toevoegen', groep.pk)}?dienst={dienst.pk}"
    assert "Verloopt binnenkort" in html and verleng in html
    popup = beheerder_client.get(verleng).content.decode()
    invoer = re.search(rf'<input[^>]*id="id_dienst_{dienst.pk}"[^>]*>', popup).group(0)
    assert "checked" in invoer
    beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"dienst": [dienst.pk], "keuze": "1"})
    gm.refresh_from_db()
    assert gm.eindigt_op > vandaag() + dt.timedelta(days=300)


def test_dienstverlenersmachtiging_for_the_group(beheerder_client, organisatie, groep):
    from tests.catalogus.factories import DienstverlenerFactory

    uwv = DienstverlenerFactory(naam="UWV")
    DienstFactory(dienstverlener=uwv, naam="Werkgeversportaal", niveau=Niveau.EH3)
    hoog = DienstverlenerFactory(naam="Hoogbeveiligd")
    DienstFactory(dienstverlener=hoog, naam="Kluis", niveau=Niveau.EH4)
    html = beheerder_client.get(url("machtiging_toevoegen", groep.pk)).content.decode()
    assert "Dienstverlenersmachtiging UWV" in html
    kluis = re.search(rf'<input[^>]*id="id_dienstverlener_{hoog.pk}"[^>]*>', html).group(0)
    assert "disabled" in kluis  # R39
    response = beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"dienstverlener": [uwv.pk], "keuze": "5"})
    assert response.status_code == 302
    assert GroepMachtiging.objects.get().dienstverlener == uwv
    response = beheerder_client.post(url("machtiging_toevoegen", groep.pk), {"dienstverlener": [hoog.pk], "keuze": "5"})
    assert response.status_code == 200 and "tot en met uw eigen niveau" in response.content.decode()
