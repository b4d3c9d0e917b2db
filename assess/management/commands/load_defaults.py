from django.core.management.base import BaseCommand, CommandError

from assess.banks.format import BankError
from assess.banks.store import load_defaults


class Command(BaseCommand):
    help = "Load the default question bank and alliance catalogue (idempotent)."

    def handle(self, *args, **options):
        try:
            for line in load_defaults():
                self.stdout.write(line)
        except BankError as e:
            raise CommandError("\n".join(e.problems)) from e
