"""The gebruikers overview of a small, a large and a very large organisation, each against a bare view that renders
the same visible rows (the first page: OVERZICHT_PAGINA people).

Both sides are GET requests through Django's test client, signed in as the organisation's beheerder with the
second factor passed, so both pay the same middleware (session, person, organisation); the difference is the
selector, the template and the HTMX markup of the real page versus one raw query and a string join.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.data import insert_rows, maak_diensten
from bench.registry import Benchmark, BenchmarkError, benchmark
from common.niveau import Niveau
from gebruikers.models import Aanvraag, Koppeling, Middel, Persoon
from gebruikers.selectors import OVERZICHT_PAGINA
from machtigingen.models import Machtiging, Scope, Status
from organisaties.models import Organisatie

FULL_ROWS = 2_000
MACHTIGINGEN_PER_PERSOON = 10
BARE_URL = "/bench/bare-gebruikers/"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert(model, rijen: Iterator[dict]) -> int:
    """insert_rows for dicts of field values. insert_rows writes raw rows, so every NOT NULL column without a
    database default must be given: the fields left out get their model default, evaluated per row (a callable
    default such as Middel.publieke_id's uuid4 must differ from row to row)."""
    velden = [f for f in model._meta.concrete_fields if not f.primary_key]
    namen = [f.name for f in velden]
    return insert_rows(
        model, namen, (tuple(rij[f.name] if f.name in rij else f.get_default() for f in velden) for rij in rijen)
    )


def maak_organisatie_met_personen(aantal: int, *, seed: int = 7) -> tuple[Organisatie, Persoon]:
    """One organisation with `aantal` people (the first an Actief EH3 beheerder) in the states of the manual:
    mostly Actief, some waiting for approval or activation, some with an expired activation, some with an
    open aanvraag (R13); a few terminated ones that must not be listed. Returns the organisation and its
    beheerder."""
    rng = random.Random(seed)
    nu = timezone.now()
    vandaag = timezone.localdate()
    organisatie = Organisatie.objects.create(
        naam="Bench Gebruikers B.V.", kvk_nummer="31000001", straat="Stationsplein", huisnummer="1"
    )
    voornamen = ["Jan", "Anna", "Pieter", "Fatima", "Sanne", "Mohamed", "Katarina", "Harry"]
    achternamen = ["Bakker", "Bulters", "Hendriks", "de Jong", "Smit", "Zeeuw", "Veenstra", "Jansen"]
    _insert(
        Persoon,
        (
            {
                "username": f"bench-gebruiker-{i}",
                "password": "!",  # unusable: nobody logs in with a password here
                "voornamen": rng.choice(voornamen),
                "achternaam": f"{rng.choice(achternamen)}{i}",
                "email": f"gebruiker{i}@bench.example",
                "mobiel": f"+316{i:08d}",
                "aangemaakt_op": nu,
            }
            for i in range(aantal)
        ),
    )
    persoon_ids = list(
        Persoon.objects.filter(username__startswith="bench-gebruiker-").order_by("pk").values_list("pk", flat=True)
    )
    statussen = (
        [Middel.Status.ACTIEF] * 14
        + [Middel.Status.WACHTEN_OP_GOEDKEURING, Middel.Status.WACHTEN_OP_ACTIVATIE]
        + [Middel.Status.ACTIVATIE_VERLOPEN, Middel.Status.BEEINDIGD]
    )
    niveaus = [Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH3, Niveau.EH4]

    def middel(i: int, persoon_id: int) -> dict:
        status = Middel.Status.ACTIEF if i == 0 else rng.choice(statussen)
        return {
            "persoon": persoon_id,
            "niveau": Niveau.EH3 if i == 0 else rng.choice(niveaus),
            "status": status,
            "tweede_factor": rng.choice([Middel.TweedeFactor.SMS] * 3 + [Middel.TweedeFactor.OTP]),
            "aangevraagd_op": nu,
            "geactiveerd_op": nu if status == Middel.Status.ACTIEF else None,
            "activeren_tot": vandaag + dt.timedelta(days=20) if status == Middel.Status.WACHTEN_OP_ACTIVATIE else None,
            "activatie_verlopen_op": (
                vandaag - dt.timedelta(days=5) if status == Middel.Status.ACTIVATIE_VERLOPEN else None
            ),
        }

    _insert(Middel, (middel(i, pk) for i, pk in enumerate(persoon_ids)))
    middelen = list(
        Middel.objects.filter(persoon_id__in=persoon_ids)
        .order_by("persoon_id")
        .values_list("pk", "status", "persoon__achternaam", "persoon__voornamen")
    )
    _insert(
        Koppeling,
        (
            {
                "middel": middel_id,
                "organisatie": organisatie.pk,
                "rol": Koppeling.Rol.BEHEERDER if i == 0 or i % 50 == 0 else Koppeling.Rol.GEBRUIKER,
                "status": Koppeling.Status.BEEINDIGD if status == Middel.Status.BEEINDIGD else Koppeling.Status.ACTIEF,
                "abonnement_start": vandaag,
                "aangemaakt_op": nu,
                # Raw rows skip Koppeling.save, which copies the name (the overview's sort key).
                "persoon_achternaam": achternaam,
                "persoon_voornamen": voornamen,
            }
            for i, (middel_id, status, achternaam, voornamen) in enumerate(middelen)
        ),
    )
    _insert(
        Aanvraag,
        (
            {
                "soort": Aanvraag.Soort.UPGRADE,
                "organisatie": organisatie.pk,
                "middel": middel_id,
                "aangevraagd_op": nu,
                "gegevens": {},
            }
            for i, (middel_id, status, *_naam) in enumerate(middelen)
            if i % 25 == 1 and status == Middel.Status.ACTIEF
        ),
    )
    beheerder = Persoon.objects.get(pk=persoon_ids[0])
    return organisatie, beheerder


def zichtbaar_aantal(organisatie: Organisatie) -> int:
    return (
        Koppeling.objects.filter(organisatie=organisatie)
        .exclude(status=Koppeling.Status.BEEINDIGD)
        .exclude(middel__status__in=(Middel.Status.AFGEKEURD, Middel.Status.BEEINDIGD))
        .count()
    )


def ingelogde_client(persoon: Persoon) -> Client:
    """A test client signed in as `persoon` with the second factor passed (R2), as django_otp.login leaves it."""
    client = Client()
    client.force_login(persoon)
    apparaat = TOTPDevice.objects.create(user=persoon, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    session.save()
    return client


def maak_machtigingen(organisatie: Organisatie, aantal: int, *, seed: int = 11) -> int:
    """`aantal` lopende machtigingen for the organisation's Actief middelen, each on a different dienst."""
    rng = random.Random(seed)
    middel_ids = list(
        Koppeling.objects.filter(organisatie=organisatie, middel__status=Middel.Status.ACTIEF).values_list(
            "middel_id", flat=True
        )
    )
    per_middel = max(1, -(-aantal // max(1, len(middel_ids))))
    _, diensten = maak_diensten(10, per_middel + 5, rng)
    vandaag = timezone.localdate()
    nu = timezone.now()
    fields = ("middel", "organisatie", "scope", "dienst", "begint_op", "eindigt_op", "status", "aangemaakt_op")

    def rijen() -> Iterator[Sequence]:
        n = 0
        for middel_id in middel_ids:
            for j in range(per_middel):
                if n >= aantal:
                    return
                begint = vandaag - dt.timedelta(days=rng.randint(0, 700))
                eindigt = begint + dt.timedelta(days=rng.choice([365, 3 * 365, 5 * 365]))
                if eindigt <= vandaag:
                    eindigt = vandaag + dt.timedelta(days=rng.randint(1, 400))
                yield (middel_id, organisatie.pk, Scope.DIENST, diensten[j][0], begint, eindigt, Status.ACTIEF, nu)
                n += 1

    return insert_rows(Machtiging, fields, rijen())


BARE_SQL = """
SELECT p.id, p.voornamen, p.tussenvoegsel, p.achternaam, p.email, k.rol, m.status, m.niveau,
       EXISTS(SELECT 1 FROM {aanvraag} a WHERE a.middel_id = m.id AND a.status = %s)
FROM {koppeling} k
JOIN {middel} m ON m.id = k.middel_id
JOIN {persoon} p ON p.id = m.persoon_id
WHERE k.organisatie_id = %s AND k.status <> %s AND m.status NOT IN (%s, %s)
ORDER BY p.achternaam, p.voornamen, k.id
LIMIT %s
"""


def bare_view(request):
    """The bare minimum: the chosen organisation, one raw query for the rows the overview shows at first
    (its first page, and one more to know a next page exists), one string join."""
    organisatie = request.beheer.organisatie
    sql = BARE_SQL.format(
        aanvraag=_q(Aanvraag._meta.db_table),
        koppeling=_q(Koppeling._meta.db_table),
        middel=_q(Middel._meta.db_table),
        persoon=_q(Persoon._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                Aanvraag.Status.IN_BEHANDELING,
                organisatie.pk,
                Koppeling.Status.BEEINDIGD,
                Middel.Status.AFGEKEURD,
                Middel.Status.BEEINDIGD,
                OVERZICHT_PAGINA + 1,
            ],
        )
        rows = cursor.fetchall()
    html = "".join(
        f"<li>{escape(v)} {escape(t)} {escape(a)} {escape(e)} {r} {s} {n} {int(bool(mut))}</li>"
        for _pk, v, t, a, e, r, s, n, mut in rows[:OVERZICHT_PAGINA]
    )
    meer = f'<a href="?na={rows[OVERZICHT_PAGINA - 1][0]}">meer</a>' if len(rows) > OVERZICHT_PAGINA else ""
    return HttpResponse(f"<ul>{html}</ul>{meer}")


# Both sides run under this URLconf (the bare view, then the project's own URLs), set once for the benchmark:
# switching ROOT_URLCONF around each bare call would empty Django's URL caches, and every real call after it
# would pay for rebuilding them (the resolver and every reverse()), which no deployment does.
urlpatterns = [path(BARE_URL.strip("/") + "/", bare_view), path("", include(settings.ROOT_URLCONF))]


@benchmark(name="gebruikers_overzicht", rows=FULL_ROWS)
class GebruikersOverzicht(Benchmark):
    """GET /beheer/gebruikers/ for 2,000 people and 20,000 machtigingen vs a raw query and a string join."""

    def skip_reason(self) -> str | None:
        try:
            reverse("gebruikers:overzicht")
        except NoReverseMatch:
            return "the gebruikers overview does not exist yet"
        return None

    def prepare(self) -> None:
        self.organisatie, beheerder = maak_organisatie_met_personen(self.rows)
        maak_machtigingen(self.organisatie, self.rows * MACHTIGINGEN_PER_PERSOON)
        # The first screen shows the first page only, whatever the organisation's size.
        self.expected = min(zichtbaar_aantal(self.organisatie), OVERZICHT_PAGINA)
        self.client = ingelogde_client(beheerder)
        self.url = reverse("gebruikers:overzicht")
        with connection.cursor() as cursor:
            for model in (Persoon, Middel, Koppeling, Aanvraag, Machtiging):
                cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")
        self.urlconf = override_settings(ROOT_URLCONF=__name__)
        self.urlconf.enable()

    def run(self) -> int:
        response = self.client.get(self.url)
        if response.status_code != 200:
            raise BenchmarkError(f"the overview answered {response.status_code}")
        return response.content.decode().count('<li class="bm-gebruiker"')

    def baseline(self) -> int:
        response = self.client.get(BARE_URL)
        if response.status_code != 200:
            raise BenchmarkError(f"the bare view answered {response.status_code}")
        return response.content.decode().count("<li>")

    def check(self, result, *, baseline: bool) -> None:
        if result != self.expected:
            side = "baseline" if baseline else "overview"
            raise BenchmarkError(f"the {side} listed {result} people, expected {self.expected}")

    def finish(self) -> None:
        self.urlconf.disable()


# The same screen for a small and a very large organisation: its time must not grow with the organisation.
@benchmark(name="gebruikers_overzicht_200", rows=200)
class GebruikersOverzichtKlein(GebruikersOverzicht):
    """GET /beheer/gebruikers/ for 200 people and 2,000 machtigingen vs a raw query and a string join."""


@benchmark(name="gebruikers_overzicht_20000", rows=20_000)
class GebruikersOverzichtGroot(GebruikersOverzicht):
    """GET /beheer/gebruikers/ for 20,000 people and 200,000 machtigingen vs a raw query and a string join."""
