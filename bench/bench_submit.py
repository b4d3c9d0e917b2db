"""Freezing a result at submit (assess/services.py `assessment_snapshot`): the rules with the
sensitivity search once, the map's regions, the answers as shown, and the words again in each
other offered language. DESIGN.md sets no budget for a submit; the figure is kept so that a
change to what is frozen shows its cost. Not run by `make test`.

    .venv/bin/python bench/bench_submit.py [--runs 30] [--json]

Sets up a throwaway SQLite database with a full assessment of the default bank (every
question answered), then times the snapshot with one language offered and with three
(English, French, German), alternately, in CPU time.
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

from assess.services import assessment_snapshot  # noqa: E402
from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402
from bench.full import full_assessment  # noqa: E402

THREE = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    assessment, user = full_assessment()
    assessment.refresh_from_db()

    def one():
        with override_settings(LANGUAGES=THREE[:1]), translation.override("en"):
            return assessment_snapshot(assessment, user)

    def three():
        with override_settings(LANGUAGES=THREE), translation.override("en"):
            return assessment_snapshot(assessment, user)

    assert set(three().texts) == {"fr", "de"} and one().texts == {}
    a, b = timed_pair(one, three, runs=args.runs, warm=3, clock=time.process_time)
    (one_p50, one_p95), (three_p50, three_p95) = median_p95(a), median_p95(b)
    emit(
        [
            Figure("submit snapshot, 1 language, p50", one_p50, "ms", note="CPU time"),
            Figure(
                "submit snapshot, 3 languages, p50",
                three_p50,
                "ms",
                baseline=one_p50,
                baseline_name="1 language",
                note=f"p95 {three_p95:.1f} ms (1 language: {one_p95:.1f} ms)",
            ),
        ]
    )


if __name__ == "__main__":
    main()
