"""A burst of 50 PDF downloads after a workshop does not tie up the web workers: answers
saved by 30 participants stay fast while the PDFs render. Not run by `make test`.

    .venv/bin/python bench/bench_burst.py [--database-url postgres://...] [--json]

Production's shape on one machine: PostgreSQL (a database of its own, dropped and made
again: bench_burst on 127.0.0.1:5432 unless --database-url says otherwise), gunicorn with 2
workers, and one `manage.py run_worker`. 30 workshop participants keep saving sections (a
save a second each, as background saves), first for --quiet seconds alone, then for
--seconds while 50 people ask for 50 different reports' PDFs at once. Compares the saves'
latency in both periods, times the PDF requests, and checks every acknowledged save is
stored (faults/harness.py)."""

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.common import Figure, emit, median_p95  # noqa: E402
from faults.harness import Gunicorn, Savers, check, django_env, manage, prepare, request, stored  # noqa: E402

PARTICIPANTS = 30
DOWNLOADS = 50
# Each participant saves a section a second: 30 saves a second in all, far more than people
# answering questions make, and within what 2 workers serve, so latency is not queueing.
PAUSE = 1.0


def fresh_database(url):
    """Drop and create the database named in a postgres:// URL."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def burst(port, codes, cookie, results):
    """Everyone asks for their report's PDF at once."""

    def one(code):
        t0 = time.monotonic()
        status, _headers, _body = request(
            port, "GET", f"/a/{code}/report.pdf", headers={"Cookie": cookie}
        )
        results.append((status, (time.monotonic() - t0) * 1000))

    threads = [threading.Thread(target=one, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)


def all_ready(port, codes, cookie, timeout):
    deadline = time.monotonic() + timeout
    pending = list(codes)
    while pending and time.monotonic() < deadline:
        status, _h, body = request(
            port, "GET", f"/a/{pending[0]}/report/status/", headers={"Cookie": cookie}
        )
        if status == 200 and json.loads(body)["state"] == "ready":
            pending.pop(0)
        else:
            time.sleep(0.5)
    return not pending


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_burst")
    parser.add_argument("--quiet", type=float, default=15.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    fresh_database(args.database_url)
    env = django_env(args.database_url, CONN_MAX_AGE=60)
    work = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    fixture = prepare(env, PARTICIPANTS)
    reports = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.burst_fixtures", str(DOWNLOADS)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    downloads = []
    with open(work / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval=0.2", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with Gunicorn(env, work / "gunicorn.log", workers=2, keep_alive=10) as server:
                with Savers(server.port, fixture, pause=PAUSE) as quiet:
                    time.sleep(args.quiet)
                # Checked now: the next period's saves start their numbering again.
                quiet_check = check(quiet.outcomes, stored(env)["answers"])
                with Savers(server.port, fixture, pause=PAUSE) as busy:
                    time.sleep(1)
                    started = time.monotonic()
                    burst(server.port, reports["codes"], reports["cookie"], downloads)
                    time.sleep(max(0.0, args.seconds - 1 - (time.monotonic() - started)))
                ready = all_ready(server.port, reports["codes"], reports["cookie"], 300)
                ready_after = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    busy_check = check(busy.outcomes, stored(env)["answers"])
    quiet_ms = [o.took * 1000 for o in quiet.outcomes if o.status == 204]
    busy_ms = [o.took * 1000 for o in busy.outcomes if o.status == 204]
    statuses = sorted({s for s, _ms in downloads})
    manage(env, "flush", "--noinput")
    emit(
        [
            Figure(
                f"answer save p95, {PARTICIPANTS} participants, while {DOWNLOADS} PDFs render",
                median_p95(busy_ms)[1],
                "ms",
                budget=2.0,
                budget_ratio=True,
                baseline=median_p95(quiet_ms)[1],
                baseline_name="same saves with no PDF to render",
            ),
            Figure(
                f"slowest of {DOWNLOADS} PDF requests made at once (each answers 'being prepared')",
                max(ms for _s, ms in downloads),
                "ms",
                budget=1.0,
                budget_ratio=True,
                baseline=reports["inline_render_ms"],
                baseline_name="ONE render, were it done in the request",
            ),
            Figure(
                f"all {DOWNLOADS} PDFs ready after the burst (one worker)",
                ready_after,
                "s",
            ),
        ],
        [
            f"saves: quiet {quiet_check['saves']} ({quiet_check['acknowledged']} acknowledged, "
            f"{quiet_check['lost']} lost, {quiet_check['failed']} failed), during the burst "
            f"{busy_check['saves']} ({busy_check['acknowledged']} acknowledged, "
            f"{busy_check['lost']} lost, {busy_check['failed']} failed); save p50 quiet "
            f"{median_p95(quiet_ms)[0]:.0f} ms, during the burst {median_p95(busy_ms)[0]:.0f} ms",
            f"PDF requests answered {statuses}; all ready: {ready}; PostgreSQL, gunicorn 2 sync "
            "workers, run_worker at its default niceness (TASK_WORKER_NICE), load generator on "
            "the same 2 cores",
        ],
    )


if __name__ == "__main__":
    main()
