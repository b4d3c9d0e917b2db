"""Cost as the work grows (issue #19): the board's live part and one participant's save,
against the participants in one workshop (25, 100, 250, 500) and against the workshops in
the database (1, 10, 40 of 25 participants each), through Django's test client on the
database in DATABASE_URL (PostgreSQL for the figures in RESULTS.md; SQLite in a temporary
file if unset). Wall time per request, so the database's share is counted; queries counted.

    DATABASE_URL=postgres://... .venv/bin/python bench/bench_scale_cost.py [--json]

The database is dropped and created again (a SQLite one is new). Concurrency (40 workshops
at once) is faults/scale.py's part; this measures what one request costs as the data grows."""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'cost.sqlite3'}"
elif os.environ["DATABASE_URL"].startswith("postgres"):
    from faults.load import recreate

    recreate(os.environ["DATABASE_URL"])  # dropped and created again
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, answer_at_random, emit, median_p95  # noqa: E402

SIZES = (25, 100, 250, 500)
WORKSHOP_COUNTS = (1, 10, 40)
RUNS = 20
BOARD_BUDGET_MS, SAVE_BUDGET_MS = 150.0, 250.0


def workshop_with(participants, user, org_number, rng):
    """A workshop with `participants` who answered every question (1 in 10 "Don't know",
    1 in 20 with a comment)."""
    from assess.models import Participant
    from assess.selectors import bank_view
    from assess.services import organization_create, workshop_start

    org = organization_create(
        user=user, name=f"Org {org_number}", sector="retail", size_band="large", countries=["FR"]
    )
    workshop = workshop_start(organization=org, user=user)
    view = bank_view(workshop.assessment.bank)
    people = Participant.objects.bulk_create(
        [Participant(workshop=workshop, name=f"P{i}", role="other") for i in range(participants)]
    )
    answer_at_random(workshop, view, people, rng)
    return workshop, people, view


def measure(client, workshop, person, view):
    """Board live part and save: (board ms list, save ms list, board queries, save queries)."""
    from faults.fixtures import section_fields

    board_url = f"/workshops/{workshop.assessment.code}/?fragment=1"
    section = 2
    save_url = f"/p/{person.token}/s/{section}/"
    fields = dict(section_fields(view, section))
    headers = {"X-Save-Mode": "background"}
    assert client.get(board_url).status_code == 200
    assert client.post(save_url, fields, headers=headers).status_code == 204
    counts = []
    for url, post in ((board_url, False), (save_url, True)):
        queries = []

        def count(run, sql, *args, queries=queries):
            queries.append(sql)
            return run(sql, *args)

        with connection.execute_wrapper(count):
            client.post(url, fields, headers=headers) if post else client.get(url)
        counts.append(len(queries))
    board, save, cpu = [], [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(board_url)
        t1, c1 = time.perf_counter(), time.process_time()
        client.post(save_url, fields, headers=headers)
        t2 = time.perf_counter()
        board.append((t1 - t0) * 1000)
        save.append((t2 - t1) * 1000)
        cpu.append((c1 - c0) * 1000)
    MEASURED_CPU.append(median_p95(cpu)[0])
    return board, save, counts[0], counts[1]


MEASURED_CPU = []  # the board's CPU time in this process (Python only), per measure()


def explain(client, workshop, person, view):
    """EXPLAIN of every query of the board's live part, the save (with the session read)
    and a database cache read, printed: the plan's scans show which index each uses."""
    from django.core.cache.backends.db import DatabaseCache

    from faults.fixtures import section_fields

    fields = dict(section_fields(view, 2))
    seen = []

    def keep(run, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT")):
            seen.append((sql, params))
        return run(sql, params, many, context)

    call_command("createcachetable", "bench_cache", verbosity=0)
    cache = DatabaseCache("bench_cache", {})
    with connection.execute_wrapper(keep):
        client.get(f"/workshops/{workshop.assessment.code}/?fragment=1")
        client.post(f"/p/{person.token}/s/2/", fields, headers={"X-Save-Mode": "background"})
        cache.get("join-code-tries:127.0.0.1")
    print(f"# EXPLAIN ({connection.vendor}), {len(seen)} queries")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Sessions, users, organisations hold a few rows here, which PostgreSQL reads
            # whole; discouraged from that, it shows the index it uses once they grow.
            cursor.execute("SET enable_seqscan = off")
        for sql, params in seen:
            prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql, params)
            plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
            print("\n" + sql[:300])
            print("\n".join("    " + line for line in plan))


def main():
    from django.contrib.auth import get_user_model

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("load_defaults", verbosity=0)
    rng = random.Random(19)
    user = get_user_model().objects.create_user("cost@example.org", "cost@example.org", "x")
    client = Client()
    client.force_login(user)
    load = os.getloadavg()[0]
    rows = []  # (what, n, board p50, board p95, save p50, save p95, board q, save q)

    for n in () if "--explain" in sys.argv else SIZES:
        workshop, people, view = workshop_with(n, user, f"size-{n}", rng)
        board, save, bq, sq = measure(client, workshop, people[0], view)
        rows.append(
            ("participants in one workshop", n, *median_p95(board), *median_p95(save), bq, sq)
        )
    # Workshops in the database: 25 participants each; measured on the first one made.
    from assess.models import Workshop

    Workshop.objects.all().delete()
    first = None
    made = 0
    for count in WORKSHOP_COUNTS:
        while made < count:
            made += 1
            got = workshop_with(25, user, f"many-{made}", rng)
            first = first or got
        board, save, bq, sq = measure(client, first[0], first[1][0], first[2])
        if count == WORKSHOP_COUNTS[-1] and "--explain" in sys.argv:
            if connection.vendor == "postgresql":
                connection.cursor().execute("ANALYZE")  # fresh statistics for the planner
            explain(client, first[0], first[1][0], first[2])
            return
        rows.append(
            (
                "workshops of 25 in the database",
                count,
                *median_p95(board),
                *median_p95(save),
                bq,
                sq,
            )
        )

    figures = []
    base = {r[0]: r for r in rows if r[1] in (25, 1)}
    for what, n, _b50, b95, _s50, s95, _bq, _sq in rows:
        figures.append(
            Figure(
                f"board live part p95, {n} {what}",
                b95,
                "ms",
                budget=BOARD_BUDGET_MS,
                baseline=base[what][3],
                baseline_name=f"{base[what][1]} {what}",
            )
        )
        figures.append(
            Figure(
                f"save p95, {n} {what}",
                s95,
                "ms",
                budget=SAVE_BUDGET_MS,
                baseline=base[what][5],
                baseline_name=f"{base[what][1]} {what}",
            )
        )
    notes = [
        f"{what} = {n}: board p50 {b50:.0f} ms p95 {b95:.0f} ms ({bq} queries; Python CPU "
        f"p50 {board_cpu:.0f} ms), save p50 {s50:.0f} ms p95 {s95:.0f} ms ({sq} queries)"
        for (what, n, b50, b95, s50, s95, bq, sq), board_cpu in zip(rows, MEASURED_CPU, strict=True)
    ]
    notes.append(
        f"{connection.vendor}, wall time per request in one process, {RUNS} runs each, "
        f"default bank; load average before {load:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    emit(figures, notes)


if __name__ == "__main__":
    main()
