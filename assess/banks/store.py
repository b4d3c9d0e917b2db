"""Question banks and the catalogue, to and from the database: export a bank as a document,
import a checked one as a new version, load the default data, refresh translations. The
checks are `format`'s."""

import datetime
import json

from django.db import transaction
from django.utils import timezone

from assess.banks.catalogue import (
    ALLIANCE_FIELDS,
    CATALOGUE_LISTS,
    FIT_FIELDS,
    catalogue_problems,
)
from assess.banks.format import (
    BANK_FORMAT,
    DATA_DIR,
    FORMAT_VERSION,
    BankError,
    bank_problems,
    load_json,
    upgrade_document,
)
from assess.holdings.controls import controls_load
from assess.models import Alliance, Choice, Question, QuestionBank, Section
from assess.selectors import clear_bank_cache


def bank_export(bank):
    """The document for a bank version (any status), in the format `bank_import` reads.

    Exporting, importing and exporting again gives an equal document."""
    sections = list(Section.objects.filter(bank=bank).order_by("order", "id"))
    questions = list(
        Question.objects.filter(bank=bank)
        .select_related("show_if_question")
        .order_by("order", "id")
    )
    choices = {}
    for c in Choice.objects.filter(question__bank=bank).order_by("order", "id"):
        choices.setdefault(c.question_id, []).append(c)
    by_section = {s.id: [] for s in sections}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    return {
        "format": BANK_FORMAT,
        "format_version": FORMAT_VERSION,
        "bank": {
            "slug": bank.slug,
            "name": bank.name,
            "version": bank.version,
            "description": bank.description,
            "thresholds": bank.thresholds,
            "plans": bank.plans,
            "caveats": bank.caveats,
            "gates": bank.gates,
            "translations": bank.translations,
            "sections": [
                {
                    "code": s.code,
                    "title": s.title,
                    "intro": s.intro,
                    "who_knows": s.who_knows,
                    "translations": s.translations,
                    "questions": [_question_document(q, choices) for q in by_section[s.id]],
                }
                for s in sections
            ],
        },
    }


def _question_document(q, choices):
    source = q.show_if_question
    return {
        "code": q.code,
        "text": q.text,
        "help": q.help,
        "kind": q.kind,
        "required": q.required,
        "weight": q.weight,
        "fact": q.is_fact,
        "show_if": (
            {"question": source.code, "choices": list(q.show_if_choices)} if source else None
        ),
        "translations": q.translations,
        "choices": [
            {
                "code": c.code,
                "label": c.label,
                "points": c.points,
                "tags": c.tags,
                "is_unknown": c.is_unknown,
                "sizes": c.sizes,
                "translations": c.translations,
            }
            for c in choices.get(q.id, [])
        ],
    }


def bank_dumps(document):
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def next_version(slug):
    latest = QuestionBank.objects.filter(slug=slug).order_by("-version").first()
    return latest.version + 1 if latest else 1


@transaction.atomic
def bank_import(data, *, status=QuestionBank.Status.PUBLISHED, version=None):
    """Create a bank from a checked document, all or nothing. Returns the new bank.

    `version` overrides the document's version number (e.g. the next free one).

    Long on purpose: it writes the bank's rows level by level (bank, sections, questions,
    choices, conditions) in one transaction, in the order their foreign keys need."""
    problems = bank_problems(data)
    if problems:
        raise BankError(problems)
    b = upgrade_document(data)["bank"]
    version = version or b["version"]
    if QuestionBank.objects.filter(slug=b["slug"], version=version).exists():
        raise BankError(
            [
                f'bank.version: version {version} of "{b["slug"]}" exists already; import it '
                f"as the next version ({next_version(b['slug'])}) instead"
            ]
        )
    bank = QuestionBank.objects.create(
        slug=b["slug"],
        name=b["name"],
        version=version,
        status=QuestionBank.Status.DRAFT,
        description=b.get("description", ""),
        thresholds=b["thresholds"],
        plans=b.get("plans", {}),
        caveats=b.get("caveats", []),
        gates=b.get("gates", []),
        translations=b.get("translations", {}),
    )
    by_code = {}
    order = 0
    for s_order, s in enumerate(b["sections"], start=1):
        section = Section.objects.create(
            bank=bank,
            code=s["code"],
            order=s_order,
            title=s["title"],
            intro=s.get("intro", ""),
            who_knows=s.get("who_knows", ""),
            translations=s.get("translations", {}),
        )
        for q in s["questions"]:
            order += 1
            show_if = q.get("show_if")
            question = Question.objects.create(
                section=section,
                bank=bank,
                code=q["code"],
                text=q["text"],
                help=q.get("help", ""),
                kind=q.get("kind", "single"),
                required=q.get("required", True),
                weight=q.get("weight", 1.0),
                is_fact=q.get("fact", False),
                order=order,
                show_if_question=by_code[show_if["question"]] if show_if else None,
                show_if_choices=show_if["choices"] if show_if else [],
                translations=q.get("translations", {}),
            )
            by_code[q["code"]] = question
            Choice.objects.bulk_create(
                [
                    Choice(
                        question=question,
                        bank=bank,
                        code=c["code"],
                        label=c["label"],
                        order=i,
                        points=c.get("points", {}),
                        tags=c.get("tags", []),
                        is_unknown=bool(c.get("is_unknown", False)),
                        sizes=c.get("sizes", []),
                        translations=c.get("translations", {}),
                    )
                    for i, c in enumerate(q["choices"], start=1)
                ]
            )
    if status != QuestionBank.Status.DRAFT:
        bank.status = status
        bank.published_at = timezone.now()
        bank.save(update_fields=["status", "published_at"])
    return bank


@transaction.atomic
def catalogue_load(data, *, update=False):
    """Create missing catalogue entries, and update those whose facts in the file are newer
    than the stored ones (all of them with update=True). Returns the counts."""
    problems = catalogue_problems(data)
    if problems:
        raise BankError(problems)
    created = updated = 0
    # Entries an earlier catalogue shipped and this one replaced: kept for the results that
    # name them, never matched again.
    Alliance.objects.filter(slug__in=data.get("retired", []), active=True).update(active=False)
    for a in data["alliances"]:
        values = {k: a.get(k, [] if k in CATALOGUE_LISTS else "") for k in ALLIANCE_FIELDS}
        values["suppliers"] = bool(a.get("suppliers", False))
        values["free"] = bool(a.get("free", False))
        values["level"] = a.get("level") or ""
        values["newcomer_level"] = a.get("newcomer_level") or ""
        values["friction"] = a.get("friction") or {}
        values["facts_as_of"] = datetime.date.fromisoformat(a["facts_as_of"])
        translations = a.get("translations", {})
        obj = Alliance.objects.filter(slug=a["slug"]).first()
        if obj is None:
            Alliance.objects.create(slug=a["slug"], translations=translations, **values)
            created += 1
        elif update or values["facts_as_of"] > obj.facts_as_of:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.translations = translations
            obj.save()
            updated += 1
        elif obj.newcomer_level == "" and values["newcomer_level"]:
            # Stored before entries had matching data (rules 2026.12.2): fill it in; the
            # facts an admin may have edited stay.
            for k in FIT_FIELDS:
                setattr(obj, k, values[k])
            obj.translations = _filled_in(obj.translations, translations)
            obj.save(update_fields=[*FIT_FIELDS, "translations"])
            updated += 1
        elif (merged := _filled_in(obj.translations, translations)) != obj.translations:
            # Translations the file adds; one an admin already wrote is kept.
            obj.translations = merged
            obj.save(update_fields=["translations"])
            updated += 1
    return created, updated


def _filled_in(stored, new):
    """`stored` translations with the texts only `new` has added."""
    merged = {lang: dict(texts) for lang, texts in (stored or {}).items()}
    for lang, texts in new.items():
        for field, text in texts.items():
            if not merged.setdefault(lang, {}).get(field):
                merged[lang][field] = text
    return merged


def load_defaults():
    """Load the default bank (if that version is not there yet), missing catalogue entries
    and missing controls (assess/holdings/controls.py). Running it twice changes nothing."""
    messages = []
    data = load_json(DATA_DIR / "default_bank.json")
    b = data["bank"]
    loaded = QuestionBank.objects.filter(slug=b["slug"], version=b["version"]).first()
    if loaded is not None:
        messages.append(f"Question bank {b['slug']} v{b['version']} already loaded.")
        if changed := translations_refresh(loaded, data):
            messages.append(f"Updated the translations of {changed} of its texts' objects.")
    else:
        bank_import(data)
        messages.append(f"Loaded question bank {b['slug']} v{b['version']}.")
    created, updated = catalogue_load(load_json(DATA_DIR / "catalogue.json"))
    messages.append(f"Alliance catalogue: {created} entries added, {updated} with newer facts.")
    added = controls_load(load_json(DATA_DIR / "controls.json"))
    messages.append(f"Controls mapping: {added} controls added.")
    return messages


@transaction.atomic
def translations_refresh(bank, data):
    """Bring the translations of a loaded version up to those of the same version's file,
    and change nothing else: translations change no score, no code and no English text, and
    every result already keeps the texts it was shown in. Objects are matched by code (plan
    steps by plan and position, when their English action is the same). Returns how many
    objects got new translations (0 when they were equal)."""
    problems = bank_problems(data)
    if problems:
        raise BankError(problems)
    b = upgrade_document(data)["bank"]
    changed = 0
    values = {
        "translations": b.get("translations", {}),
        "plans": _with_translations(bank.plans, b.get("plans", {})),
        "caveats": _with_translations(bank.caveats, b.get("caveats", [])),
        "gates": _with_translations(bank.gates, b.get("gates", [])),
    }
    if any(getattr(bank, k) != v for k, v in values.items()):
        QuestionBank.objects.filter(pk=bank.pk).update(**values)
        changed += 1
    sections = {s.code: s for s in Section.objects.filter(bank=bank)}
    questions = {q.code: q for q in Question.objects.filter(bank=bank)}
    choices = {
        (c.question.code, c.code): c
        for c in Choice.objects.filter(bank=bank).select_related("question")
    }
    for s in b["sections"]:
        changed += _set_translations(sections.get(s["code"]), s)
        for q in s["questions"]:
            changed += _set_translations(questions.get(q["code"]), q)
            for c in q["choices"]:
                changed += _set_translations(choices.get((q["code"], c["code"])), c)
    # Published definitions are cached per process; this process starts afresh.
    clear_bank_cache()
    return changed


def _with_translations(stored, new):
    """The stored plans, caveats or gates with the translations of the matching items of
    `new` (same code, or same plan and position, and the same English text)."""
    if isinstance(stored, dict):
        return {k: _with_translations(v, new.get(k, [])) for k, v in stored.items()}
    out = []
    for i, item in enumerate(stored):
        if "code" in item:
            match = next((n for n in new if n.get("code") == item["code"]), None)
        else:
            match = new[i] if i < len(new) else None
        item = {k: v for k, v in item.items() if k != "translations"}
        same = match is not None and all(match.get(k) == item[k] for k in TEXT_KEYS & set(item))
        if same and match.get("translations"):
            item["translations"] = match["translations"]
        out.append(item)
    return out


TEXT_KEYS = {"text", "action", "window", "keep"}


def _set_translations(obj, item):
    """Write an object's translations past the draft-only guard (see translations_refresh)."""
    new = item.get("translations", {})
    if obj is None or obj.translations == new:
        return 0
    type(obj).objects.filter(pk=obj.pk).update(translations=new)
    return 1
