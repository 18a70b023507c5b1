"""Requesting middelen, upgrades and koppelingen: R10–R17."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest

from audit.models import AuditEntry
from common.dates import plus_maanden, vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import services
from gebruikers.models import Aanvraag, IdDocumentType, Koppeling, Middel, Persoon
from gebruikers.selectors import gebruikers_overzicht, heeft_mutatie_in_behandeling, kiesbare_niveaus
from gebruikers.services import aanvragen, upgraden
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import (
    BMP,
    JPEG,
    PDF,
    PNG,
    TIFF,
    aanvraag_kwargs,
    adres,
    id_document,
    middel_bij,
    persoon_gegevens,
    upload,
)
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db


def vraag_aan(beheerder, organisatie, **kwargs) -> Aanvraag:
    return services.middel_aanvragen(**aanvraag_kwargs(beheerder, organisatie, **kwargs))


def weigert(rule: str, functie, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        functie(**kwargs)
    assert exc.value.rule == rule, exc.value
    return exc.value


# --- the complete request ----------------------------------------------------------------------------------


def test_r17_request_creates_persoon_middel_koppelingen_and_aanvraag(organisatie, beheerder, tarieven):
    aanvraag = vraag_aan(beheerder, organisatie)
    middel = aanvraag.middel
    persoon = middel.persoon
    assert aanvraag.soort == Aanvraag.Soort.NIEUW_MIDDEL
    assert aanvraag.status == Aanvraag.Status.IN_BEHANDELING
    assert aanvraag.aangevraagd_door == beheerder
    assert persoon.username is None
    assert not persoon.has_usable_password()
    assert persoon.mobiel == "+31612345678"
    assert middel.status == Middel.Status.WACHTEN_OP_GOEDKEURING
    assert middel.niveau == Niveau.EH3
    assert middel.id_postcode == "1012 AB"
    koppeling = Koppeling.objects.get(middel=middel)
    assert koppeling.status == Koppeling.Status.AANGEVRAAGD
    assert koppeling.organisatie == organisatie
    assert aanvraag.id_document_voorzijde.read().startswith(b"%PDF")
    assert aanvraag.gegevens["kosten"]["totaal"] == "41.00"
    assert aanvraag.gegevens["id_document"]["documentnummer"] == "NXC4R8KL2"
    assert AuditEntry.objects.filter(actie="middel.aangevraagd", organisatie=organisatie).exists()
    rij = next(r for r in gebruikers_overzicht(organisatie=organisatie) if r.persoon_id == persoon.pk)
    assert rij.status == Middel.Status.WACHTEN_OP_GOEDKEURING
    assert rij.mutatie_in_behandeling is True


def test_r17_request_is_all_or_nothing(organisatie, beheerder, tarieven):
    with (
        mock.patch.object(aanvragen, "audit_per_organisatie", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        vraag_aan(beheerder, organisatie)
    assert not Persoon.objects.filter(achternaam="Bulters").exists()
    assert not Aanvraag.objects.exists()


def test_r17_refused_unless_costs_accepted(organisatie, beheerder, tarieven):
    weigert("R17", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, kosten_geaccepteerd=False))
    assert not Middel.objects.filter(status=Middel.Status.WACHTEN_OP_GOEDKEURING).exists()


def test_r17_subscription_is_one_or_three_years(organisatie, beheerder, tarieven):
    weigert("R17", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, abonnement_jaren=2))
    aanvraag = vraag_aan(beheerder, organisatie, abonnement_jaren=3)
    assert aanvraag.gegevens["kosten"]["totaal"] == "89.85"


def test_r17_costs_for_extra_organisations_and_otp(organisatie, beheerder, tarieven):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    aanvraag = vraag_aan(
        beheerder, organisatie, extra_organisaties=[tweede], tweede_factor=Middel.TweedeFactor.OTP, mobiel=""
    )
    kosten = aanvraag.gegevens["kosten"]
    assert [r["code"] for r in kosten["regels"]] == ["middel_eh3", "koppeling_eh3", "otp_device"]
    assert Decimal(kosten["totaal"]) == Decimal("41.00") + Decimal("21.00") + Decimal("40.00")
    assert set(Koppeling.objects.filter(middel=aanvraag.middel).values_list("organisatie_id", flat=True)) == {
        organisatie.pk,
        tweede.pk,
    }


def test_r17_extra_organisation_must_be_managed_by_actor(organisatie, beheerder, tarieven):
    vreemd = OrganisatieFactory()
    weigert("R1", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, extra_organisaties=[vreemd]))


# --- R10 -----------------------------------------------------------------------------------------------------


def test_r10_new_middel_only_at_or_below_own_niveau(organisatie, tarieven):
    koppeling = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS)
    actor = koppeling.middel.persoon
    assert kiesbare_niveaus(koppeling.middel) == [Niveau.EH2_PLUS]
    weigert("R10", services.middel_aanvragen, **aanvraag_kwargs(actor, organisatie, niveau=Niveau.EH3))
    aanvraag = vraag_aan(actor, organisatie, niveau=Niveau.EH2_PLUS, identificatieadres=None)
    assert aanvraag.middel.niveau == Niveau.EH2_PLUS


def test_r10_eh3_beheerder_may_not_request_eh4(organisatie, beheerder, tarieven):
    weigert("R10", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, niveau=Niveau.EH4))


# --- R14 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("naam", "inhoud"),
    [
        ("a.pdf", PDF),
        ("a.png", PNG),
        ("a.jpg", JPEG),
        ("a.JPEG", JPEG),
        ("a.jfif", JPEG),
        ("a.pjpeg", JPEG),
        ("a.tif", TIFF),
        ("a.tiff", TIFF),
        ("a.bmp", BMP),
    ],
)
def test_r14_accepts_listed_types_by_content(naam, inhoud):
    assert services.valideer_upload(upload(naam, inhoud))


@pytest.mark.parametrize(
    ("naam", "inhoud", "code"),
    [
        ("paspoort.pdf", b"MZ\x90\x00 this is an exe", "upload_inhoud"),
        ("paspoort.png", PDF, "upload_inhoud"),
        ("paspoort.jpg", b"GIF89a....", "upload_inhoud"),
        ("paspoort.gif", b"GIF89a....", "upload_type"),
        ("paspoort.exe", PDF, "upload_type"),
        ("paspoort", PDF, "upload_type"),
    ],
)
def test_r14_upload_checked_by_content_not_only_by_name(naam, inhoud, code):
    with pytest.raises(DomainError) as exc:
        services.valideer_upload(upload(naam, inhoud))
    assert (exc.value.rule, exc.value.code) == ("R14", code)


def test_r14_upload_at_most_5_mb():
    assert services.valideer_upload(upload("a.pdf", PDF + b"0" * (5 * 1024 * 1024 - len(PDF))))
    with pytest.raises(DomainError) as exc:
        services.valideer_upload(upload("a.pdf", PDF + b"0" * (5 * 1024 * 1024)))
    assert exc.value.code == "upload_grootte"


def test_r14_document_valid_at_least_two_more_months():
    grens = plus_maanden(vandaag(), 2)
    services.valideer_id_document(id_document(geldigheidsdatum=grens))
    with pytest.raises(DomainError) as exc:
        services.valideer_id_document(id_document(geldigheidsdatum=grens - dt.timedelta(days=1)))
    assert (exc.value.rule, exc.value.code) == ("R14", "geldigheidsdatum")


@pytest.mark.parametrize(
    "soort", [IdDocumentType.IDENTITEITSKAART, IdDocumentType.RIJBEWIJS, IdDocumentType.VREEMDELINGENDOCUMENT]
)
def test_r14_two_sided_documents_need_front_and_back(soort):
    nummer = "1234567890" if soort == IdDocumentType.RIJBEWIJS else "IR1234567"
    with pytest.raises(DomainError) as exc:
        services.valideer_id_document(id_document(type=soort, documentnummer=nummer))
    assert exc.value.code == "achterzijde"
    # One file with both sides, or two files.
    services.valideer_id_document(id_document(type=soort, documentnummer=nummer, voor_en_achter_in_een_bestand=True))
    services.valideer_id_document(id_document(type=soort, documentnummer=nummer, achterzijde=upload("b.png", PNG)))


def test_r14_passport_needs_one_side():
    services.valideer_id_document(id_document(type=IdDocumentType.PASPOORT))


@pytest.mark.parametrize(
    ("veld", "waarde", "code"),
    [
        ("type", "bibliotheekpas", "document_type"),
        ("documentnummer", "12", "documentnummer"),
        ("geslacht", "Q", "geslacht"),
    ],
)
def test_r14_document_fields_are_validated(veld, waarde, code):
    with pytest.raises(DomainError) as exc:
        services.valideer_id_document(id_document(**{veld: waarde}))
    assert exc.value.code == code


def test_r14_personal_data_validated(organisatie, beheerder, tarieven):
    fout = weigert(
        "R14",
        services.middel_aanvragen,
        **aanvraag_kwargs(beheerder, organisatie, persoon_gegevens=persoon_gegevens(email="geen-adres")),
    )
    assert fout.code == "email"
    fout = weigert(
        "R14",
        services.middel_aanvragen,
        **aanvraag_kwargs(beheerder, organisatie, persoon_gegevens=persoon_gegevens(voornamen=" ")),
    )
    assert fout.code == "voornamen"


def test_r14_service_refuses_a_disguised_upload(organisatie, beheerder, tarieven):
    nep = id_document(voorzijde=upload("paspoort.pdf", b"<html>not a pdf</html>"))
    weigert("R14", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, id_document=nep))
    assert not Aanvraag.objects.exists()


# --- R15 -----------------------------------------------------------------------------------------------------


def test_r15_eh3_needs_identificatieadres(organisatie, beheerder, tarieven):
    fout = weigert("R15", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, identificatieadres=None))
    assert fout.code == "adres"


def test_r15_eh2plus_needs_no_identificatieadres(organisatie, beheerder, tarieven):
    aanvraag = vraag_aan(beheerder, organisatie, niveau=Niveau.EH2_PLUS, identificatieadres=None)
    assert aanvraag.middel.id_postcode == ""


@pytest.mark.parametrize(
    ("velden", "code"),
    [
        ({"postcode": "1234 SS"}, "postcode"),
        ({"postcode": "123AB"}, "postcode"),
        ({"huisnummer": "een"}, "huisnummer"),
        ({"straat": ""}, "straat"),
        ({"plaats": ""}, "plaats"),
        ({"land": ""}, "land"),
    ],
)
def test_r15_identificatieadres_validated(velden, code):
    with pytest.raises(DomainError) as exc:
        services.valideer_identificatieadres(adres(**velden), niveau=Niveau.EH3)
    assert (exc.value.rule, exc.value.code) == ("R15", code)


def test_r15_dutch_postcode_normalised_foreign_free():
    assert services.valideer_identificatieadres(adres(postcode="1012ab"), niveau=Niveau.EH3).postcode == "1012 AB"
    buitenland = services.valideer_identificatieadres(adres(land="België", postcode="1000"), niveau=Niveau.EH3)
    assert buitenland.postcode == "1000"


# --- R16 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nummer", ["0612345678", "06-12345678", "+31 6 12345678", "0031612345678"])
def test_r16_valid_dutch_mobile_normalised(nummer):
    assert services.normaliseer_mobiel(nummer) == "+31612345678"


@pytest.mark.parametrize("nummer", ["0201234567", "+32470123456", "0612", "", "mobiel"])
def test_r16_sms_needs_dutch_mobile(organisatie, beheerder, tarieven, nummer):
    fout = weigert("R16", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, mobiel=nummer))
    assert fout.code == "mobiel"


def test_r16_second_factor_required_from_eh2plus(organisatie, beheerder, tarieven):
    fout = weigert("R16", services.middel_aanvragen, **aanvraag_kwargs(beheerder, organisatie, tweede_factor=""))
    assert fout.code == "tweede_factor"


def test_r16_otp_needs_no_number_but_costs(organisatie, beheerder, tarieven):
    aanvraag = vraag_aan(beheerder, organisatie, tweede_factor=Middel.TweedeFactor.OTP, mobiel="")
    assert aanvraag.middel.tweede_factor == Middel.TweedeFactor.OTP
    assert "otp_device" in [r["code"] for r in aanvraag.gegevens["kosten"]["regels"]]


# --- R11 -----------------------------------------------------------------------------------------------------


def upgrade(actor, organisatie, middel, **kwargs):
    velden = {
        "actor": actor,
        "organisatie": organisatie,
        "middel": middel,
        "niveau": Niveau.EH3,
        "abonnement_jaren": 1,
        "kosten_geaccepteerd": True,
        "identificatieadres": adres(),
    }
    velden.update(kwargs)
    return services.middel_upgraden(**velden)


def test_r11_upgrade_up_to_own_niveau_creates_aanvraag(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    aanvraag = upgrade(beheerder, organisatie, koppeling.middel)
    assert aanvraag.soort == Aanvraag.Soort.UPGRADE
    assert aanvraag.gegevens["niveau"] == Niveau.EH3
    assert aanvraag.gegevens["tweede_factor"] == Middel.TweedeFactor.SMS  # kept from EH2+
    koppeling.middel.refresh_from_db()
    assert koppeling.middel.niveau == Niveau.EH2_PLUS  # applied only on approval


def test_r11_upgrade_not_above_own_niveau(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    fout = weigert("R11", upgrade, actor=beheerder, organisatie=organisatie, middel=koppeling.middel, niveau=Niveau.EH4)
    assert fout.code == "niveau_te_hoog"


def test_r11_not_own_middel(organisatie, tarieven):
    koppeling = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS)
    KoppelingFactory(organisatie=organisatie, beheerder=True)
    actor = koppeling.middel.persoon
    fout = weigert(
        "R11", upgrade, actor=actor, organisatie=organisatie, middel=koppeling.middel, niveau=Niveau.EH2_PLUS
    )
    assert fout.code == "eigen_middel"


def test_r11_from_eh2plus_second_factor_stays(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    fout = weigert(
        "R11",
        upgrade,
        actor=beheerder,
        organisatie=organisatie,
        middel=koppeling.middel,
        tweede_factor=Middel.TweedeFactor.OTP,
    )
    assert fout.code == "tweede_factor"


def test_r11_from_below_eh2plus_second_factor_is_chosen(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2, tweede_factor=Middel.TweedeFactor.GEEN)
    fout = weigert("R16", upgrade, actor=beheerder, organisatie=organisatie, middel=koppeling.middel)
    assert fout.code == "tweede_factor"
    aanvraag = upgrade(beheerder, organisatie, koppeling.middel, tweede_factor=Middel.TweedeFactor.OTP)
    assert aanvraag.gegevens["tweede_factor"] == Middel.TweedeFactor.OTP
    assert "otp_device" in [r["code"] for r in aanvraag.gegevens["kosten"]["regels"]]


def test_r11_identifying_data_cannot_change(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    p = koppeling.middel.persoon
    anders = services.PersoonGegevens(
        voornamen=p.voornamen, achternaam="Anders", geboortedatum=p.geboortedatum, email=p.email
    )
    fout = weigert(
        "R11", upgrade, actor=beheerder, organisatie=organisatie, middel=koppeling.middel, persoon_gegevens=anders
    )
    assert fout.code == "identificerende_gegevens"
    zelfde = services.PersoonGegevens(
        voornamen=p.voornamen, achternaam=p.achternaam, geboortedatum=p.geboortedatum, email=p.email
    )
    assert upgrade(beheerder, organisatie, koppeling.middel, persoon_gegevens=zelfde)


def test_r11_upgrade_with_role_change_applies_role_at_once(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    upgrade(beheerder, organisatie, koppeling.middel, rol="beheerder")
    koppeling.refresh_from_db()
    assert koppeling.rol == "beheerder"


# --- R12 -----------------------------------------------------------------------------------------------------


def test_r12_link_existing_user_to_managed_organisation(organisatie, beheerder, gebruiker, tarieven):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    aanvraag = services.middel_koppelen(
        actor=beheerder,
        organisatie=organisatie,
        middel=gebruiker.middel,
        organisaties=[tweede],
        rol="beheerder",
        kosten_geaccepteerd=True,
    )
    assert aanvraag.soort == Aanvraag.Soort.KOPPELING
    nieuw = Koppeling.objects.get(middel=gebruiker.middel, organisatie=tweede)
    assert nieuw.status == Koppeling.Status.AANGEVRAAGD
    assert nieuw.rol == "beheerder"
    assert aanvraag.gegevens["niveau"] == gebruiker.middel.niveau  # preset from the existing middel
    assert aanvraag.gegevens["email"] == gebruiker.email  # taken over
    assert aanvraag.gegevens["kosten"]["totaal"] == "21.00"


def test_r12_only_organisations_where_actor_is_beheerder(organisatie, beheerder, gebruiker, tarieven):
    vreemd = OrganisatieFactory()
    KoppelingFactory(organisatie=vreemd, middel=beheerder.middel)  # linked there, but only as gebruiker
    weigert(
        "R12",
        services.middel_koppelen,
        actor=beheerder,
        organisatie=organisatie,
        middel=gebruiker.middel,
        organisaties=[vreemd],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    assert not Koppeling.objects.filter(middel=gebruiker.middel, organisatie=vreemd).exists()


def test_r12_only_up_to_own_niveau(organisatie, tarieven):
    actor = KoppelingFactory(organisatie=organisatie, beheerder=True, middel__niveau=Niveau.EH2_PLUS).middel.persoon
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=actor.middel, beheerder=True)
    hoog = middel_bij(organisatie, niveau=Niveau.EH3)
    fout = weigert(
        "R12",
        services.middel_koppelen,
        actor=actor,
        organisatie=organisatie,
        middel=hoog.middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    assert fout.code == "niveau_te_hoog"


def test_r12_belastingdienst_middel_not_linked_as_beheerder(organisatie, beheerder, tarieven):
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    bd = KoppelingFactory(organisatie=organisatie, middel=MiddelFactory(belastingdienst=True))
    weigert(
        "R8",
        services.middel_koppelen,
        actor=beheerder,
        organisatie=organisatie,
        middel=bd.middel,
        organisaties=[tweede],
        rol="beheerder",
        kosten_geaccepteerd=True,
    )


# --- R13 -----------------------------------------------------------------------------------------------------


def test_r13_no_new_mutation_while_one_is_in_behandeling(organisatie, beheerder, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    upgrade(beheerder, organisatie, koppeling.middel)
    assert heeft_mutatie_in_behandeling(koppeling.middel)
    tweede = OrganisatieFactory()
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    fout = weigert(
        "R13",
        services.middel_koppelen,
        actor=beheerder,
        organisatie=organisatie,
        middel=koppeling.middel,
        organisaties=[tweede],
        rol="gebruiker",
        kosten_geaccepteerd=True,
    )
    assert "zolang deze nog in behandeling is" in str(fout)
    weigert("R13", upgrade, actor=beheerder, organisatie=organisatie, middel=koppeling.middel)
    assert Aanvraag.objects.filter(middel=koppeling.middel).count() == 1


def test_r13_overview_marks_pending_mutation(organisatie, beheerder, gebruiker, tarieven):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    upgrade(beheerder, organisatie, koppeling.middel)
    rijen = {r.persoon_id: r for r in gebruikers_overzicht(organisatie=organisatie)}
    assert rijen[koppeling.middel.persoon_id].mutatie_in_behandeling is True
    assert rijen[gebruiker.pk].mutatie_in_behandeling is False


def test_r13_database_constraint_is_the_fallback(organisatie, beheerder, tarieven):
    """A concurrent request that passed the check still meets the unique constraint: same DomainError."""
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    upgrade(beheerder, organisatie, koppeling.middel)
    with mock.patch.object(upgraden, "_vereis_geen_open_aanvraag", lambda middel: None):
        fout = weigert("R13", upgrade, actor=beheerder, organisatie=organisatie, middel=koppeling.middel)
    assert fout.code == "mutatie_in_behandeling"
    assert Aanvraag.objects.filter(middel=koppeling.middel).count() == 1


def test_r13_after_processing_a_new_mutation_is_accepted(organisatie, beheerder, tarieven, support):
    koppeling = middel_bij(organisatie, niveau=Niveau.EH2_PLUS)
    aanvraag = upgrade(beheerder, organisatie, koppeling.middel)
    services.aanvraag_afkeuren(aanvraag=aanvraag, door=support, reden="Document onleesbaar")
    assert not heeft_mutatie_in_behandeling(koppeling.middel)
    assert upgrade(beheerder, organisatie, koppeling.middel)
