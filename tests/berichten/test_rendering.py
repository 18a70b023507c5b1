"""Every kind of message renders in Dutch and in English (the person's language), as plain text and HTML."""

import datetime as dt

import pytest
from django.core import mail

from audit.acties import Actie
from berichten import services
from berichten.meldingen import herinneringen
from berichten.models import Bericht, Soort
from gebruikers.models import Aanvraag
from ketenmachtigingen.models import Ketenmachtiging
from machtigingen.models import Scope
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory, PersoonFactory
from tests.groepen.factories import GroepMachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

from .conftest import MachtigingFactory

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 12, 24)


def _plaats(soort: str, persoon, organisatie) -> Bericht:
    """One message of each kind for `persoon`, through its typed helper."""
    taal = persoon.taal
    if soort == Soort.ACTIVATIE:
        return services.meld_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/a/1")
    if soort == Soort.NIEUWE_ACTIVATIE:
        return services.meld_nieuwe_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/a/2")
    if soort == Soort.AANVRAAG_AFGEKEURD:
        aanvraag = Aanvraag.objects.create(
            soort=Aanvraag.Soort.NIEUW_MIDDEL,
            organisatie=organisatie,
            middel=MiddelFactory(wachten_op_goedkeuring=True),
            aangevraagd_door=persoon,
        )
        return services.meld_aanvraag_afgekeurd(aanvraag=aanvraag, reden="Document onleesbaar")
    if soort == Soort.MACHTIGINGEN_GEWIJZIGD:
        return services.meld_machtigingen_gewijzigd(
            persoon=persoon,
            organisatie=organisatie,
            wijzigingen=[services.ACTIE_OMSCHRIJVING[Actie.MACHTIGING_VERLENGD]],
        )
    if soort == Soort.TELEFOONNUMMER_GEWIJZIGD:
        return services.meld_telefoonnummer_gewijzigd(persoon=persoon, nieuw_nummer="+31687654321")
    if soort == Soort.INTERMEDIAIR_GEINFORMEERD:
        return services.meld_intermediair_geinformeerd(
            email="info@intermediair.example",
            verlener_kvk="12345678",
            verlener_naam="Santos B.V.",
            intermediair_kvk="87654321",
            intermediair_naam="Boekhouder B.V.",
            diensten=["Belastingdienst – Aangifte omzetbelasting"],
            geregistreerd_bij="We-ID",
            eindigt_op=dt.date(2031, 1, 1),
            taal=taal,
        )
    if soort == Soort.UITNODIGING_KETENMACHTIGING:
        return services.meld_uitnodiging_ketenmachtiging(
            email="relatie@example.nl",
            intermediair=organisatie,
            link="https://x.example/uitnodiging/TOKEN123",
            geldig_tot=dt.date(2026, 12, 1),
            relatie_naam="Klant B.V.",
            taal=taal,
        )
    if soort == Soort.MACHTIGING_VERLOOPT_BINNENKORT:
        MachtigingFactory(organisatie=organisatie, middel=MiddelFactory(persoon=persoon))
        services.verlopende_machtigingen_herinneren()
        return Bericht.objects.get(soort=soort)
    if soort == Soort.MACHTIGING_ONGEBRUIKT:
        from berichten.meldingen.herinneringen import ongebruikte_machtigingen_waarschuwen

        machtiging = MachtigingFactory(organisatie=organisatie, middel=MiddelFactory(persoon=persoon))
        ongebruikte_machtigingen_waarschuwen([machtiging], einddatum=DEADLINE)
        return Bericht.objects.get(soort=soort, persoon=persoon)
    if soort == Soort.EIGEN_MIDDEL_EINDIGT:
        KoppelingFactory(
            organisatie=organisatie,
            beheerder=True,
            middel=MiddelFactory(persoon=persoon),
            opzeggen_per=dt.date.today() + dt.timedelta(days=20),
        )
        services.eigen_middel_zonder_beheerder_waarschuwen()
        return Bericht.objects.get(soort=soort)
    if soort == Soort.OFFERTE_KETENMODULE:
        koppeling = KoppelingFactory(beheerder=True, middel=MiddelFactory(persoon=persoon))
        (bericht,) = services.meld_offerte_ketenmodule(
            organisatie=koppeling.organisatie, nummer="KM-1", bedrag_per_jaar="19.95", pdf=b"%PDF-1.7 test"
        )
        return bericht
    if soort == Soort.GEBRUIKERSNAAM:
        from inloggen.services import gebruikersnaam_versturen

        persoon.username = f"gebruiker-{persoon.pk}"
        persoon.save()
        MiddelFactory(persoon=persoon)
        gebruikersnaam_versturen(email=persoon.email)
        return Bericht.objects.get(soort=soort, persoon=persoon)
    if soort == Soort.WACHTWOORD_HERSTELLEN:
        from inloggen.forms import WachtwoordVergetenForm

        MiddelFactory(persoon=persoon)
        form = WachtwoordVergetenForm({"email": persoon.email})
        assert form.is_valid()
        form.save(
            domain_override="beheer.example.nl",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )
        return Bericht.objects.get(soort=soort, persoon=persoon)
    if soort in (Soort.AANVRAAG_ONTVANGEN, Soort.OPZEGGING_NIET_UITGEVOERD):
        koppeling = KoppelingFactory(organisatie=organisatie, beheerder=True, middel=MiddelFactory(persoon=persoon))
        if soort == Soort.AANVRAAG_ONTVANGEN:
            aanvraag = Aanvraag.objects.create(
                soort=Aanvraag.Soort.NIEUW_MIDDEL,
                organisatie=organisatie,
                middel=MiddelFactory(wachten_op_goedkeuring=True),
                aangevraagd_door=persoon,
                gegevens={"kosten": {"totaal": "41.00"}},
            )
            berichten = services.meld_aanvraag_ontvangen(aanvraag=aanvraag)
        else:
            berichten = services.meld_opzegging_niet_uitgevoerd(opzeggingen={koppeling.pk: DEADLINE})
        return next(b for b in berichten if b.persoon_id == persoon.pk)
    if soort == Soort.TYPE_GEWIJZIGD:
        aanvraag = Aanvraag.objects.create(
            soort=Aanvraag.Soort.TYPE_WIJZIGING,
            status=Aanvraag.Status.GOEDGEKEURD,
            organisatie=organisatie,
            middel=MiddelFactory(persoon=persoon, belastingdienst=True),
            gegevens={"abonnement_jaren": 1, "credit": "10.00", "te_betalen": "15.00"},
        )
        return next(b for b in services.meld_type_gewijzigd(aanvraag=aanvraag) if b.persoon_id == persoon.pk)
    if soort == Soort.MIDDEL_OPGEZEGD:
        koppeling = KoppelingFactory(
            organisatie=organisatie, middel=MiddelFactory(persoon=persoon), opzeggen_per=DEADLINE
        )
        berichten = services.meld_middel_opgezegd(koppelingen=[koppeling], door=PersoonFactory())
        return next(b for b in berichten if b.persoon_id == persoon.pk)
    if soort == Soort.EMAIL_GEWIJZIGD:
        return services.meld_email_gewijzigd(persoon=persoon, oud_email=persoon.email, nieuw_email="nieuw@example.nl")
    if soort == Soort.UITNODIGING_CODE:
        return services.meld_uitnodiging_code(
            email="relatie@example.nl", intermediair=organisatie, code="123456", geldig_minuten=15, taal=taal
        )
    if soort == Soort.UITNODIGING_BEANTWOORD:
        (bericht,) = services.meld_uitnodiging_beantwoord(
            intermediair=organisatie,
            relatie_naam="Klant B.V.",
            relatie_kvk="87654321",
            afgegeven=["Belastingdienst – Aangifte omzetbelasting"],
            geweigerd=False,
            aan=persoon,
        )
        return bericht
    if soort == Soort.FACTURATIEGEGEVENS_GEWIJZIGD:
        organisatie.iban, organisatie.factuur_email = "NL91ABNA0417164300", "factuur@example.nl"
        (bericht,) = services.meld_facturatie_gewijzigd(
            organisatie=organisatie, door=persoon, wijziging="rekening", ontvangers=[organisatie.factuur_email]
        )
        return bericht
    if soort == Soort.GROEPSMACHTIGING_ONGEBRUIKT:
        KoppelingFactory(organisatie=organisatie, beheerder=True, middel=MiddelFactory(persoon=persoon))
        groep_machtiging = GroepMachtigingFactory(groep__organisatie=organisatie)
        herinneringen.ongebruikte_groepsmachtigingen_waarschuwen([groep_machtiging], einddatum=DEADLINE)
        return Bericht.objects.get(soort=soort, persoon=persoon)
    if soort == Soort.KETENMACHTIGING_ONGEBRUIKT:
        KoppelingFactory(organisatie=organisatie, beheerder=True, middel=MiddelFactory(persoon=persoon))
        keten = Ketenmachtiging.objects.create(
            verlener=organisatie,
            intermediair=OrganisatieFactory(),
            scope=Scope.DIENST,
            dienst=DienstFactory(),
            begint_op=dt.date(2024, 1, 1),
            eindigt_op=dt.date(2028, 1, 1),
        )
        herinneringen.ongebruikte_ketenmachtigingen_waarschuwen([keten], einddatum=DEADLINE)
        return Bericht.objects.get(soort=soort, persoon=persoon)
    raise AssertionError(soort)


@pytest.mark.parametrize("soort", Soort.values)
def test_every_kind_renders_in_dutch_and_english(soort):
    organisatie = OrganisatieFactory(naam="Santos B.V.")
    nl = _plaats(soort, PersoonFactory(taal="nl"), organisatie)
    Bericht.objects.filter(pk=nl.pk).delete()
    en = _plaats(soort, PersoonFactory(taal="en"), organisatie)
    assert (nl.taal, en.taal) == ("nl", "en")
    for bericht in (nl, en):
        assert bericht.onderwerp and bericht.tekst.strip() and bericht.status == Bericht.Status.QUEUED
        assert bericht.html.startswith("<!DOCTYPE html>") and f'lang="{bericht.taal}"' in bericht.html
        assert "{%" not in bericht.tekst and "{{" not in bericht.tekst
    assert nl.onderwerp != en.onderwerp
    assert "Met vriendelijke groet," in nl.tekst and "Kind regards," in en.tekst
    assert "Kind regards," not in nl.tekst


def test_r18_activation_message_carries_the_deadline(persoon, persoon_en):
    nl = services.meld_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/activeer/abc")
    en = services.meld_activatie(persoon=persoon_en, activeren_tot=DEADLINE, link="https://x.example/activeer/def")
    assert "Activeren mogelijk tot 24-12-2026." in nl.tekst
    assert "https://x.example/activeer/abc" in nl.tekst
    assert nl.ontvanger == "jan@example.nl" and nl.onderwerp == "Activeer uw eHerkenningsmiddel"
    assert "Beste J.P. Bakker," in nl.tekst
    assert "Activation possible until 24-12-2026." in en.tekst
    assert en.onderwerp == "Activate your eHerkenning means"


def test_r18_new_activation_after_expiry_has_a_new_deadline(persoon):
    b = services.meld_nieuwe_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/n")
    assert b.soort == Soort.NIEUWE_ACTIVATIE
    assert "is verlopen" in b.tekst and "Activeren mogelijk tot 24-12-2026." in b.tekst


def test_r18_rejection_reason_goes_to_the_beheerder_who_asked(beheerder, organisatie):
    betreft = MiddelFactory(wachten_op_goedkeuring=True, persoon__voornamen="Karin", persoon__achternaam="Vos")
    aanvraag = Aanvraag.objects.create(
        soort=Aanvraag.Soort.NIEUW_MIDDEL, organisatie=organisatie, middel=betreft, aangevraagd_door=beheerder
    )
    b = services.meld_aanvraag_afgekeurd(aanvraag=aanvraag, reden="Het identiteitsdocument is verlopen.")
    assert b.ontvanger == beheerder.email and b.persoon == beheerder
    assert "Het identiteitsdocument is verlopen." in b.tekst
    assert 'Uw aanvraag "Nieuw eHerkenningsmiddel" voor Santos B.V. is afgekeurd.' in b.tekst
    assert "K. Vos" in b.tekst


def test_rejection_without_requester_places_nothing(organisatie):
    aanvraag = Aanvraag.objects.create(soort=Aanvraag.Soort.NIEUW_MIDDEL, organisatie=organisatie)
    assert services.meld_aanvraag_afgekeurd(aanvraag=aanvraag, reden="x") is None
    assert not Bericht.objects.exists()


def test_r21_phone_change_tells_the_person_with_the_number_masked(persoon, organisatie):
    b = services.meld_telefoonnummer_gewijzigd(persoon=persoon, nieuw_nummer="+31687654321", organisatie=organisatie)
    assert b.ontvanger == persoon.email and b.kanaal == Bericht.Kanaal.EMAIL
    assert "••••••••21" in b.tekst and "•••••••••21" not in b.tekst and "+31687654321" not in b.tekst
    assert "beheerder van Santos B.V." in b.tekst


def test_r42_intermediair_message_names_both_kvk_numbers_diensten_and_register():
    b = services.meld_intermediair_geinformeerd(
        email="info@intermediair.example",
        verlener_kvk="12345678",
        verlener_naam="Santos B.V.",
        intermediair_kvk="87654321",
        intermediair_naam="Boekhouder B.V.",
        diensten=["Aangifte omzetbelasting", "Loonaangifte"],
        geregistreerd_bij="We-ID",
    )
    assert b.ontvanger == "info@intermediair.example" and b.persoon is None
    for verwacht in ("12345678", "87654321", "- Aangifte omzetbelasting", "- Loonaangifte", "Geregistreerd bij: We-ID"):
        assert verwacht in b.tekst


def test_r43_invitation_carries_the_token_link(organisatie):
    b = services.meld_uitnodiging_ketenmachtiging(
        email="relatie@example.nl",
        intermediair=organisatie,
        link="https://x.example/uitnodiging/TOKEN123",
        geldig_tot=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC),
        scope="Algemene bevoegdheid EH3",
    )
    assert "https://x.example/uitnodiging/TOKEN123" in b.tekst
    assert "Santos B.V. (KvK-nummer 12345678)" in b.tekst
    assert "geldig tot 01-12-2026" in b.tekst and "geen eHerkenningsmiddel nodig" in b.tekst
    assert '<a href="https://x.example/uitnodiging/TOKEN123"' in b.html


def test_r37_one_message_per_person_per_action(organisatie):
    a, b = PersoonFactory(), PersoonFactory(taal="en")
    aantal = services.meld_machtigingen_gewijzigd_aan_personen(
        persoon_ids=[a.pk, b.pk, a.pk], organisatie_id=organisatie.pk, actie=Actie.MACHTIGING_TOEGEVOEGD
    )
    assert aantal == 2
    berichten = {x.persoon_id: x for x in Bericht.objects.filter(soort=Soort.MACHTIGINGEN_GEWIJZIGD)}
    assert set(berichten) == {a.pk, b.pk}
    assert "Er zijn machtigingen aan u toegekend." in berichten[a.pk].tekst
    assert "Authorisations have been granted to you." in berichten[b.pk].tekst


def test_r37_the_message_lists_the_changes_of_the_action(persoon, organisatie):
    b = services.meld_machtigingen_gewijzigd(
        persoon=persoon, organisatie=organisatie, wijzigingen=["Loonaangifte: toegevoegd", "BTW: ingetrokken"]
    )
    assert "- Loonaangifte: toegevoegd\n- BTW: ingetrokken\n" in b.tekst


def test_text_is_not_html_escaped_but_html_is(persoon, organisatie):
    b = services.meld_machtigingen_gewijzigd(persoon=persoon, organisatie=organisatie, wijzigingen=["<b>A & B</b>"])
    assert "<b>A & B</b>" in b.tekst
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in b.html and "<b>A" not in b.html


def test_text_is_fixed_when_placed(persoon, organisatie, commit):
    b = services.meld_activatie(persoon=persoon, activeren_tot=DEADLINE, link="https://x.example/a")
    persoon.voornamen, persoon.achternaam = "Els", "Anders"
    persoon.save()
    with commit():
        pass
    b.refresh_from_db()
    assert "J.P. Bakker" in b.tekst


def test_without_an_address_nothing_is_placed(db):
    zonder = PersoonFactory(email="", mobiel="")
    assert services.meld_activatie(persoon=zonder, activeren_tot=DEADLINE, link="x") is None
    assert services.bericht_plaatsen(soort=Soort.ACTIVATIE, persoon=zonder, kanaal="sms", context={}) is None
    assert not Bericht.objects.exists() and not mail.outbox


def test_unknown_kind_is_a_programming_error(persoon):
    with pytest.raises(ValueError):
        services.bericht_plaatsen(soort="onbekend", persoon=persoon, context={})
