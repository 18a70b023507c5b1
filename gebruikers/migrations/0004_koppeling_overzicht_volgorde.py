from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def vul_naam(apps, schema_editor):
    Koppeling = apps.get_model("gebruikers", "Koppeling")
    Persoon = apps.get_model("gebruikers", "Persoon")
    persoon = Persoon.objects.filter(middel=OuterRef("middel_id"))
    Koppeling.objects.update(
        persoon_achternaam=Subquery(persoon.values("achternaam")[:1]),
        persoon_voornamen=Subquery(persoon.values("voornamen")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("gebruikers", "0003_middel_publieke_id"), ("organisaties", "0002_alter_organisatie_kvk_nummer_and_more")]

    operations = [
        migrations.AddField(
            model_name="koppeling",
            name="persoon_achternaam",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="koppeling",
            name="persoon_voornamen",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(vul_naam, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="koppeling",
            index=models.Index(
                fields=["organisatie", "persoon_achternaam", "persoon_voornamen", "id"],
                name="koppeling_overzicht_volgorde",
            ),
        ),
    ]
