"""Where a workshop's participants agree and disagree. Pure: no database.

`answers` throughout is {participant key: {question code: (choice codes, ...)}}."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from assess import rules


@dataclass(frozen=True)
class QuestionAgreement:
    code: str
    counts: dict[str, int]  # choice code -> participants who picked it
    answered: int  # participants with a known answer
    unknown: int  # participants who said "don't know"
    disagreement: float  # 0 (all known answers alike) to 1
    most_common: tuple[str, ...]  # the prefill for the consensus answer


def _key(codes):
    return tuple(sorted(codes))


def question_agreement(question, answers):
    """How the participants answered one question, and how far apart they are.

    Disagreement is the share of answering participants whose answer differs from the most
    common one; "don't know" and blanks are left out, since they are not a position."""
    counts, sets, unknown = Counter(), Counter(), 0
    for per_participant in answers.values():
        codes = tuple(per_participant.get(question.code, ()))
        chosen = [question.choice(c) for c in codes if question.choice(c) is not None]
        if not chosen:
            continue
        if any(c.is_unknown for c in chosen):
            unknown += 1
            continue
        sets[_key(c.code for c in chosen)] += 1
        counts.update(c.code for c in chosen)
    answered = sum(sets.values())
    if answered == 0:
        return QuestionAgreement(question.code, dict(counts), 0, unknown, 0.0, ())
    # Most common answer; ties go to the earlier choice order, so the prefill is stable.
    order = {c.code: i for i, c in enumerate(question.choices)}
    top, top_count = min(sets.items(), key=lambda kv: (-kv[1], [order.get(c, 99) for c in kv[0]]))
    return QuestionAgreement(
        code=question.code,
        counts=dict(counts),
        answered=answered,
        unknown=unknown,
        disagreement=round(1 - top_count / answered, 4),
        most_common=top,
    )


def ranked_questions(bank, answers):
    """Every question with at least one answer, most disagreement first."""
    rows = [question_agreement(q, answers) for q in bank.questions]
    order = {q.code: i for i, q in enumerate(bank.questions)}
    rows = [r for r in rows if r.answered or r.unknown]
    rows.sort(key=lambda r: (-r.disagreement, -len(r.counts), order[r.code]))
    return rows


def spread(values):
    """(min, median, max) of the known values, or None when there are none."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    return known[0], statistics.median(known), known[-1]


def participant_standing(bank, answers):
    """{participant key: (scores by dimension, questions shown to them, how many of those
    they answered)}: one pass per participant, for the board."""
    out = {}
    for key, codes in answers.items():
        visible = rules.visible_questions(bank, codes)
        totals = rules.score_totals(bank, codes, visible)
        answered = sum(1 for q in visible if q.code in codes)  # hidden ones do not count
        out[key] = (totals.scores(), visible, answered)
    return out
