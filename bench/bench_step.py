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

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402

BUDGET_MS = 5.0
RUNS = 300

BASELINE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><title>{{ title }}</title></head><body><main>
<h1>{{ title }}</h1><form method="post">{% for q in questions %}
<fieldset><legend>{{ q.text }}</legend>{% for c in q.choices %}
<input type="radio" name="q_{{ q.code }}" id="q-{{ q.code }}-{{ c.code }}" value="{{ c.code }}">
<label for="q-{{ q.code }}-{{ c.code }}">{{ c.label }}</label>{% endfor %}
<textarea name="c_{{ q.code }}"></textarea></fieldset>{% endfor %}
<button type="submit">Next</button></form></main></body></html>"""
)


def build():
    from django.contrib.auth import get_user_model

    from assess.banks import DATA_DIR, bank_import, load_json
    from assess.models import Assessment
    from assess.services import answers_save, organization_create

    call_command("migrate", verbosity=0)
    thresholds = load_json(DATA_DIR / "default_bank.json")["bank"]["thresholds"]

    def question(i):
        return {
            "code": f"Q{i:02d}",
            "text": f"Question number {i}: how far along is this part of your security work?",
            "help": "Pick the answer closest to where you are today.",
            "choices": [
                {
                    "code": f"c{j}",
                    "label": f"Answer {j} for question {i}",
                    "points": {
                        "capacity": j,
                        "risk_tolerance": 4 - j,
                        "exposure": j % 3,
                        "geopolitical_exposure": 1,
                    },
                }
                for j in range(4)
            ]
            + [{"code": "unknown", "label": "Don't know", "is_unknown": True}],
        }

    bank = bank_import(
        {
            "format": "alliance-bank",
            "format_version": 1,
            "bank": {
                "slug": "bench",
                "name": "Bench",
                "version": 1,
                "thresholds": thresholds,
                "sections": [
                    {
                        "code": "twelve",
                        "title": "Twelve questions",
                        "questions": [question(i) for i in range(12)],
                    }
                ],
            },
        }
    )
    user = get_user_model().objects.create_user("bench@example.org", "bench@example.org", "x")
    org = organization_create(
        user=user, name="Bench Org", sector="energy", size_band="large", countries=["GB"]
    )
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=user)
    answers_save(
        assessment=assessment,
        section_number=1,
        values={f"Q{i:02d}": ((f"c{i % 4}",), "A comment") for i in range(6)},
    )
    return user, assessment


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
    from assess.selectors import bank_view

    view = bank_view(assessment.bank)
    ctx = {
        "title": "Twelve questions",
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "choices": [{"code": c.code, "label": c.label} for c in q.choice_list],
            }
            for q in view.section(1).question_list
        ],
    }
    step, base = timed_pair(lambda: client.get(url), lambda: BASELINE.render(ctx), runs=RUNS)
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
