"""Question banks and the catalogue as JSON documents (assess/data/FORMAT.md): reading,
upgrading older formats, and every check with the path of what it finds. Nothing here
writes to the database; `store` does, after these checks pass.

Why the structural checks are Python and not a JSON Schema (considered for issue #16): most
of what can be wrong in a bank is semantic (a condition on a later question, a gate on a
choice that does not exist, weights no answer can reach, a translation for a language not
offered), so a schema would cover the easy half and leave two places to read. One pass here
reports every problem with its path, in the words an editor sees in admin, and FORMAT.md
documents the format with examples."""

import copy
import json
import re
from pathlib import Path

from assess import rules, vocabulary
from assess import translations as i18n
from assess.banks import limits

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
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
GATE_KEYS = {"code", "text", "when", "limits", "pledges_with", "translations"}
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


def _code_problems(code, seen, path, duplicate_path):
    """The problem with an object's code at `path`, if any: not a code, or one already in
    `seen` (said at `duplicate_path`). A new valid code joins `seen`."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        return [f"{path}.code: expected 1 to 30 letters, digits, - or _"]
    if code in seen:
        return [f'{duplicate_path}: duplicate code "{code}"']
    seen.add(code)
    return []


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

    Import and publish share these rules: publishing checks `bank_export` of the draft.

    Long on purpose: one check after another down the document (bank, sections, questions,
    choices, gates), each naming the path it reports; splitting it would scatter the order in
    which an editor reads the problems."""
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
    reach = dict.fromkeys(vocabulary.DIMENSIONS, 0)
    section_codes = set()
    for si, section in enumerate(sections):
        sp = f"sections[{si}]"
        if not isinstance(section, dict):
            problems.append(f"{sp}: expected an object")
            continue
        problems += _unknown_keys(section, SECTION_KEYS, sp)
        problems += _code_problems(section.get("code"), section_codes, sp, f"{sp}.code")
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
        elif k == "sizes_any" and (bad := sorted(set(v) - set(vocabulary.SIZE_BANDS))):
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
        problems += _code_problems(obj.get("code"), codes, p, f"bank.{name}")
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
        problems += _pledges_with_problems(g, p)
    return problems


def _pledges_with_problems(gate, p):
    """A gate about particular pledges names friction features and caps the normative
    track (FORMAT.md, `pledges_with`)."""
    if "pledges_with" not in gate:
        return []
    features = gate["pledges_with"]
    if not _is_string_list(features) or not features:
        return [f"{p}.pledges_with: expected a non-empty list of friction features"]
    problems = []
    if bad := sorted(set(features) - set(rules.FRICTION_FEATURES)):
        problems.append(
            f"{p}.pledges_with: unknown friction features {bad}, expected some of "
            f"{list(rules.FRICTION_FEATURES)}"
        )
    limits = gate.get("limits")
    if isinstance(limits, dict) and "normative" not in limits:
        problems.append(f"{p}.pledges_with: the gate must cap the normative track")
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
            if step.get("owner") not in vocabulary.OWNERS:
                problems.append(f"{sp}.owner: expected one of {list(vocabulary.OWNERS)}")
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
    problems += _code_problems(c.get("code"), codes, cp, f"{qp}.choices")
    if not _is_text(c.get("label"), required=True, max_length=300):
        problems.append(f"{cp}.label: expected a non-empty string of at most 300 characters")
    if not isinstance(c.get("is_unknown", False), bool):
        problems.append(f"{cp}.is_unknown: expected true or false")
    points = c.get("points", {})
    if not isinstance(points, dict):
        problems.append(f"{cp}.points: expected an object")
        points = {}
    for dim, value in points.items():
        if dim not in vocabulary.DIMENSIONS:
            problems.append(f'{cp}.points: unknown dimension "{dim}"')
        elif not _is_number(value) or not 0 <= value <= vocabulary.MAX_POINTS:
            problems.append(
                f"{cp}.points.{dim}: expected a number from 0 to {vocabulary.MAX_POINTS}"
            )
        elif value > 0 and not c.get("is_unknown"):
            reach[dim] += 1
    if not _is_string_list(c.get("tags", [])):
        problems.append(f"{cp}.tags: expected a list of strings")
    sizes = c.get("sizes", [])
    if not _is_string_list(sizes):
        problems.append(f"{cp}.sizes: expected a list of size bands")
    elif bad := sorted(set(sizes) - set(vocabulary.SIZE_BANDS)):
        problems.append(
            f"{cp}.sizes: unknown size bands {bad}, expected {list(vocabulary.SIZE_BANDS)}"
        )
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


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
