from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assess.banks.format import MAX_IMPORT_BYTES, BankError, bank_read
from assess.banks.services import bank_import_document, bank_publish


class Command(BaseCommand):
    help = (
        "Create a question bank version from a JSON file (format: assess/data/FORMAT.md), all or "
        "nothing. It is a draft unless --publish is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file")
        parser.add_argument(
            "--next-version",
            action="store_true",
            help="number it after the newest version of its bank instead of the file's number",
        )
        parser.add_argument("--publish", action="store_true", help="publish it after checking")
        parser.add_argument("--user", help="email of the person to show in the admin history")

    def handle(self, *args, path, next_version, publish, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{path}: {file.stat().st_size / 1024 / 1024:.1f} MiB is over the limit of "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MiB for a question bank. Is it the right file?"
            )
        person = None
        if user:
            person = get_user_model().objects.filter(email__iexact=user).first()
            if person is None:
                raise CommandError(f"--user {user}: no account with this email.")
        try:
            data = bank_read(file.read_bytes())
            with transaction.atomic():  # a refused publish leaves no draft behind either
                bank = bank_import_document(
                    data=data, user=person, as_next=next_version, source=file.name
                )
                if publish:
                    bank = bank_publish(bank=bank, user=person)
        except BankError as e:
            raise CommandError(
                f"{path}: nothing was imported; {len(e.problems)} problem(s):\n  "
                + "\n  ".join(e.problems)
            ) from e
        self.stdout.write(f"Imported {bank}.")
