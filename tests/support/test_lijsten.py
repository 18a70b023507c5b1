"""Every customised admin changelist runs the same number of queries for 1 row as for 30 (pinned)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.acties import Actie
from audit.services import audit_log
from catalogus.models import CatalogusImport
from common.niveau import Niveau
from handelsregister.models import Inschrijving, Vestiging, WettelijkVertegenwoordiger
from ketenmachtigingen.models import Ketenmachtiging, KetenModule, Uitnodiging
from machtigingen.models import Machtiging, Scope
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import KoppelingFactory
from tests.organisaties.factories import OrganisatieFactory

from .conftest import aanvraag_voor

pytestmark = pytest.mark.django_db


def _aanvragen(n, ctx):
    for i in range(n):
        aanvraag_voor(ctx["beheerder"], ctx["organisatie"], ctx["teller"] + i)
    ctx["teller"] += n


def _koppelingen(n, ctx):
    for _ in range(n):
        KoppelingFactory()


def _audit(n, ctx):
    for i in range(n):
        audit_log(
            actor=ctx["beheerder"],
            organisatie=OrganisatieFactory(),
            actie=Actie.KOPPELING_ROL_GEWIJZIGD,
            omschrijving=f"regel {i}",
        )


def _diensten(n, ctx):
    for _ in range(n):
        DienstFactory()


def _imports(n, ctx):
    for i in range(n):
        CatalogusImport.objects.create(bron=f"editie-{i}.xml")


def _inschrijvingen(n, ctx):
    for _ in range(n):
        ctx["teller"] += 1
        i = Inschrijving.objects.create(
            kvk_nummer=f"{50000000 + ctx['teller']}", naam=f"Bedrijf {ctx['teller']}", basisprofiel={}
        )
        Vestiging.objects.create(inschrijving=i, vestigingsnummer=f"{ctx['teller']:012d}", eerste_handelsnaam="X")
        WettelijkVertegenwoordiger.objects.create(inschrijving=i, naam="J. Jansen")


def _modules(n, ctx):
    for _ in range(n):
        KetenModule.objects.create(organisatie=OrganisatieFactory())


def _ketenmachtigingen(n, ctx):
    vandaag = timezone.localdate()
    for _ in range(n):
        Ketenmachtiging.objects.create(
            verlener=OrganisatieFactory(),
            intermediair=OrganisatieFactory(),
            scope=Scope.DIENST,
            dienst=DienstFactory(),
            begint_op=vandaag,
            eindigt_op=vandaag + dt.timedelta(days=365),
        )


def _uitnodigingen(n, ctx):
    for _ in range(n):
        Uitnodiging.objects.create(
            intermediair=OrganisatieFactory(),
            kvk_nummer="12345678",
            email="r@example.nl",
            token_hash=uuid.uuid4().hex,
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            verloopt_op=timezone.now() + dt.timedelta(days=30),
        )


def _machtigingen(n, ctx):
    vandaag = timezone.localdate()
    for _ in range(n):
        k = KoppelingFactory()
        Machtiging.objects.create(
            middel=k.middel,
            organisatie=k.organisatie,
            scope=Scope.DIENST,
            dienst=DienstFactory(),
            begint_op=vandaag,
            eindigt_op=vandaag + dt.timedelta(days=365),
        )


# (changelist, how to add rows, pinned query count — one of them the OTP device of the verified session)
LIJSTEN = [
    ("admin:gebruikers_aanvraag_changelist", _aanvragen, 11),
    ("admin:gebruikers_koppeling_changelist", _koppelingen, 11),
    ("admin:gebruikers_middel_changelist", _koppelingen, 11),
    ("admin:gebruikers_persoon_changelist", _koppelingen, 12),
    ("admin:organisaties_organisatie_changelist", _koppelingen, 11),
    # The actie filter lists the registry (audit.acties.Actie): no DISTINCT query over the trail.
    ("admin:audit_auditentry_changelist", _audit, 14),
    ("admin:catalogus_dienst_changelist", _diensten, 11),
    ("admin:catalogus_dienstverlener_changelist", _diensten, 11),
    ("admin:catalogus_catalogusimport_changelist", _imports, 13),
    ("admin:handelsregister_inschrijving_changelist", _inschrijvingen, 11),
    ("admin:handelsregister_vestiging_changelist", _inschrijvingen, 11),
    ("admin:handelsregister_wettelijkvertegenwoordiger_changelist", _inschrijvingen, 11),
    ("admin:ketenmachtigingen_ketenmodule_changelist", _modules, 11),
    ("admin:ketenmachtigingen_ketenmachtiging_changelist", _ketenmachtigingen, 11),
    ("admin:ketenmachtigingen_uitnodiging_changelist", _uitnodigingen, 11),
    ("admin:machtigingen_machtiging_changelist", _machtigingen, 11),
    ("admin:facturatie_tarief_changelist", None, 12),
]


@pytest.mark.parametrize(("naam", "maak", "pinned"), LIJSTEN, ids=[n.split(":")[1] for n, *_ in LIJSTEN])
def test_changelist_query_count_is_pinned_for_1_and_30_rows(
    medewerker_client, beheerder, organisatie, tarieven, django_assert_num_queries, naam, maak, pinned
):
    url = reverse(naam)
    ctx = {"beheerder": beheerder, "organisatie": organisatie, "teller": 100}
    if maak:
        maak(1, ctx)
    medewerker_client.get(url)
    with django_assert_num_queries(pinned):
        assert medewerker_client.get(url).status_code == 200
    if maak:
        maak(29, ctx)
    with django_assert_num_queries(pinned):
        response = medewerker_client.get(url)
    assert response.status_code == 200
    if maak:
        assert response.context["cl"].result_count >= 30
