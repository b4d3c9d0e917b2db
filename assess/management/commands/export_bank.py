from django.core.management.base import BaseCommand, CommandError

from assess.banks.store import bank_dumps, bank_export
from assess.models import QuestionBank


class Command(BaseCommand):
    help = (
        "Write a question bank version as JSON (format: assess/data/FORMAT.md). Without "
        "--version, the current published version."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="default", help="the bank's slug")
        parser.add_argument(
            "--bank-version", dest="bank_version", type=int, help="a version number (any status)"
        )
        parser.add_argument("-o", "--output", help="a file to write (default: standard output)")

    def handle(self, *args, slug, bank_version, output, **options):
        version = bank_version
        if version is None:
            bank = QuestionBank.objects.current(slug)
            if bank is None:
                raise CommandError(
                    f'No published version of "{slug}". Name one with --bank-version; versions: '
                    f"{_versions(slug) or 'none'}."
                )
        else:
            bank = QuestionBank.objects.filter(slug=slug, version=version).first()
            if bank is None:
                raise CommandError(
                    f'"{slug}" has no version {version}; versions: {_versions(slug) or "none"}.'
                )
        text = bank_dumps(bank_export(bank))
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
            self.stderr.write(f"Wrote {bank} to {output}.")
        else:
            self.stdout.write(text, ending="")


def _versions(slug):
    return ", ".join(
        f"{b.version} ({b.status})"
        for b in QuestionBank.objects.filter(slug=slug).order_by("version")
    )
