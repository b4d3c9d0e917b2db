"""Translated bank and catalogue texts: which fields translate, and how a text is picked.

Every translatable object keeps its source (English) texts in their own fields and the
translations in one `translations` JSON value, {"fr": {"title": "..."}, "de": {...}}; the
texts inside a bank's plans, caveats and gates carry the same object in a "translations"
key of their own. A missing translation falls back to the English text as a `Fallback`,
a string that knows its language, so a page can mark it lang="en"."""

import re

from django.conf import settings
from django.utils import translation

from assess.banks import limits

SOURCE_LANGUAGE = "en"

BANK_FIELDS = ("name", "description")
SECTION_FIELDS = ("title", "intro", "who_knows")
QUESTION_FIELDS = ("text", "help")
CHOICE_FIELDS = ("label",)
PLAN_STEP_FIELDS = ("window", "action", "keep")
CAVEAT_FIELDS = ("text",)
GATE_FIELDS = ("text",)
ALLIANCE_FIELDS = ("summary", "eligibility", "cost", "commitments")
# A body's name translates only where it describes ("Regional CSIRTs"); most are names their
# owners write one way (FIRST, Charter of Trust), so a missing one is no gap.
ALLIANCE_NAME_FIELDS = ("name",)


def alliance_name(name, translations, lang):
    """A catalogue entry's name in `lang`: its translation if it has one, else its own."""
    entry = (translations or {}).get(lang)
    translated = entry.get("name") if isinstance(entry, dict) else None
    return translated.strip() if isinstance(translated, str) and translated.strip() else name


class Fallback(str):
    """A source text shown where its translation is missing (`|text_lang` marks it)."""

    lang = language = SOURCE_LANGUAGE


def languages():
    """The codes of the languages texts are offered in, the source language first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [SOURCE_LANGUAGE] + [c for c in codes if c != SOURCE_LANGUAGE]


def target_languages():
    """The languages a text is translated into (every offered one but the source)."""
    return languages()[1:]


def current():
    """The active language, reduced to one of the offered codes ("de-at" reads "de")."""
    code = (translation.get_language() or SOURCE_LANGUAGE).lower()
    offered = languages()
    if code in offered:
        return code
    base = code.split("-")[0]
    return base if base in offered else SOURCE_LANGUAGE


def pick(source, translations, field, lang):
    """The text of `field` in `lang`: its translation, else the source as a Fallback."""
    if lang == SOURCE_LANGUAGE or not source:
        return source
    entry = translations.get(lang) if isinstance(translations, dict) else None
    value = entry.get(field) if isinstance(entry, dict) else None
    if isinstance(value, str) and value.strip():
        return value
    return Fallback(source)


def localize(obj, fields, lang):
    """Set each of `fields` on a model instance to its text in `lang`; returns obj."""
    for field in fields:
        setattr(obj, field, pick(getattr(obj, field), obj.translations, field, lang))
    return obj


def localized_item(item, fields, lang):
    """A copy of a plan step, caveat or gate with its texts in `lang` and no translations."""
    if not isinstance(item, dict):
        return item
    out = {k: v for k, v in item.items() if k != "translations"}
    for field in fields:
        if field in out:
            out[field] = pick(out[field], item.get("translations"), field, lang)
    return out


def localized_plans(plans, lang):
    return {
        key: [localized_item(step, PLAN_STEP_FIELDS, lang) for step in steps]
        for key, steps in (plans or {}).items()
    }


def localized_items(items, fields, lang):
    return [localized_item(item, fields, lang) for item in items or ()]


def missing(source, translations, fields, lang):
    """The fields with a source text and no translation into `lang`."""
    return [
        f
        for f in fields
        if source.get(f) and isinstance(pick(source[f], translations, f, lang), Fallback)
    ]


# Where translations sit in a bank document: (path, object, its translatable fields).
def _document_parts(bank):
    yield "bank", bank, BANK_FIELDS
    plans = bank.get("plans")
    for key, steps in plans.items() if isinstance(plans, dict) else ():
        for i, step in enumerate(steps if isinstance(steps, list) else ()):
            yield f"bank.plans.{key}[{i}]", step, PLAN_STEP_FIELDS
    for name, fields in (("caveats", CAVEAT_FIELDS), ("gates", GATE_FIELDS)):
        items = bank.get(name)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            yield f"bank.{name}[{i}]", item, fields
    sections = bank.get("sections")
    for si, section in enumerate(sections if isinstance(sections, list) else ()):
        yield f"sections[{si}]", section, SECTION_FIELDS
        questions = section.get("questions") if isinstance(section, dict) else None
        for qi, q in enumerate(questions if isinstance(questions, list) else ()):
            qp = f"sections[{si}].questions[{qi}]"
            yield qp, q, QUESTION_FIELDS
            choices = q.get("choices") if isinstance(q, dict) else None
            for ci, c in enumerate(choices if isinstance(choices, list) else ()):
                yield f"{qp}.choices[{ci}]", c, CHOICE_FIELDS


# The kind of object at the end of a path, for its texts' limits (assess/banks/limits.py).
_KINDS = [
    (re.compile(r"\.choices\[\d+\]$"), "choice"),
    (re.compile(r"\.questions\[\d+\]$"), "question"),
    (re.compile(r"^sections\[\d+\]$"), "section"),
    (re.compile(r"^bank\.plans\."), "plan"),
    (re.compile(r"^bank\.caveats\["), "caveat"),
    (re.compile(r"^bank\.gates\["), "gate"),
    (re.compile(r"^bank$"), "bank"),
]


def _text_problem(text, path, field):
    """A translation has the limits of its source text (or, with none, must be storable)."""
    kind = next((k for pattern, k in _KINDS if pattern.search(path)), None)
    if kind is not None and f"{kind}.{field}" in limits.TEXT_LIMITS:
        return limits.text_problem(text, f"{kind}.{field}")
    return limits.unstorable(text)


def translations_problems(translations, fields, path):
    """Problems with one object's "translations": its languages, fields and texts. `path`
    is the object's own path."""
    tp = f"{path}.translations"
    if not isinstance(translations, dict):
        return [f"{tp}: expected an object of languages"]
    problems, offered = [], target_languages()
    for lang, entry in translations.items():
        lp = f"{tp}.{lang}"
        if lang not in offered:
            problems.append(f'{tp}: unknown language "{lang}", expected one of {offered}')
            continue
        if not isinstance(entry, dict):
            problems.append(f"{lp}: expected an object of texts")
            continue
        for field, text in entry.items():
            if field not in fields:
                problems.append(
                    f'{lp}: "{field}" is not a text that translates here, '
                    f"expected one of {list(fields)}"
                )
            elif not isinstance(text, str):
                problems.append(f"{lp}.{field}: expected a string")
            elif why := _text_problem(text, path, field):
                problems.append(f"{lp}.{field}: {why}")
    return problems


def document_problems(bank):
    """Problems with every "translations" object in a bank document, each with its path."""
    problems = []
    for path, obj, fields in _document_parts(bank):
        if isinstance(obj, dict) and "translations" in obj:
            problems += translations_problems(obj["translations"], fields, path)
    return problems


def document_gaps(bank):
    """{language: [path of each text with no translation]} for a bank document: what a
    respondent in that language would read in English."""
    gaps = {lang: [] for lang in target_languages()}
    for path, obj, fields in _document_parts(bank):
        if not isinstance(obj, dict):
            continue
        for lang in gaps:
            for field in missing(obj, obj.get("translations"), fields, lang):
                gaps[lang].append(f"{path}.{field}")
    return {lang: paths for lang, paths in gaps.items() if paths}
