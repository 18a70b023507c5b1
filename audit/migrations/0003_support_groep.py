"""The "Support" group: exactly the permissions support staff need in the admin (a support agent is not a
superuser). View on the back office's models, change on aanvraag/tarief/ketenmodule (Goedkeuren/Afkeuren,
tariffs, module steps), view on the outbox, add on catalogus import and Handelsregister inschrijving (the two uploads). No delete.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROEP = "Support"
PERMISSIES = {
    "gebruikers": {
        "aanvraag": ["view", "change"],
        "persoon": ["view"],
        "middel": ["view"],
        "koppeling": ["view"],
    },
    "organisaties": {"organisatie": ["view"]},
    "catalogus": {"dienstverlener": ["view"], "dienst": ["view"], "catalogusimport": ["view", "add"]},
    "facturatie": {"tarief": ["view", "change"]},
    "audit": {"auditentry": ["view"]},
    "handelsregister": {"inschrijving": ["view", "add"], "vestiging": ["view"], "wettelijkvertegenwoordiger": ["view"]},
    "ketenmachtigingen": {
        "ketenmodule": ["view", "change"],
        "ketenmachtiging": ["view"],
        "ketenmachtigingmiddel": ["view"],
        "uitnodiging": ["view"],
    },
    "machtigingen": {"machtiging": ["view"]},
    # The outbox: every message's state and error; "Opnieuw versturen" is a view-level admin action.
    "berichten": {"bericht": ["view"], "smsbericht": ["view"]},
}


def codenames():
    return {
        (app, f"{actie}_{model}")
        for app, modellen in PERMISSIES.items()
        for model, acties in modellen.items()
        for actie in acties
    }


def maak_groep(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        vorig = getattr(app_config, "models_module", None)
        app_config.models_module = vorig or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = vorig
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groep, _ = Group.objects.get_or_create(name=GROEP)
    gewenst = codenames()
    permissies = [
        p
        for p in Permission.objects.filter(codename__in={c for _, c in gewenst}).select_related("content_type")
        if (p.content_type.app_label, p.codename) in gewenst
    ]
    groep.permissions.set(permissies)


def verwijder_groep(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("gebruikers", "0001_initial"),
        ("organisaties", "0002_alter_organisatie_kvk_nummer_and_more"),
        ("catalogus", "0003_catalogusregel"),
        ("facturatie", "0002_standaardtarieven"),
        ("handelsregister", "0002_alter_inschrijving_kvk_nummer_and_more"),
        ("ketenmachtigingen", "0002_uitnodiging"),
        ("machtigingen", "0002_termijn_en_hoogstens_5_jaar"),
        ("berichten", "0001_initial"),
    ]

    operations = [migrations.RunPython(maak_groep, verwijder_groep)]
