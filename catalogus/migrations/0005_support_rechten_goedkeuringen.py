"""Support records and revokes the dienstverleners' approvals of intermediairs (R75) in the admin."""

from django.db import migrations

from audit.support_rechten import support_rechten


class Migration(migrations.Migration):
    dependencies = [
        ("catalogus", "0004_intermediairgoedkeuring"),
        ("audit", "0003_support_groep"),
    ]

    operations = [
        support_rechten(
            "catalogus",
            ["view_intermediairgoedkeuring", "add_intermediairgoedkeuring", "change_intermediairgoedkeuring"],
        )
    ]
