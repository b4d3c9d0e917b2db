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
from pathlib import Path
from urllib.parse import urlparse

from faults.common_cli import main
from faults.harness import PYTHON, ROOT, fixtures, stored
from faults.load import summary
from faults.servers import servers, setup_database, shared_env

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scale"


def pin(pids, cpus):
    """Pin processes (and their threads) to `cpus` ("0" or "0,1") with taskset."""
    for pid in pids:
        subprocess.run(["taskset", "-a", "-cp", cpus, str(pid)], capture_output=True, check=False)


def cpu_seconds(pid):
    """User + system CPU seconds of a process and of its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds():
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(f) for i, f in enumerate(fields) if i not in (3, 4))  # not idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Sampler(threading.Thread):
    """Every 5 s: the 1-minute load average, and the CPU seconds used so far by each part
    (app servers, task workers, the load generator, our database's PostgreSQL backends) and
    by the whole machine, so the run says where the CPU went (the rest is other people's)."""

    def __init__(self, database, groups):
        super().__init__(daemon=True)
        self.database, self.groups = database, groups  # name -> callable giving root pids
        self.samples, self.stop = [], threading.Event()
        self.first = self.last = None

    def postgres_pids(self):
        out = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-Atc",
                "select pid, datname from pg_stat_activity",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        rows = (line.split("|") for line in out.stdout.splitlines())
        return [int(pid) for pid, name in rows if name == self.database]

    def take(self):
        got = {"machine": machine_cpu_seconds()}
        for name, roots in self.groups.items():
            pids = set()
            for root in roots():
                pids |= {root, *children(root)}
                pids |= {g for c in children(root) for g in children(c)}
            got[name] = sum(cpu_seconds(p) for p in pids)
        # Backends come and go; a backend's CPU is counted while it lives (CONN_MAX_AGE
        # keeps them for the run).
        self.pg_seen = getattr(self, "pg_seen", {})
        for pid in self.postgres_pids():
            self.pg_seen[pid] = cpu_seconds(pid)
        got["postgresql"] = sum(self.pg_seen.values())
        got["at"] = time.monotonic()
        return got

    def run(self):
        self.first = self.take()
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])
            self.last = self.take()

    def shares(self):
        if not self.first or not self.last:
            return {}
        seconds = self.last["at"] - self.first["at"]
        used = {k: self.last[k] - self.first[k] for k in self.first if k != "at"}
        ours = sum(v for k, v in used.items() if k != "machine")
        used["everything else on the machine"] = used["machine"] - ours
        return {k: f"{v / seconds:.2f} cores" for k, v in used.items()} | {
            "seconds": round(seconds)
        }


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


def by_phase(timings, steady_from, settle_at):
    """p50/p95/count of board refreshes and saves while people join (ramp), while they answer
    (steady) and from the moment facilitators settle, submit and PDFs render (settle)."""
    phases = {}
    for kind, at, ms in timings:
        phase = "ramp" if at < steady_from else "steady" if at < settle_at else "settle"
        phases.setdefault(f"{kind} {phase}", []).append(ms)
    out = {}
    for key, times in sorted(phases.items()):
        times.sort()
        out[key] = {
            "count": len(times),
            "p50_ms": round(times[len(times) // 2]),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))]),
        }
    return out


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
        sampler = Sampler(
            urlparse(url).path.lstrip("/"),
            {
                "app servers (gunicorn)": lambda: [s.proc.pid for s in started],
                "task workers": lambda: [p.pid for p in task_procs],
                "nginx": lambda: [proxy.proc.pid] if proxy else [],
                "load generator (locust)": lambda: [
                    c for c in children(os.getpid()) if b"locust" in cmdline(c)
                ],
            },
        )
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
                    "SCALE_RAMP": str(ramp - 10),
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
        "cpu": sampler.shares(),
        "by_phase": by_phase(out["timings"], settle_at - steady, settle_at),
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
