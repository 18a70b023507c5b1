"""Support manages API clients (add, change: revoke, new token; never delete) and reads the decision log."""

from django.db import migrations

from audit.support_rechten import support_rechten


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("audit", "0003_support_groep"),
    ]

    operations = [support_rechten("api", ["view_apiclient", "add_apiclient", "change_apiclient", "view_beslissing"])]
