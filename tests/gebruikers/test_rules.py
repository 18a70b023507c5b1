"""The predicates of gebruikers.rules and machtigingen.rules: for every action the details screen offers, the action is
shown exactly when the service accepts it (hidden ⇔ the service raises a DomainError), so screen and refusal never
disagree. Each situation is one person as the beheerder (J. Bakker, EH3) of Santos B.V. sees them."""

import datetime as dt

import pytest

from beheer.selectors import beheerbare_organisaties
from common.dates import vandaag
from common.errors import DomainError
from common.niveau import Niveau
from gebruikers import rules, services
from gebruikers.models import Aanvraag, Koppeling, Middel
from gebruikers.selectors import gebruiker_details
from machtigingen import rules as machtiging_rules
from machtigingen import services as machtiging_services
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory, MiddelFactory
from tests.gebruikers.helpers import tarieven  # noqa: F401
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

ADRES = services.Identificatieadres(postcode="1012AB", huisnummer="1", straat="Stationsplein", plaats="Amsterdam")


def _koppeling(organisatie, beheerder, situatie: str) -> Koppeling:
    """The person of a situation; 'zelf' is the beheerder's own koppeling."""
    if situatie == "zelf":
        return Koppeling.objects.get(middel__persoon=beheerder, organisatie=organisatie)
    middel = {
        "actief": {},
        "eh2plus": {"niveau": Niveau.EH2_PLUS},
        "eh4": {"niveau": Niveau.EH4},
        "otp": {"tweede_factor": Middel.TweedeFactor.OTP},
        "belastingdienst": {"belastingdienst": True},
        "wachten_op_goedkeuring": {"wachten_op_goedkeuring": True},
        "wachten_op_activatie": {"wachten_op_activatie": True},
        "activatie_verlopen": {
            "status": Middel.Status.ACTIVATIE_VERLOPEN,
            "activatie_verlopen_op": vandaag() - dt.timedelta(days=1),
            "geactiveerd_op": None,
        },
    }[situatie.removesuffix("_open").removesuffix("_beheerder").removesuffix("_aangevraagd")]
    koppeling = KoppelingFactory(
        organisatie=organisatie,
        middel=MiddelFactory(**middel),
        beheerder=situatie.endswith("_beheerder"),
        status=Koppeling.Status.AANGEVRAAGD if situatie.endswith("_aangevraagd") else Koppeling.Status.ACTIEF,
    )
    if situatie.endswith("_open"):  # R13: a mutation in behandeling
        Aanvraag.objects.create(
            soort=Aanvraag.Soort.UPGRADE, organisatie=organisatie, middel=koppeling.middel, aangevraagd_door=beheerder
        )
    return koppeling


def _acties(organisatie, beheerder, koppeling) -> rules.Acties:
    details = gebruiker_details(organisatie=organisatie, persoon_id=koppeling.middel.persoon_id)
    return rules.acties_voor(
        actor=beheerder,
        beheerder_niveau=Koppeling.objects.get(middel__persoon=beheerder, organisatie=organisatie).middel.niveau,
        beheerde_ids=[o.pk for o in beheerbare_organisaties(beheerder)],
        details=details,
        organisatie=organisatie,
    )


def _aanvaard(doe) -> bool:
    try:
        doe()
    except DomainError:
        return False
    return True


def _check(organisatie, beheerder, situatie, actie, doe, verwacht):
    koppeling = _koppeling(organisatie, beheerder, situatie)
    getoond = getattr(_acties(organisatie, beheerder, koppeling), actie)
    aanvaard = _aanvaard(lambda: doe(koppeling))
    assert getoond == aanvaard == verwacht, (situatie, getoond, aanvaard)


ANDERE_ROL = {Koppeling.Rol.GEBRUIKER: Koppeling.Rol.BEHEERDER, Koppeling.Rol.BEHEERDER: Koppeling.Rol.GEBRUIKER}


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("actief", True),
        ("actief_beheerder", True),
        ("wachten_op_activatie", True),
        ("belastingdienst", False),  # R8: a Belastingdienst gebruiker has no other role
        ("zelf", False),  # R6
    ],
)
def test_rol_wijzigen_shown_exactly_when_accepted(organisatie, beheerder, situatie, verwacht):
    def doe(k):
        services.koppeling_wijzig_rol(actor=beheerder, koppeling=k, rol=ANDERE_ROL[k.rol])

    _check(organisatie, beheerder, situatie, "rol", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("eh2plus", True),
        ("eh4", True),  # a downgrade, within the beheerder's own niveau
        ("actief", True),  # EH3 → EH2+
        ("eh2plus_open", False),  # R13
        ("belastingdienst", False),  # R23: first change the type
        ("wachten_op_activatie", False),  # R11: only an Actief middel
        ("zelf", False),  # R11: someone else's
    ],
)
def test_niveau_wijzigen_shown_exactly_when_accepted(organisatie, beheerder, tarieven, situatie, verwacht):  # noqa: F811
    def doe(k):
        niveaus = rules.andere_niveaus(k.middel, Niveau.EH3) or [Niveau.EH3]
        services.middel_upgraden(
            actor=beheerder,
            organisatie=organisatie,
            middel=k.middel,
            niveau=niveaus[-1],
            kosten_geaccepteerd=True,
            identificatieadres=ADRES,
        )

    _check(organisatie, beheerder, situatie, "niveau", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("belastingdienst", True),  # back to regulier
        ("belastingdienst_open", False),  # R13
        ("actief_beheerder", False),  # R8: to Belastingdienst, never a beheerder
        ("eh2plus", False),  # R23: only at EH3
        ("wachten_op_activatie", False),  # R23: only an Actief middel
        ("zelf", False),  # R8: the acting beheerder
    ],
)
def test_type_wijzigen_shown_exactly_when_accepted(organisatie, beheerder, tarieven, situatie, verwacht):  # noqa: F811
    def doe(k):
        nieuw = Middel.Type.REGULIER if k.middel.is_belastingdienst else Middel.Type.BELASTINGDIENST
        services.middel_wijzig_type(
            actor=beheerder, organisatie=organisatie, middel=k.middel, type=nieuw, abonnement_jaren=1, bevestigd=True
        )

    _check(organisatie, beheerder, situatie, "type", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("actief", True),
        ("wachten_op_activatie", True),
        ("otp", False),  # R21: no SMS number to change
        ("activatie_verlopen", False),
        ("wachten_op_goedkeuring", False),
        ("zelf", False),  # R21: the own goes by wijzigingsformulier
    ],
)
def test_telefoon_wijzigen_shown_exactly_when_accepted(organisatie, beheerder, situatie, verwacht):
    def doe(k):
        services.persoon_wijzig_mobiel(
            actor=beheerder, persoon=k.middel.persoon, mobiel="0622955550", organisatie=organisatie
        )

    _check(organisatie, beheerder, situatie, "telefoon", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("wachten_op_goedkeuring", True),
        ("wachten_op_activatie", True),
        ("activatie_verlopen", True),
        ("actief", False),  # R22: after activation only the person
        ("zelf", False),
    ],
)
def test_email_wijzigen_shown_exactly_when_accepted(organisatie, beheerder, situatie, verwacht):
    def doe(k):
        services.persoon_wijzig_email(
            actor=beheerder, persoon=k.middel.persoon, email="nieuw@example.com", organisatie=organisatie
        )

    _check(organisatie, beheerder, situatie, "email", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("activatie_verlopen", True),
        ("activatie_verlopen_open", False),  # R13
        ("actief", False),  # R18: only once the activation has expired
        ("wachten_op_activatie", False),
    ],
)
def test_nieuwe_uitnodiging_shown_exactly_when_accepted(organisatie, beheerder, tarieven, situatie, verwacht):  # noqa: F811
    def doe(k):
        services.nieuwe_uitnodiging_versturen(
            actor=beheerder, middel=k.middel, kosten_geaccepteerd=True, organisatie=organisatie
        )

    _check(organisatie, beheerder, situatie, "nieuwe_uitnodiging", doe, verwacht)


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("actief", True),
        ("wachten_op_activatie", True),
        ("eh2plus_open", False),  # R13
        ("eh4", False),  # R12: above the beheerder's own niveau
        ("wachten_op_goedkeuring", False),  # R12: not approved yet
    ],
)
def test_koppelen_shown_exactly_when_accepted(organisatie, beheerder, tarieven, situatie, verwacht):  # noqa: F811
    zeeland = OrganisatieFactory(naam="Zeeland B.V.")
    KoppelingFactory(organisatie=zeeland, middel=Middel.objects.get(persoon=beheerder), beheerder=True)

    def doe(k):
        services.middel_koppelen(
            actor=beheerder,
            organisatie=organisatie,
            middel=k.middel,
            organisaties=[zeeland],
            rol=Koppeling.Rol.GEBRUIKER,
            kosten_geaccepteerd=True,
        )

    _check(organisatie, beheerder, situatie, "koppelen", doe, verwacht)


def test_koppelen_hidden_when_linked_everywhere_already(organisatie, beheerder, tarieven):  # noqa: F811
    zeeland = OrganisatieFactory(naam="Zeeland B.V.")
    KoppelingFactory(organisatie=zeeland, middel=Middel.objects.get(persoon=beheerder), beheerder=True)
    k = _koppeling(organisatie, beheerder, "actief")
    KoppelingFactory(organisatie=zeeland, middel=k.middel)
    assert _acties(organisatie, beheerder, k).koppelen is False
    with pytest.raises(DomainError):
        services.middel_koppelen(
            actor=beheerder,
            organisatie=organisatie,
            middel=k.middel,
            organisaties=[zeeland],
            rol=Koppeling.Rol.GEBRUIKER,
            kosten_geaccepteerd=True,
        )


@pytest.mark.parametrize(
    ("situatie", "verwacht"),
    [
        ("actief", True),
        ("wachten_op_activatie", False),  # R30: only Actief middelen
        ("actief_aangevraagd", False),  # R30: the koppeling is not actief yet
    ],
)
def test_machtiging_toevoegen_shown_exactly_when_accepted(organisatie, beheerder, situatie, verwacht):
    def doe(k):
        machtiging_services.machtiging_toevoegen(
            actor=beheerder, organisatie=organisatie, middelen=[k.middel], algemene_niveaus=[int(Niveau.EH2)]
        )

    _check(organisatie, beheerder, situatie, "machtiging_toevoegen", doe, verwacht)


@pytest.mark.parametrize(
    ("middel_niveau", "dienst_niveau", "weigering"),
    [
        (Niveau.EH3, Niveau.EH3, None),
        (Niveau.EH2_PLUS, Niveau.EH3, machtiging_rules.WEIGERING_NIVEAU_TE_LAAG),  # R31
        (Niveau.EH4, Niveau.EH4, machtiging_rules.WEIGERING_BOVEN_EIGEN_NIVEAU),  # R39: the beheerder has EH3
    ],
)
def test_dienst_choosable_exactly_when_accepted(organisatie, beheerder, middel_niveau, dienst_niveau, weigering):
    k = KoppelingFactory(organisatie=organisatie, middel__niveau=middel_niveau)
    dienst = DienstFactory(niveau=dienst_niveau)
    assert (
        machtiging_rules.keuze_weigering(niveau=dienst.niveau, middel_niveau=middel_niveau, beheerder_niveau=Niveau.EH3)
        == weigering
    )
    aanvaard = _aanvaard(
        lambda: machtiging_services.machtiging_toevoegen(
            actor=beheerder, organisatie=organisatie, middelen=[k.middel], diensten=[dienst]
        )
    )
    assert aanvaard == (weigering is None)


# --- R5, R20: what terminating the own middel leads to ------------------------------------------------------


@pytest.mark.parametrize(
    ("anderen", "gevolg", "code"),
    [
        ("beheerder", rules.OPZEGGEN_MAG, None),
        ("gebruiker", rules.OPZEGGEN_EIGEN_GEWEIGERD, "eigen_middel_laatste_beheerder"),
        ("niemand", rules.OPZEGGEN_HELE_ORGANISATIE, "bevestig_opzeggen_organisatie"),
    ],
)
def test_r20_own_opzeggen_first_popup_matches_the_refusal(organisatie, beheerder, anderen, gevolg, code):
    if anderen != "niemand":
        KoppelingFactory(organisatie=organisatie, beheerder=anderen == "beheerder")
    eigen = Koppeling.objects.select_related("middel").get(middel__persoon=beheerder, organisatie=organisatie)
    assert rules.opzeg_gevolg(eigen, eigen=True) == gevolg
    try:
        services.middel_opzeggen(actor=beheerder, koppeling=eigen, moment=Koppeling.Opzegmoment.PER_DIRECT)
    except DomainError as error:
        assert error.code == code
    else:
        assert code is None


def test_r5_someone_elses_last_beheerder_koppeling_is_refused_as_r5(organisatie, beheerder):
    """The planned case: the actor leaves on a date, then the other (last) beheerder cannot be terminated then."""
    andere = KoppelingFactory(organisatie=organisatie, beheerder=True)
    KoppelingFactory(organisatie=organisatie)
    per = vandaag() + dt.timedelta(days=10)
    Koppeling.objects.filter(middel__persoon=beheerder).update(opzeggen_per=per - dt.timedelta(days=1))
    andere = Koppeling.objects.select_related("middel").get(pk=andere.pk)
    assert rules.opzeg_gevolg(andere, eigen=False, per=per) == rules.OPZEGGEN_LAATSTE_BEHEERDER
    with pytest.raises(DomainError) as fout:
        services.middel_opzeggen(actor=beheerder, koppeling=andere, moment=Koppeling.Opzegmoment.DATUM, datum=per)
    assert fout.value.code == "laatste_beheerder"


def test_acties_voor_makes_no_queries(organisatie, beheerder, django_assert_num_queries):
    k = _koppeling(organisatie, beheerder, "actief")
    details = gebruiker_details(organisatie=organisatie, persoon_id=k.middel.persoon_id)
    with django_assert_num_queries(0):
        rules.acties_voor(
            actor=beheerder,
            beheerder_niveau=Niveau.EH3,
            beheerde_ids=[organisatie.pk],
            details=details,
            organisatie=organisatie,
        )
