"""`manage.py generate_dienstencatalogus PATH --diensten N --dienstverleners M --seed S`: a synthetic catalogue."""

from django.core.management.base import BaseCommand, CommandError

from catalogus.generate import write_catalogus
from catalogus.xmlnames import NS_1_11, NS_1_13


class Command(BaseCommand):
    help = "Schrijf een synthetische Dienstencatalogus (voor benchmarks); dezelfde seed geeft hetzelfde bestand."

    def add_arguments(self, parser):
        parser.add_argument("pad", metavar="PATH")
        parser.add_argument("--diensten", type=int, default=5000)
        parser.add_argument("--dienstverleners", type=int, default=250)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--schema", choices=["1.13", "1.11"], default="1.13", help="namespace-versie")

    def handle(self, *args, pad, diensten, dienstverleners, seed, schema, **options):
        try:
            write_catalogus(
                pad,
                diensten=diensten,
                dienstverleners=dienstverleners,
                seed=seed,
                namespace=NS_1_13 if schema == "1.13" else NS_1_11,
            )
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{diensten} diensten van {dienstverleners} dienstverleners geschreven naar {pad}")
