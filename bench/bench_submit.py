"""Freezing a result at submit (assess/services.py `assessment_snapshot`): the rules with the
sensitivity search once, the map's regions, the answers as shown, and the words again in each
other offered language. DESIGN.md's budget: a submit with three languages offered costs at
most 1.5x the same submit with one. Not run by `make test`.

    .venv/bin/python bench/bench_submit.py [--runs 30] [--json]

Sets up a throwaway SQLite database with a full assessment of the default bank (every
question answered) and a workshop of three participants who answered every question, then
times each snapshot with one language offered and with three (English, French, German),
alternately, in CPU time.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_db_dir = tempfile.TemporaryDirectory(prefix="bench-submit-")
os.environ["DATABASE_URL"] = f"sqlite:///{_db_dir.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402

from assess.selectors import bank_view  # noqa: E402
from assess.services import (  # noqa: E402
    answers_save,
    assessment_snapshot,
    participant_join,
    workshop_start,
)
from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402
from bench.full import full_assessment  # noqa: E402

THREE = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]


def team_of_three(org, user):
    """A workshop whose three participants answered every question, each differently."""
    workshop = workshop_start(organization=org, user=user)
    view = bank_view(workshop.assessment.bank)
    for n, role in enumerate(("ciso", "legal", "board")):
        person = participant_join(workshop=workshop, name=f"Participant {n}", role=role)
        values = {}
        for q in (q for section in view.sections for q in section.question_list):
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[(n + len(q.code)) % len(known)].code,), "")
        answers_save(assessment=workshop.assessment, participant=person, values=values)
    return workshop.assessment


def one_against_three(name, assessment, user, runs):
    def one():
        with override_settings(LANGUAGES=THREE[:1]), translation.override("en"):
            return assessment_snapshot(assessment, user)

    def three():
        with override_settings(LANGUAGES=THREE), translation.override("en"):
            return assessment_snapshot(assessment, user)

    assert set(three().texts) == {"fr", "de"} and one().texts == {}
    a, b = timed_pair(one, three, runs=runs, warm=3, clock=time.process_time)
    (one_p50, one_p95), (three_p50, three_p95) = median_p95(a), median_p95(b)
    return [
        Figure(f"submit snapshot, {name}, 1 language, p50", one_p50, "ms", note="CPU time"),
        Figure(
            f"submit snapshot, {name}, 3 languages, p50",
            three_p50,
            "ms",
            budget=1.5,
            budget_ratio=True,
            baseline=one_p50,
            baseline_name="1 language",
            note=f"p95 {three_p95:.1f} ms (1 language: {one_p95:.1f} ms)",
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    assessment, user = full_assessment()
    assessment.refresh_from_db()
    workshop = team_of_three(assessment.organization, user)
    emit(
        one_against_three("self-assessment", assessment, user, args.runs)
        + one_against_three("workshop of 3", workshop, user, args.runs)
    )


if __name__ == "__main__":
    main()
