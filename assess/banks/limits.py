"""Limits on what a bank editor or an imported file can store, and the checks that hold them.

A question bank's text ends up in every questionnaire page, board and PDF made from it, so a
mistake or a crafted file in one bank must not be able to stall or break those for everyone:
- every text has a length limit (`TEXT_LIMITS`) and every list a size limit (`COUNT_LIMITS`),
  so the worst report the limits allow is bounded (bench/bench_pdf.py measures it);
- no text may hold what UTF-8 or PostgreSQL cannot store (a lone surrogate such as a "\\ud800"
  JSON escape, a NUL character): saved, it would make every page that shows it fail;
- JSON values are plain: nested at most `MAX_DEPTH` deep, whole numbers within +/-2**53 (what
  every JSON reader keeps exactly), no NaN or infinity.

Import, publish (`banks.bank_problems`) and the admin forms all call these functions, so one
rule holds wherever a bank is written. Each problem names its path, and the question's code
where there is one.
"""

import functools
import json
import math
import re

MAX_DEPTH = 20
MAX_INTEGER = 2**53

# Characters at most, per kind of text.
TEXT_LIMITS = {
    "bank.name": 200,
    "bank.description": 5000,
    "section.title": 200,
    "section.intro": 2000,
    "question.text": 1000,
    "question.help": 2000,
    "choice.label": 300,
    "tag": 50,
    "plan.window": 100,
    "plan.action": 500,
    "plan.owner": 200,
    "plan.keep": 500,
    "section.who_knows": 200,
    "gate.text": 1000,
    "caveat.text": 1000,
    "caveat.source": 500,
    "caveat.as_of": 50,
    "caveat.when": 50,
}
# Items at most, per kind of list.
COUNT_LIMITS = {
    "sections": 20,
    "questions": 60,
    "choices": 12,
    "tags": 20,
    "plan_steps": 15,
    "caveats": 30,
    "caveat_when": 300,
    "gates": 30,
    "gate_when": 20,
}


def unstorable(text):
    """Why `text` cannot be stored, in words, or "" if it can."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return (
            f"contains a character that is not valid Unicode (\\u{ord(text[e.start]):04x}, "
            f"at character {e.start + 1}); it cannot be stored"
        )
    return ""


def text_problem(value, kind):
    """The problem with one text of a kind in TEXT_LIMITS, in words, or ""."""
    if not isinstance(value, str):
        return ""  # the shape checks report a wrong type
    why = unstorable(value)
    if why:
        return why
    limit = TEXT_LIMITS[kind]
    if len(value) > limit:
        return f"{len(value):,} characters, over the limit of {limit:,}"
    return ""


def json_problems(value, path, depth=0):
    """Problems in a parsed JSON value: too deep, unsafe numbers, unstorable strings.

    Iterates over lists and objects, so a hostile document cannot exhaust the stack here."""
    problems = []
    stack = [(value, path, depth)]
    while stack and len(problems) < 20:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append(f"{path}: nested more than {MAX_DEPTH} levels deep")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
                problems.append(f"{path}: a whole number beyond +/-2**53")
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(f"{path}: not a finite number")
        elif isinstance(value, str):
            why = unstorable(value)
            if why:
                problems.append(f"{path}: {why}")
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                why = unstorable(k) if isinstance(k, str) else "a key that is not a string"
                if why:
                    problems.append(f"{path}: a key {why}")
                stack.append((v, f"{path}.{k}" if not why else path, depth + 1))
    return problems


def _code_of(obj):
    code = obj.get("code") if isinstance(obj, dict) else None
    return f' ("{code}")' if isinstance(code, str) and len(code) <= 30 else ""


def _texts(obj, path, kinds):
    """Problems of the texts `kinds` ({key: kind}) of one object at `path`."""
    if not isinstance(obj, dict):
        return []
    problems = []
    for key, kind in kinds.items():
        why = text_problem(obj.get(key), kind)
        if why:
            problems.append(f"{path}.{key}{_code_of(obj)}: {why}")
    return problems


def _count(items, path, kind):
    if isinstance(items, list) and len(items) > COUNT_LIMITS[kind]:
        return [f"{path}: {len(items):,} items, over the limit of {COUNT_LIMITS[kind]:,}"]
    return []


def _list(value):
    return value if isinstance(value, list) else []


def bank_limit_problems(data):
    """Every text, list and JSON value of a bank document beyond its limit, with its path.

    Shapes and types are `banks.bank_problems`' business; this reads only what it finds."""
    problems = json_problems(data, "document")
    if problems:  # nothing below may be read safely
        return problems
    bank = data.get("bank") if isinstance(data, dict) else None
    if not isinstance(bank, dict):
        return []
    problems += _texts(bank, "bank", {"name": "bank.name", "description": "bank.description"})
    sections = _list(bank.get("sections"))
    problems += _count(sections, "bank.sections", "sections")
    n_questions = 0
    for si, section in enumerate(sections):
        sp = f"sections[{si}]"
        problems += _texts(
            section,
            sp,
            {"title": "section.title", "intro": "section.intro", "who_knows": "section.who_knows"},
        )
        questions = _list(section.get("questions")) if isinstance(section, dict) else []
        n_questions += len(questions)
        for qi, q in enumerate(questions):
            qp = f"{sp}.questions[{qi}]"
            problems += _texts(q, qp, {"text": "question.text", "help": "question.help"})
            choices = _list(q.get("choices")) if isinstance(q, dict) else []
            problems += _count(choices, f"{qp}{_code_of(q)}.choices", "choices")
            for ci, c in enumerate(choices):
                cp = f"{qp}{_code_of(q)}.choices[{ci}]"
                problems += _texts(c, cp, {"label": "choice.label"})
                problems += _tags_problems(c.get("tags") if isinstance(c, dict) else None, cp)
    if n_questions > COUNT_LIMITS["questions"]:
        problems.append(
            f"bank.sections: {n_questions:,} questions, over the limit of "
            f"{COUNT_LIMITS['questions']:,}"
        )
    problems += plans_limit_problems(bank.get("plans"))
    problems += caveats_limit_problems(bank.get("caveats"))
    problems += gates_limit_problems(bank.get("gates"))
    return problems


def _tags_problems(tags, path):
    problems = _count(tags, f"{path}.tags", "tags")
    for ti, tag in enumerate(_list(tags)):
        why = text_problem(tag, "tag")
        if why:
            problems.append(f"{path}.tags[{ti}]: {why}")
    return problems


def plans_limit_problems(plans):
    """The plans' steps (bank.plans) beyond their limits; used by import and the admin form."""
    if not isinstance(plans, dict):
        return []
    problems = []
    kinds = {
        "window": "plan.window",
        "action": "plan.action",
        "owner": "plan.owner",
        "keep": "plan.keep",
    }
    for key, steps in plans.items():
        p = f"bank.plans.{key}"
        problems += _count(steps, p, "plan_steps")
        for i, step in enumerate(_list(steps)):
            problems += _texts(step, f"{p}[{i}]", kinds)
    return problems


def caveats_limit_problems(caveats):
    """The caveats (bank.caveats) beyond their limits; used by import and the admin form."""
    problems = _count(caveats, "bank.caveats", "caveats")
    kinds = {"text": "caveat.text", "source": "caveat.source", "as_of": "caveat.as_of"}
    for i, c in enumerate(_list(caveats)):
        p = f"bank.caveats[{i}]"
        problems += _texts(c, p, kinds)
        when = c.get("when") if isinstance(c, dict) else None
        for key, items in when.items() if isinstance(when, dict) else ():
            problems += _count(items, f"{p}.when.{key}", "caveat_when")
            for j, item in enumerate(_list(items)):
                why = text_problem(item, "caveat.when")
                if why:
                    problems.append(f"{p}.when.{key}[{j}]: {why}")
    return problems


def gates_limit_problems(gates):
    """The gates (bank.gates) beyond their limits; used by import and the admin form."""
    problems = _count(gates, "bank.gates", "gates")
    for i, g in enumerate(_list(gates)):
        p = f"bank.gates[{i}]"
        problems += _texts(g, p, {"text": "gate.text"})
        problems += _count(g.get("when") if isinstance(g, dict) else None, f"{p}.when", "gate_when")
    return problems


def _path_of(problem):
    return re.sub(r' \("[^"]*"\)', "", problem.split(": ", 1)[0])


def with_limits(check):
    """Wraps a bank document check (`banks.bank_problems`) so that a document with unsafe JSON
    values is refused before it is read, and every limit above is checked after it."""

    @functools.wraps(check)
    def checked(data):
        unsafe = json_problems(data, "document")
        if unsafe:
            return unsafe
        shape = check(data)
        # The shape checks bound a few texts already (names, titles, labels): one message each.
        reported = {p.split(":", 1)[0] for p in shape}
        return shape + [p for p in bank_limit_problems(data) if _path_of(p) not in reported]

    return checked


# The admin forms' text fields and the kind of text each is.
FORM_TEXT_KINDS = {
    ("questionbank", "name"): "bank.name",
    ("questionbank", "description"): "bank.description",
    ("section", "title"): "section.title",
    ("section", "intro"): "section.intro",
    ("question", "text"): "question.text",
    ("question", "help"): "question.help",
    ("choice", "label"): "choice.label",
    ("choice", "tags"): "tag",
}


def form_limit_errors(form):
    """Adds an error to every text field of an admin bank form that is over its limit or holds
    a character that cannot be stored; the other fields are checked for the latter only."""
    model = form._meta.model._meta.model_name
    for name, value in list(form.cleaned_data.items()):
        kind = FORM_TEXT_KINDS.get((model, name))
        values = value if isinstance(value, list) else [value]
        if kind == "tag" and len(values) > COUNT_LIMITS["tags"]:
            form.add_error(name, f"{len(values)} tags, over the limit of {COUNT_LIMITS['tags']}")
            continue
        for v in values:
            if not isinstance(v, str):
                continue
            why = text_problem(v, kind) if kind else unstorable(v)
            if why:
                form.add_error(name, why[0].upper() + why[1:] + ".")
                break


def printable(value):
    """A parsed JSON value as it can be shown: every lone surrogate (text saved before these
    checks, or planted) replaced by U+FFFD. The same object when nothing needs it, which is
    checked in one pass of the C encoder."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return _printable(value)
    except (TypeError, ValueError):
        return value
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(value):
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    return value
