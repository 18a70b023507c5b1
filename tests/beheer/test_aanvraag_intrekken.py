"""Lopende aanvragen: withdrawing an aanvraag undoes what it put in place (gebruikers.services.aanvraag_intrekken),
only by the beheerder who made it and only while support has not handled it; audited for every organisation."""

import pytest
from django.urls import reverse

from audit.acties import Actie
from audit.models import AuditEntry
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import rules, services
from gebruikers.models import Aanvraag, Koppeling, Middel
from ketenmachtigingen.models import KetenModule
from ketenmachtigingen.services import ketenmodule_aanvragen, ketenmodule_offerte_versturen
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import aanvraag_kwargs, adres, beheerder_van, middel_bij
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.organisaties.factories import OrganisatieFactory
from tests.support.conftest import maak_support_medewerker

pytestmark = pytest.mark.django_db


def intrekken(actor, organisatie, aanvraag):
    return services.aanvraag_intrekken(actor=actor, organisatie=organisatie, aanvraag=aanvraag)


def weigert(code, *args):
    with pytest.raises(DomainError) as fout:
        intrekken(*args)
    assert fout.value.code == code, fout.value
    return fout.value


def test_r74_withdrawing_a_new_middel_ends_it_with_all_its_koppelingen_and_closes_the_aanvraag(
    organisatie, beheerder, tarieven
):
    tweede = OrganisatieFactory(naam="Ketelaar Klip")
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    aanvraag = services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie, extra_organisaties=[tweede]))
    middel = aanvraag.middel

    intrekken(beheerder, organisatie, aanvraag)

    aanvraag.refresh_from_db()
    middel.refresh_from_db()
    assert aanvraag.status == Aanvraag.Status.INGETROKKEN
    assert "Ingetrokken door J. Bakker" in aanvraag.reden_afkeuring
    assert middel.status == Middel.Status.BEEINDIGD
    assert not middel.persoon.is_active
    assert set(Koppeling.objects.filter(middel=middel).values_list("status", flat=True)) == {Koppeling.Status.BEEINDIGD}
    # Both organisations keep it in their own trail (R74).
    entries = AuditEntry.objects.filter(actie=Actie.AANVRAAG_INGETROKKEN)
    assert {e.organisatie_id for e in entries} == {organisatie.pk, tweede.pk}
    assert entries[0].voor["middel"]["status"] == Middel.Status.WACHTEN_OP_GOEDKEURING
    assert entries[0].na["middel"]["status"] == Middel.Status.BEEINDIGD


def test_r74_support_no_longer_sees_a_withdrawn_aanvraag_as_open(
    client, organisatie, beheerder, nieuwe_aanvraag, support
):
    intrekken(beheerder, organisatie, nieuwe_aanvraag)
    assert not Aanvraag.objects.filter(status=Aanvraag.Status.IN_BEHANDELING).exists()
    with pytest.raises(DomainError, match="al behandeld"):
        services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)


def test_r74_withdrawing_a_koppeling_ends_the_requested_koppelingen_and_it_may_be_asked_again(
    organisatie, beheerder, tarieven
):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    middel = middel_bij(organisatie).middel
    aanvraag = services.middel_koppelen(
        actor=beheerder,
        organisatie=organisatie,
        middel=middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    # The target organisation lists it too, and its beheerder (the same person) may withdraw it from there.
    intrekken(beheerder, tweede, aanvraag)
    assert not Koppeling.objects.lopend().filter(middel=middel, organisatie=tweede).exists()
    middel.refresh_from_db()
    assert middel.status == Middel.Status.ACTIEF
    services.middel_koppelen(
        actor=beheerder,
        organisatie=organisatie,
        middel=middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )


def test_r74_withdrawing_an_upgrade_leaves_the_middel_as_it_was_and_unblocks_r13(organisatie, beheerder, tarieven):
    middel = middel_bij(organisatie, niveau=Niveau.EH2_PLUS).middel
    upgrade = dict(
        actor=beheerder,
        organisatie=organisatie,
        middel=middel,
        niveau=Niveau.EH3,
        abonnement_jaren=1,
        kosten_geaccepteerd=True,
        identificatieadres=adres(),
    )
    aanvraag = services.middel_upgraden(**upgrade)
    intrekken(beheerder, organisatie, aanvraag)
    middel.refresh_from_db()
    assert middel.niveau == Niveau.EH2_PLUS
    services.middel_upgraden(**upgrade)  # R13 no longer blocks a new mutation


def test_r74_withdrawing_a_new_activation_letter_keeps_the_middel_expired(organisatie, beheerder, tarieven):
    middel = MiddelFactory(status=Middel.Status.ACTIVATIE_VERLOPEN, geactiveerd_op=None)
    KoppelingFactory(middel=middel, organisatie=organisatie)
    aanvraag = services.nieuwe_uitnodiging_versturen(
        actor=beheerder, middel=middel, kosten_geaccepteerd=True, organisatie=organisatie
    )
    intrekken(beheerder, organisatie, aanvraag)
    middel.refresh_from_db()
    assert middel.status == Middel.Status.ACTIVATIE_VERLOPEN
    assert AuditEntry.objects.filter(actie=Actie.AANVRAAG_INGETROKKEN, organisatie=organisatie).count() == 1


def test_r74_the_ketenmodule_request_is_withdrawn_until_support_sends_the_quote(organisatie, beheerder, support):
    ketenmodule_aanvragen(actor=beheerder, organisatie=organisatie)
    aanvraag = Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE)
    intrekken(beheerder, organisatie, aanvraag)
    assert not KetenModule.objects.filter(organisatie=organisatie).exists()

    module = ketenmodule_aanvragen(actor=beheerder, organisatie=organisatie)  # may be asked again
    ketenmodule_offerte_versturen(door=support, module=module)
    tweede = Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE, status=Aanvraag.Status.IN_BEHANDELING)
    fout = weigert("al_behandeld", beheerder, organisatie, tweede)
    assert "offerte" in str(fout)
    assert KetenModule.objects.filter(organisatie=organisatie).exists()


def test_r74_only_the_beheerder_who_asked_may_withdraw(organisatie, beheerder, nieuwe_aanvraag):
    collega = beheerder_van(organisatie).middel.persoon
    assert not rules.mag_aanvraag_intrekken(collega, nieuwe_aanvraag)
    weigert("niet_aanvrager", collega, organisatie, nieuwe_aanvraag)
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.IN_BEHANDELING
    assert not AuditEntry.objects.filter(actie=Actie.AANVRAAG_INGETROKKEN).exists()


def test_r74_a_handled_aanvraag_cannot_be_withdrawn(organisatie, beheerder, nieuwe_aanvraag, support):
    services.aanvraag_afkeuren(aanvraag=nieuwe_aanvraag, door=support, reden="Onleesbaar document")
    assert not rules.mag_aanvraag_intrekken(beheerder, Aanvraag.objects.get(pk=nieuwe_aanvraag.pk))
    weigert("al_behandeld", beheerder, organisatie, nieuwe_aanvraag)


def test_r4_an_aanvraag_of_another_organisation_is_not_found(organisatie, beheerder, tarieven):
    ander = OrganisatieFactory()
    vreemde_beheerder = beheerder_van(ander).middel.persoon
    vreemd = services.middel_aanvragen(**aanvraag_kwargs(vreemde_beheerder, ander))
    weigert("onbekend", beheerder, organisatie, vreemd)
    # Nor may one act for an organisation one does not manage.
    with pytest.raises(DomainError, match="geen beheerder"):
        intrekken(beheerder, ander, vreemd)


def test_r74_the_admin_queue_no_longer_offers_a_withdrawn_aanvraag(client, organisatie, beheerder, nieuwe_aanvraag):
    medewerker = maak_support_medewerker(username="support")
    intrekken(beheerder, organisatie, nieuwe_aanvraag)
    inloggen_geverifieerd(client, medewerker)
    wachtrij = client.get(reverse("admin:gebruikers_aanvraag_changelist"), {"status__exact": "in_behandeling"})
    assert wachtrij.status_code == 200
    assert reverse("admin:gebruikers_aanvraag_change", args=[nieuwe_aanvraag.pk]) not in wachtrij.content.decode()
    detail = client.get(reverse("admin:gebruikers_aanvraag_change", args=[nieuwe_aanvraag.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Ingetrokken door J. Bakker (beheerder)." in html
    assert reverse("admin:gebruikers_aanvraag_goedkeuren", args=[nieuwe_aanvraag.pk]) not in html
