"""Loads the demo data: the organisations and people of the manual, in every status (idempotent).

Run by `make run`. Every demo password is DEMO_WACHTWOORD. Running it again changes nothing that is
already there; dates are relative to today so the "ending within two months" example stays true.
"""

import datetime as dt
import hashlib

from django.contrib.auth.models import Group
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from api import demo as api_demo
from catalogus import voorbeeld
from catalogus.models import Dienst, Dienstverlener
from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from groepen import demo as groepen_demo
from handelsregister.backend import get_handelsregister
from instellingen import demo as instellingen_demo
from ketenmachtigingen import demo as ketenmachtigingen_demo
from ketenmachtigingen.models import Ketenmachtiging, KetenmachtigingMiddel, KetenModule
from machtigingen.models import Machtiging, Scope
from organisaties.models import Organisatie

DEMO_WACHTWOORD = "demo-wachtwoord"


def demo_otp_sleutel(username: str) -> str:
    """A fixed 20-byte key (hex) per demo person, so demo OTP codes can be computed; never used outside the demo."""
    return hashlib.sha1(f"demo-otp:{username}".encode()).hexdigest()  # noqa: S324


# The manual's organisations; name, address and RSIN come from the embedded Handelsregister.
ORGANISATIES = {
    "12345678": "0101234567",  # Santos B.V.
    "99966564": "0207654321",  # Ketelaar Klip
    "65688708": "0102345678",  # Signicat AS
    "47474747": "0303456789",  # Accountants Vries (intermediair)
    "24444001": "0104567890",  # Connected Information Systems B.V.
}

# username, voornamen, tussenvoegsel, achternaam, email, mobiel, niveau, type, status, tweede factor
PERSONEN = [
    (
        "jbakker",
        "Joost",
        "",
        "Bakker",
        "joostbakker@example.com",
        "+31641556520",
        Niveau.EH3,
        "regulier",
        "actief",
        "sms",
    ),
    (
        "kbulters",
        "Katarina",
        "",
        "Bulters",
        "katarina.bulters@example.com",
        "+31612345678",
        Niveau.EH2_PLUS,
        "regulier",
        "actief",
        "sms",
    ),
    (
        None,
        "Harry",
        "",
        "Hendriks",
        "harry@example.com",
        "+31612345678",
        Niveau.EH3,
        "regulier",
        "wachten_op_activatie",
        "sms",
    ),
    (
        "pdejong",
        "Pieter",
        "de",
        "Jong",
        "p.dejong@domein.nl",
        "+31624682468",
        Niveau.EH3,
        "belastingdienst",
        "actief",
        "sms",
    ),
    ("wbakker", "Willem", "", "Bakker", "w.bakker@example.com", "+31687654321", Niveau.EH2, "regulier", "actief", ""),
    (
        "sveenstra",
        "Sanne",
        "",
        "Veenstra",
        "s.veenstra@example.com",
        "+31698765432",
        Niveau.EH3,
        "regulier",
        "actief",
        "otp",
    ),
    (
        None,
        "Anouk",
        "",
        "Zeeuw",
        "a.zeeuw@domein.nl",
        "+31622955550",
        Niveau.EH2_PLUS,
        "regulier",
        "wachten_op_goedkeuring",
        "sms",
    ),
    (None, "Ruben", "", "Smit", "r.smit@example.com", "", Niveau.EH3, "regulier", "activatie_verlopen", "otp"),
    (
        "mdevries",
        "Marieke",
        "de",
        "Vries",
        "marieke@accountantsvries.nl",
        "+31611112222",
        Niveau.EH3,
        "regulier",
        "actief",
        "sms",
    ),
    (
        "tjansen",
        "Tom",
        "",
        "Jansen",
        "tom@accountantsvries.nl",
        "+31633334444",
        Niveau.EH3,
        "regulier",
        "actief",
        "otp",
    ),
    (
        "gdegroot",
        "Gerard",
        "de",
        "Groot",
        "g.degroot@connectis.nl",
        "+31655556666",
        Niveau.EH4,
        "regulier",
        "actief",
        "otp",
    ),
]

# username or achternaam → [(kvk, rol)]
KOPPELINGEN = {
    "Bakker/Joost": [("12345678", "beheerder"), ("99966564", "beheerder"), ("65688708", "beheerder")],
    "Bulters": [("12345678", "gebruiker"), ("99966564", "gebruiker")],
    "Hendriks": [("12345678", "beheerder")],
    "Jong": [("12345678", "gebruiker")],
    "Bakker/Willem": [("12345678", "gebruiker")],
    "Veenstra": [("12345678", "gebruiker")],
    "Zeeuw": [("12345678", "gebruiker")],
    "Smit": [("12345678", "gebruiker")],
    "Vries": [("47474747", "beheerder")],
    "Jansen": [("47474747", "gebruiker")],
    "Groot": [("24444001", "beheerder")],
}


class Command(BaseCommand):
    help = "Laadt de demogegevens uit de handleiding (idempotent)."

    def handle(self, *args, **options):
        call_command("import_dienstencatalogus", str(voorbeeld.BESTAND), stdout=self.stdout)
        self._handelsregister()
        with transaction.atomic():
            organisaties = self._organisaties()
            middelen = self._personen(organisaties)
            self._machtigingen(organisaties, middelen)
            self._ketenmachtigingen(organisaties, middelen)
            self._support()
            # Each rubriek adds its own demo data (groups, invitations, settings, API clients).
            for app_demo in (groepen_demo, ketenmachtigingen_demo, instellingen_demo, api_demo):
                app_demo.laad(organisaties, middelen)
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))

    def _handelsregister(self):
        call_command("load_handelsregister", stdout=self.stdout)

    def _organisaties(self) -> dict[str, Organisatie]:
        register = get_handelsregister()
        result = {}
        for kvk, telefoon in ORGANISATIES.items():
            profiel = register.zoek_op_kvk_nummer(kvk)
            adres = profiel.adres
            organisatie, _ = Organisatie.objects.get_or_create(
                kvk_nummer=kvk,
                vestigingsnummer="",
                defaults=dict(
                    naam=profiel.naam,
                    rsin=profiel.rsin,
                    straat=adres.straat,
                    huisnummer=f"{adres.huisnummer}{adres.huisletter}",
                    postcode=adres.postcode,
                    plaats=adres.plaats,
                    land=adres.land,
                    telefoon=telefoon,
                    klantnummer=f"98{kvk[-4:]}",
                    factuur_email=f"factuur@{profiel.naam.split()[0].lower()}.example.nl",
                ),
            )
            result[kvk] = organisatie
        return result

    def _personen(self, organisaties) -> dict[str, Middel]:
        middelen = {}
        nu = timezone.now()
        today = vandaag()
        for username, voornamen, tv, achternaam, email, mobiel, niveau, type_, status, factor in PERSONEN:
            persoon = Persoon.objects.filter(email=email).first()
            if persoon is None:
                persoon = Persoon(
                    username=username,
                    voornamen=voornamen,
                    tussenvoegsel=tv,
                    achternaam=achternaam,
                    email=email,
                    mobiel=mobiel,
                    geboortedatum=dt.date(1975, 3, 4),
                )
                if username:
                    persoon.set_password(DEMO_WACHTWOORD)
                else:
                    persoon.set_unusable_password()
                persoon.save()
            middel = getattr(persoon, "middel", None) or Middel.objects.create(
                persoon=persoon,
                niveau=niveau,
                type=type_,
                status=status,
                tweede_factor=factor,
                aangevraagd_op=nu - dt.timedelta(days=90),
            )
            if status == "actief" and middel.geactiveerd_op is None:
                middel.goedgekeurd_op = nu - dt.timedelta(days=80)
                middel.geactiveerd_op = nu - dt.timedelta(days=75)
            elif status == "wachten_op_activatie":
                middel.goedgekeurd_op = nu - dt.timedelta(days=3)
                middel.activeren_tot = today + dt.timedelta(days=27)
            elif status == "activatie_verlopen":
                middel.goedgekeurd_op = nu - dt.timedelta(days=45)
                middel.activeren_tot = today - dt.timedelta(days=15)
                middel.activatie_verlopen_op = today - dt.timedelta(days=15)
            if niveau == Niveau.EH3 and type_ == "regulier":
                middel.id_land, middel.id_postcode, middel.id_huisnummer = "Nederland", "3011 AD", "40"
                middel.id_straat, middel.id_plaats = "Coolsingel", "Rotterdam"
            middel.save()
            sleutel = achternaam if achternaam != "Bakker" else f"Bakker/{voornamen}"
            for kvk, rol in KOPPELINGEN[sleutel]:
                koppeling_status = {"actief": "actief", "wachten_op_goedkeuring": "aangevraagd"}.get(status, "actief")
                jaren = 3 if achternaam == "Hendriks" else 1
                Koppeling.objects.get_or_create(
                    middel=middel,
                    organisatie=organisaties[kvk],
                    defaults=dict(
                        rol=rol,
                        status=koppeling_status,
                        abonnement_jaren=jaren,
                        abonnement_start=today - dt.timedelta(days=75),
                        abonnement_eind=plus_jaren(today - dt.timedelta(days=75), jaren),
                    ),
                )
            if status == "wachten_op_goedkeuring":
                Aanvraag.objects.get_or_create(
                    middel=middel,
                    soort=Aanvraag.Soort.NIEUW_MIDDEL,
                    defaults=dict(
                        organisatie=organisaties["12345678"],
                        aangevraagd_door=middelen["jbakker"].persoon,
                        gegevens={
                            "niveau": "EH2+",
                            "rol": "gebruiker",
                            "abonnement_jaren": 1,
                            "kosten_geaccepteerd": True,
                        },
                    ),
                )
            if factor == "otp" and username:
                # A confirmed OTP device with a fixed demo key; `manage.py otp_code <username>` shows its code.
                TOTPDevice.objects.get_or_create(
                    user=persoon,
                    defaults={"name": "OTP device", "confirmed": True, "key": demo_otp_sleutel(username)},
                )
            middelen[username or email] = middel
        return middelen

    def _machtigingen(self, organisaties, middelen):
        santos = organisaties["12345678"]
        today = vandaag()
        diensten = {d.service_uuid: d for d in Dienst.objects.all()}
        rijen = [
            ("kbulters", voorbeeld.AA_EN_HUNZE_BRP_UITTREKSEL, plus_jaren(today, 4)),
            ("kbulters", voorbeeld.BAARN_ZAAKSYSTEEM, today + dt.timedelta(days=40)),  # ends within two months
            ("kbulters", voorbeeld.MIJN_OVERHEID_ONDERNEMERS, plus_jaren(today, 3)),
            ("wbakker", voorbeeld.LANDELIJK_ASBESTVOLGSYSTEEM, plus_jaren(today, 2)),
            ("sveenstra", voorbeeld.LANDELIJK_ASBESTVOLGSYSTEEM, today + dt.timedelta(days=20)),
            ("sveenstra", voorbeeld.HAARLEM_TIJDELIJKE_PARKEERVERGUNNING, plus_jaren(today, 1)),
            ("pdejong", voorbeeld.AANGIFTE_OMZETBELASTING, plus_jaren(today, 4)),
            ("jbakker", voorbeeld.UWV_WERKGEVERSPORTAAL, plus_jaren(today, 4)),
        ]
        for username, uuid_, eind in rijen:
            dienst = diensten.get(uuid_)
            middel = middelen[username]
            if dienst is None or middel.niveau < dienst.niveau:
                continue
            Machtiging.objects.get_or_create(
                middel=middel,
                organisatie=santos,
                scope=Scope.DIENST,
                dienst=dienst,
                status="actief",
                defaults=dict(begint_op=today - dt.timedelta(days=60), eindigt_op=eind),
            )
        Machtiging.objects.get_or_create(
            middel=middelen["jbakker"],
            organisatie=santos,
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            status="actief",
            defaults=dict(begint_op=today - dt.timedelta(days=60), eindigt_op=plus_jaren(today, 4)),
        )
        belastingdienst = Dienstverlener.objects.filter(oin=voorbeeld.BELASTINGDIENST_OIN).first()
        if belastingdienst:
            Machtiging.objects.get_or_create(
                middel=middelen["kbulters"],
                organisatie=organisaties["99966564"],
                scope=Scope.DIENSTVERLENER,
                dienstverlener=belastingdienst,
                status="actief",
                defaults=dict(begint_op=today - dt.timedelta(days=30), eindigt_op=plus_jaren(today, 2)),
            )

    def _ketenmachtigingen(self, organisaties, middelen):
        today = vandaag()
        vries = organisaties["47474747"]
        KetenModule.objects.get_or_create(
            organisatie=vries,
            defaults=dict(status=KetenModule.Status.INGESCHAKELD, ingeschakeld_op=timezone.now()),
        )
        keten, _ = Ketenmachtiging.objects.get_or_create(
            verlener=organisaties["12345678"],
            intermediair=vries,
            scope=Scope.ALGEMEEN,
            niveau=Niveau.EH3,
            status="actief",
            defaults=dict(
                begint_op=today - dt.timedelta(days=10),
                eindigt_op=plus_jaren(today - dt.timedelta(days=10), 5),
                afgegeven_door=middelen["jbakker"].persoon,
                intermediair_email="info@accountantsvries.nl",
            ),
        )
        for username in ("mdevries", "tjansen"):
            KetenmachtigingMiddel.objects.get_or_create(
                ketenmachtiging=keten,
                middel=middelen[username],
                defaults=dict(gekoppeld_door=middelen["mdevries"].persoon),
            )

    def _support(self):
        # The "Support" group and its permissions come from a migration (audit 0003); a support agent is no superuser.
        support = Persoon.objects.filter(username="support").first()
        if support is None:
            support = Persoon.objects.create_user(
                "support",
                DEMO_WACHTWOORD,
                voornamen="Sam",
                achternaam="Support",
                email="support@beheermodule.example",
                is_staff=True,
            )
        support.groups.add(Group.objects.get(name="Support"))
        # The admin asks a second factor (config/urls.py): the demo's authenticator, its code from `manage.py otp_code support`.
        TOTPDevice.objects.get_or_create(
            user=support,
            defaults={"name": "Authenticator", "confirmed": True, "key": demo_otp_sleutel("support")},
        )
