"""A question bank's life: import, new draft, publish, retire. Each write is atomic and, when a
person did it, recorded in the admin history (LogEntry) of the bank version it touched."""

import re

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assess import translations as i18n
from assess.banks.format import BankError, bank_problems
from assess.banks.store import bank_export, bank_import, next_version
from assess.models import Choice, Question, QuestionBank, Section
from assess.selectors import clear_bank_cache


def _log(user, bank, flag, message):
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=[bank], action_flag=flag, change_message=message
        )


def _locked(bank):
    return QuestionBank.objects.select_for_update().get(pk=bank.pk)


class Problem(str):
    """A reason a bank version cannot be published, in words: the part it concerns, named by
    its code and title (`subject`), the admin page where it can be fixed (`url`), and what is
    wrong (`message`). It is also the plain sentence, so it reads the same in a log or a shell."""

    def __new__(cls, message, *, subject="", url="", path=""):
        problem = super().__new__(cls, f"{subject}: {message}" if subject else message)
        problem.subject, problem.message, problem.url, problem.path = subject, message, url, path
        return problem


def publish_problems(bank, document=None):
    """Every reason a bank version cannot be published, each naming the part it concerns and
    linking to its page; empty if it can be published. `document`: the bank's export, when
    the caller has it already."""
    document = document or bank_export(bank)
    found = bank_problems(document)
    problems = [_named(p, document, _Parts(bank)) for p in found] if found else []
    problems += misplaced_problems(bank)
    newer = (
        QuestionBank.objects.published()
        .filter(slug=bank.slug, version__gt=bank.version)
        .order_by("-version")
        .first()
    )
    if newer is not None:
        problems.append(
            Problem(
                f"version {newer.version} of this bank is published already; publishing "
                f"version {bank.version} would not make it current. Create a new draft from "
                f"version {newer.version} instead",
                subject=_("The bank"),
                url=_admin_url("questionbank", bank.pk),
            )
        )
    return problems


def translation_gaps(bank, document=None):
    """[(language name, [Problem naming each text with no translation into it])].

    A gap does not stop publishing: the text is shown in English, marked as English, to
    respondents in that language, and the draft's page and the publish page list each one
    beforehand."""
    document = document or bank_export(bank)
    parts = _Parts(bank)
    names = dict(settings.LANGUAGES)
    return [
        (
            names.get(lang, lang),
            [
                _named(f"{path}: {_('not translated; shown in English')}", document, parts)
                for path in paths
            ],
        )
        for lang, paths in i18n.document_gaps(document["bank"]).items()
    ]


def _admin_url(model_name, pk, anchor=""):
    return reverse(f"admin:assess_{model_name}_change", args=[pk]) + anchor


def _quoted(text, limit=70):
    text = " ".join(str(text or "").split())
    if not text:
        return ""
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


class _Parts:
    """The ids of a bank version's sections and questions by code, read once, when needed."""

    def __init__(self, bank):
        self.bank = bank
        self._sections = self._questions = None

    def section(self, code):
        if self._sections is None:
            self._sections = dict(Section.objects.filter(bank=self.bank).values_list("code", "pk"))
        return self._sections.get(code)

    def question(self, code):
        if self._questions is None:
            self._questions = dict(
                Question.objects.filter(bank=self.bank).values_list("code", "pk")
            )
        return self._questions.get(code)


_CODE_IN_PATH = re.compile(r' \("[^"]*"\)')
_PATHS = [
    (
        "question",
        re.compile(r"sections\[(\d+)\]\.questions\[(\d+)\](?:\.choices\[(\d+)\])?(.*)"),
    ),
    ("section", re.compile(r"sections\[(\d+)\](.*)")),
    ("gate", re.compile(r"bank\.gates\[(\d+)\](.*)")),
    ("caveat", re.compile(r"bank\.caveats\[(\d+)\](.*)")),
    ("step", re.compile(r"bank\.plans\.(\w+)\[(\d+)\](.*)")),
    ("bank", re.compile(r"bank(?:\.(\w+))?(.*)")),
]
_FIELD_WORDS = {
    "show_if": "condition",
    "when": "condition",
    "done_if": "done if",
    "only_if": "only if",
    "is_unknown": "don't know",
}


def _field(rest):
    """`.points.capacity` -> "points capacity", `.when[0]` -> "condition 1"."""
    words = []
    for part in filter(None, rest.split(".")):
        name, _sep, index = part.partition("[")
        words.append(_FIELD_WORDS.get(name, name.replace("_", " ")))
        if index:
            words.append(str(int(index.rstrip("]")) + 1))
    return " ".join(words)


def _item(items, index):
    return items[index] if isinstance(items, list) and index < len(items) else {}


def _named(problem, document, parts):
    """A problem of `bank_problems` (a path in the exported document, then what is wrong) as a
    Problem naming the section, question, choice, gate, caveat or plan step it concerns."""
    path, sep, message = problem.partition(": ")
    if not sep:
        return Problem(problem)
    path = _CODE_IN_PATH.sub("", path)
    b = document["bank"]
    bank_url = _admin_url("questionbank", parts.bank.pk)
    for kind, pattern in _PATHS:  # noqa: B007 (the kind that matched is used below)
        match = pattern.fullmatch(path)
        if match:
            break
    else:
        return Problem(message, subject=path, path=path)
    groups = match.groups()
    rest = groups[-1]
    if kind == "question":
        si, qi, ci = int(groups[0]), int(groups[1]), groups[2]
        section = _item(b["sections"], si)
        q = _item(section.get("questions"), qi)
        code = q.get("code") if isinstance(q.get("code"), str) else ""
        subject = " ".join(
            filter(None, [_("Question"), code or f"{qi + 1} of {section.get('title', '')}"])
        )
        subject = f"{subject} {_quoted(q.get('text'))}".strip()
        if ci is not None:
            choice = _item(q.get("choices"), int(ci))
            name = choice.get("code") or choice.get("label") or str(int(ci) + 1)
            subject += ", " + _("choice %(name)s") % {"name": _quoted(name)}
        pk = parts.question(code) if code else None
        url = _admin_url("question", pk) if pk else bank_url
    elif kind == "section":
        section = _item(b["sections"], int(groups[0]))
        code = section.get("code") if isinstance(section.get("code"), str) else ""
        subject = " ".join(filter(None, [_("Section"), _quoted(section.get("title")), f"({code})"]))
        pk = parts.section(code) if code else None
        url = _admin_url("section", pk) if pk else bank_url
    elif kind in ("gate", "caveat"):
        obj = _item(b.get(f"{kind}s"), int(groups[0]))
        code = obj.get("code") if isinstance(obj.get("code"), str) else str(int(groups[0]) + 1)
        subject = f"{_('Gate') if kind == 'gate' else _('Caveat')} {code}"
        if kind == "gate":
            subject = f"{subject} {_quoted(obj.get('text'), 50)}".strip()
        url = _admin_url("questionbank", parts.bank.pk, f"#id_{kind}s")
    elif kind == "step":
        plan, index = groups[0], int(groups[1])
        step = _item((b.get("plans") or {}).get(plan), index)
        subject = _("Plan %(plan)s, step %(n)s") % {"plan": plan, "n": index + 1}
        subject = f"{subject} {_quoted(step.get('action'), 50)}".strip()
        url = _admin_url("questionbank", parts.bank.pk, "#id_plans")
    else:
        field = groups[0]
        named = {
            "thresholds": _("Thresholds"),
            "plans": _("Plans"),
            "gates": _("Gates"),
            "caveats": _("Caveats"),
        }
        subject = named.get(field) or _("The bank")
        anchor = {"plans": "#id_plans", "gates": "#id_gates", "caveats": "#id_caveats"}
        url = _admin_url("questionbank", parts.bank.pk, anchor.get(field, ""))
        if field and field not in named:
            rest = f".{field}{rest}"
    where = _field(rest)
    return Problem(f"{where}: {message}" if where else message, subject=subject, url=url, path=path)


def misplaced_problems(bank):
    """Parts of this bank version tied to a part of another version (which the export, and so
    the checks above, would not show): each would break the pages of both."""

    def question(pk, code, text, message):
        return Problem(
            message,
            subject=f"{_('Question')} {code} {_quoted(text)}".strip(),
            url=_admin_url("question", pk),
        )

    fields = ("pk", "code", "text")
    problems = [
        question(*q, "its section belongs to another bank version")
        for q in Question.objects.filter(bank=bank).exclude(section__bank=bank).values_list(*fields)
    ]
    problems += [
        question(*q, "of another bank version, but in a section of this one")
        for q in Question.objects.filter(section__bank=bank).exclude(bank=bank).values_list(*fields)
    ]
    problems += [
        question(*q, "shown only if a question of another bank version is answered")
        for q in Question.objects.filter(bank=bank, show_if_question__isnull=False)
        .exclude(show_if_question__bank=bank)
        .values_list(*fields)
    ]
    problems += [
        Problem(
            "its question belongs to another bank version",
            subject=_("Choice %(choice)s of question %(question)s")
            % {"choice": _quoted(code), "question": q_code},
            url=_admin_url("question", pk),
        )
        for code, pk, q_code in Choice.objects.filter(bank=bank)
        .exclude(question__bank=bank)
        .values_list("code", "question_id", "question__code")
    ]
    return problems


@transaction.atomic
def bank_import_document(
    *, data, user=None, status=QuestionBank.Status.DRAFT, as_next=False, source=""
):
    """Create a bank version from a document; `as_next` numbers it after the newest version."""
    bank = data.get("bank") if isinstance(data, dict) else None
    slug = bank.get("slug") if isinstance(bank, dict) else None
    version = next_version(slug) if as_next and isinstance(slug, str) else None
    bank = bank_import(data, status=status, version=version)
    _log(user, bank, ADDITION, f"Imported{' from ' + source if source else ''} as {bank}.")
    return bank


@transaction.atomic
def bank_new_draft(*, bank, user=None):
    """A deep copy of a version as the next draft version of the same bank."""
    bank = _locked(bank)
    if bank.is_draft:
        raise BankError([f"{bank} is a draft already: edit it directly."])
    draft = bank_import(
        bank_export(bank), status=QuestionBank.Status.DRAFT, version=next_version(bank.slug)
    )
    _log(user, draft, ADDITION, f"Created as a new draft from version {bank.version}.")
    return draft


@transaction.atomic
def bank_publish(*, bank, user=None):
    """Publish a draft after checking it; raises BankError listing every problem at once."""
    bank = _locked(bank)
    if not bank.is_draft:
        raise BankError([f"{bank} is not a draft, so it cannot be published again."])
    problems = publish_problems(bank)
    if problems:
        raise BankError(problems)
    bank.status = QuestionBank.Status.PUBLISHED
    bank.published_at = timezone.now()
    bank.save(update_fields=["status", "published_at"])
    # Published definitions are cached by id; start from a clean slate in this process.
    clear_bank_cache()
    _log(user, bank, CHANGE, f"Published version {bank.version}.")
    return bank


@transaction.atomic
def bank_retire(*, bank, user=None):
    """Hide a published version from new assessments; assessments on it keep it."""
    bank = _locked(bank)
    if not bank.is_published:
        raise BankError([f"{bank} is not published, so it cannot be retired."])
    bank.status = QuestionBank.Status.RETIRED
    bank.save(update_fields=["status"])
    clear_bank_cache()
    _log(user, bank, CHANGE, f"Retired version {bank.version}.")
    return bank
