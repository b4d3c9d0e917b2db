"""25 participants of one workshop saving at the same moment (issue #34: within 2x the time
of one save), on PostgreSQL, with the lock waits counted.

Each participant is its own process with its own connection (as gunicorn's workers are),
prepared beforehand and released together by a multiprocessing.Barrier; each saves a
section through `services.answers_save`. The span is from the release to the last commit.
A thread of the parent polls pg_locks meanwhile and counts the distinct lock waits it sees
(a backend waiting for a row's transaction: the queue the old lock made).

`--hold-ms N` sleeps N ms inside each save's transaction, after its locks are taken: it
stands for a slower or busier machine, where a save's transaction lasts longer, and shows
whether the saves wait for each other's (a queue multiplies it by the savers; shared locks
do not). On 2 cores, 25 processes also queue for the CPU: compare the spans with the lock
waits, and old code with new on the same machine (ASSESS_ROOT=<a checkout of the old code>
runs that code with this script).

    DATABASE_URL=postgres://.../bench_issue34 .venv/bin/python bench/bench_concurrent_save.py \
        [--savers 25] [--rounds 5] [--hold-ms 0]"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(os.environ.get("ASSESS_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # bench.common if older
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("PostgreSQL only: DATABASE_URL=postgres://... (SQLite has one writer at a time)")
from faults.load import recreate  # noqa: E402

recreate(os.environ["DATABASE_URL"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def saver(index, participant_id, barrier, out, hold_ms, rounds):
    from assess import services
    from assess.models import Participant
    from assess.selectors import bank_view

    connection.close()  # the parent's, inherited: never shared
    person = Participant.objects.select_related(
        "workshop__assessment__bank", "workshop__assessment__organization"
    ).get(pk=participant_id)
    assessment = person.workshop.assessment
    view = bank_view(assessment.bank)
    section = view.section(2).question_list
    rng = random.Random(index)
    if hold_ms:
        real = services._applicable_values

        def held(*args):
            time.sleep(hold_ms / 1000)
            return real(*args)

        services._applicable_values = held
    for _ in range(rounds):
        values = {q.code: ((rng.choice(q.choice_list).code,), "") for q in section}
        connection.ensure_connection()
        barrier.wait()
        t0 = time.perf_counter()
        services.answers_save(
            assessment=assessment, participant=person, section_number=2, values=values
        )
        out.put((index, t0, time.perf_counter()))
    connection.close()


def watch_locks(stop, seen):
    """Distinct (waiting pid, what it waits for) pairs seen in pg_locks."""
    from django.db import connections

    conn = connections.create_connection("default")
    with conn.cursor() as cursor:
        while not stop.is_set():
            cursor.execute(
                "SELECT pid, locktype, coalesce(transactionid::text, relation::text || "
                "':' || coalesce(page::text, '') || ':' || coalesce(tuple::text, '')) "
                "FROM pg_locks WHERE NOT granted"
            )
            seen.update(cursor.fetchall())
    conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--savers", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--hold-ms", type=float, default=0)
    args = parser.parse_args()
    from django.contrib.auth import get_user_model

    from bench.bench_scale_cost import workshop_with

    call_command("migrate", verbosity=0)
    call_command("load_defaults", verbosity=0)
    user = get_user_model().objects.create_user("c@example.org", "c@example.org", "x")
    _workshop, people, _view = workshop_with(args.savers, user, "c", random.Random(34))
    ids = [p.id for p in people]
    connection.close()
    ctx = multiprocessing.get_context("fork")
    load_before = os.getloadavg()

    def run(n):
        """(spans of each round, each save's own time, lock waits) with n savers at once."""
        barrier, out = ctx.Barrier(n), ctx.Queue()
        procs = [
            ctx.Process(target=saver, args=(i, ids[i], barrier, out, args.hold_ms, args.rounds))
            for i in range(n)
        ]
        stop, seen = threading.Event(), set()
        watcher = threading.Thread(target=watch_locks, args=(stop, seen))
        watcher.start()
        for p in procs:
            p.start()
        got = [out.get(timeout=300) for _ in range(n * args.rounds)]
        for p in procs:
            p.join()
        stop.set()
        watcher.join()
        per_save = [(t1 - t0) * 1000 for _i, t0, t1 in got]
        got.sort(key=lambda g: g[1])
        spans = []
        for r in range(args.rounds):  # rounds are barrier-separated: n saves each
            chunk = got[r * n : (r + 1) * n]
            spans.append((max(g[2] for g in chunk) - min(g[1] for g in chunk)) * 1000)
        return spans, per_save, len(seen)

    one_spans, _one, one_waits = run(1)
    many_spans, per_save, waits = run(args.savers)
    one = statistics.median(one_spans)
    many = statistics.median(many_spans)
    print(
        f"# {args.savers} savers of one workshop at once, PostgreSQL, {args.rounds} rounds, "
        f"hold {args.hold_ms:.0f} ms; code {ROOT}; load average before {load_before[0]:.2f}, "
        f"after {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores"
    )
    print(
        f"one save alone: median {one:.1f} ms (rounds {', '.join(f'{s:.0f}' for s in one_spans)})"
    )
    print(
        f"{args.savers} at once, release to last commit: median {many:.1f} ms "
        f"(rounds {', '.join(f'{s:.0f}' for s in many_spans)}); each save's own time "
        f"p50 {statistics.median(per_save):.1f} ms, max {max(per_save):.1f} ms"
    )
    print(
        f"ratio {many / one:.2f} (goal <= 2.0); lock waits seen: {waits} with "
        f"{args.savers} savers, {one_waits} alone"
    )


if __name__ == "__main__":
    main()
