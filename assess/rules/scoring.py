"""Answers -> which questions apply -> points per dimension -> scores and what is known."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assess.vocabulary import DIMENSIONS, shown


def chosen(question, answers):
    codes = answers.get(question.code) or ()
    return [c for c in (question.choice(code) for code in codes) if c is not None]


def answer_text(picked):
    """The picked choices' labels as one text. Labels that all fell back to one language
    (bank texts without a translation) keep saying so, so a page can mark the text."""
    if not picked:
        return _("(not answered)")
    text = "; ".join(c.label for c in picked)
    kinds = {type(c.label) for c in picked}
    if len(kinds) == 1 and hasattr(picked[0].label, "lang"):
        return kinds.pop()(text)
    return text


def is_known(question, answers):
    picked = chosen(question, answers)
    return bool(picked) and not any(c.is_unknown for c in picked)


def is_visible(question, bank, answers, _seen=None):
    """A question is shown when it has no condition, or its (visible) source was answered
    with one of the listed choices."""
    if question.show_if is None:
        return True
    source_code, wanted = question.show_if
    source = bank.question(source_code)
    if source is None:
        return False
    seen = _seen or set()
    if question.code in seen:  # a cycle is a bank error; treat it as hidden
        return False
    if not is_visible(source, bank, answers, seen | {question.code}):
        return False
    return any(c.code in wanted for c in chosen(source, answers))


def visible_questions(bank, answers):
    return [q for q in bank.questions if is_visible(q, bank, answers)]


@dataclass
class Totals:
    """Per dimension: points earned and reachable over known answers, and the weight of the
    questions that count (known, and all shown) for the known share."""

    earned: list[float]
    reachable: list[float]
    known_w: list[float]
    possible_w: list[float]
    # Weighted reach of the shown questions without a known answer: what they could add.
    open_reach: list[float]
    # One question's contribution as (dimension index, earned, reachable, known_w, possible_w,
    # open_reach) for the dimensions it scores on: what score_totals adds up (see there).
    parts: tuple = ()

    @classmethod
    def zero(cls):
        n = len(DIMENSIONS)
        return cls([0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n)

    def add(self, other, sign=1):
        for attr in ("earned", "reachable", "known_w", "possible_w", "open_reach"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for i in range(len(mine)):
                mine[i] += sign * theirs[i]

    def raw_scores(self):
        return [ratio(e, r) for e, r in zip(self.earned, self.reachable, strict=True)]

    def scores(self):
        """The scores as shown and decided on: whole numbers, or None with nothing known."""
        return dict(zip(DIMENSIONS, map(shown, self.raw_scores()), strict=True))

    def known_shares(self):
        return {
            d: (100.0 * k / p if p else 100.0)
            for d, k, p in zip(DIMENSIONS, self.known_w, self.possible_w, strict=True)
        }

    def bounds(self, index):
        """(lowest, highest) score dimension `index` could have once every open question on it
        is answered: all at their least, all at their most."""
        e, r, o = self.earned[index], self.reachable[index], self.open_reach[index]
        if r + o <= 0:
            return None, None
        return shown(ratio(e, r + o)), shown(ratio(e + o, r + o))


def ratio(earned, reachable):
    return None if reachable <= 0 else max(0.0, min(100.0, 100.0 * earned / reachable))


def contribution(question, codes):
    """What one shown question adds to the totals, given the codes picked for it. Cached per
    question and answer: the sensitivity search asks for the same ones many times."""
    key = tuple(sorted(codes or ()))
    cache = question.__dict__.setdefault("_contributions", {})
    found = cache.get(key)
    if found is not None:
        return found
    picked = [c for c in (question.choice(code) for code in key) if c is not None]
    totals = Totals.zero()
    known = bool(picked) and not any(c.is_unknown for c in picked)
    for i, dim in enumerate(DIMENSIONS):
        reach = question.max_points(dim)
        if reach <= 0:
            continue
        totals.possible_w[i] = question.weight
        if known:
            totals.known_w[i] = question.weight
            totals.reachable[i] = question.weight * reach
            earned = sum(c.points.get(dim, 0) for c in picked)
            totals.earned[i] = question.weight * max(0.0, min(reach, earned))
        else:
            totals.open_reach[i] = question.weight * reach
    totals.parts = tuple(
        (i, totals.earned[i], totals.reachable[i], totals.known_w[i], totals.possible_w[i], o)
        for i, o in enumerate(totals.open_reach)
        if totals.possible_w[i]
    )
    cache[key] = totals
    return totals


def score_totals(bank, answers, visible):
    """Earned and reachable points per dimension over the shown questions. Each question adds
    only the dimensions it scores on (most score on one or two): the board adds up 60
    questions for each of 200 participants on every refresh."""
    totals = Totals.zero()
    earned, reachable = totals.earned, totals.reachable
    known_w, possible_w, open_reach = totals.known_w, totals.possible_w, totals.open_reach
    for q in visible:
        for i, e, r, k, p, o in contribution(q, answers.get(q.code)).parts:
            earned[i] += e
            reachable[i] += r
            known_w[i] += k
            possible_w[i] += p
            open_reach[i] += o
    return totals


def answer_tags(visible, answers):
    return frozenset(
        tag for q in visible for c in chosen(q, answers) if not c.is_unknown for tag in c.tags
    )


def participant_standing(bank, answers):
    """{participant key: (scores by dimension, questions shown to them, how many of those
    they answered)}: one pass per participant, for the board."""
    out = {}
    for key, codes in answers.items():
        visible = visible_questions(bank, codes)
        totals = score_totals(bank, codes, visible)
        answered = sum(1 for q in visible if q.code in codes)  # hidden ones do not count
        out[key] = (totals.scores(), visible, answered)
    return out
