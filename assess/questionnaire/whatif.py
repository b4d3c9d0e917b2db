"""What if, worked out: the answers a what-if request starts from, the answers it posts, and
the verdict they give, saving nothing. The page and its verdict partial are views/whatif.py.

A submitted result is compared as frozen; a draft (or a result frozen under rules that scored
other dimensions) is scored by today's rules."""

from assess import rules, vocabulary
from assess.questionnaire.forms import SectionForm
from assess.report.presenter import recommendation_label
from assess.rules import legacy
from assess.selectors import answer_codes, answers_of, bank_view
from assess.snapshot import Snapshot
from assess.translations import current


def _codes_from(form, questions):
    codes = {}
    for q in questions:
        picked = form.cleaned_data.get(f"q_{q.code}") or ()
        if isinstance(picked, str):
            picked = (picked,) if picked else ()
        if picked:
            codes[q.code] = tuple(picked)
    return codes


def answer_labels(question, codes):
    labels = {c.code: c.label for c in question.choice_list}
    return "; ".join(labels[c] for c in codes if c in labels)


class WhatIf:
    """One what-if request worked out once: the answers it starts from, the answers posted
    (less a question being cleared) and, when they are valid, the verdict they give."""

    def __init__(self, assessment, posted=None):
        """`posted`: the form's data (a QueryDict) when the page was posted, else None."""
        self.assessment = assessment
        self.view = bank_view(self.assessment.bank)
        self.actual = answer_codes(answers_of(self.assessment, self.view))
        self.profile = self.assessment.organization.profile()
        # A submitted result is compared as frozen, unless it was frozen under rules that
        # scored other dimensions: then today's rules score the same answers, and the page
        # says so. The outcome does not depend on the catalogue, so none is loaded.
        assessment = self.assessment
        self.rescored = not assessment.is_draft and legacy.is_legacy(assessment.result)
        if assessment.is_draft or self.rescored:
            self.now = self._evaluate(self.actual)
        else:
            # The frozen words in the page's language, as the result page shows them.
            frozen = Snapshot.from_dict(assessment.result).in_language(current())
            self.now = {**assessment.result, "headline": frozen.headline}
        data = None
        self.cleared = ""
        if posted is not None:
            data = posted.copy()
            self.cleared = data.get("clear", "")
            if self.cleared:
                data.pop(f"q_{self.cleared}", None)
        self.form = SectionForm(data, initial=self._initial(), questions=self.view.questions)
        self.valid = data is None or self.form.is_valid()
        self.hypothetical = (
            _codes_from(self.form, self.view.questions) if data is not None and self.valid else None
        )

    def _evaluate(self, codes):
        return rules.evaluate(
            self.view.definition, codes, self.profile, (), with_sensitivity=False
        ).as_dict()

    def _initial(self):
        return {
            f"q_{q.code}": SectionForm.choice_initial(q, self.actual.get(q.code, ()))
            for q in self.view.questions
        }

    def changed_codes(self):
        if self.hypothetical is None:
            return set()
        return {
            q.code
            for q in self.view.questions
            if set(self.actual.get(q.code, ())) != set(self.hypothetical.get(q.code, ()))
        }

    def verdict(self):
        """The verdict partial's context."""
        changed = self.changed_codes()
        # Unchanged answers give the result they gave: no rescoring, so a result frozen
        # under older rules is not shown as changed by answers nobody changed.
        outcome = self._evaluate(self.hypothetical) if changed else self.now
        dims = [d for d in vocabulary.DIMENSIONS if d in self.now["scores"]]
        labels = vocabulary.dimension_labels()
        compare = [
            {
                "label": labels[d],
                "now": self.now["scores"][d]["score"],
                "then": outcome["scores"][d]["score"],
                "moved": vocabulary.shown(self.now["scores"][d]["score"])
                != vocabulary.shown(outcome["scores"][d]["score"]),
            }
            for d in dims
        ]
        changes = [
            {
                "question": q,
                "before": answer_labels(q, self.actual.get(q.code, ())),
                "after": answer_labels(q, self.hypothetical.get(q.code, ())),
            }
            for q in self.view.questions
            if q.code in changed
        ]
        now_headline, headline = recommendation_label(self.now), recommendation_label(outcome)
        return {
            "assessment": self.assessment,
            "valid": self.valid,
            "rescored": self.rescored,
            "now": self.now,
            "now_headline": now_headline,
            "outcome": outcome,
            "headline": headline,
            "outcome_changed": now_headline != headline,
            "changes": changes,
            "compare": compare,
            "section_counts": [
                {
                    "section": s,
                    "changed": sum(q.code in changed for q in s.question_list),
                }
                for s in self.view.sections
            ],
        }
