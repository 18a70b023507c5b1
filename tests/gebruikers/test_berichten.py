"""What the rubriek's services send: the activation message after approval (R18), the EH2+ letter (R15), the
rejection reason to the beheerder (R18) and the changed phone number (R21) — all through the outbox."""

import pytest

from berichten.models import Bericht
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Aanvraag
from inloggen import activatie
from tests.gebruikers.helpers import aanvraag_kwargs

pytestmark = pytest.mark.django_db


def test_r18_approval_sends_the_activation_message_with_an_absolute_link(nieuwe_aanvraag, support, settings):
    settings.SITE_URL = "https://beheer.example.nl"
    services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)

    bericht = Bericht.objects.get(soort="activatie")
    nieuwe_aanvraag.middel.refresh_from_db()
    persoon = nieuwe_aanvraag.middel.persoon
    assert bericht.ontvanger == persoon.email
    assert "https://beheer.example.nl/" in bericht.tekst
    assert nieuwe_aanvraag.middel.activeren_tot.strftime("%d-%m-%Y") in bericht.tekst
    # EH3 is identified in person: no letter to the company address.
    assert not Aanvraag.objects.get(pk=nieuwe_aanvraag.pk).activatiebrief


def test_r15_eh2plus_approval_also_makes_the_activation_letter(
    beheerder, organisatie, tarieven, support, django_capture_on_commit_callbacks
):
    aanvraag = services.middel_aanvragen(
        **aanvraag_kwargs(beheerder, organisatie, niveau=Niveau.EH2_PLUS, identificatieadres=None)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)

    aanvraag.refresh_from_db()
    assert aanvraag.activatiebrief.name.endswith(".pdf")
    with aanvraag.activatiebrief.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # Made once: running the job again changes nothing.
    naam = aanvraag.activatiebrief.name
    activatie.activatiebrief_maken(aanvraag=aanvraag)
    aanvraag.refresh_from_db()
    assert aanvraag.activatiebrief.name == naam


def test_r18_rejection_reason_goes_to_the_beheerder(nieuwe_aanvraag, support, beheerder):
    services.aanvraag_afkeuren(aanvraag=nieuwe_aanvraag, door=support, reden="Het document is onleesbaar.")

    bericht = Bericht.objects.get(soort="aanvraag_afgekeurd")
    assert bericht.ontvanger == beheerder.email
    assert "Het document is onleesbaar." in bericht.tekst


def test_r18_rejected_approval_sends_nothing(nieuwe_aanvraag, beheerder):
    from common.errors import DomainError

    voor = list(Bericht.objects.values_list("pk", flat=True))  # the confirmation of the request itself
    with pytest.raises(DomainError):
        services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=beheerder)  # not support staff
    assert list(Bericht.objects.values_list("pk", flat=True)) == voor
