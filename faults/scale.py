"""A consultancy's busy day (issue #19): 40 workshops x 25 participants = 1,000 participants
answering at once, 40 facilitators' boards refreshing every 5 s, then every facilitator
settles the consensus and submits within one minute and the 40 PDFs are made by the task
workers. gunicorn (one server, or several behind nginx) on PostgreSQL, locust on the same
machine (faults/locustfile_scale.py). Afterwards every acknowledged save is looked for in
the database. Prints one JSON object; `make bench-scale` runs it with one and two servers.

The database SCALE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/scale) is
dropped and created again.

    .venv/bin/python -m faults.scale [--workshops 40 --per-workshop 25 --steady 180
        --servers 1 --workers 4 --threads 4 --task-workers 2 --cpus ""]"""

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time

from faults.common_cli import main
from faults.harness import PYTHON, ROOT, fixtures, stored
from faults.load import summary
from faults.servers import servers, setup_database, shared_env

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scale"


def pin(pids, cpus):
    """Pin processes (and their threads) to `cpus` ("0" or "0,1") with taskset."""
    for pid in pids:
        subprocess.run(["taskset", "-a", "-cp", cpus, str(pid)], capture_output=True, check=False)


class LoadSampler(threading.Thread):
    """The 1-minute load average every 10 s, to print beside the figures."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.stop = [], threading.Event()

    def run(self):
        while not self.stop.wait(10):
            self.samples.append(os.getloadavg()[0])


def lost_saves(acks, answers):
    lost = 0
    for token, section, seq in acks:
        comments = answers.get(token, {}).get(str(section), [])
        seqs = [int(m.group(1)) for c in comments if (m := re.match(r"s(\d+)", c))]
        if not seqs or max(seqs) < seq:
            lost += 1
    return lost


def locust(workdir, port, users, ramp, run_seconds, extra_env):
    binary = ROOT / ".venv" / "bin" / "locust"
    env = dict(os.environ, **extra_env)
    return subprocess.run(
        [
            str(binary) if binary.exists() else "locust",
            "-f",
            str(ROOT / "faults" / "locustfile_scale.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users / max(ramp - 10, 5), 1)),
            "--run-time",
            f"{run_seconds}s",
            "--stop-timeout",
            "70",
            "--host",
            f"http://127.0.0.1:{port}",
            "--json-file",
            str(workdir / "locust"),
            "--only-summary",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=run_seconds + 300,
    )


def run(
    workdir,
    workshops=40,
    per_workshop=25,
    steady=180,
    ramp=60,
    tail=150,
    servers_count=1,
    workers=4,
    threads=4,
    task_workers=2,
    cpus="",
    database_url="",
):
    url = database_url or os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL)
    env = shared_env(url)
    setup_database(url, env)
    fixture = fixtures(env, "faults.scale_fixtures", "workshops", str(workshops))
    (workdir / "fixture.json").write_text(json.dumps(fixture))
    users = workshops * per_workshop + workshops
    # Everyone joins during `ramp`; after `steady`, a minute to settle and submit, then the
    # PDFs (`tail` covers both).
    settle_at = time.time() + ramp + steady
    run_seconds = ramp + steady + tail
    sampler = LoadSampler()
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        started, proxy = stack.enter_context(
            servers(
                env,
                workdir,
                count=servers_count,
                workers=workers,
                threads=threads,
                proxy=servers_count > 1,
            )
        )
        log = stack.enter_context(open(workdir / "workers.log", "ab"))
        task_procs = [
            subprocess.Popen(
                [PYTHON, "manage.py", "run_worker", "--interval", "0.5"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for _ in range(task_workers)
        ]
        if cpus:
            pin([s.proc.pid for s in started] + [w for s in started for w in s.workers()], cpus)
        sampler.start()
        try:
            done = locust(
                workdir,
                proxy.port if proxy else started[0].port,
                users,
                ramp,
                run_seconds,
                {
                    "SCALE_FIXTURE": str(workdir / "fixture.json"),
                    "SCALE_SETTLE_AT": str(settle_at),
                    "SCALE_OUT": str(workdir / "out.json"),
                },
            )
        finally:
            sampler.stop.set()
            for p in task_procs:
                p.terminate()
            for p in task_procs:
                p.wait(timeout=30)
    (workdir / "locust.log").write_text(done.stdout + done.stderr)
    entries = json.loads((workdir / "locust.json").read_text())
    out = json.loads((workdir / "out.json").read_text())
    answers = stored(env)["answers"]
    by_name = {f"{e['method']} {e['name']}": summary([e]) for e in entries}
    pdfs = out["pdfs"]
    ready = [p["ready"] for p in pdfs.values() if p["ready"]]
    submitted = [p["submitted"] for p in pdfs.values()]
    total = summary(entries)
    return {
        "workshops": workshops,
        "participants": workshops * per_workshop,
        "servers": servers_count,
        "gunicorn": f"{workers} workers x {threads} threads per server",
        "task_workers": task_workers,
        "cpus": cpus or "all",
        "steady_seconds": steady,
        "requests": total["count"],
        "failures": total["failures"],
        "server_errors_5xx": sum(c for k, c in out["errors"].items() if re.search(r": 5\d\d ", k)),
        "save": by_name.get("POST /p/[token]/s/[n]/ save"),
        "board": by_name.get("GET /workshops/[code]/ live"),
        "section_page": by_name.get("GET /p/[token]/s/[n]/"),
        "by_request": by_name,
        "saves_acknowledged": len(out["acks"]),
        "acknowledged_lost": lost_saves(out["acks"], answers),
        "submitted": len(submitted),
        "submit_spread_s": round(max(submitted) - min(submitted), 1) if submitted else None,
        "pdfs_ready": len(ready),
        "last_pdf_after_last_submit_s": (
            round(max(ready) - max(submitted), 1) if ready and submitted else None
        ),
        "load_average": {
            "before": round(load_before, 2),
            "during_mean": round(sum(sampler.samples) / max(len(sampler.samples), 1), 2),
            "during_max": round(max(sampler.samples, default=0), 2),
        },
        "errors": out["errors"],
        "locust_exit_code": done.returncode,
    }


if __name__ == "__main__":
    result = main(
        run,
        __doc__,
        workshops=40,
        per_workshop=25,
        steady=180,
        ramp=60,
        tail=150,
        servers_count=1,
        workers=4,
        threads=4,
        task_workers=2,
        cpus="",
        database_url="",
    )
    ok = result["failures"] == 0 and result["acknowledged_lost"] == 0
    sys.exit(0 if ok else 1)
