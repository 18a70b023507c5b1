"""Seed the tariff table with the defaults from the sources (DOMAIN.md, manual §3.2.1, §3.8.1, §3.8.2, seed 002).

Only amounts the sources name are seeded. Where the sources disagree, the manual wins: an extra KvK koppeling
next to an EH3 middel costs €21,00 per year / €58,95 per 3 years (§3.2.1). Products without a price in the
sources (EH4 middel and koppeling, a new activation letter) are left for support to enter; a missing 3-year price
falls back to three times the yearly one (see facturatie.services). Existing rows are never overwritten.
"""

from decimal import Decimal

from django.db import migrations

STANDAARD = [
    ("middel_eh2plus", "1", "16.00"),  # §3.8.1 "eHerkenning niveau 2+ vanaf €16 per jaar"
    ("middel_eh3", "1", "41.00"),  # §3.2.1
    ("middel_eh3", "3", "89.85"),  # §3.2.1
    ("belastingdienst_eh3", "1", "25.00"),  # §3.8.2
    ("koppeling_eh2plus", "1", "13.30"),  # DOMAIN.md tariffs
    ("koppeling_eh3", "1", "21.00"),  # §3.2.1
    ("koppeling_eh3", "3", "58.95"),  # §3.2.1
    ("otp_device", "0", "40.00"),  # §3.2.1
    ("ketenmachtiging", "1", "19.95"),  # seed 002
]


def seed(apps, schema_editor):
    Tarief = apps.get_model("facturatie", "Tarief")
    for code, periode, bedrag in STANDAARD:
        Tarief.objects.get_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})


class Migration(migrations.Migration):
    dependencies = [("facturatie", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
