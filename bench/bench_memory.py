"""The PDF task worker's resident memory over 200 renders, kept bounded by replacing the
worker process every TASK_WORKER_MAX_TASKS tasks (`manage.py run_worker`). Not run by
`make test`.

    .venv/bin/python bench/bench_memory.py [--renders 200] [--max-tasks 25] [--json]

Submits --renders assessments of the default bank in a throwaway SQLite database (each
submit queues its PDF), then has them rendered twice, sampling the resident memory (RSS,
from /proc) of the worker processes every 0.2 s:

- baseline: one plain `db_worker` process that never exits, as a worker without recycling;
- figure: `run_worker --max-tasks N`, which replaces its worker process every N renders.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-memory-")
DB = Path(_tmp.name) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django_tasks_db.models import DBTaskResult  # noqa: E402

from assess.models import Assessment, ReportPDF  # noqa: E402
from assess.tasks import report_pdf_queue  # noqa: E402
from bench.common import Figure, emit  # noqa: E402
from bench.full import full_assessment, submitted_copies  # noqa: E402

MANAGE = [sys.executable, str(ROOT / "manage.py")]
# Far above what one render needs (about 100 MB) and far below what a worker that keeps
# every render's memory would reach: "bounded" made concrete.
BUDGET_MB = 400.0


def requeue():
    ReportPDF.objects.all().delete()
    DBTaskResult.objects.all().delete()
    for a in Assessment.objects.submitted():
        report_pdf_queue(a)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def done():
    with sqlite3.connect(DB) as db:
        return db.execute(
            f"SELECT count(*) FROM {DBTaskResult._meta.db_table} "  # noqa: S608
            "WHERE status IN ('SUCCESSFUL', 'FAILED')"
        ).fetchone()[0]


def run(command, total):
    """Runs the worker command until `total` tasks are done; returns (peak worker RSS,
    parent RSS, RSS after each milestone, seconds)."""
    process = subprocess.Popen(command, cwd=ROOT)
    peak, parent_peak, marks = 0.0, 0.0, {}
    milestones = sorted({1, 25, 50, 100, total} & set(range(1, total + 1)))
    started = time.monotonic()
    try:
        while True:
            workers = children(process.pid) or [process.pid]
            worker_rss = max(rss_mb(p) for p in workers)
            peak = max(peak, worker_rss)
            if workers != [process.pid]:
                parent_peak = max(parent_peak, rss_mb(process.pid))
            finished = done()
            for m in milestones:
                if finished >= m and m not in marks:
                    marks[m] = worker_rss
            if finished >= total:
                break
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited with {process.returncode}")
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return peak, parent_peak, marks, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--max-tasks", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    total = len(submitted_copies(*full_assessment(), args.renders))
    assert DBTaskResult.objects.count() == total
    flags = ["--interval=0.1", "-v0"]
    plain = run([*MANAGE, "db_worker", "--no-reload", "--no-startup-delay", *flags], total)
    assert ReportPDF.objects.count() == total
    requeue()
    recycled = run([*MANAGE, "run_worker", f"--max-tasks={args.max_tasks}", *flags], total)
    assert ReportPDF.objects.count() == total

    def marks(m):
        return ", ".join(f"{k}: {v:.0f}" for k, v in sorted(m.items()))

    emit(
        [
            Figure(
                f"PDF worker peak resident memory over {total} renders, "
                f"replaced every {args.max_tasks}",
                recycled[0],
                "MB",
                budget=BUDGET_MB,
                baseline=plain[0],
                baseline_name="one worker process that is never replaced",
            )
        ],
        [
            f"worker RSS after N renders (MB), never replaced: {marks(plain[2])}; "
            f"replaced every {args.max_tasks}: {marks(recycled[2])}",
            f"run_worker's own process: {recycled[1]:.0f} MB; {total} renders took "
            f"{plain[3]:.0f} s with one process, {recycled[3]:.0f} s with recycling "
            f"(each new process pays the WeasyPrint import again)",
        ],
    )


if __name__ == "__main__":
    main()
