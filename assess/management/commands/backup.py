"""`manage.py backup [PATH]`: the whole database to one file (assess.operations.backups)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from assess.operations import backups


class Command(BaseCommand):
    help = "Write the whole database to one file (pg_dump, or SQLite's online backup)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write it (default: var/backups/assess-<when>.dump or .sqlite3).",
        )

    def handle(self, *, path, **options):
        if not path:
            suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
            stamp = timezone.now().strftime("%Y-%m-%dT%H%M%S")
            path = f"var/backups/assess-{stamp}.{suffix}"
        try:
            size = backups.backup(path)
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Backed up to {path} ({size} bytes).")
