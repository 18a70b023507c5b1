"""Fast population of the benchmark database, through the models' metadata so columns never drift.

Small sets (organisaties, personen, middelen, diensten) go through `bulk_create`; the big ones through
`insert_rows`, a raw multi-row `executemany` that skips model instances altogether. Everything is seeded,
so two runs at the same scale hold the same data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from catalogus.models import Dienst, Dienstverlener
from common.niveau import Niveau
from gebruikers.models import Koppeling, Middel, Persoon
from organisaties.models import Organisatie

BATCH = 5_000
# Values these field types need converting for the database (dates as text on SQLite, UUIDs as hex, ...).
_CONVERTED = {"DateField", "DateTimeField", "UUIDField", "JSONField", "DecimalField"}


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence], *, batch: int = BATCH) -> int:
    """INSERT rows given as tuples in the order of `fields` (model field names); returns the count."""
    opts = model._meta
    model_fields = [opts.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    sql = f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({columns}) VALUES ({placeholders})"
    converters = [(i, _converter(f)) for i, f in enumerate(model_fields) if f.get_internal_type() in _CONVERTED]
    count = 0
    chunk: list[Sequence] = []

    def flush() -> None:
        if converters:
            for n, row in enumerate(chunk):
                row = list(row)
                for i, convert in converters:
                    row[i] = convert(row[i])
                chunk[n] = row
        with connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
        chunk.clear()

    with transaction.atomic():
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                count += len(chunk)
                flush()
        if chunk:
            count += len(chunk)
            flush()
    return count


def _converter(field):
    """The field's own conversion, remembered per value: dates and timestamps repeat a lot in bulk data."""
    memo: dict = {}

    def convert(value):
        try:
            return memo[value]
        except KeyError:
            memo[value] = converted = field.get_db_prep_save(value, connection)
            return converted
        except TypeError:  # unhashable (JSON)
            return field.get_db_prep_save(value, connection)

    return convert


def scaled(full: int, rows: int, full_rows: int, minimum: int = 1) -> int:
    """A count proportional to `rows`, e.g. the number of middelen for `rows` machtigingen."""
    return max(minimum, round(full * rows / full_rows))


@dataclass
class Wereld:
    """What `maak_wereld` made: ids to hang machtigingen, exports or views on."""

    organisatie_ids: list[int]
    # (middel_id, organisatie_id, middel niveau) of each active koppeling
    koppelingen: list[tuple[int, int, int]]
    dienstverlener_ids: list[int]
    # (dienst_id, dienstverlener_id, niveau)
    diensten: list[tuple[int, int, int]]


def maak_organisaties(n: int, rng: random.Random) -> list[int]:
    objs = [
        Organisatie(
            naam=f"Bench {i} B.V.",
            kvk_nummer=f"{30000000 + i:08d}",
            straat="Stationsplein",
            huisnummer=str(rng.randint(1, 300)),
            postcode="1012 AB",
            plaats="Amsterdam",
            status=Organisatie.Status.ACTIEF,
        )
        for i in range(n)
    ]
    return [o.pk for o in Organisatie.objects.bulk_create(objs, batch_size=2_000)]


def maak_middelen(n: int, organisatie_ids: Sequence[int], rng: random.Random) -> list[tuple[int, int, int]]:
    """`n` active persons with an active middel, each linked to one organisation (the first few as beheerder)."""
    nu = timezone.now()
    personen = Persoon.objects.bulk_create(
        [
            Persoon(
                username=f"bench{i}",
                password="!",  # unusable: nobody logs in here, and hashing 1,000s of passwords is not the point
                voornamen=rng.choice(["Jan", "Anna", "Pieter", "Fatima", "Sanne", "Mohamed"]),
                achternaam=f"Bakker{i}",
                email=f"bench{i}@example.nl",
            )
            for i in range(n)
        ],
        batch_size=2_000,
    )
    niveaus = [Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH3, Niveau.EH4]
    middelen = Middel.objects.bulk_create(
        [
            Middel(persoon=p, niveau=rng.choice(niveaus), status=Middel.Status.ACTIEF, geactiveerd_op=nu)
            for p in personen
        ],
        batch_size=2_000,
    )
    heeft_beheerder: set[int] = set()
    koppelingen = []
    for i, m in enumerate(middelen):
        org = organisatie_ids[i % len(organisatie_ids)]
        rol = Koppeling.Rol.GEBRUIKER if org in heeft_beheerder else Koppeling.Rol.BEHEERDER
        heeft_beheerder.add(org)
        koppelingen.append(
            Koppeling(
                middel=m,
                organisatie_id=org,
                rol=rol,
                status=Koppeling.Status.ACTIEF,
                abonnement_start=nu.date(),
                # bulk_create skips Koppeling.save, which copies the name (the overview's sort key).
                persoon_achternaam=m.persoon.achternaam,
                persoon_voornamen=m.persoon.voornamen,
            )
        )
    Koppeling.objects.bulk_create(koppelingen, batch_size=2_000)
    return [(k.middel_id, k.organisatie_id, k.middel.niveau) for k in koppelingen]


def maak_diensten(n_dienstverleners: int, n_diensten: int, rng: random.Random) -> tuple[list[int], list[tuple]]:
    verleners = Dienstverlener.objects.bulk_create(
        [Dienstverlener(oin=f"{i:020d}", naam=f"Dienstverlener {i}") for i in range(n_dienstverleners)]
    )
    niveaus = [Niveau.EH1, Niveau.EH2, Niveau.EH2_PLUS, Niveau.EH3, Niveau.EH3, Niveau.EH4]
    diensten = Dienst.objects.bulk_create(
        [
            Dienst(
                service_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                dienstverlener=verleners[i % len(verleners)],
                naam=f"Dienst {i}",
                niveau=rng.choice(niveaus),
                intermediatie=rng.choice(Dienst.Intermediatie.values),
            )
            for i in range(n_diensten)
        ],
        batch_size=2_000,
    )
    return [v.pk for v in verleners], [(d.pk, d.dienstverlener_id, d.niveau) for d in diensten]


def maak_wereld(*, organisaties: int, middelen: int, dienstverleners: int, diensten: int, seed: int = 2024) -> Wereld:
    rng = random.Random(seed)
    org_ids = maak_organisaties(organisaties, rng)
    koppelingen = maak_middelen(middelen, org_ids, rng)
    verlener_ids, dienst_rows = maak_diensten(dienstverleners, diensten, rng)
    return Wereld(org_ids, koppelingen, verlener_ids, dienst_rows)
