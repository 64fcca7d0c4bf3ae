from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Restore a backup folder made by `backup` into an EMPTY database and file storage (checks every "
            "checksum first and the row counts after). SECRET_KEY must be the one the backup was made with.")

    def add_arguments(self, parser):
        parser.add_argument("backup")
        parser.add_argument("--verify-only", action="store_true", help="only check the checksums")

    def handle(self, *args, backup: str, verify_only: bool, **options):
        from core import backup as backups

        try:
            manifest = backups.verify(backup) if verify_only else backups.restore(backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        verb = "Verified" if verify_only else "Restored"
        self.stdout.write(f"{verb}: {len(manifest['tables'])} tables, {len(manifest['files'])} files.")
