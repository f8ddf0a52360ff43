from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civitas.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive path (default: var/backups/civitas-<UTC time>.tar.gz).",
        )

    def handle(self, *args, **options):
        if options["output"]:
            destination = Path(options["output"])
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            destination = Path(settings.VAR_DIR) / "backups" / f"civitas-{stamp}.tar.gz"
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = create_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {destination}: {manifest['database']}, {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['media_files']} uploaded files."
        )
