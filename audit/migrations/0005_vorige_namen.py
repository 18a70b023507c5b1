"""Renames the audit entries stored under the names used before the registry (`audit.acties.VORIGE_NAMEN`),
so the Logboek filters and labels them with the entries written since.
"""

from django.db import migrations

from audit.acties import VORIGE_NAMEN


def hernoemen(apps, schema_editor, namen=VORIGE_NAMEN):
    # The historical model has a plain manager: the append-only queryset of the real one refuses updates.
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for oud, nieuw in namen.items():
        AuditEntry.objects.filter(actie=oud).update(actie=str(nieuw))


def terug(apps, schema_editor):
    hernoemen(apps, schema_editor, namen={str(nieuw): oud for oud, nieuw in VORIGE_NAMEN.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_actie_keuzes"),
    ]

    operations = [
        migrations.RunPython(hernoemen, terug),
    ]
