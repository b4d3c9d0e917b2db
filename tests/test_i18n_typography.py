"""French typography in every French text (the interface's catalogue, the question bank's and
the catalogue's translations), and the templates leave punctuation to the translations.

French puts a space before : ; ? ! and inside « », and that space must never break a line (a
lone "?" at the start of a line). The convention (docs/glossary.md): a no-break space U+00A0
before ":" and inside « », a narrow no-break space U+202F before ";", "?" and "!"."""

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NNBSP, NBSP = "\u202f", "\u00a0"
# Punctuation ending a clause: followed by a space, the end, or closing punctuation; not
# the ":" of "https://", "10:30", "TLP:CLEAR" or a JSON key.
_ENDS = r"(?=[\s»)\]\"’”,.]|$)"
HIGH = re.compile(r"[^\s;?!.…:](?P<space>[ \u00a0\u202f]*)[;?!]" + _ENDS)
COLON = re.compile(r"[^\s;?!:/\"](?P<space>[ \u00a0\u202f]*):" + _ENDS)
OPENING = re.compile(r"«(?P<space>[ \u00a0\u202f]*)")
CLOSING = re.compile(r"(?P<space>[ \u00a0\u202f]*)»")
RULES = ((HIGH, NNBSP), (COLON, NBSP), (OPENING, NBSP), (CLOSING, NBSP))


def spacing_problems(text):
    """Each place in `text` where French spacing is missing or breakable, with its context."""
    return [
        text[max(0, m.start() - 20) : m.end() + 20]
        for pattern, space in RULES
        for m in pattern.finditer(text)
        if m["space"] != space
    ]


def french_po_texts():
    with (ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale="fr")
    for m in catalogue:
        if m.id:
            yield from (m.string if m.pluralizable else [m.string])


def french_json_texts(name):
    def walk(value, french):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "translations" and isinstance(inner, dict):
                    for lang, texts in inner.items():
                        yield from walk(texts, lang == "fr")
                else:
                    yield from walk(inner, french)
        elif isinstance(value, list):
            for inner in value:
                yield from walk(inner, french)
        elif isinstance(value, str) and french:
            yield value

    return list(walk(json.loads((ROOT / "assess" / "data" / name).read_text()), False))


def test_the_check_finds_breakable_and_missing_spaces_and_lets_the_right_ones_through():
    assert spacing_problems("Pourquoi ? Parce que : voilà ; « oui »")  # ordinary spaces
    assert spacing_problems("Pourquoi?")  # no space at all
    assert spacing_problems(f"Pourquoi{NBSP}?")  # the wide space where the narrow one goes
    good = f"Pourquoi{NNBSP}? Parce que{NBSP}: voilà{NNBSP}; «{NBSP}oui{NBSP}»{NNBSP}!"
    assert spacing_problems(good) == []
    assert spacing_problems("https://www.cert.ssi.gouv.fr/?q=1 à 10:30, TLP:CLEAR") == []


def test_every_french_interface_text_is_spaced_the_french_way():
    texts = list(french_po_texts())
    assert len(texts) > 700
    wrong = [p for t in texts for p in spacing_problems(t)]
    assert wrong == [], f"{len(wrong)} in locale/fr: {wrong[:5]}"


@pytest.mark.parametrize("name", ["default_bank.json", "catalogue.json"])
def test_every_french_bank_and_catalogue_text_is_spaced_the_french_way(name):
    texts = french_json_texts(name)
    assert len(texts) > 300
    wrong = [p for t in texts for p in spacing_problems(t)]
    assert wrong == [], f"{len(wrong)} in {name}: {wrong[:5]}"


# A colon, question mark, semicolon or exclamation mark written in a template right after a
# translated text: its spacing then cannot follow the language ("Atelier: en cours").
HARD_CODED = re.compile(r"\{% (?:translate\b[^%]*|endblocktranslate) %\} ?[:;?!]")


def test_templates_leave_punctuation_after_a_translated_text_to_the_translation():
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for m in HARD_CODED.finditer(path.read_text())
    ]
    assert found == []
