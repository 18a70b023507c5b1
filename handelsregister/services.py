"""Loading the embedded Handelsregister from its JSON file (the register itself is chosen in `backend`)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from audit.acties import Actie
from audit.services import audit_log

from . import kvk_json
from .errors import OngeldigeWaarde
from .identifiers import valideer_kvk_nummer, valideer_postcode, valideer_rsin, valideer_vestigingsnummer
from .models import Inschrijving, Vestiging, WettelijkVertegenwoordiger


@dataclass(frozen=True)
class LaadResultaat:
    toegevoegd: list[str]
    bijgewerkt: list[str]
    ongewijzigd: list[str]


@dataclass(frozen=True)
class _Organisatie:
    """One entry of the file, checked and reduced to what the tables hold."""

    kvk_nummer: str
    naam: str
    rsin: str
    basisprofiel: dict
    zoekresultaten: list
    vestigingen: dict[str, tuple[str, bool]]  # vestigingsnummer -> (eerste handelsnaam, hoofdvestiging)
    vertegenwoordigers: list[tuple[str, object, str]]  # (naam, geboortedatum, bevoegdheid)


def _fout(positie: int, melding) -> OngeldigeWaarde:
    return OngeldigeWaarde(
        format_lazy(_("Organisatie {positie} in het bestand: {melding}"), positie=positie, melding=melding),
        code="handelsregister_bestand_ongeldig",
    )


def _controleer(positie: int, entry) -> _Organisatie:
    if not isinstance(entry, dict) or not isinstance(entry.get("basisprofiel"), dict):
        raise _fout(positie, _("er ontbreekt een basisprofiel."))
    zoeken = entry.get("zoeken") or {"resultaten": []}
    try:
        profiel = kvk_json.organisatieprofiel(
            entry["basisprofiel"],
            kvk_json.zoekresultaten(zoeken),
            [kvk_json.vertegenwoordiger(w) for w in entry.get("wettelijkVertegenwoordigers") or []],
        )
    except kvk_json.OngeldigAntwoord as exc:
        raise _fout(positie, str(exc)) from None
    try:
        valideer_kvk_nummer(profiel.kvk_nummer)
        if profiel.rsin:
            valideer_rsin(profiel.rsin)
        for resultaat in kvk_json.zoekresultaten(zoeken):
            if resultaat.kvk_nummer != profiel.kvk_nummer:
                raise _fout(positie, _("een zoekresultaat hoort bij een ander KvK-nummer."))
        for vestiging in profiel.vestigingen:
            valideer_vestigingsnummer(vestiging.vestigingsnummer)
        for adres in [profiel.adres, *(v.adres for v in profiel.vestigingen)]:
            if adres.postcode and not adres.buitenlands:
                valideer_postcode(adres.postcode)
    except OngeldigeWaarde as exc:
        if exc.code == "handelsregister_bestand_ongeldig":
            raise
        raise _fout(positie, exc.message) from None
    return _Organisatie(
        kvk_nummer=profiel.kvk_nummer,
        naam=profiel.naam,
        rsin=profiel.rsin,
        basisprofiel=entry["basisprofiel"],
        zoekresultaten=list(zoeken.get("resultaten") or []),
        vestigingen={v.vestigingsnummer: (v.eerste_handelsnaam, v.is_hoofdvestiging) for v in profiel.vestigingen},
        vertegenwoordigers=[(w.naam, w.geboortedatum, w.bevoegdheid) for w in profiel.wettelijk_vertegenwoordigers],
    )


def _controleer_bestand(data) -> list[_Organisatie]:
    entries = data.get("organisaties") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise OngeldigeWaarde(
            _("Het bestand bevat geen lijst 'organisaties'."), code="handelsregister_bestand_ongeldig"
        )
    organisaties = [_controleer(i, entry) for i, entry in enumerate(entries, start=1)]
    gezien_kvk: set[str] = set()
    gezien_vestiging: set[str] = set()
    for i, org in enumerate(organisaties, start=1):
        if org.kvk_nummer in gezien_kvk or gezien_vestiging & org.vestigingen.keys():
            raise _fout(i, _("het KvK-nummer of een vestigingsnummer staat al eerder in het bestand."))
        gezien_kvk.add(org.kvk_nummer)
        gezien_vestiging |= org.vestigingen.keys()
    return organisaties


def _opgeslagen(inschrijving: Inschrijving) -> _Organisatie:
    return _Organisatie(
        kvk_nummer=inschrijving.kvk_nummer,
        naam=inschrijving.naam,
        rsin=inschrijving.rsin,
        basisprofiel=inschrijving.basisprofiel,
        zoekresultaten=inschrijving.zoekresultaten,
        vestigingen={
            v.vestigingsnummer: (v.eerste_handelsnaam, v.is_hoofdvestiging) for v in inschrijving.vestigingen.all()
        },
        vertegenwoordigers=[
            (w.naam, w.geboortedatum, w.bevoegdheid) for w in inschrijving.wettelijk_vertegenwoordigers.all()
        ],
    )


@transaction.atomic
def handelsregister_laden(*, data: dict) -> LaadResultaat:
    """Load the embedded register from the parsed file: add new inschrijvingen, update changed ones in place.

    The whole file is checked before anything is written, so a bad file changes nothing. Inschrijvingen missing
    from the file are kept: the file may cover part of the register. Loading the same file twice changes nothing.
    """
    organisaties = _controleer_bestand(data)
    bestaand = {
        i.kvk_nummer: i
        for i in Inschrijving.objects.filter(kvk_nummer__in=[o.kvk_nummer for o in organisaties]).prefetch_related(
            "vestigingen", "wettelijk_vertegenwoordigers"
        )
    }
    toegevoegd, bijgewerkt, ongewijzigd = [], [], []
    for org in organisaties:
        inschrijving = bestaand.get(org.kvk_nummer)
        if inschrijving is not None and _opgeslagen(inschrijving) == org:
            ongewijzigd.append(org.kvk_nummer)
            continue
        (bijgewerkt if inschrijving else toegevoegd).append(org.kvk_nummer)
        inschrijving, _created = Inschrijving.objects.update_or_create(
            kvk_nummer=org.kvk_nummer,
            defaults={
                "naam": org.naam,
                "rsin": org.rsin,
                "basisprofiel": org.basisprofiel,
                "zoekresultaten": org.zoekresultaten,
            },
        )
        # A vestigingsnummer that moved here from another inschrijving leaves that one first.
        Vestiging.objects.filter(vestigingsnummer__in=org.vestigingen).exclude(inschrijving=inschrijving).delete()
        inschrijving.vestigingen.exclude(vestigingsnummer__in=org.vestigingen).delete()
        for nummer, (naam, is_hoofdvestiging) in org.vestigingen.items():
            Vestiging.objects.update_or_create(
                vestigingsnummer=nummer,
                defaults={
                    "inschrijving": inschrijving,
                    "eerste_handelsnaam": naam,
                    "is_hoofdvestiging": is_hoofdvestiging,
                },
            )
        inschrijving.wettelijk_vertegenwoordigers.all().delete()
        WettelijkVertegenwoordiger.objects.bulk_create(
            WettelijkVertegenwoordiger(
                inschrijving=inschrijving, volgorde=i, naam=naam, geboortedatum=geboren, bevoegdheid=bevoegdheid
            )
            for i, (naam, geboren, bevoegdheid) in enumerate(org.vertegenwoordigers)
        )

    if toegevoegd or bijgewerkt:
        audit_log(
            actor=None,
            organisatie=None,
            actie=Actie.HANDELSREGISTER_GELADEN,
            omschrijving=f"Handelsregister geladen: {len(toegevoegd)} toegevoegd, {len(bijgewerkt)} bijgewerkt",
            na={"toegevoegd": toegevoegd, "bijgewerkt": bijgewerkt},
        )
    return LaadResultaat(toegevoegd=toegevoegd, bijgewerkt=bijgewerkt, ongewijzigd=ongewijzigd)
