"""Issuing ketenmachtigingen (R40, R39, R42, R73, R23, R74)."""

import datetime as dt

import pytest

from audit.acties import Actie
from audit.models import AuditEntry
from catalogus.models import Dienst
from common.dates import plus_jaren, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Middel
from ketenmachtigingen import selectors, services
from ketenmachtigingen.models import Ketenmachtiging
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory, DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory


def afgeven(actor, verlener, **kwargs):
    kwargs.setdefault("intermediair_kvk", "47474747")
    kwargs.setdefault("kosten_geaccepteerd", True)
    if not any(k in kwargs for k in ("diensten", "algemene_niveaus", "dienstverleners")):
        kwargs["algemene_niveaus"] = [Niveau.EH3]
    return services.ketenmachtiging_afgeven(actor=actor, verlener=verlener, **kwargs)


def test_r40_beheerder_with_eh3_issues_default_five_years(verlener, verlener_beheerder, intermediair, tarief):
    afgifte = afgeven(verlener_beheerder, verlener)
    (k,) = afgifte.ketenmachtigingen
    assert k.intermediair == intermediair and k.verlener == verlener
    assert k.begint_op == vandaag() and k.eindigt_op == plus_jaren(vandaag(), 5)
    assert k.aangevraagd_door == Ketenmachtiging.AangevraagdDoor.VERLENER and k.afgegeven_door == verlener_beheerder
    assert afgifte.nieuwe_intermediair and afgifte.kosten_per_jaar == tarief.bedrag
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_AFGEGEVEN, organisatie=verlener).count() == 1


def test_r40_eh2plus_beheerder_refused(verlener, intermediair):
    actor = KoppelingFactory(organisatie=verlener, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    with pytest.raises(DomainError) as e:
        afgeven(actor, verlener)
    assert e.value.rule == "R40"
    assert not Ketenmachtiging.objects.exists()


def test_r40_gebruiker_is_not_beheerder_refused(verlener, intermediair):
    actor = KoppelingFactory(organisatie=verlener, middel__niveau=Niveau.EH4).middel.persoon
    with pytest.raises(DomainError) as e:
        afgeven(actor, verlener)
    assert e.value.rule == "R40"


def test_r23_belastingdienstmiddel_cannot_issue(verlener, intermediair):
    actor = KoppelingFactory(organisatie=verlener, beheerder=True, middel__belastingdienst=True).middel.persoon
    with pytest.raises(DomainError) as e:
        afgeven(actor, verlener)
    assert e.value.rule == "R23"


def test_r40_costs_must_be_accepted_for_new_intermediair(verlener, verlener_beheerder, intermediair):
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, kosten_geaccepteerd=False)
    assert e.value.rule == "R40"
    afgeven(verlener_beheerder, verlener)
    # Adding to an intermediair that already costs the yearly amount needs no new acceptance.
    afgifte = afgeven(
        verlener_beheerder, verlener, dienstverleners=[DienstverlenerFactory()], kosten_geaccepteerd=False
    )
    assert not afgifte.nieuwe_intermediair and afgifte.kosten_per_jaar is None


def test_r40_kvk_nummer_must_be_8_digits(verlener, verlener_beheerder):
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener, intermediair_kvk="1234")


def test_r40_not_to_own_organisation(verlener, verlener_beheerder):
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener, intermediair_kvk=verlener.kvk_nummer)


def test_r40_a_scope_is_required(verlener, verlener_beheerder, intermediair):
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener, diensten=[])


def test_r40_unknown_intermediair_registered_from_handelsregister_data(verlener, verlener_beheerder):
    afgifte = afgeven(
        verlener_beheerder,
        verlener,
        intermediair_kvk="24444001",
        intermediair_naam="Connected Information Systems B.V.",
        intermediair_adres={"straat": "Weena", "huisnummer": "327", "postcode": "3013 AL", "plaats": "Rotterdam"},
    )
    nieuw = Organisatie.objects.get(kvk_nummer="24444001")
    assert afgifte.intermediair == nieuw and nieuw.plaats == "Rotterdam"
    assert not afgifte.intermediair_op_platform
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener, intermediair_kvk="24444002")  # not found, no name given


def test_r40_diensten_must_allow_intermediation(verlener, verlener_beheerder, intermediair):
    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=Dienst.Intermediatie.GEEN)
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener, diensten=[dienst])
    ok = DienstFactory(niveau=Niveau.EH3, intermediatie=Dienst.Intermediatie.ALGEMEEN)
    assert afgeven(verlener_beheerder, verlener, diensten=[ok]).ketenmachtigingen[0].dienst == ok


def test_r39_scope_above_own_niveau_refused(verlener, verlener_beheerder, intermediair):
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, algemene_niveaus=[Niveau.EH4])
    assert e.value.rule == "R39"
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, diensten=[DienstFactory(niveau=Niveau.EH4)])
    assert e.value.rule == "R39"
    afgeven(verlener_beheerder, verlener, algemene_niveaus=[Niveau.EH3])


def test_r39_dienstverlenersmachtiging_counts_its_highest_current_dienst(verlener, verlener_beheerder, intermediair):
    dv = DienstverlenerFactory()
    DienstFactory(dienstverlener=dv, niveau=Niveau.EH3)
    hoog = DienstFactory(dienstverlener=dv, niveau=Niveau.EH4)
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, dienstverleners=[dv])
    assert e.value.rule == "R39"
    assert not Ketenmachtiging.objects.exists()
    # A withdrawn dienst no longer counts.
    Dienst.objects.filter(pk=hoog.pk).update(ingetrokken=True)
    (k,) = afgeven(verlener_beheerder, verlener, dienstverleners=[dv]).ketenmachtigingen
    assert k.dienstverlener == dv


def test_r73_end_date_at_most_five_years_and_at_earliest_tomorrow(verlener, verlener_beheerder, intermediair):
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, eindigt_op=plus_jaren(vandaag(), 5) + dt.timedelta(days=1))
    assert e.value.rule == "R73"
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, eindigt_op=vandaag())
    assert e.value.rule == "R73"
    k = afgeven(verlener_beheerder, verlener, eindigt_op=vandaag() + dt.timedelta(days=1)).ketenmachtigingen[0]
    assert k.eindigt_op == vandaag() + dt.timedelta(days=1)


def test_r73_reissuing_an_existing_scope_restarts_its_term(verlener, verlener_beheerder, intermediair):
    (k,) = afgeven(verlener_beheerder, verlener, eindigt_op=vandaag() + dt.timedelta(days=30)).ketenmachtigingen
    oude_start = vandaag() - dt.timedelta(days=400)
    Ketenmachtiging.objects.filter(pk=k.pk).update(begint_op=oude_start)
    # The default end, 5 years from today, lies beyond 5 years from the original start: the term restarts today.
    (zelfde,) = afgeven(verlener_beheerder, verlener).ketenmachtigingen
    k.refresh_from_db()
    assert zelfde.pk == k.pk
    assert (k.begint_op, k.eindigt_op) == (vandaag(), plus_jaren(vandaag(), 5))
    assert Ketenmachtiging.objects.count() == 1
    entry = AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_GEWIJZIGD, organisatie=verlener).get()
    assert entry.voor["begint_op"] == oude_start.isoformat() and entry.na["begint_op"] == vandaag().isoformat()
    assert entry.na["eindigt_op"] == plus_jaren(vandaag(), 5).isoformat()
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, eindigt_op=plus_jaren(vandaag(), 5) + dt.timedelta(days=1))
    assert e.value.rule == "R73"


def test_r42_what_to_tell_the_intermediair(verlener, verlener_beheerder, intermediair, dienst):
    afgifte = afgeven(verlener_beheerder, verlener, diensten=[dienst], algemene_niveaus=[Niveau.EH2_PLUS])
    assert afgifte.verlener_kvk == "12345678" and afgifte.intermediair_kvk == "47474747"
    assert str(dienst) in " ".join(afgifte.diensten) and len(afgifte.diensten) == 2
    assert afgifte.geregistreerd_bij


def test_r42_appears_at_intermediair_at_once(verlener, verlener_beheerder, intermediair, intermediair_beheerder):
    afgifte = afgeven(verlener_beheerder, verlener)
    assert afgifte.intermediair_op_platform
    assert selectors.ontvangen_ketenmachtigingen(intermediair) == list(afgifte.ketenmachtigingen)


def test_r42_email_hook_runs_after_commit_only_with_address(
    verlener, verlener_beheerder, intermediair, monkeypatch, django_capture_on_commit_callbacks
):
    gezien = []
    monkeypatch.setattr(
        "ketenmachtigingen.services.afgeven.intermediair_informeren", lambda *, afgifte: gezien.append(afgifte)
    )
    with django_capture_on_commit_callbacks(execute=True):
        afgeven(verlener_beheerder, verlener)
    assert gezien == []
    with django_capture_on_commit_callbacks(execute=True):
        afgifte = afgeven(
            verlener_beheerder, verlener, intermediair_email="info@vries.nl", dienstverleners=[DienstverlenerFactory()]
        )
    assert gezien == [afgifte]


def test_r74_both_organisations_audited(verlener, verlener_beheerder, intermediair):
    (k,) = afgeven(verlener_beheerder, verlener).ketenmachtigingen
    regels = AuditEntry.objects.filter(object_type="Ketenmachtiging", object_id=str(k.pk))
    assert {r.organisatie_id for r in regels} == {verlener.pk, intermediair.pk}
    assert all(r.actor == verlener_beheerder and r.na["status"] == "actief" for r in regels)


def test_r40_stale_middel_state_is_rechecked(verlener, verlener_beheerder, intermediair):
    Middel.objects.filter(persoon=verlener_beheerder).update(status=Middel.Status.BEEINDIGD)
    with pytest.raises(DomainError):
        afgeven(verlener_beheerder, verlener)


def test_r75_a_dienst_needing_approval_is_issued_only_to_an_approved_intermediair(
    verlener, verlener_beheerder, intermediair
):
    from catalogus.models import IntermediairGoedkeuring

    dienst = DienstFactory(niveau=Niveau.EH3, intermediatie=Dienst.Intermediatie.NA_GOEDKEURING)
    with pytest.raises(DomainError) as e:
        afgeven(verlener_beheerder, verlener, intermediair_kvk=intermediair.kvk_nummer, diensten=[dienst])
    assert e.value.rule == "R75"
    assert not Ketenmachtiging.objects.filter(dienst=dienst).exists()
    IntermediairGoedkeuring.objects.create(dienst=dienst, intermediair=intermediair)
    afgifte = afgeven(verlener_beheerder, verlener, intermediair_kvk=intermediair.kvk_nummer, diensten=[dienst])
    assert afgifte.ketenmachtigingen[0].dienst == dienst
