"""The task worker stopped while the app goes on: /health/ names the database and the worker
and answers 200 while a worker takes from the queue, 500 once a queued task has waited
longer than HEALTH_QUEUE_MAX_SECONDS with no worker, and 200 again when one is back.

    .venv/bin/python -m faults.worker_stopped [--limit 3]

Also `python -m faults.worker_stopped enqueue` (inside the app's environment) queues one
e-mail, the task the worker must take."""

import json
import signal
import subprocess
import sys
import time

from faults.common_cli import main
from faults.harness import PYTHON, ROOT, Gunicorn, django_env, manage, request

POLL = 0.2  # seconds between looks at /health/


def health(port):
    status, _headers, body = request(
        port, "GET", "/health/", headers={"Accept": "application/json"}
    )
    return status, json.loads(body)


def enqueue(env):
    """Queues one task; returns when it was queued (time.time(), as the queue records it)."""
    out = subprocess.run(
        [PYTHON, "-m", "faults.worker_stopped", "enqueue"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.split()[-1])


def wait_for(port, wanted, seconds):
    """Polls /health/ until it answers `wanted`; (seconds it took, the checks) or (None, ...)."""
    start = time.monotonic()
    checks = {}
    while time.monotonic() - start < seconds:
        status, checks = health(port)
        if status == wanted:
            return time.monotonic() - start, checks
        time.sleep(POLL)
    return None, checks


def start_worker(env, log):
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--interval", str(POLL), "--nice", "0"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(worker):
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)


def run(workdir, limit=3):
    env = django_env(
        f"sqlite:///{workdir / 'db.sqlite3'}", HEALTH_QUEUE_MAX_SECONDS=limit, PYTHONUNBUFFERED=1
    )
    manage(env, "migrate", "--noinput", "-v0")
    result = {"limit_seconds": limit}
    with (
        open(workdir / "worker.log", "ab") as log,
        Gunicorn(env, workdir / "gunicorn.log") as server,
    ):
        worker = start_worker(env, log)
        try:
            enqueue(env)
            took, checks = wait_for(server.port, 200, 30)
            # A second task while the worker runs is taken well within the limit.
            enqueue(env)
            time.sleep(limit + 1)
            status_running, checks_running = health(server.port)
        finally:
            stop(worker)
        result.update(
            checks=sorted(checks),
            status_with_worker=status_running,
            worker_with_worker=checks_running.get("Worker"),
        )
        queued = enqueue(env)
        took, checks = wait_for(server.port, 500, limit + 30)
        answered = time.time()
        result.update(
            seconds_to_500_after_queueing=None if took is None else round(answered - queued, 2),
            worker_without_worker=checks.get("Worker"),
            database_without_worker=checks.get("DatabaseHeartBeatCheck"),
        )
        status_app, _h, _b = request(
            server.port, "GET", "/health/app/", headers={"Accept": "application/json"}
        )
        result["app_subset_without_worker"] = status_app
        worker = start_worker(env, log)
        try:
            took, checks = wait_for(server.port, 200, 120)
            result["seconds_to_200_after_restart"] = None if took is None else round(took, 2)
        finally:
            stop(worker)
    return result


def _enqueue_one():
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")
    import django

    django.setup()
    from assess.operations.mail import mail_queue

    mail = mail_queue(to=["ops@example.org"], subject="Health", body="A task for the worker.")
    print(mail.created.timestamp())


if __name__ == "__main__":
    if sys.argv[1:] == ["enqueue"]:
        _enqueue_one()
    else:
        main(run, __doc__, limit=3)
