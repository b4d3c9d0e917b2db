"""The board's live part at 500 participants in one workshop (issue #34; budget 150 ms), in
the three states a refresh meets: the first in a process (every participant's answers read
and scored), a refresh after 25 participants saved (a busy workshop's 5 s), and one after
nobody saved. Through Django's test client on the database in DATABASE_URL (recreated;
SQLite in a temporary file if unset); CPU time of this process and wall time, queries
counted; the saves between refreshes are not timed.

    DATABASE_URL=postgres://.../bench_issue34 .venv/bin/python bench/bench_board_live.py \
        [--participants 500] [--changed 25] [--runs 20]"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'board.sqlite3'}"
elif os.environ["DATABASE_URL"].startswith("postgres"):
    from faults.load import recreate

    recreate(os.environ["DATABASE_URL"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.bench_scale_cost import workshop_with  # noqa: E402
from bench.common import median_p95  # noqa: E402

BUDGET_MS = 150.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--changed", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from django.contrib.auth import get_user_model

    from assess import selectors
    from assess.services import answers_save

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("load_defaults", verbosity=0)
    user = get_user_model().objects.create_user("board@example.org", "board@example.org", "x")
    client = Client()
    client.force_login(user)
    rng = random.Random(34)
    workshop, people, view = workshop_with(args.participants, user, "board", rng)
    url = f"/workshops/{workshop.assessment.code}/?fragment=1"
    section = view.section(2).question_list
    load_before = os.getloadavg()

    def forget():
        selectors._board_memo.clear()

    def some_save():
        for person in rng.sample(people, args.changed):
            answers_save(
                assessment=workshop.assessment,
                participant=person,
                section_number=2,
                values={q.code: ((rng.choice(q.choice_list).code,), "") for q in section},
            )

    def nothing():
        pass

    assert client.get(url).status_code == 200  # templates, bank view
    results = []
    for name, before in (
        ("first refresh in a process (all participants read)", forget),
        (f"after {args.changed} participants saved", some_save),
        ("after nobody saved", nothing),
    ):
        cpu, wall, queries = [], [], []
        for _ in range(args.runs):
            before()
            seen = []
            with connection.execute_wrapper(lambda run, *a, seen=seen: seen.append(1) or run(*a)):
                t0, c0 = time.perf_counter(), time.process_time()
                assert client.get(url).status_code == 200
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            queries.append(len(seen))
        results.append((name, median_p95(cpu), median_p95(wall), max(queries)))
    print(
        f"# board live part, {args.participants} participants x {len(view.questions)} "
        f"questions, {connection.vendor}, {args.runs} runs each; load average before "
        f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    print("| refresh | CPU p50 / p95 | wall p50 / p95 | queries | budget 150 ms (wall p95) |")
    print("|---|---|---|---|---|")
    for name, (c50, c95), (w50, w95), q in results:
        verdict = "PASS" if w95 <= BUDGET_MS else "MISS"
        print(f"| {name} | {c50:.1f} / {c95:.1f} ms | {w50:.1f} / {w95:.1f} ms | {q} | {verdict} |")


if __name__ == "__main__":
    main()
