"""Question banks and the catalogue as JSON (see assess/data/FORMAT.md): check and load."""

import copy
import datetime
import json
import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assess import limits, rules
from assess import translations as i18n
from assess.models import SECTORS, Alliance, Choice, Question, QuestionBank, Section
from assess.selectors import clear_bank_cache

DATA_DIR = Path(__file__).resolve().parent / "data"
BANK_FORMAT, CATALOGUE_FORMAT, FORMAT_VERSION = "alliance-bank", "alliance-catalogue", 3
# Format 1 banks scored one risk tolerance; `upgrade_document` reads them as format 2.
# Format 3 added "translations"; a format 2 document is a format 3 one without any.
READABLE_VERSIONS = (1, 2, 3)
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


# An import larger than this is refused before it is parsed; the default bank, in three
# languages, is about 240 KiB.
MAX_IMPORT_BYTES = 1024 * 1024
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
PLAN_KEYS = (
    "hygiene_first",
    "operational_receive",
    "operational_contribute",
    "normative_supporter",
    "normative_signatory",
)
DOCUMENT_KEYS = {"format", "format_version", "bank"}
BANK_KEYS = {
    "slug",
    "name",
    "version",
    "description",
    "thresholds",
    "plans",
    "caveats",
    "gates",
    "sections",
    "translations",
}
SECTION_KEYS = {"code", "title", "intro", "who_knows", "questions", "translations"}
QUESTION_KEYS = {
    "code",
    "text",
    "help",
    "kind",
    "required",
    "weight",
    "fact",
    "show_if",
    "choices",
    "translations",
}
CHOICE_KEYS = {"code", "label", "points", "tags", "is_unknown", "sizes", "translations"}
CAVEAT_KEYS = {"code", "text", "when", "source", "as_of", "translations"}
WHEN_KEYS = {"tags_any", "countries_any", "sectors_any", "sizes_any", "tracks_any"}
PLAN_STEP_KEYS = {"window", "action", "owner", "only_if", "done_if", "keep", "translations"}
GATE_KEYS = {"code", "text", "when", "limits", "translations"}
CONDITION_KEYS = {"question", "choices"}


# Format 1 -> 2: the one risk tolerance became two appetites (sharing, public commitments).
LEGACY_THRESHOLDS = {
    "contributing_risk_tolerance": "contributing_sharing_tolerance",
    "normative_risk_tolerance": "normative_commitment_tolerance",
    "signatory_risk_tolerance": "signatory_commitment_tolerance",
    "geopolitical_override_risk_tolerance": "geopolitical_override_commitment_tolerance",
    "risk_tolerance_low": "commitment_tolerance_low",
}
LEGACY_OWNERS = {
    "CISO": "ciso",
    "CIO": "cio",
    "Board": "board",
    "Legal counsel": "legal",
    "SOC lead": "soc_lead",
    "Communications": "communications",
}
# A bank may leave threat pressure out; the usual capacity cut then always applies.
OPTIONAL_DIMENSIONS = {"threat"}


def upgrade_document(data):
    """A format 1 document read as format 2; any other document comes back as it is.

    Format 1 scored one risk tolerance: its points now score both appetites, so its results
    stay as close as they can to what they were; its thresholds take their new names (threat
    never counts as high, and each dimension needs the known share the whole questionnaire
    needed); plan owners become roles."""
    if not isinstance(data, dict) or data.get("format_version") != 1:
        return data
    if not isinstance(data.get("bank"), dict):
        return data
    doc = copy.deepcopy(data)
    doc["format_version"] = FORMAT_VERSION
    b = doc["bank"]
    if isinstance(b.get("thresholds"), dict):
        b["thresholds"] = upgrade_thresholds(b["thresholds"])
    for section in b.get("sections") if isinstance(b.get("sections"), list) else ():
        for q in section.get("questions", ()) if isinstance(section, dict) else ():
            for c in q.get("choices", ()) if isinstance(q, dict) else ():
                if isinstance(c, dict) and isinstance(c.get("points"), dict):
                    c["points"] = upgrade_points(c["points"])
    for steps in (b.get("plans") or {}).values() if isinstance(b.get("plans"), dict) else ():
        for step in steps if isinstance(steps, list) else ():
            if isinstance(step, dict) and step.get("owner") in LEGACY_OWNERS:
                step["owner"] = LEGACY_OWNERS[step["owner"]]
    return doc


def upgrade_thresholds(t):
    t = {LEGACY_THRESHOLDS.get(k, k): v for k, v in t.items()}
    t.pop("min_confidence", None)
    t.setdefault("operational_capacity_threatened", t.get("operational_capacity"))
    t.setdefault("threat_high", 100)
    t.setdefault("min_known_share", t.get("min_answered_share"))
    return t


def upgrade_points(points):
    points = dict(points)
    if "risk_tolerance" in points:
        value = points.pop("risk_tolerance")
        points.setdefault("sharing_tolerance", value)
        points.setdefault("commitment_tolerance", value)
    return points


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_text(value, *, required=False, max_length=None):
    if not isinstance(value, str):
        return False
    if required and not value.strip():
        return False
    return max_length is None or len(value) <= max_length


def _is_string_list(value):
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _unknown_keys(obj, allowed, path):
    return [f'{path}: unknown key "{k}"' for k in sorted(set(obj) - allowed, key=str)]


def bank_read(raw):
    """The document in an uploaded or read file (bytes), checked for size and JSON syntax.

    Raises BankError with one problem in words; the content is not checked here."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise BankError(
            [
                f"file: {len(raw) / 1024 / 1024:.1f} MiB is over the limit of "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MiB for a question bank"
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BankError([f"file: not UTF-8 text (byte {e.start})"]) from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BankError(
            [f"file: not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"]
        ) from e
    except RecursionError as e:
        raise BankError(["file: nested too deeply to be a question bank"]) from e
    except ValueError as e:  # a number of more than 4,300 digits
        raise BankError([f"file: not a question bank: {str(e)[:200]}"]) from e


@limits.with_limits
def bank_problems(data):
    """Every problem in a bank document, each with its path; empty when it can be loaded.

    Import and publish share these rules: publishing checks `bank_export` of the draft."""
    if not isinstance(data, dict):
        return ["document: expected a JSON object"]
    if data.get("format") != BANK_FORMAT:
        return [f'format: expected "{BANK_FORMAT}"']
    if data.get("format_version") not in READABLE_VERSIONS:
        return [f"format_version: expected {FORMAT_VERSION}, got {data.get('format_version')!r}"]
    data = upgrade_document(data)
    problems = _unknown_keys(data, DOCUMENT_KEYS, "document")
    bank = data.get("bank")
    if not isinstance(bank, dict):
        return problems + ["bank: expected an object"]
    problems += _unknown_keys(bank, BANK_KEYS, "bank")
    if not isinstance(bank.get("slug"), str) or not SLUG_RE.match(bank["slug"]):
        problems.append("bank.slug: expected 1 to 50 letters, digits, - or _")
    if not _is_text(bank.get("name"), required=True, max_length=200):
        problems.append("bank.name: expected a non-empty string of at most 200 characters")
    version = bank.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 2**31:
        problems.append("bank.version: expected a positive whole number")
    if not isinstance(bank.get("description", ""), str):
        problems.append("bank.description: expected a string")
    problems += [f"bank.thresholds: {p}" for p in rules.Thresholds.problems(bank.get("thresholds"))]
    problems += _caveats_problems(bank.get("caveats", []))
    sections = bank.get("sections")
    if not isinstance(sections, list) or not sections:
        return problems + ["bank.sections: expected a non-empty list"]
    all_codes = {
        q.get("code")
        for s in sections
        if isinstance(s, dict) and isinstance(s.get("questions"), list)
        for q in s["questions"]
        if isinstance(q, dict) and isinstance(q.get("code"), str)
    }
    seen_questions = {}
    reach = dict.fromkeys(rules.DIMENSIONS, 0)
    section_codes = set()
    for si, section in enumerate(sections):
        sp = f"sections[{si}]"
        if not isinstance(section, dict):
            problems.append(f"{sp}: expected an object")
            continue
        problems += _unknown_keys(section, SECTION_KEYS, sp)
        code = section.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.append(f"{sp}.code: expected 1 to 30 letters, digits, - or _")
        elif code in section_codes:
            problems.append(f'{sp}.code: duplicate code "{code}"')
        else:
            section_codes.add(code)
        if not _is_text(section.get("title"), required=True, max_length=200):
            problems.append(f"{sp}.title: expected a non-empty string of at most 200 characters")
        for key in ("intro", "who_knows"):
            if not isinstance(section.get(key, ""), str):
                problems.append(f"{sp}.{key}: expected a string")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"{sp}.questions: expected a non-empty list")
            continue
        for qi, q in enumerate(questions):
            qp = f"{sp}.questions[{qi}]"
            problems += _question_problems(q, qp, seen_questions, all_codes, reach)
    for dim, count in reach.items():
        if count == 0 and dim not in OPTIONAL_DIMENSIONS:
            problems.append(f'bank: no answer can reach the dimension "{dim}"')
    problems += _plans_problems(bank.get("plans", {}), seen_questions)
    unknown = {
        (q["code"], c["code"])
        for s in sections
        if isinstance(s, dict) and isinstance(s.get("questions"), list)
        for q in s["questions"]
        if isinstance(q, dict)
        and isinstance(q.get("code"), str)
        and isinstance(q.get("choices"), list)
        for c in q["choices"]
        if isinstance(c, dict) and c.get("is_unknown") is True and isinstance(c.get("code"), str)
    }
    problems += _gates_problems(bank.get("gates", []), seen_questions, unknown)
    return problems + i18n.document_problems(bank)


def _conditions_problems(conditions, p, questions, *, required):
    """Problems with a list of {"question", "choices"} conditions on the bank's questions."""
    if not isinstance(conditions, list) or (required and not conditions):
        return [f"{p}: expected a {'non-empty ' if required else ''}list of conditions"]
    problems = []
    for i, c in enumerate(conditions):
        cp = f"{p}[{i}]"
        if (
            not isinstance(c, dict)
            or set(c) != CONDITION_KEYS
            or not isinstance(c["question"], str)
            or not _is_string_list(c["choices"])
            or not c["choices"]
        ):
            problems.append(f'{cp}: expected {{"question": "CODE", "choices": ["code", ...]}}')
        elif c["question"] not in questions:
            problems.append(f'{cp}: refers to "{c["question"]}", a missing question')
        elif missing := [x for x in c["choices"] if x not in questions[c["question"]]]:
            problems.append(f'{cp}: no such choices {missing} on "{c["question"]}"')
    return problems


def _when_problems(when, p):
    if not isinstance(when, dict):
        return [f"{p}: expected an object"]
    problems = _unknown_keys(when, WHEN_KEYS, p)
    for k, v in when.items():
        if k in WHEN_KEYS and not _is_string_list(v):
            problems.append(f"{p}.{k}: expected a list of strings")
        elif k == "sizes_any" and (bad := sorted(set(v) - set(rules.SIZE_BANDS))):
            problems.append(f"{p}.sizes_any: unknown size bands {bad}")
        elif k == "tracks_any" and (bad := sorted(set(v) - {"operational", "normative"})):
            problems.append(f"{p}.tracks_any: unknown tracks {bad}")
    return problems


def _coded_objects(items, name, keys):
    """(problems, [(path, object)]) for bank.<name>, a list of objects with unique codes."""
    if not isinstance(items, list):
        return [f"bank.{name}: expected a list"], []
    problems, codes, objects = [], set(), []
    for i, obj in enumerate(items):
        p = f"bank.{name}[{i}]"
        if not isinstance(obj, dict):
            problems.append(f"{p}: expected an object")
            continue
        problems += _unknown_keys(obj, keys, p)
        code = obj.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            problems.append(f"{p}.code: expected 1 to 30 letters, digits, - or _")
        elif code in codes:
            problems.append(f'bank.{name}: duplicate code "{code}"')
        else:
            codes.add(code)
        objects.append((p, obj))
    return problems, objects


def _gates_problems(gates, questions, unknown=frozenset()):
    """Problems with the gates. `unknown` holds (question, choice) pairs of "Don't know"
    choices, which no gate may name: an unknown answer never settles anything."""
    problems, objects = _coded_objects(gates, "gates", GATE_KEYS)
    for p, g in objects:
        if not _is_text(g.get("text"), required=True):
            problems.append(f"{p}.text: expected a non-empty string that says what the gate means")
        when = g.get("when")
        problems += _conditions_problems(when, f"{p}.when", questions, required=True)
        for i, c in enumerate(when if isinstance(when, list) else ()):
            if (
                isinstance(c, dict)
                and isinstance(c.get("question"), str)
                and _is_string_list(c.get("choices"))
            ):
                named = [x for x in c["choices"] if (c.get("question"), x) in unknown]
                if named:
                    problems.append(
                        f'{p}.when[{i}]: names the "Don\'t know" choice {named}; an unknown '
                        "answer cannot trigger a gate"
                    )
        problems += [f"{p}.limits: {x}" for x in rules.limit_problems(g.get("limits"))]
    return problems


def _plans_problems(plans, questions):
    if not isinstance(plans, dict):
        return ["bank.plans: expected an object"]
    problems = []
    for key, steps in plans.items():
        p = f"bank.plans.{key}"
        if key not in PLAN_KEYS:
            problems.append(f'bank.plans: unknown plan "{key}", expected one of {list(PLAN_KEYS)}')
            continue
        if not isinstance(steps, list):
            problems.append(f"{p}: expected a list")
            continue
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                problems.append(f"{p}[{i}]: expected an object")
                continue
            sp = f"{p}[{i}]"
            problems += _unknown_keys(step, PLAN_STEP_KEYS, sp)
            for k in ("window", "action", "keep"):
                if not _is_text(step.get(k, ""), required=k == "action"):
                    problems.append(f"{sp}.{k}: expected a string")
            if step.get("owner") not in rules.OWNERS:
                problems.append(f"{sp}.owner: expected one of {list(rules.OWNERS)}")
            problems += _when_problems(step.get("only_if", {}), f"{sp}.only_if")
            problems += _conditions_problems(
                step.get("done_if", []), f"{sp}.done_if", questions, required=False
            )
    return problems


def _caveats_problems(caveats):
    problems, objects = _coded_objects(caveats, "caveats", CAVEAT_KEYS)
    for p, c in objects:
        if not _is_text(c.get("text"), required=True):
            problems.append(f"{p}.text: expected a non-empty string")
        for k in ("source", "as_of"):
            if not isinstance(c.get(k, ""), str):
                problems.append(f"{p}.{k}: expected a string")
        problems += _when_problems(c.get("when", {}), f"{p}.when")
    return problems


def _question_problems(q, qp, seen, all_codes, reach):
    if not isinstance(q, dict):
        return [f"{qp}: expected an object"]
    problems = _unknown_keys(q, QUESTION_KEYS, qp)
    code = q.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(f"{qp}.code: expected 1 to 30 letters, digits, - or _")
    elif code in seen:
        problems.append(f'{qp}.code: duplicate code "{code}"')
    if not _is_text(q.get("text"), required=True):
        problems.append(f"{qp}.text: expected a non-empty string")
    if not isinstance(q.get("help", ""), str):
        problems.append(f"{qp}.help: expected a string")
    if q.get("kind", "single") not in ("single", "multi"):
        problems.append(f'{qp}.kind: expected "single" or "multi"')
    for key in ("required", "fact"):
        if not isinstance(q.get(key, key == "required"), bool):
            problems.append(f"{qp}.{key}: expected true or false")
    weight = q.get("weight", 1.0)
    if not _is_number(weight) or not 0 < weight <= 100:
        problems.append(f"{qp}.weight: expected a number above 0 (and at most 100)")
    choices = q.get("choices")
    if not isinstance(choices, list):
        problems.append(f"{qp}.choices: expected a list")
        choices = []
    elif len(choices) < 2:
        problems.append(f"{qp}.choices: fewer than two choices")
    codes = set()
    for ci, c in enumerate(choices):
        problems += _choice_problems(c, f"{qp}.choices[{ci}]", qp, codes, reach)
    show_if = q.get("show_if")
    if show_if is not None:
        problems += _show_if_problems(show_if, f"{qp}.show_if", code, seen, all_codes)
    if isinstance(code, str) and code not in seen:
        seen[code] = codes
    return problems


def _choice_problems(c, cp, qp, codes, reach):
    if not isinstance(c, dict):
        return [f"{cp}: expected an object"]
    problems = _unknown_keys(c, CHOICE_KEYS, cp)
    ccode = c.get("code")
    if not isinstance(ccode, str) or not CODE_RE.match(ccode):
        problems.append(f"{cp}.code: expected 1 to 30 letters, digits, - or _")
    elif ccode in codes:
        problems.append(f'{qp}.choices: duplicate code "{ccode}"')
    else:
        codes.add(ccode)
    if not _is_text(c.get("label"), required=True, max_length=300):
        problems.append(f"{cp}.label: expected a non-empty string of at most 300 characters")
    if not isinstance(c.get("is_unknown", False), bool):
        problems.append(f"{cp}.is_unknown: expected true or false")
    points = c.get("points", {})
    if not isinstance(points, dict):
        problems.append(f"{cp}.points: expected an object")
        points = {}
    for dim, value in points.items():
        if dim not in rules.DIMENSIONS:
            problems.append(f'{cp}.points: unknown dimension "{dim}"')
        elif not _is_number(value) or not 0 <= value <= rules.MAX_POINTS:
            problems.append(f"{cp}.points.{dim}: expected a number from 0 to {rules.MAX_POINTS}")
        elif value > 0 and not c.get("is_unknown"):
            reach[dim] += 1
    if not _is_string_list(c.get("tags", [])):
        problems.append(f"{cp}.tags: expected a list of strings")
    sizes = c.get("sizes", [])
    if not _is_string_list(sizes):
        problems.append(f"{cp}.sizes: expected a list of size bands")
    elif bad := sorted(set(sizes) - set(rules.SIZE_BANDS)):
        problems.append(f"{cp}.sizes: unknown size bands {bad}, expected {list(rules.SIZE_BANDS)}")
    return problems


def _show_if_problems(show_if, p, code, seen, all_codes):
    if (
        not isinstance(show_if, dict)
        or set(show_if) != {"question", "choices"}
        or not isinstance(show_if["question"], str)
        or not _is_string_list(show_if["choices"])
        or not show_if["choices"]
    ):
        return [f'{p}: expected {{"question": "CODE", "choices": ["code", ...]}} or null']
    source = show_if["question"]
    if source == code:
        return [f'{p}: refers to its own question "{source}"']
    if source not in seen:
        if source in all_codes:
            return [f'{p}: refers to "{source}", a later question; it must come earlier']
        return [f'{p}: refers to "{source}", a missing question']
    missing = [c for c in show_if["choices"] if c not in seen[source]]
    if missing:
        return [f'{p}: no such choices {missing} on "{source}"']
    return []


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

    `version` overrides the document's version number (e.g. the next free one)."""
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


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


CATALOGUE_LISTS = (
    "sectors",
    "countries",
    "size_bands",
    "requires_tags",
    "requires_any_tags",
    "excludes_tags",
    "sources",
    "secondary_sources",
)
CATALOGUE_TEXTS = ("summary", "eligibility", "cost", "commitments", "url", "confidence")


def catalogue_problems(data):
    if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT:
        return [f'format: expected "{CATALOGUE_FORMAT}"']
    if data.get("format_version") not in READABLE_VERSIONS:
        return [f"format_version: expected {FORMAT_VERSION}"]
    sectors = {code for code, _label in SECTORS}
    problems, slugs = [], set()
    if not _is_string_list(data.get("retired", [])):
        problems.append("retired: expected a list of slugs")
    for i, a in enumerate(data.get("alliances") or []):
        p = f"alliances[{i}]"
        if not isinstance(a, dict):
            problems.append(f"{p}: expected an object")
            continue
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
        for key in CATALOGUE_LISTS:
            if not _is_string_list(a.get(key, [])):
                problems.append(f"{p}.{key}: expected a list of strings")
        for key in CATALOGUE_TEXTS:
            if not isinstance(a.get(key, ""), str):
                problems.append(f"{p}.{key}: expected a string")
        if not isinstance(a.get("suppliers", False), bool):
            problems.append(f"{p}.suppliers: expected true or false")
        if _is_string_list(a.get("sectors", [])) and (
            bad := sorted(set(a.get("sectors", [])) - sectors)
        ):
            problems.append(f"{p}.sectors: unknown sectors {bad}")
        if "translations" in a:
            problems += i18n.translations_problems(a["translations"], i18n.ALLIANCE_FIELDS, p)
        try:
            datetime.date.fromisoformat(a.get("facts_as_of", ""))
        except (TypeError, ValueError):
            problems.append(f"{p}.facts_as_of: expected a date YYYY-MM-DD")
    return problems


ALLIANCE_FIELDS = ("name", "kind", "track", "suppliers", *CATALOGUE_TEXTS, *CATALOGUE_LISTS)


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
        values["level"] = a.get("level") or ""
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
    """Load the default bank (if that version is not there yet) and missing catalogue
    entries. Running it twice changes nothing."""
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
