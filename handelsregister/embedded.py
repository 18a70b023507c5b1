"""The embedded register: answers from the tables `load_handelsregister` fills, offline."""

from django.db.models import Prefetch, Q

from . import kvk_json
from .base import Handelsregister, niet_gevonden_kvk, niet_gevonden_vestiging
from .models import Inschrijving, WettelijkVertegenwoordiger
from .records import Organisatieprofiel, Zoekresultaat
from .records import WettelijkVertegenwoordiger as Vertegenwoordiger


def _met_vertegenwoordigers():
    return Inschrijving.objects.prefetch_related(
        Prefetch("wettelijk_vertegenwoordigers", queryset=WettelijkVertegenwoordiger.objects.order_by("volgorde"))
    )


def _profiel(inschrijving: Inschrijving, *, vestigingsnummer: str = "") -> Organisatieprofiel:
    return kvk_json.organisatieprofiel(
        inschrijving.basisprofiel,
        kvk_json.zoekresultaten({"resultaten": inschrijving.zoekresultaten}),
        [
            Vertegenwoordiger(naam=w.naam, geboortedatum=w.geboortedatum, bevoegdheid=w.bevoegdheid)
            for w in inschrijving.wettelijk_vertegenwoordigers.all()
        ],
        vestigingsnummer=vestigingsnummer,
    )


class EmbeddedHandelsregister(Handelsregister):
    def _profiel(self, kvk_nummer: str) -> Organisatieprofiel:
        inschrijving = _met_vertegenwoordigers().filter(kvk_nummer=kvk_nummer).first()
        if inschrijving is None:
            raise niet_gevonden_kvk(kvk_nummer)
        return _profiel(inschrijving)

    def _profiel_van_vestiging(self, vestigingsnummer: str) -> Organisatieprofiel:
        inschrijving = _met_vertegenwoordigers().filter(vestigingen__vestigingsnummer=vestigingsnummer).first()
        if inschrijving is None:
            raise niet_gevonden_vestiging(vestigingsnummer)
        return _profiel(inschrijving, vestigingsnummer=vestigingsnummer)

    def _zoeken(self, criteria: dict[str, str]) -> list[Zoekresultaat]:
        inschrijvingen = Inschrijving.objects.all()
        if "kvkNummer" in criteria:
            inschrijvingen = inschrijvingen.filter(kvk_nummer=criteria["kvkNummer"])
        if "vestigingsnummer" in criteria:
            inschrijvingen = inschrijvingen.filter(vestigingen__vestigingsnummer=criteria["vestigingsnummer"])
        naam = criteria.get("naam", "").casefold()
        if naam:
            inschrijvingen = inschrijvingen.filter(
                Q(naam__icontains=naam) | Q(vestigingen__eerste_handelsnaam__icontains=naam)
            ).distinct()

        resultaten = []
        for inschrijving in inschrijvingen.order_by("naam", "kvk_nummer"):
            naam_past = naam in inschrijving.naam.casefold()
            for r in kvk_json.zoekresultaten({"resultaten": inschrijving.zoekresultaten}):
                # Like the KvK API: one answer per vestiging (and one for the rechtspersoon), each filtered.
                if "vestigingsnummer" in criteria and r.vestigingsnummer != criteria["vestigingsnummer"]:
                    continue
                if naam and not (naam_past or naam in r.naam.casefold()):
                    continue
                resultaten.append(r)
        return resultaten
