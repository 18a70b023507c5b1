"""`manage.py load_handelsregister [PATH]`: fill or update the embedded Handelsregister from a JSON file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import DomainError
from handelsregister.services import handelsregister_laden

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "handelsregister.json"


class Command(BaseCommand):
    help = "Laadt het ingebouwde Handelsregister uit een JSON-bestand (idempotent; werkt bestaande inschrijvingen bij)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help="JSON-bestand (standaard: het meegeleverde)"
        )

    def handle(self, *args, path, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is geen geldig JSON-bestand: {exc}") from None
        try:
            resultaat = handelsregister_laden(data=data)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(resultaat.toegevoegd)} toegevoegd, {len(resultaat.bijgewerkt)} bijgewerkt, "
                f"{len(resultaat.ongewijzigd)} ongewijzigd."
            )
        )
