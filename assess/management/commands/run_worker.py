"""Runs the task worker (django-tasks-db's `db_worker`) and starts a fresh one every
`--max-tasks` tasks.

WeasyPrint keeps memory after each render, and a Python process rarely gives memory back,
so a long-lived worker would grow with every PDF. Recycling bounds it: the parent is a few
megabytes and only waits; each child renders at most N PDFs, then exits and is replaced.
Run one or more per deployment, on any machine that reaches the database."""

import os
import signal
import subprocess  # only to start our own worker: no shell, no user input  # nosec B404
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# A child that fails at once (no database, a bad setting) is restarted after this pause,
# growing to the cap, so a broken worker does not spin.
RESTART_DELAY = 1.0
RESTART_DELAY_MAX = 30.0


class Command(BaseCommand):
    help = "Run the task worker that renders PDFs, with a fresh process every N tasks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=settings.TASK_WORKER_MAX_TASKS,
            help="Tasks per worker process before it is replaced; 0 never replaces it "
            "(default: TASK_WORKER_MAX_TASKS, %(default)s).",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.TASK_WORKER_NICE,
            help="Added to the worker's CPU niceness, so web requests on the same machine "
            "go first (default: TASK_WORKER_NICE, %(default)s).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task waiting now, each process at most --max-tasks of them, then "
            "exit (for cron, and for tests that must not wait on a clock).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default: %(default)s).",
        )

    def handle(self, *, max_tasks, nice, interval, verbosity, batch=False, **options):
        if max_tasks < 0:
            raise CommandError("--max-tasks must be 0 or more.")
        if nice:
            os.nice(nice)  # the worker processes started below inherit it
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            f"--interval={interval}",
            f"--verbosity={verbosity}",
        ]
        if max_tasks:
            command.append(f"--max-tasks={max_tasks}")
        if batch:
            command.append("--batch")
        stopping = False
        child = None

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            if child is not None and child.poll() is None:
                child.send_signal(signum)  # it finishes the task it is on, then exits

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if verbosity:
            self.stdout.write(f"Task worker running (a fresh process every {max_tasks} tasks).")
            self.stdout.flush()
        delay = RESTART_DELAY
        while not stopping:
            started = time.monotonic()
            child = subprocess.Popen(command)  # noqa: S603 -- our interpreter, manage.py  # nosec B603
            if stopping:  # the signal came while the child was starting: pass it on
                child.send_signal(signal.SIGTERM)
            code = child.wait()
            if stopping:
                break
            if code == 0 and batch and not _tasks_waiting():
                break  # the queue is empty: a batch is done
            if code == 0:  # it ran its share of tasks: replace it
                delay = RESTART_DELAY
                continue
            self.stderr.write(f"Worker exited with status {code}; starting another.")
            delay = RESTART_DELAY if time.monotonic() - started > 60 else delay
            time.sleep(delay)
            delay = min(delay * 2, RESTART_DELAY_MAX)


def _tasks_waiting():
    """Whether a task is ready to run now (a batch's last child may have stopped at its
    --max-tasks with more left)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().exists()
