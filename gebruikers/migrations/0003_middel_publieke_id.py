"""Every middel gets a stable, non-guessable public id (the Machtigingenregister API's subject id).

In three steps so existing rows each get their own UUID: add nullable, fill, then make it unique and required.
"""

import uuid

from django.db import migrations, models


def vul_publieke_ids(apps, schema_editor):
    Middel = apps.get_model("gebruikers", "Middel")
    middelen = list(Middel.objects.filter(publieke_id__isnull=True).only("pk"))
    for middel in middelen:
        middel.publieke_id = uuid.uuid4()
    Middel.objects.bulk_update(middelen, ["publieke_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("gebruikers", "0002_activatiebrief"),
    ]

    operations = [
        migrations.AddField(
            model_name="middel",
            name="publieke_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="publieke id"),
        ),
        migrations.RunPython(vul_publieke_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="middel",
            name="publieke_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publieke id"),
        ),
    ]
