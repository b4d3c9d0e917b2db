"""Where a workshop's participants agree and disagree. Pure: no database.

`answers` throughout is {participant key: {question code: (choice codes, ...)}}."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assess.vocabulary import and_list


@dataclass(frozen=True)
class QuestionAgreement:
    code: str
    counts: dict[str, int]  # choice code -> participants who picked it
    answered: int  # participants with a known answer
    unknown: int  # participants who said "don't know"
    disagreement: float  # 0 (all known answers alike) to 1
    most_common: tuple[str, ...]  # the prefill for the consensus answer; () when tied
    leaders: tuple[tuple[str, ...], ...] = ()  # the answers picked most often, in choice order
    top: int = 0  # how many picked each of the leaders

    @property
    def tied(self):
        """No answer was most common: two or more were picked equally often."""
        return len(self.leaders) > 1


def _key(codes):
    return tuple(sorted(codes))


def question_agreement(question, answers):
    """How the participants answered one question, and how far apart they are.

    Disagreement is the share of answering participants whose answer differs from the answer
    picked most often (for a tie, from any one of the tied answers); "don't know" and blanks
    are left out, since they are not a position."""
    # Participants' answers counted as given first (a board has 200 participants and a few
    # distinct answers per question), then each distinct answer read once.
    given = Counter(tuple(codes) for per in answers.values() if (codes := per.get(question.code)))
    counts, sets, unknown, unknown_sets = Counter(), Counter(), 0, Counter()
    for codes, n in given.items():
        chosen = [c for c in map(question.choice, codes) if c is not None]
        if not chosen:
            continue
        if any(c.is_unknown for c in chosen):
            unknown += n
            unknown_sets[_key(c.code for c in chosen if c.is_unknown)] += n
            continue
        sets[_key(c.code for c in chosen)] += n
        for c in chosen:
            counts[c.code] += n
    answered = sum(sets.values())
    if answered == 0:
        # Everyone who answered does not know: that is the team's answer, not a blank (a
        # blank would read as "not answered" on the review).
        dont_know = unknown_sets.most_common(1)[0][0] if unknown_sets else ()
        return QuestionAgreement(question.code, dict(counts), 0, unknown, 0.0, dont_know)
    order = {c.code: i for i, c in enumerate(question.choices)}
    top = max(sets.values())
    leaders = sorted(
        (key for key, n in sets.items() if n == top),
        key=lambda key: [order.get(c, 99) for c in key],
    )
    return QuestionAgreement(
        code=question.code,
        counts=dict(counts),
        answered=answered,
        unknown=unknown,
        disagreement=round(1 - top / answered, 4),
        # A tie has no most common answer: the facilitator chooses, nothing is prefilled.
        most_common=leaders[0] if len(leaders) == 1 else (),
        leaders=tuple(leaders),
        top=top,
    )


def answer_label(question, codes):
    """One participant's answer as words: the labels of its choices, in the bank's order.
    Labels that all fell back to English (no translation) keep saying so."""
    picked = set(codes)
    labels = [c.label for c in question.choices if c.code in picked]
    text = " + ".join(labels)
    kinds = {type(label) for label in labels}
    if len(kinds) == 1 and hasattr(labels[0], "lang"):
        return kinds.pop()(text)
    return text


def _quoted(item):
    """An answer quoted in a sentence, in the page language's quotation marks, marked with its
    own language when it is not the page's (a label without a translation), as HTML."""
    lang = getattr(item, "lang", None)
    inner = (
        format_html('<span lang="{}">{}</span>', lang, item) if lang else conditional_escape(item)
    )
    return _sentence(_("“%(text)s”"), text=inner)


def _and(items):
    # Every item is escaped HTML; the words joining them come from our own catalogues.
    return mark_safe(and_list(_quoted(item) for item in items))  # noqa: S308  # nosec B308 B703


def _sentence(template, **values):
    """`template % values` as HTML: the template escaped, the values escaped unless they are
    HTML already (the quoted answers)."""
    return mark_safe(  # noqa: S308  # nosec B308 B703
        conditional_escape(template) % {k: conditional_escape(v) for k, v in values.items()}
    )


def describe(*, answered, top, leaders, unknown=0):
    """How the answering participants split, in one honest sentence: `leaders` are the labels
    of the answers picked `top` times each, `unknown` the participants who said they do not
    know. A tie is called a tie, never "most common"."""
    if answered == 0 and unknown:
        return ngettext(
            "The one participant who answered does not know.",
            "All %(n)s participants who answered do not know.",
            unknown,
        ) % {"n": unknown}
    if answered == 0:
        return _("Nobody gave a known answer yet.")
    others = answered - top * len(leaders)
    if len(leaders) > 1 and others == 0:
        return _sentence(_("Split evenly between %(answers)s."), answers=_and(leaders))
    if len(leaders) > 1:
        return _sentence(
            ngettext(
                "No answer was most common: %(answers)s had %(top)s each; %(n)s other answered "
                "differently.",
                "No answer was most common: %(answers)s had %(top)s each; %(n)s others answered "
                "differently.",
                others,
            ),
            answers=_and(leaders),
            top=top,
            n=others,
        )
    if others == 0:
        return _sentence(
            ngettext(
                "The one answer: %(answer)s.",
                "All %(n)s gave the same answer: %(answer)s.",
                answered,
            ),
            n=answered,
            answer=_and(leaders),
        )
    # Two numbers, two plurals: the verb agrees with `top` ("3 sur 4 ont choisi"), the rest
    # of the sentence with `others` ("l'autre a répondu").
    chose = _sentence(
        ngettext("%(top)s of %(n)s chose %(answer)s;", "%(top)s of %(n)s chose %(answer)s;", top),
        top=top,
        n=answered,
        answer=_and(leaders),
    )
    rest = ngettext("the other answered differently.", "the others answered differently.", others)
    return format_html("{} {}", chose, rest)


def describe_row(question, row):
    """`describe` for a QuestionAgreement of `question`."""
    return describe(
        answered=row.answered,
        top=row.top,
        leaders=[answer_label(question, key) for key in row.leaders],
        unknown=row.unknown,
    )


def distribution(choices, row):
    """How many participants picked each known choice, in the question's order: [{"label",
    "count"}] for the board, the consensus page and the frozen report alike."""
    return [
        {"label": c.label, "count": row.counts.get(c.code, 0)} for c in choices if not c.is_unknown
    ]


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
