"""The relation's answer to an invitation (R43, R47), the file of many (R43), resend and withdraw, and the
links ending with their ketenmachtiging or middel (R46)."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.acties import Actie
from audit.models import AuditEntry
from berichten.models import Bericht, Soort
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel
from ketenmachtigingen import selectors, services
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, Uitnodiging
from machtigingen.models import Scope, Status
from tests.catalogus.factories import DienstverlenerFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.ketenmachtigingen.relaties_helpers import (  # noqa: F401 (fixtures)
    GEBOREN,
    fixture_register,
    laatste_code,
)

RELATIE = "11112222"


@pytest.fixture
def uitnodiging(intermediair, intermediair_beheerder, module, register):
    register.voeg_toe(RELATIE, "Bakkerij Klant", vertegenwoordigers=[("J. de Vries", GEBOREN), ("Els Ås", None)])
    dv = DienstverlenerFactory()
    return services.relatie_uitnodigen(
        actor=intermediair_beheerder,
        intermediair=intermediair,
        kvk_nummer=RELATIE,
        email="klant@example.nl",
        keuzes=[{"scope": Scope.ALGEMEEN, "niveau": Niveau.EH3}, {"scope": Scope.DIENSTVERLENER, "dienstverlener": dv}],
        looptijd_jaren=2,
    )


def bevestig(token):
    services.identiteit_bevestigen(token=token, naam="j de vries", geboortedatum=GEBOREN)
    return services.code_bevestigen(token=token, code=laatste_code("klant@example.nl"))


def test_r47_vertegenwoordiger_confirmed_by_code_then_drops_a_dienst(uitnodiging, intermediair, intermediair_beheerder):
    token = uitnodiging.token
    assert services.uitnodiging_openen(token).toestand == "geopend"
    with pytest.raises(DomainError):  # consent needs the confirmed code first
        services.uitnodiging_toestemmen(token=token, gekozen=[])
    u = bevestig(token)
    assert u.vertegenwoordiger == "J. de Vries"
    algemeen, dienstverlener = u.gevraagd.order_by("pk")
    with pytest.raises(DomainError):  # nothing kept: refuse instead
        services.uitnodiging_toestemmen(token=token, gekozen=[])
    [k] = services.uitnodiging_toestemmen(token=token, gekozen=[algemeen.pk])
    assert k.scope == Scope.ALGEMEEN and k.intermediair == intermediair and k.verlener.kvk_nummer == RELATIE
    assert k.aangevraagd_door == Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR
    u.refresh_from_db()
    assert u.toestand == "afgegeven" and u.code_hash == ""
    # Both sides keep the entry (R74); the intermediair is told (to the beheerder who invited).
    assert AuditEntry.objects.filter(actie=Actie.KETENMACHTIGING_AFGEGEVEN, object_id=str(k.pk)).count() == 2
    bericht = Bericht.objects.get(soort=Soort.UITNODIGING_BEANTWOORD)
    assert bericht.ontvanger == intermediair_beheerder.email and "Algemene bevoegdheid" in bericht.tekst
    assert selectors.ontvangen_per_relatie(intermediair)[0].ketenmachtigingen == [k]
    with pytest.raises(services.UitnodigingOnbruikbaar):  # works once
        services.uitnodiging_openen(token)


def test_r47_wrong_identity_and_code_count_together_and_lock(uitnodiging):
    token = uitnodiging.token
    for _i in range(2):
        with pytest.raises(DomainError) as e:
            services.identiteit_bevestigen(token=token, naam="Iemand Anders", geboortedatum=GEBOREN)
        assert "nog" in str(e.value)
    with pytest.raises(DomainError):  # right name, wrong date
        services.identiteit_bevestigen(token=token, naam="J. de Vries", geboortedatum=dt.date(1971, 3, 14))
    with pytest.raises(DomainError):  # a vertegenwoordiger without a known date never matches
        services.identiteit_bevestigen(token=token, naam="Els Ås", geboortedatum=None)
    services.identiteit_bevestigen(token=token, naam="J. de Vries", geboortedatum=GEBOREN)
    with pytest.raises(services.UitnodigingOnbruikbaar):  # the fifth wrong answer locks
        services.code_bevestigen(token=token, code="000000" if laatste_code("klant@example.nl") != "000000" else "1")
    u = Uitnodiging.objects.get()
    assert u.status == Uitnodiging.Status.VERGRENDELD and u.mislukte_pogingen == services.MAX_POGINGEN
    assert AuditEntry.objects.filter(actie=Actie.UITNODIGING_VERGRENDELD).count() == 1
    with pytest.raises(services.UitnodigingOnbruikbaar) as e:
        services.uitnodiging_openen(token)
    assert "te veel" in str(e.value)
    assert not Ketenmachtiging.objects.exists()


def test_r47_expired_code_and_expired_invitation(uitnodiging):
    token = uitnodiging.token
    services.identiteit_bevestigen(token=token, naam="J. de Vries", geboortedatum=GEBOREN)
    Uitnodiging.objects.update(code_verloopt_op=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as e:
        services.code_bevestigen(token=token, code=laatste_code("klant@example.nl"))
    assert "verlopen" in str(e.value)
    Uitnodiging.objects.update(verloopt_op=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.UitnodigingOnbruikbaar) as e:
        services.uitnodiging_openen(token)
    assert "verlopen" in str(e.value)
    assert Uitnodiging.objects.get().toestand == "verlopen"


def test_r47_refuse_gives_nothing_and_tells_the_intermediair(uitnodiging):
    bevestig(uitnodiging.token)
    services.uitnodiging_weigeren(token=uitnodiging.token)
    assert Uitnodiging.objects.get().toestand == "geweigerd"
    assert not Ketenmachtiging.objects.exists()
    assert "geweigerd" in Bericht.objects.get(soort=Soort.UITNODIGING_BEANTWOORD).onderwerp


def test_r47_no_known_vertegenwoordigers_refused_without_counting(
    intermediair, intermediair_beheerder, module, register
):
    register.voeg_toe("33334444", "Onbekend BV", vertegenwoordigers=[])
    v = services.relatie_uitnodigen(
        actor=intermediair_beheerder, intermediair=intermediair, kvk_nummer="33334444", email="o@example.nl", niveau=30
    )
    with pytest.raises(DomainError) as e:
        services.identiteit_bevestigen(token=v.token, naam="X", geboortedatum=GEBOREN)
    assert "niet bekend" in str(e.value)
    assert Uitnodiging.objects.get().mislukte_pogingen == 0


def test_r47_withdrawn_link_says_so_and_resend_kills_the_old_link(uitnodiging, intermediair, intermediair_beheerder):
    u = uitnodiging.uitnodiging
    nieuw = services.uitnodiging_opnieuw_versturen(
        actor=intermediair_beheerder, intermediair=intermediair, uitnodiging=u
    )
    with pytest.raises(services.UitnodigingOnbruikbaar):
        services.uitnodiging_openen(uitnodiging.token)
    assert services.uitnodiging_openen(nieuw.token).pk == u.pk
    assert Bericht.objects.filter(soort=Soort.UITNODIGING_KETENMACHTIGING).count() == 2
    services.uitnodiging_intrekken(actor=intermediair_beheerder, intermediair=intermediair, uitnodiging=u)
    with pytest.raises(services.UitnodigingOnbruikbaar) as e:
        services.uitnodiging_openen(nieuw.token)
    assert "ingetrokken" in str(e.value)
    with pytest.raises(DomainError):  # withdrawn: neither withdrawn again nor resent
        services.uitnodiging_intrekken(actor=intermediair_beheerder, intermediair=intermediair, uitnodiging=u)
    with pytest.raises(DomainError):
        services.uitnodiging_opnieuw_versturen(actor=intermediair_beheerder, intermediair=intermediair, uitnodiging=u)
    acties = set(AuditEntry.objects.filter(organisatie=intermediair).values_list("actie", flat=True))
    assert {Actie.UITNODIGING_OPNIEUW_VERSTUURD, Actie.UITNODIGING_INGETROKKEN} <= acties


def test_r43_another_intermediair_cannot_touch_an_invitation(uitnodiging, andere_beheerder):
    ander = Koppeling.objects.filter(middel__persoon=andere_beheerder).first().organisatie
    with pytest.raises(DomainError):
        services.uitnodiging_intrekken(actor=andere_beheerder, intermediair=ander, uitnodiging=uitnodiging.uitnodiging)
    assert Uitnodiging.objects.get().status == Uitnodiging.Status.OPEN


def test_r43_file_preview_then_only_good_rows_sent(intermediair, intermediair_beheerder, module, register):
    for kvk in ("20000001", "20000002", "20000003"):
        register.voeg_toe(kvk, f"Relatie {kvk}")
    register.voeg_toe("20000009", "Al uitgenodigd")
    services.relatie_uitnodigen(
        actor=intermediair_beheerder, intermediair=intermediair, kvk_nummer="20000009", email="a@example.nl", niveau=30
    )
    rijen = [
        {"rijnummer": 2, "kvk_nummer": "20000001", "email": "een@example.nl"},  # no niveau: EH3
        {"rijnummer": 3, "kvk_nummer": "1234", "email": "kort@example.nl", "niveau": "EH3"},  # bad KvK
        {"rijnummer": 4, "kvk_nummer": "29999999", "email": "onbekend@example.nl", "niveau": "EH3"},  # not in HR
        {"rijnummer": 5, "kvk_nummer": "20000001", "email": "dubbel@example.nl", "niveau": "EH3"},  # duplicate
        {"rijnummer": 6, "kvk_nummer": "20000002", "email": "geen-adres", "niveau": "EH3"},  # bad e-mail
        {"rijnummer": 7, "kvk_nummer": "20000009", "email": "b@example.nl", "niveau": "EH3"},  # already invited
        {"rijnummer": 8, "kvk_nummer": "20000003", "email": "drie@example.nl", "niveau": "EH4", "looptijd_jaren": "2"},
    ]
    voor = Bericht.objects.count()
    beoordeeld = services.relaties_beoordelen(intermediair=intermediair, rijen=rijen)
    assert Bericht.objects.count() == voor and Uitnodiging.objects.count() == 1  # the preview writes nothing
    assert [r.rijnummer for r in beoordeeld if r.geldig] == [2, 8]
    redenen = {r.rijnummer: " ".join(r.meldingen) for r in beoordeeld}
    assert "8 cijfers" in redenen[3] and "Handelsregister" in redenen[4] and "eerder" in redenen[5]
    assert "e-mailadres" in redenen[6] and "openstaande" in redenen[7]
    assert beoordeeld[0].naam == "Relatie 20000001"  # the name from the Handelsregister

    verstuurd = services.relaties_uitnodigen(
        actor=intermediair_beheerder, intermediair=intermediair, rijen=rijen, alleen_geldige=True
    )
    assert sorted((v.uitnodiging.email, v.uitnodiging.niveau) for v in verstuurd) == [
        ("drie@example.nl", Niveau.EH4),
        ("een@example.nl", Niveau.EH3),
    ]
    ontvangers = set(
        Bericht.objects.filter(soort=Soort.UITNODIGING_KETENMACHTIGING).values_list("ontvanger", flat=True)
    )
    assert ontvangers == {"a@example.nl", "een@example.nl", "drie@example.nl"}


def test_r43_file_with_only_bad_rows_sends_nothing(intermediair, intermediair_beheerder, module, register):
    with pytest.raises(DomainError):
        services.relaties_uitnodigen(
            actor=intermediair_beheerder,
            intermediair=intermediair,
            rijen=[{"kvk_nummer": "x", "email": "y"}],
            alleen_geldige=True,
        )
    assert not Uitnodiging.objects.exists() and not Bericht.objects.exists()


# ------------------------------------------------------------------------------------------ R46


def _gekoppeld(verlener, intermediair, beheerder, medewerker):
    k = Ketenmachtiging.objects.create(
        verlener=verlener,
        intermediair=intermediair,
        scope=Scope.ALGEMEEN,
        niveau=Niveau.EH3,
        begint_op=vandaag(),
        eindigt_op=vandaag() + dt.timedelta(days=30),
    )
    services.ketenmachtiging_koppel_middel(actor=beheerder, ketenmachtiging=k, middel=medewerker)
    return k


def test_r46_links_end_with_expiry(verlener, intermediair, intermediair_beheerder, medewerker):
    k = _gekoppeld(verlener, intermediair, intermediair_beheerder, medewerker)
    services.ketenmachtigingen_verlopen(dag=k.eindigt_op)
    assert not KetenmachtigingMiddel.objects.exists()
    assert AuditEntry.objects.filter(
        actie=Actie.KETENMACHTIGING_KOPPELINGEN_BEEINDIGD, organisatie=intermediair
    ).exists()


def test_r46_links_of_an_ended_middel_or_koppeling_end_at_once_and_are_swept(
    verlener, intermediair, intermediair_beheerder, medewerker
):
    k = _gekoppeld(verlener, intermediair, intermediair_beheerder, medewerker)
    collega = KoppelingFactory(organisatie=intermediair, middel__niveau=Niveau.EH3).middel
    services.ketenmachtiging_koppel_middel(actor=intermediair_beheerder, ketenmachtiging=k, middel=collega)
    Middel.objects.filter(pk=medewerker.pk).update(status=Middel.Status.BEEINDIGD)
    Koppeling.objects.filter(middel=collega, organisatie=intermediair).update(status=Koppeling.Status.BEEINDIGD)
    # At once: the screens no longer list them (and the register refuses them, see test_beheer).
    assert selectors.ontvangen_per_relatie(intermediair)[0].ketenmachtigingen[0].levende_koppelingen == []
    assert selectors.middel_ketenmachtigingen(collega) == []
    # The sweep removes the rows, so a middel linked again later starts without them.
    assert services.keten_koppelingen_opschonen() == 2
    assert not KetenmachtigingMiddel.objects.exists()
    assert services.keten_koppelingen_opschonen() == 0
    assert Ketenmachtiging.objects.get(pk=k.pk).status == Status.ACTIEF
