"""`manage.py restore PATH --yes`: the database's content replaced by a backup
(assess.operations.backups). Stop the app servers and task workers first."""

from django.core.management.base import BaseCommand, CommandError

from assess.operations import backups


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Yes, replace everything in the database."
        )

    def handle(self, *, path, yes, **options):
        if not yes:
            raise CommandError(
                "This replaces everything in the database with the backup: stop the app "
                "servers and task workers, then run it again with --yes."
            )
        try:
            backups.restore(path)
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Restored from {path}. Run `manage.py migrate` if the code is newer.")
