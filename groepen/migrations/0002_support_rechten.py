"""Support reads groups and their machtigingen in the admin (read-only there: beheerders manage them)."""

from django.db import migrations

from audit.support_rechten import support_rechten


class Migration(migrations.Migration):
    dependencies = [
        ("groepen", "0001_initial"),
        ("audit", "0003_support_groep"),
    ]

    operations = [support_rechten("groepen", ["view_groep", "view_groepmachtiging", "view_groeplid"])]
