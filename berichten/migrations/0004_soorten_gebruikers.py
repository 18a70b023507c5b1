# Written by hand (the message kinds of the rubriek Gebruikers); equal to what makemigrations generates.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('berichten', '0003_soorten_inloggen'),
    ]

    operations = [
        migrations.AlterField(
            model_name='bericht',
            name='soort',
            field=models.CharField(choices=[('activatie', 'Activatie'), ('nieuwe_activatie', 'Nieuwe activatie na verlopen'), ('aanvraag_afgekeurd', 'Aanvraag afgekeurd'), ('machtigingen_gewijzigd', 'Machtigingen gewijzigd'), ('telefoonnummer_gewijzigd', 'Telefoonnummer gewijzigd'), ('intermediair_geinformeerd', 'Intermediair geïnformeerd'), ('uitnodiging_ketenmachtiging', 'Uitnodiging ketenmachtiging'), ('machtiging_verloopt_binnenkort', 'Machtiging verloopt binnenkort'), ('offerte_ketenmodule', 'Offerte module ketenmachtigingen'), ('gebruikersnaam', 'Gebruikersnaam opgevraagd'), ('wachtwoord_herstellen', 'Wachtwoord herstellen'), ('aanvraag_ontvangen', 'Aanvraag ontvangen'), ('type_gewijzigd', 'Type eHerkenningsmiddel gewijzigd'), ('middel_opgezegd', 'eHerkenning opgezegd'), ('opzegging_niet_uitgevoerd', 'Geplande opzegging niet uitgevoerd'), ('email_gewijzigd', 'E-mailadres gewijzigd'), ('eigen_middel_eindigt_zonder_andere_beheerder', 'Eigen middel eindigt zonder andere beheerder')], db_index=True, max_length=50, verbose_name='soort'),
        ),
        migrations.AlterField(
            model_name='herinneringverstuurd',
            name='soort',
            field=models.CharField(choices=[('activatie', 'Activatie'), ('nieuwe_activatie', 'Nieuwe activatie na verlopen'), ('aanvraag_afgekeurd', 'Aanvraag afgekeurd'), ('machtigingen_gewijzigd', 'Machtigingen gewijzigd'), ('telefoonnummer_gewijzigd', 'Telefoonnummer gewijzigd'), ('intermediair_geinformeerd', 'Intermediair geïnformeerd'), ('uitnodiging_ketenmachtiging', 'Uitnodiging ketenmachtiging'), ('machtiging_verloopt_binnenkort', 'Machtiging verloopt binnenkort'), ('offerte_ketenmodule', 'Offerte module ketenmachtigingen'), ('gebruikersnaam', 'Gebruikersnaam opgevraagd'), ('wachtwoord_herstellen', 'Wachtwoord herstellen'), ('aanvraag_ontvangen', 'Aanvraag ontvangen'), ('type_gewijzigd', 'Type eHerkenningsmiddel gewijzigd'), ('middel_opgezegd', 'eHerkenning opgezegd'), ('opzegging_niet_uitgevoerd', 'Geplande opzegging niet uitgevoerd'), ('email_gewijzigd', 'E-mailadres gewijzigd'), ('eigen_middel_eindigt_zonder_andere_beheerder', 'Eigen middel eindigt zonder andere beheerder')], max_length=50, verbose_name='soort'),
        ),
    ]
