"""Question banks and the catalogue as JSON (see assess/data/FORMAT.md): check and load."""

import datetime
import json
import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assess import rules
from assess.models import Alliance, Choice, Question, QuestionBank, Section

DATA_DIR = Path(__file__).resolve().parent / "data"
BANK_FORMAT, CATALOGUE_FORMAT, FORMAT_VERSION = "alliance-bank", "alliance-catalogue", 1
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,30}$")
TRACKS = {
    "operational": {"receive", "contribute"},
    "normative": {"supporter", "signatory"},
    "related": {None},
}


class BankError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def bank_problems(data):
    """Every problem in a bank document, each with its path; empty when it can be loaded."""
    problems = []
    if not isinstance(data, dict) or data.get("format") != BANK_FORMAT:
        return [f'format: expected "{BANK_FORMAT}"']
    if data.get("format_version") != FORMAT_VERSION:
        return [f"format_version: expected {FORMAT_VERSION}, got {data.get('format_version')!r}"]
    bank = data.get("bank")
    if not isinstance(bank, dict):
        return ["bank: expected an object"]
    for key in ("slug", "name"):
        if not isinstance(bank.get(key), str) or not bank.get(key):
            problems.append(f"bank.{key}: expected a non-empty string")
    if not isinstance(bank.get("version"), int) or bank.get("version", 0) < 1:
        problems.append("bank.version: expected a positive whole number")
    problems += [f"bank.thresholds: {p}" for p in rules.Thresholds.problems(bank.get("thresholds"))]
    sections = bank.get("sections")
    if not isinstance(sections, list) or not sections:
        return problems + ["bank.sections: expected a non-empty list"]
    seen_questions = {}
    reach = dict.fromkeys(rules.DIMENSIONS, 0)
    section_codes = set()
    for si, section in enumerate(sections):
        sp = f"sections[{si}]"
        if not isinstance(section, dict):
            problems.append(f"{sp}: expected an object")
            continue
        code = section.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.append(f"{sp}.code: expected letters, digits, - or _")
        elif code in section_codes:
            problems.append(f'{sp}.code: duplicate code "{code}"')
        section_codes.add(code)
        if not isinstance(section.get("title"), str) or not section.get("title"):
            problems.append(f"{sp}.title: expected a non-empty string")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"{sp}.questions: expected a non-empty list")
            continue
        for qi, q in enumerate(questions):
            qp = f"{sp}.questions[{qi}]"
            problems += _question_problems(q, qp, seen_questions, reach)
    for dim, count in reach.items():
        if count == 0:
            problems.append(f'bank: no answer can reach the dimension "{dim}"')
    return problems


def _question_problems(q, qp, seen, reach):
    problems = []
    if not isinstance(q, dict):
        return [f"{qp}: expected an object"]
    code = q.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(f"{qp}.code: expected letters, digits, - or _")
    elif code in seen:
        problems.append(f'{qp}.code: duplicate code "{code}"')
    if not isinstance(q.get("text"), str) or not q.get("text", "").strip():
        problems.append(f"{qp}.text: expected a non-empty string")
    if q.get("kind", "single") not in ("single", "multi"):
        problems.append(f'{qp}.kind: expected "single" or "multi"')
    weight = q.get("weight", 1.0)
    if not _is_number(weight) or weight <= 0:
        problems.append(f"{qp}.weight: expected a number above 0")
    choices = q.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        problems.append(f"{qp}.choices: expected at least two choices")
        choices = choices if isinstance(choices, list) else []
    codes = set()
    for ci, c in enumerate(choices):
        cp = f"{qp}.choices[{ci}]"
        if not isinstance(c, dict):
            problems.append(f"{cp}: expected an object")
            continue
        ccode = c.get("code")
        if not isinstance(ccode, str) or not CODE_RE.match(ccode):
            problems.append(f"{cp}.code: expected letters, digits, - or _")
        elif ccode in codes:
            problems.append(f'{qp}.choices: duplicate code "{ccode}"')
        codes.add(ccode)
        if not isinstance(c.get("label"), str) or not c.get("label"):
            problems.append(f"{cp}.label: expected a non-empty string")
        points = c.get("points", {})
        if not isinstance(points, dict):
            problems.append(f"{cp}.points: expected an object")
            points = {}
        for dim, value in points.items():
            if dim not in rules.DIMENSIONS:
                problems.append(f'{cp}.points: unknown dimension "{dim}"')
            elif not _is_number(value) or not 0 <= value <= rules.MAX_POINTS:
                problems.append(
                    f"{cp}.points.{dim}: expected a number from 0 to {rules.MAX_POINTS}"
                )
            elif value > 0 and not c.get("is_unknown"):
                reach[dim] += 1
        tags = c.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append(f"{cp}.tags: expected a list of strings")
    show_if = q.get("show_if")
    if show_if is not None:
        if (
            not isinstance(show_if, dict)
            or not isinstance(show_if.get("question"), str)
            or not isinstance(show_if.get("choices"), list)
            or not show_if["choices"]
        ):
            problems.append(f"{qp}.show_if: expected {{question, choices}}")
        elif show_if["question"] not in seen:
            problems.append(
                f'{qp}.show_if: refers to "{show_if["question"]}", which is not an earlier question'
            )
        else:
            missing = set(show_if["choices"]) - seen[show_if["question"]]
            if missing:
                problems.append(
                    f'{qp}.show_if: no such choices {sorted(missing)} on "{show_if["question"]}"'
                )
    if isinstance(code, str):
        seen[code] = codes
    return problems


@transaction.atomic
def bank_import(data, *, status=QuestionBank.Status.PUBLISHED):
    """Create a bank from a checked document, all or nothing. Returns the new bank."""
    problems = bank_problems(data)
    if problems:
        raise BankError(problems)
    b = data["bank"]
    bank = QuestionBank.objects.create(
        slug=b["slug"],
        name=b["name"],
        version=b["version"],
        status=status,
        description=b.get("description", ""),
        thresholds=b["thresholds"],
        plans=b.get("plans", {}),
        caveats=b.get("caveats", []),
        published_at=timezone.now() if status == QuestionBank.Status.PUBLISHED else None,
    )
    by_code = {}
    order = 0
    for s_order, s in enumerate(b["sections"], start=1):
        section = Section.objects.create(
            bank=bank, code=s["code"], order=s_order, title=s["title"], intro=s.get("intro", "")
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
                order=order,
                show_if_question=by_code[show_if["question"]] if show_if else None,
                show_if_choices=show_if["choices"] if show_if else [],
            )
            by_code[q["code"]] = question
            Choice.objects.bulk_create(
                [
                    Choice(
                        question=question,
                        code=c["code"],
                        label=c["label"],
                        order=i,
                        points=c.get("points", {}),
                        tags=c.get("tags", []),
                        is_unknown=bool(c.get("is_unknown", False)),
                    )
                    for i, c in enumerate(q["choices"], start=1)
                ]
            )
    return bank


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def catalogue_problems(data):
    if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT:
        return [f'format: expected "{CATALOGUE_FORMAT}"']
    if data.get("format_version") != FORMAT_VERSION:
        return [f"format_version: expected {FORMAT_VERSION}"]
    problems, slugs = [], set()
    for i, a in enumerate(data.get("alliances") or []):
        p = f"alliances[{i}]"
        for key in ("slug", "name", "kind", "track", "facts_as_of"):
            if not isinstance(a.get(key), str) or not a.get(key):
                problems.append(f"{p}.{key}: expected a non-empty string")
        if a.get("slug") in slugs:
            problems.append(f'{p}.slug: duplicate slug "{a.get("slug")}"')
        slugs.add(a.get("slug"))
        if a.get("kind") not in Alliance.Kind.values:
            problems.append(f"{p}.kind: expected one of {Alliance.Kind.values}")
        if a.get("level") not in TRACKS.get(a.get("track"), ()):
            problems.append(f"{p}.level: {a.get('level')!r} does not fit track {a.get('track')!r}")
        try:
            datetime.date.fromisoformat(a.get("facts_as_of", ""))
        except (TypeError, ValueError):
            problems.append(f"{p}.facts_as_of: expected a date YYYY-MM-DD")
    return problems


ALLIANCE_FIELDS = (
    "name",
    "kind",
    "track",
    "summary",
    "sectors",
    "countries",
    "requires_tags",
    "excludes_tags",
    "eligibility",
    "cost",
    "commitments",
    "url",
    "confidence",
    "sources",
)


@transaction.atomic
def catalogue_load(data, *, update=False):
    """Create missing catalogue entries (or update all with update=True). Returns counts."""
    problems = catalogue_problems(data)
    if problems:
        raise BankError(problems)
    created = updated = 0
    for a in data["alliances"]:
        values = {
            k: a.get(
                k,
                ""
                if k not in ("sectors", "countries", "requires_tags", "excludes_tags", "sources")
                else [],
            )
            for k in ALLIANCE_FIELDS
        }
        values["level"] = a.get("level") or ""
        values["facts_as_of"] = datetime.date.fromisoformat(a["facts_as_of"])
        obj = Alliance.objects.filter(slug=a["slug"]).first()
        if obj is None:
            Alliance.objects.create(slug=a["slug"], **values)
            created += 1
        elif update:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            updated += 1
    return created, updated


def load_defaults():
    """Load the default bank (if that version is not there yet) and missing catalogue
    entries. Running it twice changes nothing."""
    messages = []
    data = load_json(DATA_DIR / "default_bank.json")
    b = data["bank"]
    if QuestionBank.objects.filter(slug=b["slug"], version=b["version"]).exists():
        messages.append(f"Question bank {b['slug']} v{b['version']} already loaded.")
    else:
        bank_import(data)
        messages.append(f"Loaded question bank {b['slug']} v{b['version']}.")
    created, _updated = catalogue_load(load_json(DATA_DIR / "catalogue.json"))
    messages.append(f"Alliance catalogue: {created} entries added.")
    return messages
