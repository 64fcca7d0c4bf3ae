from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump, or SQLite's online backup) and every uploaded file, with a manifest "
            "and SHA-256 checksums, into a new folder under DIRECTORY (docs/deployment.md, Backups).")

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--keep", type=int, default=0,
                            help="afterwards delete all but the newest KEEP backups in DIRECTORY (0: keep all)")

    def handle(self, *args, directory, keep, **options):
        try:
            out = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {out}")
        if keep:
            for path in backup.prune(directory, keep=keep):
                self.stdout.write(f"Deleted old backup {path}")
