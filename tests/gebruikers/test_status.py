"""The status flow of a request (R18) and the job that lets activations expire."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from common.dates import vandaag
from common.errors import DomainError
from gebruikers import services
from gebruikers.models import Aanvraag, Koppeling, Middel
from gebruikers.selectors import gebruikers_overzicht
from inloggen import activatie
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import aanvraag_kwargs

pytestmark = pytest.mark.django_db


def test_r18_approval_starts_30_days_to_activate(nieuwe_aanvraag, support):
    services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)
    nieuwe_aanvraag.refresh_from_db()
    middel = Middel.objects.get(pk=nieuwe_aanvraag.middel_id)
    assert nieuwe_aanvraag.status == Aanvraag.Status.GOEDGEKEURD
    assert nieuwe_aanvraag.behandeld_door == support
    assert middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE
    assert middel.activeren_tot == vandaag() + dt.timedelta(days=30)
    koppeling = Koppeling.objects.get(middel=middel)
    assert koppeling.status == Koppeling.Status.ACTIEF
    assert koppeling.abonnement_start == vandaag()
    assert koppeling.abonnement_eind == vandaag().replace(year=vandaag().year + 1)
    entry = AuditEntry.objects.get(actie="aanvraag.goedgekeurd")
    assert entry.voor["status"] == "wachten_op_goedkeuring" and entry.na["status"] == "wachten_op_activatie"


def test_r18_only_support_approves(nieuwe_aanvraag, beheerder):
    with pytest.raises(DomainError) as exc:
        services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=beheerder)
    assert exc.value.rule == "R18"


def test_r18_approved_twice_is_refused(nieuwe_aanvraag, support):
    services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)
    with pytest.raises(DomainError):
        services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)


def test_r18_activation_makes_middel_actief(nieuwe_aanvraag, support):
    services.aanvraag_goedkeuren(aanvraag=nieuwe_aanvraag, door=support)
    middel = activatie.middel_activeren(
        middel=nieuwe_aanvraag.middel, username="kbulters", password="een-Lang-wachtwoord-42"
    )
    assert middel.status == Middel.Status.ACTIEF
    persoon = middel.persoon
    persoon.refresh_from_db()
    assert persoon.username == "kbulters"
    assert persoon.check_password("een-Lang-wachtwoord-42")


def test_r18_activation_refused_after_the_term(organisatie):
    middel = MiddelFactory(wachten_op_activatie=True, activeren_tot=vandaag())
    with pytest.raises(DomainError) as exc:
        activatie.middel_activeren(middel=middel, username="x", password="een-Lang-wachtwoord-42")
    assert exc.value.code == "activatie_verlopen"


def test_r18_rejection_needs_reason_and_removes_request(organisatie, beheerder, nieuwe_aanvraag, support):
    with pytest.raises(DomainError) as exc:
        services.aanvraag_afkeuren(aanvraag=nieuwe_aanvraag, door=support, reden="  ")
    assert exc.value.code == "reden"
    services.aanvraag_afkeuren(aanvraag=nieuwe_aanvraag, door=support, reden="Kopie ID onleesbaar")
    nieuwe_aanvraag.refresh_from_db()
    assert nieuwe_aanvraag.status == Aanvraag.Status.AFGEKEURD
    assert nieuwe_aanvraag.reden_afkeuring == "Kopie ID onleesbaar"
    assert Middel.objects.get(pk=nieuwe_aanvraag.middel_id).status == Middel.Status.AFGEKEURD
    # Disappears from the overview ...
    assert nieuwe_aanvraag.middel.persoon_id not in {
        r.persoon_id for r in gebruikers_overzicht(organisatie=organisatie)
    }
    # ... and may be requested again.
    assert services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie))


def test_r18_rejected_koppeling_request_ends_the_requested_koppeling(
    organisatie, beheerder, gebruiker, tarieven, support
):
    from tests.organisaties.factories import OrganisatieFactory

    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    aanvraag = services.middel_koppelen(
        actor=beheerder,
        organisatie=organisatie,
        middel=gebruiker.middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    services.aanvraag_afkeuren(aanvraag=aanvraag, door=support, reden="KvK klopt niet")
    assert Koppeling.objects.get(middel=gebruiker.middel, organisatie=tweede).status == Koppeling.Status.BEEINDIGD
    assert Koppeling.objects.get(middel=gebruiker.middel, organisatie=organisatie).status == Koppeling.Status.ACTIEF


def test_r18_approved_koppeling_and_upgrade_are_applied(organisatie, beheerder, gebruiker, tarieven, support):
    from common.niveau import Niveau
    from tests.gebruikers.helpers import middel_bij
    from tests.organisaties.factories import OrganisatieFactory

    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    aanvraag = services.middel_koppelen(
        actor=beheerder,
        organisatie=organisatie,
        middel=gebruiker.middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)
    assert Koppeling.objects.get(middel=gebruiker.middel, organisatie=tweede).status == Koppeling.Status.ACTIEF

    laag = middel_bij(organisatie, niveau=Niveau.EH2_PLUS, id_postcode="1012 AB")
    aanvraag = services.middel_upgraden(
        actor=beheerder, organisatie=organisatie, middel=laag.middel, niveau=Niveau.EH3, kosten_geaccepteerd=True
    )
    services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)
    laag.middel.refresh_from_db()
    assert laag.middel.niveau == Niveau.EH3


# --- expiry job and a new invitation ------------------------------------------------------------------------


def test_r18_job_expires_activation_and_is_idempotent(organisatie):
    te_laat = KoppelingFactory(
        organisatie=organisatie, middel=MiddelFactory(wachten_op_activatie=True, activeren_tot=vandaag())
    ).middel
    op_tijd = MiddelFactory(wachten_op_activatie=True, activeren_tot=vandaag() + dt.timedelta(days=1))

    assert services.activaties_verlopen() == 1
    te_laat.refresh_from_db()
    op_tijd.refresh_from_db()
    assert te_laat.status == Middel.Status.ACTIVATIE_VERLOPEN
    assert te_laat.activatie_verlopen_op == vandaag()
    assert op_tijd.status == Middel.Status.WACHTEN_OP_ACTIVATIE
    entry = AuditEntry.objects.get(actie="middel.activatie_verlopen")
    assert entry.organisatie == organisatie
    assert entry.actor_label == "systeem"

    audits = AuditEntry.objects.count()
    assert services.activaties_verlopen() == 0
    assert AuditEntry.objects.count() == audits


def test_r18_celery_task_runs_the_expiry_job(organisatie):
    from gebruikers.tasks import verloop_activaties

    MiddelFactory(wachten_op_activatie=True, activeren_tot=vandaag() - dt.timedelta(days=2))
    assert verloop_activaties.delay().get() == 1


def _verlopen(n: int) -> None:
    for _ in range(n):
        KoppelingFactory(middel=MiddelFactory(wachten_op_activatie=True, activeren_tot=vandaag()))


def test_r18_expiry_job_is_set_based_constant_queries(db):
    _verlopen(1)
    with CaptureQueriesContext(connection) as een:
        assert services.activaties_verlopen() == 1
    _verlopen(50)
    with CaptureQueriesContext(connection) as vijftig:
        assert services.activaties_verlopen() == 50
    assert len(een.captured_queries) == len(vijftig.captured_queries)


def test_r18_new_invitation_costs_and_gives_new_30_days(organisatie, beheerder, tarieven, support):
    middel = KoppelingFactory(
        organisatie=organisatie,
        middel=MiddelFactory(
            status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=vandaag(), geactiveerd_op=None
        ),
    ).middel
    with pytest.raises(DomainError) as exc:
        services.nieuwe_uitnodiging_versturen(
            actor=beheerder, middel=middel, kosten_geaccepteerd=False, organisatie=organisatie
        )
    assert exc.value.rule == "R17"
    aanvraag = services.nieuwe_uitnodiging_versturen(
        actor=beheerder, middel=middel, kosten_geaccepteerd=True, organisatie=organisatie
    )
    assert aanvraag.soort == Aanvraag.Soort.NIEUWE_ACTIVATIE
    assert aanvraag.gegevens["kosten"]["totaal"] == "12.50"
    services.aanvraag_goedkeuren(aanvraag=aanvraag, door=support)
    middel.refresh_from_db()
    assert middel.status == Middel.Status.WACHTEN_OP_ACTIVATIE
    assert middel.activeren_tot == vandaag() + dt.timedelta(days=30)
    assert middel.activatie_verlopen_op is None


def test_r18_new_invitation_not_blocked_by_another_persons_ended_koppeling(organisatie, beheerder, tarieven):
    middel = KoppelingFactory(
        organisatie=organisatie,
        middel=MiddelFactory(
            status=Middel.Status.ACTIVATIE_VERLOPEN, activatie_verlopen_op=vandaag(), geactiveerd_op=None
        ),
    ).middel
    KoppelingFactory(organisatie=organisatie, status=Koppeling.Status.BEEINDIGD)  # someone else, ended
    aanvraag = services.nieuwe_uitnodiging_versturen(
        actor=beheerder, middel=middel, kosten_geaccepteerd=True, organisatie=organisatie
    )
    assert (aanvraag.soort, aanvraag.organisatie_id) == (Aanvraag.Soort.NIEUWE_ACTIVATIE, organisatie.pk)


def test_r18_new_invitation_only_after_expiry(organisatie, beheerder, gebruiker, tarieven):
    with pytest.raises(DomainError) as exc:
        services.nieuwe_uitnodiging_versturen(
            actor=beheerder, middel=gebruiker.middel, kosten_geaccepteerd=True, organisatie=organisatie
        )
    assert exc.value.rule == "R18"
