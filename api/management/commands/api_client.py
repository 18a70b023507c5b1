"""`manage.py api_client NAME [--kvk KVK]`: create an API client and print its token (shown only this once)."""

from django.core.management.base import BaseCommand, CommandError

from api.clients import maak_client
from organisaties.models import Organisatie


class Command(BaseCommand):
    help = "Create a Machtigingenregister API client and print its token (it is not stored, only its hash)."

    def add_arguments(self, parser):
        parser.add_argument("naam", help="the client's name, e.g. the broker")
        parser.add_argument("--kvk", help="KvK-nummer of the client's organisation (optional)")

    def handle(self, *args, naam, kvk=None, **options):
        naam = naam.strip()
        if not naam:
            raise CommandError("Give the client a name.")
        organisatie = None
        if kvk:
            organisatie = Organisatie.objects.filter(kvk_nummer=kvk.strip()).order_by("pk").first()
            if organisatie is None:
                raise CommandError(f"No organisation with KvK-nummer {kvk}.")
        client, token = maak_client(naam=naam, organisatie=organisatie)
        self.stderr.write(f"API client {client.naam} (id {client.pk}) created. Its token, shown only now:")
        self.stdout.write(token)
