"""Compile locale/<lang>/LC_MESSAGES/*.po into .mo with Babel (pure Python), so `make setup`
needs no GNU gettext on the machine. Fails on a catalogue Babel cannot read."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po catalogues of LOCALE_PATHS into .mo files (Babel; no gettext needed)."

    def handle(self, *args, **options):
        count = 0
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parts[-3])
                with mo_path.open("wb") as mo_file:
                    # Fuzzy entries are left out, as msgfmt does: an unchecked translation
                    # shows the English text instead.
                    write_mo(mo_file, catalog, use_fuzzy=False)
                count += 1
                self.stdout.write(f"Compiled {po_path.relative_to(settings.BASE_DIR)}")
        if not count:
            self.stdout.write("Catalogues up to date.")
