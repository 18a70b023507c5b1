"""Ketenmachtigingen van relaties: the module flow, invitations, bulk, acceptance (R43, R45, R73)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Aanvraag
from ketenmachtigingen import services
from ketenmachtigingen.models import Ketenmachtiging, KetenModule, Uitnodiging
from machtigingen.models import Scope, Status
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    GEBOREN,
    fixture_register,
    laatste_code,
)

pytestmark = pytest.mark.usefixtures("register")


def geef_via_pagina(token: str, email: str, *, gekozen=None):
    """The relation's page steps in the domain layer: identity, code, consent (R47)."""
    u = services.identiteit_bevestigen(token=token, naam="Jan de Vries", geboortedatum=GEBOREN)
    services.code_bevestigen(token=token, code=laatste_code(email))
    return services.uitnodiging_toestemmen(
        token=token, gekozen=gekozen if gekozen is not None else u.gevraagd.values_list("pk", flat=True)
    )


def test_r43_module_flow_request_quote_accept_enable(intermediair, intermediair_beheerder, support):
    module = services.ketenmodule_aanvragen(actor=intermediair_beheerder, organisatie=intermediair, spoed=True)
    assert module.spoed and Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE).spoed
    # Enabling before the quote is accepted is refused.
    with pytest.raises(DomainError):
        services.ketenmodule_inschakelen(door=support, module=module)
    with pytest.raises(DomainError):  # only support sends quotes
        services.ketenmodule_offerte_versturen(door=intermediair_beheerder, module=module)
    module = services.ketenmodule_offerte_versturen(door=support, module=module)
    with pytest.raises(DomainError):
        services.ketenmodule_inschakelen(door=support, module=module)
    module = services.ketenmodule_offerte_accepteren(actor=intermediair_beheerder, module=module)
    module = services.ketenmodule_inschakelen(door=support, module=module)
    assert module.status == KetenModule.Status.INGESCHAKELD and module.ingeschakeld_op
    assert Aanvraag.objects.get(soort=Aanvraag.Soort.KETENMODULE).status == Aanvraag.Status.GOEDGEKEURD
    assert AuditEntry.objects.filter(organisatie=intermediair, actie__startswith="ketenmodule.").count() == 4


def test_r43_module_requested_once(intermediair, intermediair_beheerder):
    services.ketenmodule_aanvragen(actor=intermediair_beheerder, organisatie=intermediair)
    with pytest.raises(DomainError):
        services.ketenmodule_aanvragen(actor=intermediair_beheerder, organisatie=intermediair)


def test_r43_inviting_needs_enabled_module(intermediair, intermediair_beheerder):
    KetenModule.objects.create(organisatie=intermediair, status=KetenModule.Status.GEACCEPTEERD)
    with pytest.raises(DomainError) as e:
        services.relatie_uitnodigen(
            actor=intermediair_beheerder,
            intermediair=intermediair,
            kvk_nummer="11112222",
            email="a@b.nl",
            niveau=Niveau.EH3,
        )
    assert e.value.rule == "R43"


def test_r43_relation_gives_ketenmachtiging_without_eherkenning(intermediair, intermediair_beheerder, module, register):
    register.voeg_toe("11112222", "Bakkerij Klant")
    verstuurd = services.relatie_uitnodigen(
        actor=intermediair_beheerder,
        intermediair=intermediair,
        kvk_nummer="11112222",
        email="klant@example.nl",
        naam="Bakkerij Klant",
        niveau=Niveau.EH3,
        looptijd_jaren=3,
    )
    assert verstuurd.token not in verstuurd.uitnodiging.token_hash  # only the hash is stored
    [k] = geef_via_pagina(verstuurd.token, "klant@example.nl")
    klant = Organisatie.objects.get(kvk_nummer="11112222")
    assert k.verlener == klant and k.intermediair == intermediair
    assert k.aangevraagd_door == Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR and k.afgegeven_door is None
    assert k.eindigt_op == plus_jaren(vandaag(), 3)
    with pytest.raises(DomainError):  # a token works once
        services.uitnodiging_openen(verstuurd.token)
    # R45: requested by the intermediair, so it may revoke it too.
    services.ketenmachtiging_intrekken(actor=intermediair_beheerder, ketenmachtiging=k)
    assert Ketenmachtiging.objects.get(pk=k.pk).status == Status.INGETROKKEN


def test_r43_expired_or_wrong_token_refused(intermediair, intermediair_beheerder, module, register):
    register.voeg_toe("11112222", "Klant")
    verstuurd = services.relatie_uitnodigen(
        actor=intermediair_beheerder,
        intermediair=intermediair,
        kvk_nummer="11112222",
        email="k@e.nl",
        niveau=Niveau.EH3,
    )
    with pytest.raises(DomainError):
        services.uitnodiging_openen("verkeerd")
    Uitnodiging.objects.update(verloopt_op=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError):
        services.identiteit_bevestigen(token=verstuurd.token, naam="Jan de Vries", geboortedatum=GEBOREN)
    assert not Ketenmachtiging.objects.exists()


def test_r73_invitation_duration_at_most_five_years(intermediair, intermediair_beheerder, module):
    with pytest.raises(DomainError) as e:
        services.relatie_uitnodigen(
            actor=intermediair_beheerder,
            intermediair=intermediair,
            kvk_nummer="11112222",
            email="k@e.nl",
            niveau=Niveau.EH3,
            looptijd_jaren=6,
        )
    assert e.value.rule == "R73"


def test_r43_bulk_invitations_all_or_nothing_constant_queries(intermediair, intermediair_beheerder, module, register):
    for kvk in [
        *(f"{20000000 + i}" for i in range(5)),
        "30000001",
        "30000002",
        *(f"{40000000 + i}" for i in range(30)),
    ]:
        register.voeg_toe(kvk, f"Relatie {kvk}")
    dv = DienstverlenerFactory(oin="00000001001234567000")
    dienst = DienstFactory(niveau=Niveau.EH3)
    rijen = [
        {"kvk_nummer": f"{20000000 + i}", "email": f"r{i}@example.nl", "scope": "algemeen", "niveau": "EH3"}
        for i in range(5)
    ] + [
        {"kvk_nummer": "30000001", "email": "dv@example.nl", "scope": "dienstverlener", "dienstverlener_oin": dv.oin},
        {
            "kvk_nummer": "30000002",
            "email": "d@example.nl",
            "scope": "dienst",
            "service_uuid": str(dienst.service_uuid),
        },
    ]
    fout = [*rijen, {"kvk_nummer": "123", "email": "geen-adres", "scope": "algemeen", "niveau": "EH9"}]
    with pytest.raises(services.BulkUitnodigingFout) as e:
        services.relaties_uitnodigen(actor=intermediair_beheerder, intermediair=intermediair, rijen=fout)
    assert {nummer for nummer, _m in e.value.fouten} == {8} and len(e.value.fouten) == 3
    assert not Uitnodiging.objects.exists()

    with CaptureQueriesContext(connection) as weinig:
        services.relaties_uitnodigen(actor=intermediair_beheerder, intermediair=intermediair, rijen=rijen[:2])
    meer = [{"kvk_nummer": f"{40000000 + i}", "email": f"m{i}@example.nl", "niveau": Niveau.EH3} for i in range(30)]
    with CaptureQueriesContext(connection) as veel:
        verstuurd = services.relaties_uitnodigen(actor=intermediair_beheerder, intermediair=intermediair, rijen=meer)
    assert len(veel.captured_queries) == len(weinig.captured_queries)
    assert len(verstuurd) == 30 and len({v.token for v in verstuurd}) == 30
    services.relaties_uitnodigen(actor=intermediair_beheerder, intermediair=intermediair, rijen=rijen[2:])
    assert set(Uitnodiging.objects.values_list("scope", flat=True)) == {
        Scope.ALGEMEEN,
        Scope.DIENST,
        Scope.DIENSTVERLENER,
    }


def test_r43_dienst_without_intermediation_cannot_be_asked(intermediair, intermediair_beheerder, module):
    dienst = DienstFactory(intermediatie="noIntermediation")
    with pytest.raises(DomainError):
        services.relatie_uitnodigen(
            actor=intermediair_beheerder,
            intermediair=intermediair,
            kvk_nummer="11112222",
            email="k@e.nl",
            scope=Scope.DIENST,
            dienst=dienst,
        )
