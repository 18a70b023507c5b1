"""R74, by calling: every function of the domain layer that changes data writes an audit record in that call.

The companion of `test_audit_volledig.py` (the static call graph, which covers every branch): the same discovery
finds the public functions of every app's domain layer, and each one that changes data is *called* here on the
manual's demo world (`manage.py demo`), with its writes captured through `connection.execute_wrapper`. When the
call wrote to any table other than the audit trail and the outbox, at least one audit row must have been written
in that same call.

Arguments cannot be guessed, so each function has a recipe below (keyed by its dotted name) that prepares what
it needs and returns its arguments. A newly discovered function that changes data and has no recipe fails its
test: a new service forces a recipe (or an exception here, with the reason). A recipe must really exercise the
write: a call that changes nothing fails too, so no function passes by being called with arguments it refuses.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

import tests.platform.test_audit_volledig as statisch
from api.demo import DEMO_CLIENT
from api.models import ApiClient
from audit.models import AuditEntry
from common import generaties
from common.dates import plus_jaren, plus_maanden, vandaag
from common.niveau import Niveau
from facturatie.models import Tarief
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from groepen.models import Groep, GroepMachtiging
from ketenmachtigingen.demo import DEMO_TOKEN
from ketenmachtigingen.models import Ketenmachtiging, KetenModule, Uitnodiging
from machtigingen.models import Machtiging
from organisaties.models import Organisatie
from tests.catalogus.factories import DienstFactory
from tests.gebruikers.factories import DEMO_WACHTWOORD, KoppelingFactory
from tests.gebruikers.helpers import TARIEVEN, aanvraag_kwargs, adres, persoon_gegevens

SANTOS, KETELAAR, VRIES, CONNECTIS = "12345678", "99966564", "47474747", "24444001"
DAGOBERT, KATRIEN = "69599084", "68727720"
DONALD_GEBOREN = dt.date(1974, 6, 9)
NIEUW_WACHTWOORD = "Een-heel-nieuw-wachtwoord-42"
HANDELSREGISTER = Path(__file__).resolve().parents[2] / "handelsregister" / "data" / "handelsregister.json"

# Tables whose writes are no change of registered data: the audit trail itself, the outbox and its bookkeeping
# (messages are placed with the change, R37), and the log-in machinery (sessions, django-axes' lockout counters).
GEEN_GEGEVENS = ("audit_auditentry", "berichten_", "django_session", "axes_")

# Discovered data-changing functions that are not called here, each with the reason.
NIET_AANGEROEPEN = {
    "audit.services.audit_log": "the audit writer itself: it writes only audit rows",
    "audit.services.audit_bulk": "the audit writer itself: it writes only audit rows",
    "audit.services.audit_per_organisatie": "the audit writer itself: it writes only audit rows",
}
# The static test's exceptions (each with its reason there) hold here too.
NIET_AANGEROEPEN.update(
    {naam: "exception of test_audit_volledig.GEEN_AUDIT_NODIG" for naam in statisch.GEEN_AUDIT_NODIG}
)


# Real gaps this test found, reported and left to the owner of the service: each is a strict xfail, so the fix
# turns it into a failure that asks to remove the entry here.
# Functions known to change data without an audit record, each with why: none today.
BEKENDE_GATEN: dict[str, str] = {}


# --- the world ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The manual's demo data, loaded once for this module inside a transaction rolled back at the end; each
    test's own transaction nests in it as a savepoint, so every call starts from the same world."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            for (code, periode), bedrag in TARIEVEN.items():
                Tarief.objects.update_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Wereld:
    """Named look-ups in the demo world."""

    def org(self, kvk: str) -> Organisatie:
        return Organisatie.objects.filter(kvk_nummer=kvk).order_by("vestigingsnummer", "pk").first()

    def persoon(self, naam: str) -> Persoon:
        return Persoon.objects.filter(username=naam).first() or Persoon.objects.get(achternaam=naam)

    def middel(self, naam: str) -> Middel:
        return Middel.objects.get(persoon=self.persoon(naam))

    def koppeling(self, naam: str, kvk: str = SANTOS) -> Koppeling:
        return Koppeling.objects.get(middel=self.middel(naam), organisatie=self.org(kvk))

    @property
    def jbakker(self) -> Persoon:
        return self.persoon("jbakker")

    @property
    def santos(self) -> Organisatie:
        return self.org(SANTOS)

    @property
    def vries(self) -> Organisatie:
        return self.org(VRIES)

    @property
    def support(self) -> Persoon:
        return self.persoon("support")

    def machtiging(self, naam: str = "kbulters") -> Machtiging:
        return Machtiging.objects.filter(middel=self.middel(naam), organisatie=self.santos).order_by("pk").first()

    def groep(self) -> Groep:
        return Groep.objects.get(organisatie=self.santos, naam="Salarisadministratie")

    def keten(self) -> Ketenmachtiging:
        return Ketenmachtiging.objects.get(verlener=self.santos, intermediair=self.vries)

    def uitnodiging(self, kvk: str) -> Uitnodiging:
        return Uitnodiging.objects.get(intermediair=self.vries, kvk_nummer=kvk)

    def dienst(self, niveau=Niveau.EH2_PLUS, **kwargs):
        return DienstFactory(niveau=niveau, **kwargs)

    def ketenmodule(self, tot: str | None = None) -> KetenModule:
        """Connectis's module requested by its beheerder, then walked up to state `tot`."""
        from ketenmachtigingen import services as keten

        module = keten.ketenmodule_aanvragen(actor=self.persoon("gdegroot"), organisatie=self.org(CONNECTIS))
        if tot in ("offerte", "geaccepteerd"):
            module = keten.ketenmodule_offerte_versturen(door=self.support, module=module)
        if tot == "geaccepteerd":
            module = keten.ketenmodule_offerte_accepteren(actor=self.persoon("gdegroot"), module=module)
        return module

    def donald_bevestigd(self, code: bool = False) -> Uitnodiging:
        """Test BV Donald's demo invitation through the identity step (and the e-mailed code)."""
        from berichten.models import Bericht, Soort
        from ketenmachtigingen import services as keten

        u = keten.identiteit_bevestigen(token=DEMO_TOKEN, naam="Donald Duck", geboortedatum=DONALD_GEBOREN)
        if code:
            bericht = Bericht.objects.filter(soort=Soort.UITNODIGING_CODE, ontvanger=u.email).latest("pk")
            keten.code_bevestigen(token=DEMO_TOKEN, code=re.search(r"\b(\d{6})\b", bericht.tekst).group(1))
        return u

    def organisatie_aanvraag(self) -> Aanvraag:
        from organisaties.services import organisatie_aanvragen

        return organisatie_aanvragen(**organisatie_aanvraag_kwargs(self))


def organisatie_aanvraag_kwargs(w: Wereld) -> dict:
    from organisaties.services import Beheerdersgegevens, Facturatie

    door = w.jbakker
    return dict(
        door=door,
        vanuit=w.santos,
        nummer=KATRIEN,
        niveau=Niveau.EH3,
        beheerder=Beheerdersgegevens(
            voornamen=door.voornamen,
            tussenvoegsel="",
            achternaam=door.achternaam,
            geboortedatum=door.geboortedatum,
            email=door.email,
        ),
        vertegenwoordigers=["Katrien Duck"],
        abonnement_jaren=1,
        facturatie=Facturatie(
            factuur_email="factuur@katrien.nl", betaalwijze="incasso", iban="NL91ABNA0417164300", bic="ABNANL2A"
        ),
        akkoord_gegevens=True,
        akkoord_voorwaarden=True,
    )


# --- the recipes ------------------------------------------------------------------------------------------------


def _functie(naam: str):
    """The discovered function itself (so a recipe and the test call exactly what the walk found)."""
    module, node = statisch.FUNCTIES[naam]
    return getattr(module, node.name)


@dataclass
class Aanroep:
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


RECEPTEN: dict[str, Callable[[Wereld], Aanroep | dict]] = {}


def recept(naam: str):
    """Register how to call `naam`: the function prepares the world and returns the arguments (a dict of keyword
    arguments, or an Aanroep)."""

    def registreer(fn):
        assert naam not in RECEPTEN, f"two recipes for {naam}"
        RECEPTEN[naam] = fn
        return fn

    return registreer


# api


@recept("api.clients.maak_client")
def _(w):
    return {"naam": "Recept-makelaar", "organisatie": w.santos, "actor": w.support}


@recept("api.clients.trek_in")
def _(w):
    return Aanroep((ApiClient.objects.get(naam=DEMO_CLIENT),), {"actor": w.support})


@recept("api.clients.vernieuw_token")
def _(w):
    return Aanroep((ApiClient.objects.get(naam=DEMO_CLIENT),), {"actor": w.support})


# catalogus


@recept("catalogus.goedkeuringen.goedkeuring_vastleggen")
def _(w):
    dienst = w.dienst(Niveau.EH3, intermediatie="requiresApproval")
    return {"actor": w.support, "dienst": dienst, "intermediair": w.vries, "kenmerk": "BRIEF-1"}


@recept("catalogus.goedkeuringen.goedkeuring_intrekken")
def _(w):
    from catalogus import goedkeuringen

    dienst = w.dienst(Niveau.EH3, intermediatie="requiresApproval")
    g = goedkeuringen.goedkeuring_vastleggen(actor=w.support, dienst=dienst, intermediair=w.vries)
    return {"actor": w.support, "goedkeuring": g}


# facturatie


@recept("facturatie.services.gegevens.factuur_per_email")
def _(w):
    return {"door": w.jbakker, "organisatie": w.santos, "email": "facturen@santos.example.nl"}


@recept("facturatie.services.gegevens.rekening_wijzigen")
def _(w):
    return {
        "door": w.jbakker,
        "organisatie": w.santos,
        "iban": "NL91ABNA0417164300",
        "bic": "ABNANL2A",
        "akkoord_voorwaarden": True,
    }


# gebruikers


def _aanvraag_zeeuw(w):
    return Aanvraag.objects.get(middel=w.middel("Zeeuw"), soort=Aanvraag.Soort.NIEUW_MIDDEL)


@recept("gebruikers.services.aanvraag_intrekken.aanvraag_intrekken")
def _(w):
    return {"actor": w.jbakker, "organisatie": w.santos, "aanvraag": _aanvraag_zeeuw(w)}


@recept("gebruikers.services.aanvragen.middel_aanvragen")
def _(w):
    return aanvraag_kwargs(
        w.jbakker, w.santos, persoon_gegevens=persoon_gegevens(achternaam="Recept", email="recept@example.nl")
    )


@recept("gebruikers.services.aanvragen.middel_koppelen")
def _(w):
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "middel": w.middel("sveenstra"),
        "organisaties": [w.org(KETELAAR)],
        "rol": "gebruiker",
        "kosten_geaccepteerd": True,
    }


@recept("gebruikers.services.aanvragen.nieuwe_uitnodiging_versturen")
def _(w):
    return {"actor": w.jbakker, "middel": w.middel("Smit"), "kosten_geaccepteerd": True, "organisatie": w.santos}


@recept("gebruikers.services.behandeling.aanvraag_afkeuren")
def _(w):
    return {"aanvraag": _aanvraag_zeeuw(w), "door": w.support, "reden": "Document onleesbaar"}


@recept("gebruikers.services.behandeling.aanvraag_goedkeuren")
def _(w):
    return {"aanvraag": _aanvraag_zeeuw(w), "door": w.support}


@recept("gebruikers.services.contact.persoon_wijzig_eigen_email")
def _(w):
    return {"persoon": w.persoon("kbulters"), "email": "katarina.nieuw@example.com"}


@recept("gebruikers.services.contact.persoon_wijzig_email")
def _(w):
    return {
        "actor": w.jbakker,
        "persoon": w.persoon("Hendriks"),
        "email": "harry.nieuw@example.com",
        "organisatie": w.santos,
    }


@recept("gebruikers.services.contact.persoon_wijzig_mobiel")
def _(w):
    return {"actor": w.jbakker, "persoon": w.persoon("kbulters"), "mobiel": "06 22955550", "organisatie": w.santos}


@recept("gebruikers.services.jobs.activaties_verlopen")
def _(w):
    # Harry Hendriks may activate for 27 more days.
    return {"peildatum": vandaag() + dt.timedelta(days=30)}


@recept("gebruikers.services.jobs.opzeggingen_uitvoeren")
def _(w):
    from gebruikers import services

    morgen = vandaag() + dt.timedelta(days=1)
    services.middel_opzeggen(actor=w.jbakker, koppeling=w.koppeling("wbakker"), moment="datum", datum=morgen)
    return {"peildatum": morgen}


@recept("gebruikers.services.opzeggen.middel_opzeggen")
def _(w):
    return {"actor": w.jbakker, "koppeling": w.koppeling("wbakker"), "moment": "per_direct"}


@recept("gebruikers.services.rollen.koppeling_wijzig_rol")
def _(w):
    return {"actor": w.jbakker, "koppeling": w.koppeling("sveenstra"), "rol": "beheerder"}


@recept("gebruikers.services.type.middel_wijzig_type")
def _(w):
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "middel": w.middel("pdejong"),
        "type": Middel.Type.REGULIER,
        "abonnement_jaren": 1,
        "bevestigd": True,
    }


@recept("gebruikers.services.upgraden.middel_upgraden")
def _(w):
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "middel": w.middel("kbulters"),
        "niveau": Niveau.EH3,
        "abonnement_jaren": 1,
        "kosten_geaccepteerd": True,
        "identificatieadres": adres(),
    }


# groepen


@recept("groepen.services.groepen.groep_aanmaken")
def _(w):
    return {"actor": w.jbakker, "organisatie": w.santos, "naam": "Receptgroep"}


@recept("groepen.services.groepen.groep_hernoemen")
def _(w):
    return {"actor": w.jbakker, "groep": w.groep(), "naam": "Loonadministratie"}


@recept("groepen.services.groepen.groep_verwijderen")
def _(w):
    return {"actor": w.jbakker, "groep": w.groep()}


@recept("groepen.services.leden.leden_toevoegen")
def _(w):
    return {"actor": w.jbakker, "groep": w.groep(), "middelen": [w.middel("wbakker")]}


@recept("groepen.services.leden.lid_verwijderen")
def _(w):
    return {"actor": w.jbakker, "groep": w.groep(), "middel": w.middel("sveenstra")}


@recept("groepen.services.machtigingen.groep_machtiging_intrekken")
def _(w):
    return {"actor": w.jbakker, "groep_machtiging": GroepMachtiging.objects.get(groep=w.groep())}


@recept("groepen.services.machtigingen.groep_machtiging_toevoegen")
def _(w):
    return {"actor": w.jbakker, "groep": w.groep(), "diensten": [w.dienst()], "eindigt_op": "1"}


@recept("groepen.services.machtigingen.groep_machtigingen_beeindigen")
def _(w):
    return Aanroep((w.groep(),), {"door": w.jbakker})


@recept("groepen.services.machtigingen.verloop_groepsmachtigingen")
def _(w):
    return {"op": GroepMachtiging.objects.get(groep=w.groep()).eindigt_op}


# inloggen


@recept("inloggen.services.persoon_wijzig_wachtwoord")
def _(w):
    return {"persoon": w.persoon("kbulters"), "huidig": DEMO_WACHTWOORD, "nieuw": NIEUW_WACHTWOORD}


@recept("inloggen.services.wachtwoord_herstellen")
def _(w):
    return {"persoon": w.persoon("kbulters"), "password": NIEUW_WACHTWOORD}


# ketenmachtigingen


@recept("ketenmachtigingen.services._common.organisatie_voor_kvk")
def _(w):
    return {
        "kvk_nummer": "11112222",
        "naam": "Bakkerij Recept",
        "adres": {"straat": "Dorpsstraat", "huisnummer": "1", "postcode": "1234AB", "plaats": "Lelystad"},
        "actor": w.jbakker,
        "door_organisatie": w.santos,
    }


@recept("ketenmachtigingen.services.afgeven.ketenmachtiging_afgeven")
def _(w):
    return {
        "actor": w.jbakker,
        "verlener": w.santos,
        "intermediair_kvk": CONNECTIS,
        "algemene_niveaus": [Niveau.EH3],
        "kosten_geaccepteerd": True,
    }


@recept("ketenmachtigingen.services.beantwoorden.uitnodiging_openen")
def _(w):
    return Aanroep((DEMO_TOKEN,))


@recept("ketenmachtigingen.services.beantwoorden.identiteit_bevestigen")
def _(w):
    return {"token": DEMO_TOKEN, "naam": "Donald Duck", "geboortedatum": DONALD_GEBOREN}


@recept("ketenmachtigingen.services.beantwoorden.code_bevestigen")
def _(w):
    from berichten.models import Bericht, Soort

    u = w.donald_bevestigd()
    bericht = Bericht.objects.filter(soort=Soort.UITNODIGING_CODE, ontvanger=u.email).latest("pk")
    return {"token": DEMO_TOKEN, "code": re.search(r"\b(\d{6})\b", bericht.tekst).group(1)}


@recept("ketenmachtigingen.services.beantwoorden.uitnodiging_toestemmen")
def _(w):
    u = w.donald_bevestigd(code=True)
    return {"token": DEMO_TOKEN, "gekozen": list(u.gevraagd.values_list("pk", flat=True))}


@recept("ketenmachtigingen.services.beantwoorden.uitnodiging_weigeren")
def _(w):
    w.donald_bevestigd(code=True)
    return {"token": DEMO_TOKEN}


@recept("ketenmachtigingen.services.beheer.intermediair_verwijderen")
def _(w):
    return {"actor": w.jbakker, "verlener": w.santos, "intermediair": w.vries, "bevestigd": True}


@recept("ketenmachtigingen.services.beheer.ketenmachtiging_intrekken")
def _(w):
    return {"actor": w.jbakker, "ketenmachtiging": w.keten()}


@recept("ketenmachtigingen.services.beheer.ketenmachtiging_koppel_middel")
def _(w):
    medewerker = KoppelingFactory(organisatie=w.vries, middel__niveau=Niveau.EH3).middel
    return {"actor": w.persoon("mdevries"), "ketenmachtiging": w.keten(), "middel": medewerker}


@recept("ketenmachtigingen.services.beheer.ketenmachtiging_ontkoppel_middel")
def _(w):
    return {"actor": w.persoon("mdevries"), "ketenmachtiging": w.keten(), "middel": w.middel("tjansen")}


@recept("ketenmachtigingen.services.beheer.ketenmachtiging_verlengen")
def _(w):
    return {"actor": w.jbakker, "ketenmachtiging": w.keten(), "eindigt_op": plus_jaren(vandaag(), 5)}


@recept("ketenmachtigingen.services.jobs.ketenmachtigingen_verlopen")
def _(w):
    return {"dag": w.keten().eindigt_op}


@recept("ketenmachtigingen.services.jobs.uitnodigingen_verlopen")
def _(w):
    return {"moment": timezone.now() + dt.timedelta(days=26)}


@recept("ketenmachtigingen.services.koppelingen.keten_koppelingen_opschonen")
def _(w):
    return {"dag": w.keten().eindigt_op}


@recept("ketenmachtigingen.services.koppelingen.koppelingen_beeindigen")
def _(w):
    return {"ketenmachtiging_ids": [w.keten().pk], "actor": w.jbakker}


@recept("ketenmachtigingen.services.module.ketenmodule_aanvragen")
def _(w):
    return {"actor": w.persoon("gdegroot"), "organisatie": w.org(CONNECTIS), "spoed": True}


@recept("ketenmachtigingen.services.module.ketenmodule_offerte_versturen")
def _(w):
    return {"door": w.support, "module": w.ketenmodule()}


@recept("ketenmachtigingen.services.module.ketenmodule_offerte_accepteren")
def _(w):
    return {"actor": w.persoon("gdegroot"), "module": w.ketenmodule("offerte")}


@recept("ketenmachtigingen.services.module.ketenmodule_acceptatie_vastleggen")
def _(w):
    return {"door": w.support, "module": w.ketenmodule("offerte"), "toelichting": "Per post getekend"}


@recept("ketenmachtigingen.services.module.ketenmodule_inschakelen")
def _(w):
    return {"door": w.support, "module": w.ketenmodule("geaccepteerd")}


@recept("ketenmachtigingen.services.uitnodigingen.relatie_uitnodigen")
def _(w):
    return {
        "actor": w.persoon("mdevries"),
        "intermediair": w.vries,
        "kvk_nummer": "65688708",
        "email": "relatie@example.nl",
        "niveau": Niveau.EH3,
    }


@recept("ketenmachtigingen.services.uitnodigingen.relaties_uitnodigen")
def _(w):
    rij = {"kvk_nummer": "65688708", "email": "relatie@example.nl", "scope": "algemeen", "niveau": "EH3"}
    return {"actor": w.persoon("mdevries"), "intermediair": w.vries, "rijen": [rij]}


@recept("ketenmachtigingen.services.uitnodigingen.uitnodiging_intrekken")
def _(w):
    return {"actor": w.persoon("mdevries"), "intermediair": w.vries, "uitnodiging": w.uitnodiging(KATRIEN)}


@recept("ketenmachtigingen.services.uitnodigingen.uitnodiging_opnieuw_versturen")
def _(w):
    return {"actor": w.persoon("mdevries"), "intermediair": w.vries, "uitnodiging": w.uitnodiging(KATRIEN)}


# machtigingen


@recept("machtigingen.services.beeindigen.machtiging_intrekken")
def _(w):
    return {"actor": w.jbakker, "machtiging": w.machtiging()}


@recept("machtigingen.services.beeindigen.machtigingen_beeindigen")
def _(w):
    return Aanroep((Machtiging.objects.filter(middel=w.middel("kbulters"), organisatie=w.santos),), {"door": w.jbakker})


@recept("machtigingen.services.bulk.machtigingen_bulk_toevoegen")
def _(w):
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "middelen": [w.middel("sveenstra"), w.middel("kbulters")],
        "diensten": [w.dienst()],
        "eindigt_op": "1",
    }


@recept("machtigingen.services.einddatum.machtiging_verlengen")
def _(w):
    return {"actor": w.jbakker, "machtiging": w.machtiging(), "keuze": "1"}


@recept("machtigingen.services.einddatum.machtiging_wijzig_einddatum")
def _(w):
    return {"actor": w.jbakker, "machtiging": w.machtiging(), "eindigt_op": vandaag() + dt.timedelta(days=7)}


@recept("machtigingen.services.einddatum.machtigingen_wijzig_einddatum")
def _(w):
    rijen = list(Machtiging.objects.filter(middel=w.middel("kbulters"), organisatie=w.santos))
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "machtigingen": rijen,
        "eindigt_op": vandaag() + dt.timedelta(days=7),
    }


@recept("machtigingen.services.met_groepen.machtigingen_en_groepen_toevoegen")
def _(w):
    return {
        "actor": w.jbakker,
        "organisatie": w.santos,
        "middelen": [w.middel("wbakker")],
        "groepen": [w.groep()],
        "diensten": [w.dienst(Niveau.EH2)],
        "eindigt_op": "1",
    }


def _ongebruikt(naam: str):
    """R76's job: the demo's machtigingen (personal, the group's, the ketenmachtiging to Accountants Vries) started
    weeks ago and were never used. A run 22 months on warns (the outbox only); the run 24 months on ends them."""

    def maak(w):
        _functie(naam)(peildatum=plus_maanden(vandaag(), 22))
        return {"peildatum": plus_maanden(vandaag(), 24)}

    recept(naam)(maak)


for _naam in (
    "machtigingen.services.ongebruikt.alles.ongebruikt_afhandelen",
    "machtigingen.services.ongebruikt.persoonlijk.ongebruikte_machtigingen_afhandelen",
    "machtigingen.services.ongebruikt.groep.ongebruikte_groepsmachtigingen_afhandelen",
    "machtigingen.services.ongebruikt.keten.ongebruikte_ketenmachtigingen_afhandelen",
):
    _ongebruikt(_naam)


@recept("machtigingen.services.toevoegen.machtiging_toevoegen")
def _(w):
    return {"actor": w.jbakker, "organisatie": w.santos, "middelen": [w.middel("sveenstra")], "diensten": [w.dienst()]}


@recept("machtigingen.services.verloop.verloop_machtigingen")
def _(w):
    # K. Bulters' Baarn machtiging ends in 40 days.
    return {"op": vandaag() + dt.timedelta(days=41)}


# organisaties


@recept("organisaties.services.organisatie_aanvragen")
def _(w):
    return organisatie_aanvraag_kwargs(w)


@recept("organisaties.services.nieuwe_organisatie_goedkeuren")
def _(w):
    return {"aanvraag": w.organisatie_aanvraag(), "door": w.support, "dag": vandaag()}


@recept("organisaties.services.vestigingsnummer_verwijderen")
def _(w):
    return {"door": w.persoon("gdegroot"), "organisatie": w.org(DAGOBERT)}


# support


@recept("support.services.tarief_opslaan")
def _(w):
    tarief = Tarief.objects.get(code="middel_eh3", periode="1")
    tarief.bedrag += Decimal("1.00")
    return {"door": w.support, "tarief": tarief}


@recept("support.services.ketenmodule_offerte_vastleggen_en_versturen")
def _(w):
    return {"door": w.support, "module": w.ketenmodule(), "pdf_maken": lambda offerte: b"%PDF-1.4 offerte"}


@recept("support.services.handelsregister_bestand_laden")
def _(w):
    data = json.loads(HANDELSREGISTER.read_text(encoding="utf-8"))
    profiel = next(o for o in data["organisaties"] if o["basisprofiel"]["kvkNummer"] == KATRIEN)
    profiel["basisprofiel"]["naam"] = "Test NV Katrien (nieuwe naam)"
    return {"door": w.support, "data": data, "bestandsnaam": "handelsregister-recept.json"}


# --- the test ---------------------------------------------------------------------------------------------------

VERANDEREND = sorted(n for n in statisch.PUBLIEK if statisch._schrijft(n) and n not in NIET_AANGEROEPEN)


class Schrijfteller:
    """An execute wrapper: the tables each INSERT, UPDATE and DELETE wrote to (other than GEEN_GEGEVENS)."""

    def __init__(self):
        self.tabellen: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        # The one reading of "which tables does this statement write" (also a WITH … UPDATE … INSERT).
        self.tabellen.extend(t for t in generaties.geschreven_tabellen(sql) if not t.startswith(GEEN_GEGEVENS))
        return execute(sql, params, many, context)


def test_the_dynamic_walk_covers_the_domain_layer():
    # The discovery is the static test's; a broken one would call nothing.
    assert len(VERANDEREND) > 60
    assert "gebruikers.services.rollen.koppeling_wijzig_rol" in VERANDEREND


def test_every_recipe_and_exception_names_a_discovered_function():
    assert set(RECEPTEN) <= set(statisch.PUBLIEK), set(RECEPTEN) - set(statisch.PUBLIEK)
    assert set(NIET_AANGEROEPEN) <= set(statisch.FUNCTIES)
    assert not set(RECEPTEN) & set(NIET_AANGEROEPEN)
    assert set(BEKENDE_GATEN) <= set(VERANDEREND)


@pytest.mark.parametrize(
    "naam",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=BEKENDE_GATEN[n])) if n in BEKENDE_GATEN else n
        for n in VERANDEREND
    ],
)
def test_r74_calling_each_domain_function_that_changes_data_writes_an_audit_record(demo, db, naam):
    assert naam in RECEPTEN, (
        f"{naam} changes data but has no recipe: add one to RECEPTEN in {Path(__file__).name} "
        f"(or an entry with the reason to NIET_AANGEROEPEN)"
    )
    aanroep = RECEPTEN[naam](Wereld())
    if isinstance(aanroep, dict):
        aanroep = Aanroep(kwargs=aanroep)
    functie = _functie(naam)
    audit_voor = AuditEntry.objects.count()
    teller = Schrijfteller()
    with connection.execute_wrapper(teller):
        functie(*aanroep.args, **aanroep.kwargs)
    assert teller.tabellen, f"the recipe for {naam} changed no data: make it exercise the write"
    geschreven = AuditEntry.objects.count() - audit_voor
    assert geschreven > 0, f"{naam} wrote to {sorted(set(teller.tabellen))} without an audit record (R74)"
