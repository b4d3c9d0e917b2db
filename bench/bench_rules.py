"""Rules on a 60-question bank: budget 5 ms (DESIGN.md). Not run by `make test`.

    .venv/bin/python bench/bench_rules.py

Builds a 60-question bank from the default bank (its 36 questions plus 24 copies with new
codes), answers it in several ways and times `rules.evaluate` with the catalogue and the
sensitivity search included, which is what a submit does.
"""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from assess import rules  # noqa: E402
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
    rows = []
    for level in range(5):
        answers = answers_at(bank, level)
        for _ in range(5):  # warm up
            rules.evaluate(bank, answers, profile, catalogue)
        times = []
        for _ in range(200):
            t0 = time.perf_counter()
            result = rules.evaluate(bank, answers, profile, catalogue)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        rows.append(
            (level, result.outcome, statistics.median(times), times[int(0.95 * len(times))])
        )
    print(
        f"# rules.evaluate on a 60-question bank ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores)"
    )
    print(f"{'answers':<14}{'outcome':<15}{'median ms':>10}{'p95 ms':>9}  budget  verdict")
    worst = 0.0
    for level, outcome, median, p95 in rows:
        worst = max(worst, median)
        verdict = "PASS" if median <= BUDGET_MS else "MISS"
        print(
            f"{'level ' + str(level):<14}{outcome:<15}{median:>10.2f}{p95:>9.2f}  "
            f"{BUDGET_MS:>5.1f}  {verdict}"
        )
    print(
        f"worst median {worst:.2f} ms against a budget of {BUDGET_MS} ms: "
        f"{'PASS' if worst <= BUDGET_MS else 'MISS'}"
    )


if __name__ == "__main__":
    main()
