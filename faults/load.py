"""Load: 50 workshop participants answering for 2 minutes (locust, headless) against
gunicorn (2 workers x 4 threads) on 127.0.0.1 and PostgreSQL; then the number of saves the
app acknowledged is compared with what the database holds. Not part of make test (it takes
2.5 minutes and loads the machine): run it with `make load`.

The database LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/faults_load) is
dropped and created again; SQLite works too (sqlite:////tmp/load.sqlite3).

    .venv/bin/python -m faults.load [--users 50 --run-time 2m]"""

import json
import os
import subprocess
import sys
from urllib.parse import urlparse

from faults.common_cli import main
from faults.harness import ROOT, Gunicorn, django_env, prepare, stored

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/faults_load"


def recreate(url):
    parts = urlparse(url)
    if parts.scheme.startswith("sqlite"):
        if os.path.exists(parts.path):
            os.remove(parts.path)
        return
    where = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    where += ["-U", parts.username or "postgres"]
    name = parts.path.lstrip("/")
    subprocess.run(["dropdb", *where, "--if-exists", name], check=True)
    subprocess.run(["createdb", *where, name], check=True)


def percentile(times, fraction):
    """From locust's histogram {milliseconds: count}."""
    total = sum(times.values())
    seen = 0
    for ms in sorted(times, key=float):
        seen += times[ms]
        if seen >= fraction * total:
            return round(float(ms))
    return 0


def summary(entries):
    times = {}
    for entry in entries:
        for ms, count in entry["response_times"].items():
            times[ms] = times.get(ms, 0) + count
    return {
        "count": sum(e["num_requests"] for e in entries),
        "failures": sum(e["num_failures"] for e in entries),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "max_ms": round(max((e["max_response_time"] for e in entries), default=0)),
    }


def run(workdir, users=50, run_time="2m", spawn_rate=10.0, database_url=""):
    url = database_url or os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    recreate(url)
    env = django_env(url, CONN_MAX_AGE=60)
    fixture = prepare(env, 0)
    (workdir / "fixture.json").write_text(json.dumps(fixture))
    acks_path = workdir / "acks.json"
    # Keep-alive longer than a participant's pause (1-3 s): with gunicorn's default of 2 s a
    # reused connection races the server closing it, and the request is reset.
    server = Gunicorn(env, workdir / "gunicorn.log", workers=2, threads=4, keep_alive=10)
    with server:
        locust_env = dict(
            os.environ, FAULTS_FIXTURE=str(workdir / "fixture.json"), FAULTS_ACKS=str(acks_path)
        )
        locust = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust")
                if (ROOT / ".venv" / "bin" / "locust").exists()
                else "locust",
                "-f",
                str(ROOT / "faults" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                run_time,
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{server.port}",
                "--json-file",
                str(workdir / "locust"),
                "--only-summary",
            ],
            cwd=ROOT,
            env=locust_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    (workdir / "locust.log").write_text(locust.stdout + locust.stderr)
    entries = json.loads((workdir / "locust.json").read_text())
    written = json.loads(acks_path.read_text())
    acks = {(token, section) for token, section in written["acks"]}
    in_db = stored(env)
    held = {(t, s) for t, sections in in_db["answers"].items() for s in sections}
    total = summary(entries)
    started = min(e["start_time"] for e in entries)
    ended = max(e["last_request_timestamp"] for e in entries)
    result = {
        "users": users,
        "run_time": run_time,
        "requests": total["count"],
        "failures": total["failures"],
        "requests_per_second": round(total["count"] / max(ended - started, 1), 1),
        **{k: v for k, v in total.items() if k.endswith("_ms")},
        "by_request": {f"{e['method']} {e['name']}": summary([e]) for e in entries},
        "participants_joined": in_db["participants"],
        "saves_acknowledged": len(acks),
        "sections_stored": len(held),
        "acknowledged_not_stored": len(acks - held),
        "stored_not_acknowledged": len(held - acks),
        "errors": written["errors"],
        "locust_exit_code": locust.returncode,
    }
    return result


if __name__ == "__main__":
    result = main(run, __doc__, users=50, run_time="2m", spawn_rate=10.0, database_url="")
    ok = result["failures"] == 0 and result["acknowledged_not_stored"] == 0
    sys.exit(0 if ok else 1)
