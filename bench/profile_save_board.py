"""Where one save and one board refresh spend their time (issue #34): cProfile of the
requests through Django's test client, each query listed with its time, and the CPU time
(process_time) and wall time of each, on the database in DATABASE_URL (recreated; SQLite in
a temporary file if unset). pg_stat_statements needs a preload and a restart of the server,
so the queries are counted and timed here from the client's side instead.

    DATABASE_URL=postgres://.../bench_issue34 .venv/bin/python bench/profile_save_board.py \
        [--participants 500] [--top 25] [--runs 20] [--no-profile]"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'prof.sqlite3'}"
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


def queries_of(do):
    """[(ms, sql)] of the queries `do()` runs."""
    seen = []

    def timed(run, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return run(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - t0) * 1000, sql))

    with connection.execute_wrapper(timed):
        do()
    return seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()
    from django.contrib.auth import get_user_model

    from faults.fixtures import section_fields

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("load_defaults", verbosity=0)
    user = get_user_model().objects.create_user("prof@example.org", "prof@example.org", "x")
    client = Client()
    client.force_login(user)
    workshop, people, view = workshop_with(args.participants, user, "prof", random.Random(34))
    board_url = f"/workshops/{workshop.assessment.code}/?fragment=1"
    save_url = f"/p/{people[0].token}/s/2/"
    fields = dict(section_fields(view, 2))
    headers = {"X-Save-Mode": "background"}

    def board():
        assert client.get(board_url).status_code == 200

    def save():
        assert client.post(save_url, fields, headers=headers).status_code == 204

    print(f"# {connection.vendor}, {args.participants} participants, load {os.getloadavg()}")
    for name, do in (("save", save), ("board live part", board)):
        do()  # warm: bank view, templates
        for ms, sql in queries_of(do):
            print(f"  {name} query {ms:6.2f} ms  {sql[:150]}")
        cpu, wall = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            do()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(
            f"{name}: {len(queries_of(do))} queries; CPU p50 {median_p95(cpu)[0]:.2f} ms, "
            f"wall p50 / p95 {median_p95(wall)[0]:.2f} / {median_p95(wall)[1]:.2f} ms "
            f"({args.runs} runs; load {os.getloadavg()[0]:.2f})"
        )
        if args.no_profile:
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            do()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"--- {name}, 5 requests, by {args.sort} ---")
        print(out.getvalue().split("\n", 6)[-1][:6000])


if __name__ == "__main__":
    main()
