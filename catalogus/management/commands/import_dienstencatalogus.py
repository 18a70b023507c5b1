"""`manage.py import_dienstencatalogus PATH`: apply one edition of the eToegang Dienstencatalogus (R70)."""

from django.core.management.base import BaseCommand, CommandError

from catalogus.importer import CatalogusOngeldig, catalogus_import_bestand


class Command(BaseCommand):
    help = "Importeer een editie van de eToegang Dienstencatalogus (XML, namespace 1.13 of 1.11)."

    def add_arguments(self, parser):
        parser.add_argument("pad", metavar="PATH", help="het XML-bestand van de Dienstencatalogus")

    def handle(self, *args, pad: str, **options):
        try:
            resultaat = catalogus_import_bestand(pad=pad, actor=None)
        except CatalogusOngeldig as exc:
            # Printed to stderr with a non-zero exit; the import ran in one transaction, so nothing changed.
            raise CommandError(str(exc)) from exc
        self.stdout.write(resultaat.samenvatting)
