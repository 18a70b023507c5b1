"""Seed an example price for a new activation letter (§3.5.3 "Verstuur nieuwe uitnodiging").

The manual says a new activation letter costs money ("Aan het opvragen van een nieuwe activatiebrief zijn
kosten verbonden") but names no amount; without a row the demo could not send a new invitation at all. Like the
other seeded tariffs this is an example (the screens say so) that support adjusts in the admin. An existing row
is never overwritten.
"""

from decimal import Decimal

from django.db import migrations

VOORBEELD = ("nieuwe_activatie", "0", "12.50")  # eenmalig; an example, no amount in the sources


def seed(apps, schema_editor):
    Tarief = apps.get_model("facturatie", "Tarief")
    code, periode, bedrag = VOORBEELD
    Tarief.objects.get_or_create(code=code, periode=periode, defaults={"bedrag": Decimal(bedrag)})


class Migration(migrations.Migration):
    dependencies = [("facturatie", "0002_standaardtarieven")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
