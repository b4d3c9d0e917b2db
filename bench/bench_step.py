"""Questionnaire step render, in process: budget p50 <= 5 ms with a constant number of
queries (DESIGN.md). Not run by `make test`.

    .venv/bin/python bench/bench_step.py [--json]

Uses a throwaway SQLite database, a bank whose section has 12 questions, a signed-in member
and a half-answered assessment, and renders the step through Django's test client (the whole
request: middleware, session, auth, view, template). The baseline is a hand-written template
of the same 12 questions rendered by the same process, so the ratio says what the
questionnaire machinery costs.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402
from bench.twelve import baseline_context, baseline_template, build  # noqa: E402

BUDGET_MS = 5.0
RUNS = 300


def main():
    # As in Django's own tests: keep one connection across requests, so queries are counted
    # on it (CONN_MAX_AGE=0 would close it after every request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user, assessment = build()
    client = Client()
    client.force_login(user)
    url = f"/a/{assessment.code}/s/1/"
    response = client.get(url)
    assert response.status_code == 200 and response.content.count(b"<fieldset") == 12
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        client.get(url)
    baseline, ctx = baseline_template(), baseline_context()
    step, base = timed_pair(lambda: client.get(url), lambda: baseline.render(ctx), runs=RUNS)
    (step_p50, step_p95), (base_p50, _) = median_p95(step), median_p95(base)
    emit(
        [
            Figure(
                "questionnaire step, 12 questions, whole request in process (p50)",
                step_p50,
                "ms",
                budget=BUDGET_MS,
                baseline=base_p50,
                baseline_name="hand-written template, render only",
            )
        ],
        [
            f"step p95 {step_p95:.2f} ms; {len(queries)} queries per step (pinned by "
            "tests/test_section.py for 2 and 12 questions)",
        ],
    )


if __name__ == "__main__":
    main()
