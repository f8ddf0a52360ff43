"""``manage.py import_decidim EXPORT.zip --organization HOST``: see civitas.decidim_import.importer."""

from django.core.management.base import BaseCommand, CommandError

from civitas.decidim_import.importer import Importer
from civitas.decidim_import.reader import ExportError, read_export
from civitas.organizations.hosts import normalize_host
from civitas.organizations.models import Organization


class Command(BaseCommand):
    help = "Import a Decidim organization's open-data export (the ZIP of CSV files) into an organization."

    def add_arguments(self, parser):
        parser.add_argument("zip", help="The ZIP downloaded from the Decidim site's /open-data/download")
        parser.add_argument("--organization", required=True, help="Host of the Civitas organization to fill")
        parser.add_argument(
            "--locale", default="fr", help="Language taken from translated fields first (default: fr)"
        )

    def handle(self, *args, **options):
        host = normalize_host(options["organization"])
        organization = Organization.objects.filter(host=host).first()
        if organization is None:
            raise CommandError(f"No organization is served on “{host}”: nothing imported.")
        try:
            export = read_export(options["zip"])
        except ExportError as error:
            raise CommandError(f"{options['zip']}: {error}. Nothing imported.") from error
        importer = Importer(organization, export, locale=options["locale"])
        importer.run()
        self.stdout.write(f"Decidim export of {export.host} imported into {organization.host}:")
        for kind in sorted(importer.counts):
            counts = importer.counts[kind]
            self.stdout.write(
                f"  {kind:<10} created {counts['created']:>5}  updated {counts['updated']:>5}"
                f"  unchanged {counts['skipped']:>5}"
            )
        ignored = [name for name in export.ignored if name.endswith(".csv")]
        if ignored or importer.unmapped:
            self.stdout.write(self.style.WARNING("Not imported:"))
            for name in ignored:
                self.stdout.write(f"  {name}: a kind of data this importer does not read")
            for problem in importer.unmapped:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write(self.style.SUCCESS("Every row was imported."))
