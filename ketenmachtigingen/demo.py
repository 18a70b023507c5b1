"""This app's part of `manage.py demo` (idempotent): called after the organisations, people and machtigingen
of the manual exist.

Accountants Vries (intermediair, module enabled by the demo command) has invited relations in every state the
van-relaties page shows. The open invitation of Test BV Donald has a fixed demo link,
`/uitnodiging/demo-uitnodiging-donald/`: answer it as Donald Duck, born 09-06-1974 (the embedded
Handelsregister's vertegenwoordiger); the code is in the outbox (admin → Berichten)."""

import datetime as dt

from django.utils import timezone

from common.dates import plus_jaren, vandaag
from common.niveau import Niveau
from ketenmachtigingen.models import GevraagdeScope, Ketenmachtiging, Uitnodiging
from ketenmachtigingen.services.uitnodigingen import token_hash
from machtigingen.models import Scope

DEMO_TOKEN = "demo-uitnodiging-donald"

# (KvK, name, e-mail, status, opened, days until expiry)
UITNODIGINGEN = [
    ("68750110", "Test BV Donald", "donald@example.nl", Uitnodiging.Status.OPEN, False, 25),
    ("68727720", "Test NV Katrien", "katrien@example.nl", Uitnodiging.Status.OPEN, True, 20),
    ("58123406", "Administratiekantoor De Boer", "wilma@example.nl", Uitnodiging.Status.GEWEIGERD, True, 10),
    ("69599084", "Test EMZ Dagobert", "dagobert@example.nl", Uitnodiging.Status.VERLOPEN, False, -3),
    ("99966564", "Ketelaar Klip", "info@ketelaarklip.nl", Uitnodiging.Status.GEACCEPTEERD, True, 15),
]


def laad(organisaties: dict, middelen: dict) -> None:
    """`organisaties` maps KvK-nummer → Organisatie, `middelen` username → Middel (see beheer's demo command)."""
    vries = organisaties.get("47474747")
    if vries is None:
        return
    nu = timezone.now()
    door = middelen["mdevries"].persoon if "mdevries" in middelen else None
    for kvk, naam, email, status, geopend, dagen in UITNODIGINGEN:
        sleutel = DEMO_TOKEN if kvk == "68750110" else f"demo-{kvk}"
        u, nieuw = Uitnodiging.objects.get_or_create(
            token_hash=token_hash(sleutel),
            defaults=dict(
                intermediair=vries,
                uitgenodigd_door=door,
                kvk_nummer=kvk,
                naam=naam,
                email=email,
                scope=Scope.ALGEMEEN,
                niveau=Niveau.EH3,
                status=status,
                aangemaakt_op=nu - dt.timedelta(days=30 - dagen),
                verloopt_op=nu + dt.timedelta(days=dagen),
                geopend_op=nu - dt.timedelta(days=2) if geopend else None,
                beantwoord_op=nu - dt.timedelta(days=1) if status != Uitnodiging.Status.OPEN else None,
            ),
        )
        if not nieuw:
            continue
        GevraagdeScope.objects.create(uitnodiging=u, scope=Scope.ALGEMEEN, niveau=Niveau.EH3)
        if status == Uitnodiging.Status.GEACCEPTEERD and kvk in organisaties:
            begint_op = vandaag() - dt.timedelta(days=1)
            k = Ketenmachtiging.objects.create(
                verlener=organisaties[kvk],
                intermediair=vries,
                scope=Scope.ALGEMEEN,
                niveau=Niveau.EH3,
                begint_op=begint_op,
                eindigt_op=plus_jaren(begint_op, 5),
                aangevraagd_door=Ketenmachtiging.AangevraagdDoor.INTERMEDIAIR,
            )
            u.ketenmachtiging = k
            u.geaccepteerd_op = nu - dt.timedelta(days=1)
            u.vertegenwoordiger = "Johan Ketelaar"
            u.save(update_fields=["ketenmachtiging", "geaccepteerd_op", "vertegenwoordiger"])
            u.gevraagd.update(ketenmachtiging=k)
