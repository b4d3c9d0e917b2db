"""Reads that cross relations, each doing its own select_related/prefetch_related."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch

from assess import rules, vocabulary
from assess import translations as i18n
from assess.models import Alliance, Answer, Choice, Question, QuestionBank, Section

# Published banks never change, so their definitions are built once per process and
# language: the key is (bank id, language code).
_published_cache: dict[tuple[int, str], "BankView"] = {}


class BankView:
    """A bank loaded once: its sections with questions and choices, plus the rules input."""

    def __init__(self, bank, sections, lang=i18n.SOURCE_LANGUAGE):
        self.bank = bank
        self.lang = lang
        self.sections = sections
        self.questions = [q for s in sections for q in s.question_list]
        self.by_id = {q.id: q for q in self.questions}
        self.by_code = {q.code: q for q in self.questions}
        self.choice_by_id = {c.id: c for q in self.questions for c in q.choice_list}
        for q in self.questions:
            source = self.by_id.get(q.show_if_question_id)
            q.show_if_code = source.code if source else ""
            q.show_if_text = source.text if source else ""
        self.definition = _definition(bank, self.questions, lang)

    def section(self, number):
        """The 1-based numbered section, or None."""
        if 1 <= number <= len(self.sections):
            return self.sections[number - 1]
        return None


def _definition(bank, questions, lang):
    by_id = {q.id: q for q in questions}
    defs = []
    for q in questions:
        show_if = None
        if q.show_if_question_id and q.show_if_question_id in by_id:
            show_if = (by_id[q.show_if_question_id].code, frozenset(q.show_if_choices))
        defs.append(
            rules.Question(
                code=q.code,
                text=q.text,
                kind=q.kind,
                section=q.section.code,
                required=q.required,
                weight=q.weight,
                fact=q.is_fact,
                show_if=show_if,
                choices=tuple(
                    rules.Choice(
                        code=c.code,
                        label=c.label,
                        points={k: float(v) for k, v in (c.points or {}).items()},
                        tags=frozenset(c.tags or ()),
                        is_unknown=c.is_unknown,
                        sizes=frozenset(c.sizes or ()),
                    )
                    for c in q.choice_list
                ),
            )
        )
    return rules.Bank(
        slug=bank.slug,
        version=bank.version,
        name=i18n.pick(bank.name, bank.translations, "name", lang),
        questions=tuple(defs),
        thresholds=rules.Thresholds.from_dict(bank.thresholds),
        plans=rules.plans_from_document(i18n.localized_plans(bank.plans, lang)),
        caveats=rules.caveats_from_document(
            i18n.localized_items(bank.caveats, i18n.CAVEAT_FIELDS, lang)
        ),
        gates=rules.gates_from_document(i18n.localized_items(bank.gates, i18n.GATE_FIELDS, lang)),
        who_knows={q.section.code: q.section.who_knows for q in questions},
    )


def bank_view(bank, lang=None):
    """The loaded bank, its texts in `lang` (by default the active language; English where a
    text has no translation); three queries the first time, none after for a published bank.
    The number of queries does not depend on the number of languages: the translations are
    in the rows read anyway."""
    lang = lang or i18n.current()
    key = (bank.id, lang)
    if bank.status == QuestionBank.Status.PUBLISHED and key in _published_cache:
        return _published_cache[key]
    questions = (
        Question.objects.filter(bank=bank)
        .select_related("section")
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "choices", queryset=Choice.objects.order_by("order", "id"), to_attr="choice_list"
            )
        )
    )
    sections = list(Section.objects.filter(bank=bank).order_by("order", "id"))
    by_section = {s.id: s for s in sections}
    for s in sections:
        i18n.localize(s, i18n.SECTION_FIELDS, lang)
        s.question_list = []
    for q in questions:
        i18n.localize(q, i18n.QUESTION_FIELDS, lang)
        for c in q.choice_list:
            i18n.localize(c, i18n.CHOICE_FIELDS, lang)
        q.section = by_section[q.section_id]
        q.section.question_list.append(q)
    view = BankView(bank, sections, lang)
    if bank.status == QuestionBank.Status.PUBLISHED:
        _published_cache[key] = view
    return view


def clear_bank_cache():
    _published_cache.clear()
    _board_memo.clear()


@dataclass
class SavedAnswer:
    """One saved answer as the pages, the rules and the report read it."""

    choice_codes: list
    comment: str


def answers_of(assessment, view, participant=None):
    """{question code: SavedAnswer}, in one query: the assessment's own answers (for a
    workshop, the consensus), or one participant's. The query has a row per chosen choice
    (one with no choice for an answer without any); codes follow the bank's order."""
    found = {}
    rows = Answer.objects.filter(assessment=assessment, participant=participant).values_list(
        "id", "question_id", "comment", "choices"
    )
    for answer_id, question_id, comment, choice_id in rows:
        q = view.by_id.get(question_id)
        if q is None:
            continue
        code, chosen, _comment = found.setdefault(answer_id, (q.code, [], comment))
        choice = view.choice_by_id.get(choice_id)
        if choice is not None:
            chosen.append(choice)
    return {
        code: SavedAnswer([c.code for c in sorted(chosen, key=_choice_position)], comment)
        for code, chosen, comment in found.values()
    }


def _choice_position(choice):
    return (choice.order, choice.id)


# Bound parameters per query: under SQLite's 32,766 and PostgreSQL's 65,535 (about 760
# participants' answers to the default bank in one query).
IDS_PER_QUERY = 30000


def participant_answers(assessment, view, participant_ids=None):
    """({participant id: {question code: choice codes}}, {question code: [(participant id,
    comment)]}) for every participant of a workshop (or only those of `participant_ids`), in
    two queries up to about 760 participants (IDS_PER_QUERY)."""
    through = Answer.choices.through
    question_of, comments = {}, {}
    found = Answer.objects.filter(assessment=assessment, participant__isnull=False)
    if participant_ids is not None:
        found = found.filter(participant_id__in=participant_ids)
    for answer_id, participant_id, question_id, comment in found.values_list(
        "id", "participant_id", "question_id", "comment"
    ):
        q = view.by_id.get(question_id)
        if q is None:
            continue
        question_of[answer_id] = (participant_id, q.code)
        if comment:
            comments.setdefault(q.code, []).append((participant_id, comment))
    codes = {}
    rows = _chosen_rows(through, assessment, list(question_of), participant_ids)
    for answer_id, choice_id in rows:
        where = question_of.get(answer_id)
        choice = view.choice_by_id.get(choice_id)
        if where and choice:
            participant_id, code = where
            per_participant = codes.setdefault(participant_id, {})
            per_participant[code] = per_participant.get(code, ()) + (choice.code,)
    # Answers to questions a participant's other answers hide do not count (stored before
    # answers_save dropped them, or by hand).
    codes = {pid: applicable(view, per) for pid, per in codes.items()}
    comments = {
        code: [(pid, c) for pid, c in rows if _shown(view, code, codes.get(pid, {}))]
        for code, rows in comments.items()
    }
    return codes, {code: rows for code, rows in comments.items() if rows}


# What the board computed from each participant's answers, per process: {assessment id:
# {participant id: ParticipantSummary}}, the workshops seen last kept (BOARD_MEMO_SIZE).
_board_memo: "OrderedDict[int, dict]" = OrderedDict()
_board_memo_lock = threading.Lock()
BOARD_MEMO_SIZE = 200


@dataclass
class ParticipantSummary:
    """One participant's answers as the board reads them, and what the rules make of them,
    valid while the participant's `updated` is `version` (every save writes it)."""

    version: object
    codes: dict  # question code -> choice codes, the answers that count (`applicable`)
    comments: dict  # question code -> comment, on questions shown to them
    scores: dict  # dimension -> score
    shown: int  # questions their answers show them
    answered: int  # of those, answered


def participant_summaries(assessment, view, participants):
    """{participant id: ParticipantSummary} for `participants` (with their `updated`),
    reading the answers of only those who saved since this process last read theirs: a
    board refresh costs the participants who changed, not every participant's answers
    (issue #34). Two queries when any changed, none otherwise."""
    key = assessment.pk
    with _board_memo_lock:
        memo = _board_memo.pop(key, None)
        if memo is None or memo.get("bank") != view.bank.pk:
            memo = {"bank": view.bank.pk, "people": {}}
        _board_memo[key] = memo
        while len(_board_memo) > BOARD_MEMO_SIZE:
            _board_memo.popitem(last=False)
    known = memo["people"]
    stale = [p for p in participants if getattr(known.get(p.id), "version", None) != p.updated]
    if stale:
        # All of them by the workshop (one indexed read), a few by their ids.
        ids = None if len(stale) == len(participants) else [p.id for p in stale]
        codes, comments = participant_answers(assessment, view, ids)
        theirs = {}
        for code, rows in comments.items():
            for pid, text in rows:
                theirs.setdefault(pid, {})[code] = text
        standing = rules.participant_standing(
            view.definition, {p.id: codes.get(p.id, {}) for p in stale}
        )
        for p in stale:
            scores, visible, answered = standing[p.id]
            known[p.id] = ParticipantSummary(
                p.updated, codes.get(p.id, {}), theirs.get(p.id, {}), scores, len(visible), answered
            )
    return {p.id: known[p.id] for p in participants}


def read_chosen_by_ids():
    """Whether to read a workshop's chosen answers by the answers' ids (PostgreSQL) or by a
    join on the assessment (other engines). Joined, PostgreSQL hashes every workshop's chosen
    answers (a sequential scan of the whole table); by ids, SQLite parses and runs a long id
    list far slower than the join, which it answers by index. The figures, and the table-level
    fix (an indexed assessment on the choices' rows), are in bench/RESULTS.md."""
    return connection.vendor == "postgresql"


def _chosen_rows(through, assessment, ids, participant_ids=None):
    """(answer id, choice id) of the workshop's participants' answers (or of those of
    `participant_ids`), `ids` being those answers'; one query up to IDS_PER_QUERY answers."""
    if not read_chosen_by_ids():
        rows = through.objects.filter(
            answer__assessment=assessment, answer__participant__isnull=False
        )
        if participant_ids is not None:
            rows = rows.filter(answer__participant_id__in=participant_ids)
        return rows.values_list("answer_id", "choice_id").order_by("choice_id")
    # The ids as one array parameter, not a placeholder each: with 19,500 ids (500
    # participants) the driver's parsing of the placeholders and Django's of the values
    # cost more than the query itself (bench/RESULTS.md, issue #34).
    sql = (
        "SELECT answer_id, choice_id FROM assess_answer_choices "
        "WHERE answer_id = ANY(%s) ORDER BY choice_id"
    )
    chunks = [ids[start : start + IDS_PER_QUERY] for start in range(0, len(ids), IDS_PER_QUERY)]
    if connection.vendor != "postgresql":  # = ANY(array) is PostgreSQL's
        return [
            pair
            for chunk in chunks
            for pair in through.objects.filter(answer_id__in=chunk)
            .values_list("answer_id", "choice_id")
            .order_by("choice_id")
        ]
    rows = []
    with connection.cursor() as cursor:
        for chunk in chunks:
            cursor.execute(sql, [chunk])
            rows += cursor.fetchall()
    return rows


def applicable(view, codes):
    """{question code: choice codes} without the answers to questions hidden by a condition
    on the other answers: the one rule for what counts, in every questionnaire."""
    return {code: chosen for code, chosen in codes.items() if _shown(view, code, codes)}


def progress(view, codes):
    """(questions answered, questions that apply) for the progress line: a question hidden by
    the answers so far counts in neither, so a finished questionnaire reads "n of n"."""
    hidden = hidden_codes(view, codes)
    return len(applicable(view, codes)), len(view.questions) - len(hidden)


def progress_rules(view, section, codes):
    """What static/js/questionnaire.js needs to keep the progress line right while the page
    is answered, by the same rule as `progress`: every question's condition ([source,
    choices] or None) and the saved answers to the questions on other pages."""
    on_page = {q.code for q in section.question_list}
    definition = view.definition
    conditions = {}
    for q in view.questions:
        rule = definition.question(q.code)
        if rule is not None:
            show_if = rule.show_if
            conditions[q.code] = [show_if[0], sorted(show_if[1])] if show_if else None
    saved = {code: list(chosen) for code, chosen in codes.items() if code not in on_page}
    return {"conditions": conditions, "saved": saved}


def page_questions(view, section, codes):
    """The questions to show on a section page of a questionnaire (an assessment's, a
    participant's or a bank preview's).

    A question whose condition refers to an earlier section is shown only if the saved
    answer meets it; one whose condition refers to a question on the same page is always
    rendered, and the page's script hides it until it applies (it is ignored in scoring
    while the condition does not hold)."""
    on_page = {q.code for q in section.question_list}
    definition = view.definition
    return [
        q
        for q in section.question_list
        if q.show_if_code in on_page
        or rules.is_visible(definition.question(q.code), definition, codes)
    ]


def hidden_codes(view, codes):
    """The codes of the questions that the answers `codes` hide."""
    return {q.code for q in view.questions if not _shown(view, q.code, codes)}


def _shown(view, code, codes):
    question = view.definition.question(code)
    return question is not None and rules.is_visible(question, view.definition, codes)


def answer_codes(answers):
    return {code: tuple(a.choice_codes) for code, a in answers.items() if a.choice_codes}


def answer_sheet(view, answers):
    """Every section with each shown question, its answer labels and comment, as plain data:
    the report's appendix, frozen into the result snapshot at submit."""
    definition = view.definition
    codes = answer_codes(answers)
    sheet = []
    for section in view.sections:
        rows = []
        for q in section.question_list:
            if not rules.is_visible(definition.question(q.code), definition, codes):
                continue
            answer = answers.get(q.code)
            picked = set(answer.choice_codes) if answer else set()
            rows.append(
                {
                    "code": q.code,
                    "text": q.text,
                    "answers": [c.label for c in q.choice_list if c.code in picked],
                    "comment": answer.comment if answer else "",
                    "required": q.required,
                }
            )
        sheet.append({"code": section.code, "title": section.title, "questions": rows})
    return sheet


def review_sheet(view, answers):
    """The answer sheet as the review pages show it: (numbered sections, each with its rows,
    and the (section number, question) pairs of required questions left unanswered)."""
    sections, missing = [], []
    for number, section in enumerate(answer_sheet(view, answers), start=1):
        rows = []
        for q in section["questions"]:
            row = {
                "question": q,
                "labels": q["answers"],
                "comment": q["comment"],
                "missing": q["required"] and not q["answers"],
            }
            rows.append(row)
            if row["missing"]:
                missing.append((number, q))
        sections.append({"number": number, "section": section, "rows": rows})
    return sections, missing


def catalogue(lang=None, *, rows=None):
    """The active catalogue entries for the rules, their texts in `lang` (by default the
    active language; English where a text has no translation). `rows`: the active entries
    already read (`catalogue_rows`), to word them in several languages from one read."""
    lang = lang or i18n.current()
    return [a.definition(lang) for a in (catalogue_rows() if rows is None else rows)]


def catalogue_rows():
    return list(Alliance.objects.filter(active=True))


def preview_result(view, codes):
    """What a bank preview's answers would give (the rules on the preview's answers and the
    current catalogue, with no organisation), as the preview's review page shows it."""
    result = rules.evaluate(view.definition, codes, None, catalogue()).as_dict()
    labels = vocabulary.dimension_labels()
    return {
        "result": result,
        "outcome_label": vocabulary.outcome_labels()[result["outcome"]],
        "dimension_rows": [
            {"label": labels[d], **result["scores"][d]} for d in vocabulary.DIMENSIONS
        ],
    }
