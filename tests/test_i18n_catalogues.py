"""Every language offered has a complete catalogue: each msgid translated (none empty, none
fuzzy), with the same placeholders as the English, and the .po files parse. A language is
offered (settings.LANGUAGES) only if it passes here."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %(size).1f, %d, %s, %% and {name}: whatever gettext or str.format fills in.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sdf]|%%|\{\w*\}")


def catalogue(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po, locale=language)


def entries(language):
    return [m for m in catalogue(language) if m.id]


def placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text)))


def test_english_is_the_source_and_two_more_languages_are_offered():
    assert settings.LANGUAGE_CODE == "en"
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "de"]
    assert settings.LOCALE_PATHS == [LOCALE]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated_and_none_is_fuzzy(language):
    found = entries(language)
    assert len(found) > 700  # the whole interface, not a stub
    missing = [m.id for m in found if not all(m.string if m.pluralizable else [m.string])]
    fuzzy = [m.id for m in found if m.fuzzy]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:5]}"
    assert not catalogue(language).fuzzy  # the header is not marked fuzzy either


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for m in entries(language):
        sources = m.id if m.pluralizable else (m.id,)
        targets = m.string if m.pluralizable else (m.string,)
        want = placeholders(sources[-1])
        for target in targets:
            got = placeholders(target)
            # A singular form may name the count in words ("La seule réponse") and leave
            # out %(n)s, as the English singular may; nothing else may go missing or appear.
            if got != want and not (m.pluralizable and set(got) <= set(want)):
                wrong.append((m.id, target))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_both_catalogues_hold_the_same_msgids(language):
    # makemessages writes both from the same sources: a msgid in one and not the other means
    # one was edited by hand or not regenerated (make messages).
    assert {m.id for m in entries(language)} == {m.id for m in entries(TRANSLATED[0])}


def test_the_compiled_catalogues_are_not_committed():
    ignored = (Path(settings.BASE_DIR) / ".gitignore").read_text()
    assert "*.mo" in ignored.splitlines()


# English words this interface uses in more than one sense, each sense with its context
# (pgettext, {% translate ... context ... %}): one msgid cannot be translated two ways, so a
# word used bare in two places reads wrong in one of them ("Propriétaire" over a plan step's
# owner, "Fonction" over an account's role).
SENSES = {
    "Owner": {"account role", "plan step"},
    "Role": {"account role", "a participant's job"},
    "Submitted": {"assessment status", "date column", "answers"},
    "Change": {"edit an answer", "difference between two scores"},
}


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_msgid_is_used_in_two_senses(language):
    found = {}
    for m in entries(language):
        if isinstance(m.id, str) and m.id in SENSES:
            found.setdefault(m.id, set()).add(m.context)
    assert found == SENSES  # a context-free use (None) of one of these words fails here
    # Each sense reads differently in at least one language, or it would need no context.
    for word, contexts in SENSES.items():
        for a in contexts:
            for b in contexts - {a}:
                translated = {
                    lang: (catalogue(lang).get(word, a).string, catalogue(lang).get(word, b).string)
                    for lang in TRANSLATED
                }
                assert any(x != y for x, y in translated.values()), (word, a, b, translated)
