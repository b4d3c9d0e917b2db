"""Rules on a 60-question bank: budget 5 ms (DESIGN.md). Not run by `make test`.

    .venv/bin/python bench/bench_rules.py [--json]

Builds a 60-question bank from the default bank (its 38 questions plus 22 copies with new
codes), answers it in several ways and times `rules.evaluate` with the catalogue and the
sensitivity search included, which is what a submit does.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from assess import rules  # noqa: E402
from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402
from bench.sixty import sixty_question_document  # noqa: E402

BUDGET_MS = 5.0


def sixty_question_bank():
    bank = rules.bank_from_document(sixty_question_document()["bank"])
    assert len(bank.questions) == 60, len(bank.questions)
    return bank


def answers_at(bank, level):
    answers = {}
    for q in bank.questions:
        known = [c for c in q.choices if not c.is_unknown and c.code != "none"]
        answers[q.code] = (known[min(level, len(known) - 1)].code,)
    return answers


def main():
    bank = sixty_question_bank()
    catalogue = [
        rules.alliance_from_document(a)
        for a in json.loads((ROOT / "assess/data/catalogue.json").read_text())["alliances"]
    ]
    profile = rules.Profile(sector="financial_services", countries=frozenset({"GB", "US"}))
    worst = None
    notes = []
    for level in range(5):
        answers = answers_at(bank, level)
        full, bare = timed_pair(
            lambda answers=answers: rules.evaluate(bank, answers, profile, catalogue),
            lambda answers=answers: rules.evaluate(
                bank, answers, profile, catalogue, with_sensitivity=False
            ),
            runs=200,
            warm=5,
        )
        outcome = rules.evaluate(bank, answers, profile, catalogue).outcome
        (median, p95), (bare_median, _) = median_p95(full), median_p95(bare)
        notes.append(
            f"answers at level {level} ({outcome}): median {median:.2f} ms, p95 {p95:.2f} ms"
        )
        if worst is None or median > worst[0]:
            worst = (median, bare_median)
    emit(
        [
            Figure(
                "rules: evaluate, 60-question bank, catalogue and what-would-change "
                "(worst median of 5 answer sets)",
                worst[0],
                "ms",
                budget=BUDGET_MS,
                baseline=worst[1],
                baseline_name="same without the what-would-change search",
            )
        ],
        notes,
    )


if __name__ == "__main__":
    main()
