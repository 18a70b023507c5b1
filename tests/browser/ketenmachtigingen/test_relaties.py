"""The second way (seed 002): an intermediair invites a relation, the relation consents on /uitnodiging/<token>/
without eHerkenning, the intermediair links its person's middel, and the Machtigingenregister follows (R43,
R44, R45, R47, R72)."""

import pytest
from playwright.sync_api import expect

from common.niveau import Niveau
from ketenmachtigingen.models import KetenModule
from machtigingen.register import beslis
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    GEBOREN,
    fixture_register,
    laatste_code,
    token_uit_outbox,
)
from tests.organisaties.factories import OrganisatieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r43_invitation_consent_link_and_register(page, browser, live_server, ingelogd_als, register):
    vries = OrganisatieFactory(naam="Accountants Vries", kvk_nummer="47474747")
    KetenModule.objects.create(organisatie=vries, status=KetenModule.Status.INGESCHAKELD)
    beheerder = KoppelingFactory(organisatie=vries, beheerder=True, middel__niveau=Niveau.EH3).middel.persoon
    jansen = KoppelingFactory(
        organisatie=vries,
        middel__niveau=Niveau.EH3,
        middel__persoon__voornamen="Tom",
        middel__persoon__achternaam="Jansen",
    ).middel
    collega = KoppelingFactory(organisatie=vries, middel__niveau=Niveau.EH3).middel
    dienst = DienstFactory(niveau=Niveau.EH3)
    register.voeg_toe("11112222", "Bakkerij Klant", vertegenwoordigers=[("Jan de Vries", GEBOREN)])

    # The intermediair's beheerder invites the relation.
    ingelogd_als(beheerder)
    page.goto("/beheer/ketenmachtigingen/van-relaties/")
    page.get_by_role("link", name="Nodig relatie uit").click()
    page.get_by_label("KVK-nummer van uw relatie").fill("11112222")
    page.get_by_label("E-mailadres van uw relatie").fill("klant@example.nl")
    # Kies diensten as everywhere: the live search finds the dienst; the relation is asked the Algemene bevoegdheid.
    page.get_by_label("Zoek een dienst").fill(dienst.naam)
    expect(page.get_by_label(dienst.naam)).to_be_visible()
    page.get_by_label("Algemene bevoegdheid EH3").check()
    page.get_by_role("button", name="Verstuur uitnodiging").click()
    expect(page.get_by_text("De uitnodiging is verstuurd naar klant@example.nl")).to_be_visible()
    expect(page.get_by_test_id("uitnodigingen")).to_contain_text("Verstuurd")

    # The relation answers in its own browser, without logging in.
    relatie = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    relatie.goto(f"/uitnodiging/{token_uit_outbox('klant@example.nl')}/")
    expect(relatie.get_by_role("heading", name="Accountants Vries vraagt u om een ketenmachtiging")).to_be_visible()
    relatie.get_by_label("Uw naam").fill("Jan de Vries")
    relatie.locator("#id_geboortedatum_dag").fill("14")
    relatie.locator("#id_geboortedatum_maand").fill("3")
    relatie.locator("#id_geboortedatum_jaar").fill("1970")
    relatie.get_by_role("button", name="Stuur mij een code").click()
    relatie.get_by_label("Code", exact=True).fill(laatste_code("klant@example.nl"))
    relatie.get_by_role("button", name="Bevestigen").click()
    expect(relatie.get_by_text("U bent herkend als Jan de Vries.")).to_be_visible()
    relatie.get_by_role("button", name="Geef ketenmachtiging").click()
    expect(relatie.get_by_test_id("uitnodiging-klaar")).to_contain_text("een ketenmachtiging gegeven")
    relatie.context.close()

    # The intermediair links its person's middel; the register follows.
    klant = Organisatie.objects.get(kvk_nummer="11112222")
    page.goto("/beheer/ketenmachtigingen/van-relaties/")
    expect(page.get_by_test_id("uitnodigingen")).to_contain_text("Afgegeven")
    rij = page.get_by_test_id(f"relatie-{klant.pk}")
    rij.get_by_label("Koppel aan medewerker").select_option(label=f"{jansen.persoon.naam} (EH3)")
    rij.get_by_role("button", name="Koppel", exact=True).click()
    expect(page.get_by_text(f"is gekoppeld aan {jansen.persoon.naam}")).to_be_visible()
    assert beslis(middel=jansen, organisatie=klant, dienst=dienst).toegestaan
    assert not beslis(middel=collega, organisatie=klant, dienst=dienst).toegestaan

    # R45: the intermediair asked for it, so it may revoke it; then the register says no.
    page.get_by_test_id(f"relatie-{klant.pk}").get_by_role("button", name="Trek in").click()
    expect(page.get_by_text("is ingetrokken")).to_be_visible()
    assert not beslis(middel=jansen, organisatie=klant, dienst=dienst).toegestaan
