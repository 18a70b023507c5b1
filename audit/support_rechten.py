"""The Support group's permissions on an app's models, given by that app's own migration.

Audit's migration 0003 makes the group with the permissions of the apps that existed then; an app added later
calls `support_rechten` from a migration of its own, so its models appear in the support agent's admin. Kept
stable on purpose: migrations import it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROEP = "Support"


def support_rechten(app_label: str, codenames: list[str]) -> migrations.RunPython:
    def _permissies(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def geef(apps, schema_editor):
        # Permissions are normally made after all migrations ran; make this app's now so the group can hold them.
        app_config = apps.get_app_config(app_label)
        vorig = getattr(app_config, "models_module", None)
        app_config.models_module = vorig or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = vorig
        groep, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROEP)
        groep.permissions.add(*_permissies(apps))

    def neem(apps, schema_editor):
        for groep in apps.get_model("auth", "Group").objects.filter(name=GROEP):
            groep.permissions.remove(*_permissies(apps))

    return migrations.RunPython(geef, neem)
