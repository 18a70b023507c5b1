"""In a browser: J. Bakker searches the Logboek by kind and period and downloads what he found; he withdraws a
lopende aanvraag through its pop-up, and the withdrawal is in the Logboek."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.acties import Actie
from audit.services import audit_log
from gebruikers import services
from gebruikers.models import Aanvraag, Middel
from tests.gebruikers.helpers import aanvraag_kwargs, tarieven  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def regel_op(monkeypatch, organisatie, actie, omschrijving, moment):
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    audit_log(actor=None, organisatie=organisatie, actie=actie, omschrijving=omschrijving)
    monkeypatch.undo()


def test_logboek_search_by_kind_and_period_and_download(page, ingelogd_als, organisatie, beheerder, monkeypatch):
    op = lambda *d: timezone.make_aware(dt.datetime(*d))  # noqa: E731
    regel_op(monkeypatch, organisatie, Actie.MACHTIGING_TOEGEVOEGD, "Machtiging in januari", op(2026, 1, 10, 12))
    regel_op(monkeypatch, organisatie, Actie.KOPPELING_ROL_GEWIJZIGD, "Rol in maart", op(2026, 3, 5, 9))
    regel_op(monkeypatch, organisatie, Actie.MACHTIGING_TOEGEVOEGD, "Machtiging in maart", op(2026, 3, 6, 15))
    ingelogd_als(beheerder)

    page.goto("/beheer/")
    page.get_by_role("link", name="Logboek").click()
    expect(page.get_by_role("heading", name="Logboek", level=1)).to_be_visible()
    expect(page.get_by_test_id("logboek-regel")).to_have_count(3)

    page.get_by_label("Soort wijziging").select_option(label="Machtiging toegevoegd")
    vanaf = page.get_by_role("group", name="Vanaf")
    vanaf.get_by_label("Dag").fill("1")
    vanaf.get_by_label("Maand").fill("3")
    vanaf.get_by_label("Jaar").fill("2026")
    page.get_by_role("button", name="Zoeken").click()

    regels = page.get_by_test_id("logboek-regel")
    expect(regels).to_have_count(1)
    expect(regels.first).to_contain_text("Machtiging in maart")
    expect(regels.first).to_contain_text("06-03-2026")
    # The search stays filled in after the reload.
    expect(page.get_by_label("Soort wijziging")).to_have_value(Actie.MACHTIGING_TOEGEVOEGD.value)

    page.get_by_text("Download", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (.csv)").click()
    inhoud = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Machtiging in maart" in inhoud
    assert "januari" not in inhoud and "Rol in maart" not in inhoud


def test_withdraw_a_lopende_aanvraag(page, ingelogd_als, organisatie, beheerder, tarieven):  # noqa: F811
    aanvraag = services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie))
    ingelogd_als(beheerder)

    page.goto("/beheer/")
    page.get_by_role("link", name="Lopende aanvragen").click()
    rij = page.get_by_test_id("lopende-aanvraag")
    expect(rij).to_have_count(1)
    expect(rij).to_contain_text("Nieuw eHerkenningsmiddel")
    expect(rij).to_contain_text("K. Bulters")
    expect(rij).to_contain_text("In behandeling")

    page.evaluate("window.zelfdePagina = true")
    rij.get_by_role("link", name="Trek in").click()
    dialog = page.locator("dialog.bm-popup")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Weet u zeker dat u deze aanvraag wilt intrekken?")
    # Annuleer closes the pop-up without a change, on the same page.
    dialog.get_by_role("link", name="Annuleer").click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("window.zelfdePagina") is True

    rij.get_by_role("link", name="Trek in").click()
    page.locator("dialog.bm-popup").get_by_role("button", name="Ja, trek aanvraag in").click()
    expect(page.locator(".bm-messages .utrecht-alert--ok")).to_have_text(
        "De aanvraag ‘Nieuw eHerkenningsmiddel’ is ingetrokken."
    )
    expect(page.get_by_test_id("geen-aanvragen")).to_be_visible()
    aanvraag.refresh_from_db()
    assert aanvraag.status != Aanvraag.Status.IN_BEHANDELING
    assert Middel.objects.get(pk=aanvraag.middel_id).status == Middel.Status.BEEINDIGD

    page.get_by_role("link", name="Logboek").click()
    expect(page.get_by_test_id("logboek-regel").first).to_contain_text("Aanvraag ingetrokken")
