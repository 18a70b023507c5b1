"""The messages of the rubriek Gebruikers that used to be dropped silently: a request received, a type change,
a termination (now or planned), a planned termination the job could not carry out, and an e-mail address change.

Each is written to the outbox in the change's transaction, to the person concerned and/or every beheerder of the
organisation, as `berichten.meldingen.gebruikers` describes."""

import datetime as dt

import pytest

from berichten.models import Bericht, Soort
from common.dates import plus_jaren, vandaag
from gebruikers import services
from gebruikers.models import Koppeling, Middel
from inloggen import activatie
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import aanvraag_kwargs, beheerder_van, middel_bij

pytestmark = pytest.mark.django_db

PER_DIRECT = Koppeling.Opzegmoment.PER_DIRECT
DATUM = Koppeling.Opzegmoment.DATUM


def ontvangers(soort) -> dict[str, Bericht]:
    return {b.ontvanger: b for b in Bericht.objects.filter(soort=soort)}


# --- a request received -----------------------------------------------------------------------------------


def test_a_new_middel_request_is_confirmed_to_every_beheerder(organisatie, beheerder, tarieven):
    ander = beheerder_van(organisatie).middel.persoon
    gebruiker = middel_bij(organisatie).middel.persoon  # not a beheerder: not told

    aanvraag = services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie))

    berichten = ontvangers(Soort.AANVRAAG_ONTVANGEN)
    assert set(berichten) == {beheerder.email, ander.email}
    assert gebruiker.email not in berichten
    eigen, andere = berichten[beheerder.email], berichten[ander.email]
    assert eigen.organisatie_id == andere.organisatie_id == organisatie.pk
    assert aanvraag.middel.persoon.naam in eigen.tekst and "41.00" in eigen.tekst
    assert beheerder.naam in andere.tekst  # the others read who asked


def test_a_new_invitation_request_is_confirmed(organisatie, beheerder, tarieven):
    middel = KoppelingFactory(
        organisatie=organisatie,
        middel=MiddelFactory(status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=vandaag()),
    ).middel
    services.nieuwe_uitnodiging_versturen(
        actor=beheerder, middel=middel, kosten_geaccepteerd=True, organisatie=organisatie
    )
    assert set(ontvangers(Soort.AANVRAAG_ONTVANGEN)) == {beheerder.email}


# --- a type change -------------------------------------------------------------------------------------------


def test_r23_type_change_tells_the_person_and_the_beheerders(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, belastingdienst=True)
    Koppeling.objects.filter(pk=koppeling.pk).update(
        abonnement_start=vandaag(), abonnement_eind=plus_jaren(vandaag(), 1)
    )
    persoon = koppeling.middel.persoon
    services.middel_wijzig_type(
        actor=beheerder,
        organisatie=organisatie,
        middel=koppeling.middel,
        type=Middel.Type.REGULIER,
        abonnement_jaren=1,
        bevestigd=True,
    )
    berichten = ontvangers(Soort.TYPE_GEWIJZIGD)
    assert set(berichten) == {persoon.email, beheerder.email}
    assert "uw eHerkenningsmiddel" in berichten[persoon.email].tekst
    assert persoon.naam in berichten[beheerder.email].tekst
    assert "Te betalen" in berichten[beheerder.email].tekst and "Te betalen" not in berichten[persoon.email].tekst


# --- terminations --------------------------------------------------------------------------------------------


def test_r19_termination_per_direct_tells_the_person_and_the_other_beheerders(organisatie, beheerder, gebruiker):
    ander = beheerder_van(organisatie).middel.persoon
    koppeling = Koppeling.objects.get(middel__persoon=gebruiker, organisatie=organisatie)

    services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=PER_DIRECT)

    berichten = ontvangers(Soort.MIDDEL_OPGEZEGD)
    assert set(berichten) == {gebruiker.email, beheerder.email, ander.email}
    assert "per direct" in berichten[gebruiker.email].tekst
    assert beheerder.naam in berichten[ander.email].tekst and gebruiker.naam in berichten[ander.email].tekst


def test_r19_planned_termination_tells_the_date(organisatie, beheerder, gebruiker):
    koppeling = Koppeling.objects.get(middel__persoon=gebruiker, organisatie=organisatie)
    datum = vandaag() + dt.timedelta(days=20)

    services.middel_opzeggen(actor=beheerder, koppeling=koppeling, moment=DATUM, datum=datum)

    berichten = ontvangers(Soort.MIDDEL_OPGEZEGD)
    assert set(berichten) == {gebruiker.email, beheerder.email}
    assert f"{datum:%d-%m-%Y}" in berichten[gebruiker.email].tekst


def test_r5_planned_termination_not_carried_out_tells_the_beheerders(organisatie, beheerder, gebruiker):
    ander = beheerder_van(organisatie)
    datum = vandaag() + dt.timedelta(days=5)
    services.middel_opzeggen(
        actor=beheerder,
        koppeling=Koppeling.objects.get(middel__persoon=beheerder, organisatie=organisatie),
        moment=DATUM,
        datum=datum,
    )
    # The other one left outside the services, which now refuse it (R5 at every date): inconsistent data.
    Koppeling.objects.filter(pk=ander.pk).update(status=Koppeling.Status.BEEINDIGD, beeindigd_op=vandaag())

    assert services.opzeggingen_uitvoeren(peildatum=datum) == 0

    (bericht,) = Bericht.objects.filter(soort=Soort.OPZEGGING_NIET_UITGEVOERD)
    assert bericht.ontvanger == beheerder.email
    assert bericht.organisatie_id == organisatie.pk
    assert beheerder.naam in bericht.tekst and f"{datum:%d-%m-%Y}" in bericht.tekst


# --- e-mail address ------------------------------------------------------------------------------------------


def test_r22_own_email_change_tells_the_old_address_with_the_new_one_masked(gebruiker):
    oud = gebruiker.email
    services.persoon_wijzig_eigen_email(persoon=gebruiker, email="nieuw.adres@domein.nl")

    (bericht,) = Bericht.objects.filter(soort=Soort.EMAIL_GEWIJZIGD)
    assert bericht.ontvanger == oud
    assert "n" + "•" * 10 + "@domein.nl" in bericht.tekst  # "nieuw.adres": first letter, 10 dots
    assert "nieuw.adres@domein.nl" not in bericht.tekst


def test_r22_beheerder_email_change_resends_the_activation_to_the_new_address(organisatie, beheerder):
    middel = middel_bij(organisatie, wachten_op_activatie=True).middel
    oude_link = activatie.activatielink_maken(middel=middel)

    services.persoon_wijzig_email(
        actor=beheerder, persoon=middel.persoon, email="juist@domein.nl", organisatie=organisatie
    )

    (bericht,) = Bericht.objects.filter(soort=Soort.ACTIVATIE)
    assert bericht.ontvanger == "juist@domein.nl"
    nieuwe_link = bericht.tekst.split("/activeren/", 1)[1].split("/", 1)[0]
    assert activatie.activatietoken_zoeken(token=nieuwe_link).middel_id == middel.pk
    assert nieuwe_link not in oude_link
    assert not Bericht.objects.filter(soort=Soort.EMAIL_GEWIJZIGD).exists()
