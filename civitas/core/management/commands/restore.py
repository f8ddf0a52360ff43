from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civitas.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (everything current is replaced)."
        )

    def handle(self, *args, **options):
        source = Path(options["archive"])
        if not source.is_file():
            raise CommandError(f"No such archive: {source}")
        try:
            manifest = read_manifest(source)
            if not options["yes"]:
                answer = input(
                    f"Replace ALL current data with the backup of {manifest['created_at']}? Type 'yes': "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            manifest = restore_backup(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['tables'])} tables, "
            f"{rows} rows, {manifest['media_files']} uploaded files; every table count matches the archive."
        )
