"""This app's part of `manage.py demo` (idempotent): called after the organisations, people and machtigingen
of the manual exist.

Adds what Instellingen needs to be tried (§2.4.2): two organisations registered with a vestigingsnummer, both
managed by G. de Groot (`gdegroot`): Test EMZ Dagobert has one vestiging in the Handelsregister, so its
vestigingsnummer can be removed with the potlood; Stichting Test Bolderbast has several, so it shows the route to
the wijzigingsformulier. And the surcharges of the old invoicing choices (R52), so "extra kosten per factuur"
shows an amount (demo amounts: the sources name none; support sets the real ones in the tariff table).
"""

import datetime as dt
from decimal import Decimal

from common.dates import plus_jaren, vandaag
from facturatie.models import Tarief
from gebruikers.models import Koppeling
from handelsregister.backend import get_handelsregister
from organisaties.models import Organisatie

MET_VESTIGINGSNUMMER = [
    ("69599084", "000038509504", "0201112233"),  # Test EMZ Dagobert: one vestiging
    ("69599068", "990064773207", "0304445566"),  # Stichting Test Bolderbast: a nevenvestiging of two
]
TOESLAGEN = {
    Tarief.Code.TOESLAG_BANKOVERSCHRIJVING: Decimal("2.50"),
    Tarief.Code.TOESLAG_FACTUUR_POST: Decimal("1.95"),
}


def laad(organisaties: dict, middelen: dict) -> None:
    """`organisaties` maps KvK-nummer → Organisatie, `middelen` username → Middel (see beheer's demo command)."""
    for code, bedrag in TOESLAGEN.items():
        Tarief.objects.get_or_create(code=code, periode=Tarief.Periode.PER_FACTUUR, defaults={"bedrag": bedrag})

    beheerder = middelen.get("gdegroot")
    register = get_handelsregister()
    begin = vandaag() - dt.timedelta(days=60)
    for kvk, vestigingsnummer, telefoon in MET_VESTIGINGSNUMMER:
        # Looked up by KvK-nummer alone: once the vestigingsnummer is removed, a rerun must not add it again.
        organisatie = Organisatie.objects.filter(kvk_nummer=kvk).order_by("pk").first()
        if organisatie is None:
            profiel = register.zoek_op_vestigingsnummer(vestigingsnummer)
            adres = profiel.adres
            organisatie = Organisatie.objects.create(
                kvk_nummer=kvk,
                vestigingsnummer=vestigingsnummer,
                naam=profiel.naam,
                rsin=profiel.rsin,
                straat=adres.straat,
                huisnummer=f"{adres.huisnummer}{adres.huisletter}",
                postcode=adres.postcode,
                plaats=adres.plaats,
                land=adres.land,
                telefoon=telefoon,
                klantnummer=f"98{kvk[-4:]}",
                factuur_email=f"factuur@{kvk}.example.nl",
            )
        if beheerder is not None:
            Koppeling.objects.get_or_create(
                middel=beheerder,
                organisatie=organisatie,
                defaults=dict(
                    rol=Koppeling.Rol.BEHEERDER,
                    status=Koppeling.Status.ACTIEF,
                    abonnement_jaren=1,
                    abonnement_start=begin,
                    abonnement_eind=plus_jaren(begin, 1),
                ),
            )
