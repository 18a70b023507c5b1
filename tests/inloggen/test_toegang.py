"""Access to EVERY Beheermodule URL (R1, R2, R4, R7), discovered from the URL resolver so new screens are covered.

Each pattern in a Beheermodule namespace is requested with its path parameters filled with ids of objects of
ANOTHER organisation, by three personas: signed out (→ log-in), a gebruiker (→ own profile), and a beheerder of
the other organisation (404 for foreign ids, the same answer as for a missing id). A method the view refuses is
405 for everyone (table ALLEEN).
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from gebruikers.models import Aanvraag, Koppeling
from inloggen.urls import NIET_BEHEERMODULE
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.groepen.factories import GroepFactory
from tests.inloggen.helpers import inloggen_geverifieerd
from tests.machtigingen.factories import MachtigingFactory
from tests.organisaties.factories import OrganisatieFactory

pytestmark = pytest.mark.django_db

# Namespaces that are not the Beheermodule: Django's admin (support staff), the support screens, and the page a
# relation answers an invitation on without eHerkenning (tests/ketenmachtigingen_screens/test_uitnodiging.py), and
# the register API (token authentication, tests/api).
GEEN_BEHEERMODULE_NAMESPACE = {"admin", "support", "uitnodiging", "api"}


def _beheermodule_patterns():
    """(full name, {param: converter}) for every named pattern in a Beheermodule namespace."""
    gevonden = []

    def walk(resolver, namespace, converters):
        for p in resolver.url_patterns:
            eigen = dict(converters, **getattr(p.pattern, "converters", {}))
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x) if p.namespace else namespace
                walk(p, ns, eigen)
            elif p.name and namespace and namespace.split(":")[0] not in GEEN_BEHEERMODULE_NAMESPACE:
                naam = f"{namespace}:{p.name}"
                if naam not in NIET_BEHEERMODULE:
                    gevonden.append((naam, eigen))

    walk(get_resolver(), None, {})
    return gevonden


PATTERNS = _beheermodule_patterns()


def test_the_walk_finds_the_beheermodule_screens():
    namen = {naam for naam, _ in PATTERNS}
    assert {"beheer:start", "instellingen:algemeen", "beheer:wissel_organisatie"} <= namen
    assert not namen & NIET_BEHEERMODULE


@pytest.fixture
def vreemd(db):
    """Another organisation with a beheerder, a gebruiker, a machtiging, a ketenmachtiging and an aanvraag."""
    from ketenmachtigingen.models import Ketenmachtiging, Uitnodiging
    from machtigingen.models import Scope

    org = OrganisatieFactory(naam="Vreemde Organisatie B.V.")
    beheerder = KoppelingFactory(organisatie=org, beheerder=True, middel__persoon__achternaam="Vreemdbeheer")
    koppeling = KoppelingFactory(organisatie=org, middel__persoon__achternaam="Vreemdgebruiker")
    machtiging = MachtigingFactory(middel=koppeling.middel, organisatie=org, dienst=DienstFactory())
    keten = Ketenmachtiging.objects.create(
        verlener=org,
        intermediair=OrganisatieFactory(),
        scope=Scope.ALGEMEEN,
        niveau=30,
        begint_op=machtiging.begint_op,
        eindigt_op=machtiging.eindigt_op,
    )
    aanvraag = Aanvraag.objects.create(soort=Aanvraag.Soort.KOPPELING, organisatie=org)
    groep = GroepFactory(organisatie=org, naam="Vreemde groep")
    uitnodiging = Uitnodiging.objects.create(
        intermediair=org,
        kvk_nummer="12345670",
        email="relatie@example.nl",
        token_hash="0" * 64,
        scope=Scope.ALGEMEEN,
        niveau=30,
        verloopt_op=timezone.now() + dt.timedelta(days=30),
    )
    return {
        "organisatie": org,
        "persoon": koppeling.middel.persoon,
        "middel": koppeling.middel,
        "koppeling": koppeling,
        "machtiging": machtiging,
        "keten": keten,
        "aanvraag": aanvraag,
        "groep": groep,
        "uitnodiging": uitnodiging,
        # The other organisation's intermediair: not one of the signed-in beheerder's.
        "intermediair": keten.intermediair,
        "beheerder": beheerder.middel.persoon,
        "namen": ["Vreemdgebruiker", "Vreemdbeheer", "Vreemde Organisatie"],
    }


# Parameter name fragments → which foreign object's id fills them (first match wins; default: the persoon).
GESCOPED = [
    ("groep", "groep"),
    ("uitnodiging", "uitnodiging"),
    ("intermediair", "intermediair"),
    ("keten", "keten"),
    ("machtiging", "machtiging"),
    ("koppeling", "koppeling"),
    ("middel", "middel"),
    ("aanvraag", "aanvraag"),
    ("organisatie", "organisatie"),
    ("persoon", "persoon"),
    ("gebruiker", "persoon"),
]
NIET_GESCOPED = ("dienst", "uuid", "formaat", "format", "token")


def _url(naam, converters, vreemd):
    """The URL with foreign ids, and whether any parameter names an object of the foreign organisation."""
    kwargs, gescoped = {}, False
    for param, converter in converters.items():
        soort = type(converter).__name__
        if soort == "UUIDConverter":
            kwargs[param] = uuid.uuid4()
            continue
        if soort != "IntConverter":
            kwargs[param] = "x"
            continue
        if any(f in param for f in NIET_GESCOPED):
            kwargs[param] = 999_999
            continue
        sleutel = next((obj for fragment, obj in GESCOPED if fragment in param), "persoon")
        kwargs[param] = vreemd[sleutel].pk
        gescoped = True
    return reverse(naam, kwargs=kwargs), gescoped


# The methods a view accepts, for the views that restrict them. Django's require_GET/require_POST answer 405
# before the login check runs, so a refused method is 405 for every persona; any other view takes GET and POST.
# A new method-restricted screen fails these tests until it is listed here.
ALLEEN = {
    "gebruikers:overzicht": {"GET"},
    "gebruikers:details": {"GET"},
    "gebruikers:download": {"GET"},
    "gebruikers:toevoegen_kosten": {"GET"},
    "beheer:wissel_organisatie": {"POST"},
    "beheer:lopende_aanvragen": {"GET"},
    "beheer:overige_wijzigingen": {"GET"},
    "beheer:wijzigingsformulieren": {"GET"},
    "logboek:overzicht": {"GET"},
    "logboek:download": {"GET"},
    "gebruikers:wat_mag": {"GET"},
    "machtigingen:overzicht": {"GET"},
    "machtigingen:download": {"GET"},
    "machtigingen:details": {"GET"},
    "machtigingen:kies_diensten": {"GET"},
    "machtigingen:kies_gebruikers": {"GET"},
    "machtigingen:kies_einddatum": {"GET"},
    "ketenmachtigingen:afgegeven": {"GET"},
    "ketenmachtigingen:afgegeven_informatie": {"GET"},
    "ketenmachtigingen:afgegeven_informatie_pdf": {"GET"},
    "ketenmachtigingen:van_relaties": {"GET"},
    "ketenmachtigingen:relaties_module_aanvragen": {"POST"},
    "ketenmachtigingen:relaties_bestand_versturen": {"POST"},
    "ketenmachtigingen:relaties_uitnodiging_opnieuw": {"POST"},
    "ketenmachtigingen:relaties_uitnodiging_intrekken": {"POST"},
    "ketenmachtigingen:ontvangen_koppelen": {"POST"},
    "ketenmachtigingen:ontvangen_ontkoppelen": {"POST"},
    "ketenmachtigingen:ontvangen_intrekken": {"POST"},
    "groepen:overzicht": {"GET"},
    "groepen:groep": {"GET"},
    "instellingen:algemeen": {"GET"},
    "instellingen:facturatie": {"GET"},
    "instellingen:organisaties": {"GET"},
    "instellingen:organisatie_aangevraagd": {"GET"},
    "instellingen:organisatie_contract": {"GET"},
}
# What the beheerder of another organisation gets, where it is not 200/404 from the scoping rule: posting the
# organisation switch without an organisation finds no organisation of theirs (404).
# The relaties screens of an organisation without the ketenmachtigingen module send back to the explanation (302).
BEHEERDER_ANDERS = {
    ("beheer:wissel_organisatie", "POST"): 404,
    ("ketenmachtigingen:relaties_module_aanvragen", "POST"): 302,
    ("ketenmachtigingen:relaties_uitnodigen", "GET"): 302,
    ("ketenmachtigingen:relaties_uitnodigen", "POST"): 302,
    ("ketenmachtigingen:relaties_bestand", "GET"): 302,
    ("ketenmachtigingen:relaties_bestand", "POST"): 302,
    ("ketenmachtigingen:relaties_bestand_versturen", "POST"): 302,
    # The later steps of Organisatie toevoegen send back to the first when the earlier ones are missing.
    **{
        (f"instellingen:toevoegen_{stap}", methode): 302
        for stap in ("niveau", "beheerder", "vertegenwoordigers", "kosten")
        for methode in ("GET", "POST")
    },
}


def _antwoorden(client, url):
    return {"GET": client.get(url), "POST": client.post(url, {})}


def _toegestaan(naam, methode):
    return methode in ALLEEN.get(naam, {"GET", "POST"})


@pytest.mark.parametrize(("naam", "converters"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_signed_out_every_beheermodule_url_sends_to_login(client, vreemd, naam, converters):
    url, _ = _url(naam, converters, vreemd)
    for methode, response in _antwoorden(client, url).items():
        if _toegestaan(naam, methode):
            assert response.status_code == 302, (url, methode, response.status_code)
            assert response.url.startswith("/inloggen/"), (url, methode, response.url)
        else:
            assert response.status_code == 405, (url, methode, response.status_code)


@pytest.fixture(params=["gebruiker", "belastingdienst", "gedegradeerd"])
def geen_beheerder(request, organisatie, gebruiker):
    """Who may not use the Beheermodule (R1, R7, R8): a gebruiker, the holder of a Belastingdienst middel (never
    beheerder), and a beheerder demoted a moment ago by a colleague."""
    if request.param == "gebruiker":
        return gebruiker
    if request.param == "belastingdienst":
        return KoppelingFactory(organisatie=organisatie, middel__belastingdienst=True).middel.persoon
    from gebruikers.services import koppeling_wijzig_rol

    collega = KoppelingFactory(organisatie=organisatie, beheerder=True).middel.persoon
    gedegradeerd = KoppelingFactory(organisatie=organisatie, beheerder=True)
    koppeling_wijzig_rol(actor=collega, koppeling=gedegradeerd, rol=Koppeling.Rol.GEBRUIKER)
    return gedegradeerd.middel.persoon


@pytest.mark.parametrize(("naam", "converters"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_r1_a_gebruiker_gets_no_beheermodule_url(client, geen_beheerder, vreemd, naam, converters):
    inloggen_geverifieerd(client, geen_beheerder)
    url, _ = _url(naam, converters, vreemd)
    for methode, response in _antwoorden(client, url).items():
        if _toegestaan(naam, methode):
            # R1: every Beheermodule screen sends a gebruiker to the own profile, before any lookup.
            assert response.status_code == 302, (url, methode, response.status_code)
            assert response.url == "/profiel/", (url, methode, response.url)
        else:
            assert response.status_code == 405, (url, methode, response.status_code)


@pytest.mark.parametrize(("naam", "converters"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_r4_a_beheerder_of_another_organisation_gets_404_for_foreign_ids(beheerder_client, vreemd, naam, converters):
    url, gescoped = _url(naam, converters, vreemd)
    for methode, response in _antwoorden(beheerder_client, url).items():
        if not _toegestaan(naam, methode):
            verwacht = 405
        elif gescoped:
            verwacht = 404
        else:
            verwacht = BEHEERDER_ANDERS.get((naam, methode), 200)
        assert response.status_code == verwacht, (url, methode, response.status_code)
        inhoud = response.content.decode(errors="replace") if not response.streaming else ""
        for naam_vreemd in vreemd["namen"]:
            assert naam_vreemd not in inhoud, (url, naam_vreemd)


def test_the_method_table_names_existing_screens():
    namen = {naam for naam, _ in PATTERNS}
    assert set(ALLEEN) <= namen
    assert {naam for naam, _ in BEHEERDER_ANDERS} <= namen


def test_r7_a_demoted_beheerder_is_refused_at_the_next_request(client, organisatie, beheerder):
    # Another beheerder demotes this one (R6: nobody changes the own role).
    from gebruikers.services import koppeling_wijzig_rol

    collega = KoppelingFactory(organisatie=organisatie, beheerder=True).middel.persoon
    inloggen_geverifieerd(client, beheerder)
    assert client.get("/beheer/").status_code == 200
    koppeling = Koppeling.objects.get(middel__persoon=beheerder, organisatie=organisatie)
    koppeling_wijzig_rol(actor=collega, koppeling=koppeling, rol=Koppeling.Rol.GEBRUIKER)
    response = client.get("/beheer/")
    assert response.status_code == 302 and response.url == "/profiel/"
    assert client.get("/profiel/").status_code == 200


def test_r4_switching_organisation_scopes_the_beheermodule(client, organisatie, beheerder, vreemd):
    tweede = OrganisatieFactory(naam="Ketelaar Klip")
    KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    inloggen_geverifieerd(client, beheerder)
    assert "Ketelaar Klip" in client.get("/beheer/").content.decode()  # alphabetically first
    assert client.post("/beheer/organisatie/", {"organisatie": organisatie.pk}).url == "/"
    assert "Santos B.V." in client.get("/beheer/").content.decode().split("<main", 1)[1]
    # An organisation where the person is not beheerder cannot be chosen.
    assert client.post("/beheer/organisatie/", {"organisatie": vreemd["organisatie"].pk}).status_code == 404
    assert client.post("/beheer/organisatie/", {"organisatie": "x"}).status_code == 404
    assert client.get("/beheer/organisatie/").status_code == 405


def test_r4_r7_chosen_organisation_dropped_when_no_longer_beheerder_there(client, organisatie, beheerder):
    tweede = OrganisatieFactory(naam="Ketelaar Klip")
    tweede_koppeling = KoppelingFactory(organisatie=tweede, middel=beheerder.middel, beheerder=True)
    inloggen_geverifieerd(client, beheerder)
    client.post("/beheer/organisatie/", {"organisatie": tweede.pk})
    Koppeling.objects.filter(pk=tweede_koppeling.pk).update(rol=Koppeling.Rol.GEBRUIKER)
    hoofd = client.get("/beheer/").content.decode().split("<main", 1)[1]
    assert "Santos B.V." in hoofd and "Ketelaar Klip" not in hoofd
