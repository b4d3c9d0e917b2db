"""Workshop board with 200 participants on a 60-question bank: budget 150 ms with a constant
number of queries (DESIGN.md). Not run by `make test`.

    .venv/bin/python bench/bench_board.py [--json]

Builds the data in a throwaway SQLite database (or DATABASE_URL if set to PostgreSQL), then
times the board's live part as the facilitator's browser fetches it every few seconds, and
the whole board page, through Django's test client.
"""

import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'board.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, answer_at_random, emit, median_p95, timed_pair  # noqa: E402
from bench.sixty import sixty_question_document  # noqa: E402

BUDGET_MS = 150.0
PARTICIPANTS = 200
SMALL = 12
RUNS = 30


def build(participants, bank=None, user=None):
    from django.contrib.auth import get_user_model

    from assess.banks.store import bank_import
    from assess.models import Participant
    from assess.selectors import bank_view
    from assess.services import organization_create, workshop_start

    if bank is None:
        call_command("migrate", verbosity=0)
        bank = bank_import(sixty_question_document())
        user = get_user_model().objects.create_user("f@example.org", "f@example.org", "x")
    view = bank_view(bank)
    assert len(view.questions) == 60
    org = organization_create(
        user=user, name="Board Org", sector="energy", size_band="large", countries=["GB"]
    )
    workshop = workshop_start(organization=org, user=user, bank=bank)
    rng = random.Random(7)
    people = Participant.objects.bulk_create(
        [
            Participant(workshop=workshop, name=f"Person {i}", role="other")
            for i in range(participants)
        ]
    )
    answer_at_random(workshop, view, people, rng)
    return user, workshop, bank


def main():
    # As in Django's own tests: keep one connection across requests, so queries are counted
    # on it (CONN_MAX_AGE=0 would close it after every request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user, workshop, bank = build(PARTICIPANTS)
    _user, small, _bank = build(SMALL, bank, user)
    client = Client()
    client.force_login(user)
    url = f"/workshops/{workshop.assessment.code}/"
    small_url = f"/workshops/{small.assessment.code}/"
    assert client.get(url).status_code == 200
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        client.get(url + "?fragment=1")
    live, live_small = timed_pair(
        lambda: client.get(url + "?fragment=1"),
        lambda: client.get(small_url + "?fragment=1"),
        runs=RUNS,
        warm=2,
    )
    page, page_small = timed_pair(
        lambda: client.get(url), lambda: client.get(small_url), runs=RUNS, warm=2
    )
    (live_p50, live_p90), (page_p50, _) = median_p95(live), median_p95(page)
    what = f"{PARTICIPANTS} participants x 60 questions"
    emit(
        [
            Figure(
                f"workshop board, live part (refreshed every 5 s), {what}",
                live_p50,
                "ms",
                budget=BUDGET_MS,
                baseline=median_p95(live_small)[0],
                baseline_name=f"same with {SMALL} participants",
            ),
            Figure(
                f"workshop board, whole page, {what}",
                page_p50,
                "ms",
                budget=BUDGET_MS,
                baseline=median_p95(page_small)[0],
                baseline_name=f"same with {SMALL} participants",
            ),
        ],
        [
            f"live part p95 {live_p90:.0f} ms; {len(queries)} queries for the live part, "
            f"whatever the number of participants ({connection.vendor}; pinned by "
            "tests/test_workshops.py for 2 and 12 participants)"
        ],
    )


if __name__ == "__main__":
    main()
