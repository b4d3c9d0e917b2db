"""A workshop room as the facilitator sees it, as data: the board (who joined, how far each
got, the spread of each score, the questions ranked by disagreement with their comments, the
team on the map) and the consensus page (which questions, in which order, prefilled how, and
which ties are still open). The views load, authorise and render; this reads and computes."""

from django.utils.translation import gettext as _

from assess import charts, rules, vocabulary
from assess.models import Participant
from assess.questionnaire import agreement
from assess.questionnaire.forms import SectionForm
from assess.selectors import (
    answer_codes,
    answers_of,
    bank_view,
    participant_answers,
    participant_summaries,
)


def board(workshop, *, disputed_only=False):
    """Everything the board shows, from a constant number of queries."""
    assessment = workshop.assessment
    view = bank_view(assessment.bank)
    participants = list(workshop.participants.all())
    summaries = participant_summaries(assessment, view, participants)
    names = vocabulary.participant_names(participants, show_names=workshop.show_names)
    answers = {p.id: summaries[p.id].codes for p in participants}
    comments = {}
    for p in participants:
        for code, text in summaries[p.id].comments.items():
            comments.setdefault(code, []).append((p.id, text))
    scores = {p.id: summaries[p.id].scores for p in participants}
    people = _people(participants, names, summaries)
    labels = vocabulary.dimension_labels()
    spreads = [
        {"label": labels[d], "spread": agreement.spread([scores[p.id][d] for p in participants])}
        for d in vocabulary.DIMENSIONS
    ]
    ranked = agreement.ranked_questions(view.definition, answers)
    return {
        "people": people,
        "spreads": spreads,
        "rows": _question_rows(view, ranked, names, comments, disputed_only),
        "map_svg": _team_map(view, participants, names, scores, spreads),
        "answered_any": any(p["answered"] for p in people),
        "disputed_only": disputed_only,
        "disputed_count": sum(1 for r in ranked if r.disagreement > 0),
        "all_count": len(ranked),
    }


def _people(participants, names, summaries):
    """Who joined, and how far each got through the questions their answers show them."""
    roles = {value: str(label) for value, label in Participant.Role.choices}
    of_shown, progress_of = _("%(a)s of %(s)s"), _("Progress of %(name)s")
    people = []
    for p in participants:
        shown, answered = summaries[p.id].shown, summaries[p.id].answered
        people.append(
            {
                "participant": p,
                "name": names[p.id],
                "role": roles.get(p.role, p.role),
                "answered": answered,
                "shown": shown,
                "progress": of_shown % {"a": answered, "s": shown},
                "progress_label": progress_of % {"name": names[p.id]},
                "percent": round(100 * answered / shown) if shown else 0,
            }
        )
    return people


def _question_rows(view, ranked, names, comments, disputed_only):
    """The questions, most disputed first, with how the team split and what they wrote."""
    rows = []
    for row in ranked:
        if disputed_only and row.disagreement <= 0:
            continue
        q = view.by_code[row.code]
        rows.append(
            {
                "question": q,
                "agreement": row,
                "description": agreement.describe_row(view.definition.question(row.code), row),
                "distribution": agreement.distribution(q.choice_list, row),
                "comments": [(names[pid], text) for pid, text in comments.get(row.code, [])],
            }
        )
    return rows


def _team_map(view, participants, names, scores, spreads):
    """Each participant on the map, the team's median as the marker."""
    medians = {
        d: (s["spread"][1] if s["spread"] else None)
        for d, s in zip(vocabulary.DIMENSIONS, spreads, strict=True)
    }
    y = "commitment_tolerance"
    others = [
        (names[p.id], scores[p.id]["capacity"], scores[p.id][y])
        for p in participants
        if scores[p.id]["capacity"] is not None and scores[p.id][y] is not None
    ]
    # Gates are a settled answer's; the board's regions are the scores' alone.
    return charts.position_map(
        capacity=medians["capacity"] or 0,
        risk_tolerance=medians[y] or 0,
        outcome_at=rules.outcome_at(medians, view.definition.thresholds),
        title=_("Each participant's position; the marker is the team's median"),
        others=others,
        marker_label=_("Team median"),
        y_label=vocabulary.dimension_labels()[y],
        y_phrase=vocabulary.dimension_phrases()[y],
    )


class Consensus:
    """The consensus page's questions: disagreement first (only the disputed ones with
    `disputed_only`), then those nobody answered yet, each with the team's agreement and
    what participants wrote about it. A question the consensus's answers hide is on the form
    (so choosing its condition shows it) but marked as not applying."""

    def __init__(self, workshop, *, disputed_only=False):
        assessment = workshop.assessment
        self.view = view = bank_view(assessment.bank)
        codes, comments = participant_answers(assessment, view)
        participants = list(workshop.participants.all())
        names = vocabulary.participant_names(participants, show_names=workshop.show_names)
        self.comments = {
            code: [(names[pid], text) for pid, text in rows if pid in names]
            for code, rows in comments.items()
        }
        self.ranked = agreement.ranked_questions(
            view.definition, {p.id: codes.get(p.id, {}) for p in participants}
        )
        self.by_code = {r.code: r for r in self.ranked}
        order = [r.code for r in self.ranked if r.disagreement > 0 or not disputed_only]
        if not disputed_only:
            order += [q.code for q in view.questions if q.code not in self.by_code]
        self.questions = [view.by_code[c] for c in order]

    def applying(self, current, rows=()):
        """The codes of the questions that apply given the consensus saved so far (until the
        first save, the team's most common answers), with the answers on the form's `rows`
        over it."""
        if current:
            merged = answer_codes(current)
        else:
            merged = {r.code: r.most_common for r in self.ranked if r.most_common}
        for row in rows:
            code = row["question"].code
            if row["selected"]:
                merged[code] = tuple(row["selected"])
            else:
                merged.pop(code, None)
        return {q.code for q in rules.visible_questions(self.view.definition, merged)}

    def initial(self, current):
        """The form's values: the consensus saved so far; until the facilitator first saves,
        the team's most common answer (none for a tie). After that, a question left blank on
        purpose stays blank."""
        initial = {}
        for q in self.questions:
            mine = current.get(q.code)
            if mine:
                picked = list(mine.choice_codes)
            elif current:
                picked = []
            else:
                row = self.by_code.get(q.code)
                picked = list(row.most_common if row else ())
            initial[f"q_{q.code}"] = SectionForm.choice_initial(q, picked)
            initial[f"c_{q.code}"] = mine.comment if mine else ""
        return initial

    def rows(self, rows, current):
        """The form's rows with how the team split on each question, what participants
        wrote about it and whether it applies."""
        applying = self.applying(current, rows)
        for row in rows:
            q = row["question"]
            a = self.by_code.get(q.code)
            row["agreement"] = a
            row["applies"] = q.code in applying
            row["comments"] = self.comments.get(q.code, [])
            row["tied"] = bool(a and a.tied)
            row["open_tie"] = row["tied"] and not row["selected"] and row["applies"]
            row["description"] = (
                agreement.describe_row(self.view.definition.question(q.code), a) if a else ""
            )
            row["distribution"] = agreement.distribution(q.choice_list, a) if a else []
        return rows

    def unsettled_ties(self, current, values):
        """The tied questions on the form that still have no answer and that apply, given the
        consensus as it would be after this save."""
        merged = answer_codes(current)
        for code, (chosen, _comment) in values.items():
            if chosen:
                merged[code] = tuple(chosen)
            else:
                merged.pop(code, None)
        shown = {q.code for q in rules.visible_questions(self.view.definition, merged)}
        return [
            q
            for q in self.questions
            if q.code in self.by_code
            and self.by_code[q.code].tied
            and q.code in shown
            and not values.get(q.code, ((), ""))[0]
        ]


def participant_progress(participant):
    """(questions answered, questions shown, the questions shown but unanswered) for one
    participant: the questions their own answers hide do not count."""
    assessment = participant.workshop.assessment
    view = bank_view(assessment.bank)
    codes = answer_codes(answers_of(assessment, view, participant))
    visible = rules.visible_questions(view.definition, codes)
    missing = [q for q in visible if q.code not in codes]
    return len(visible) - len(missing), len(visible), missing
