"""Questionnaire step throughput under load: at least half the throughput of a hand-written
template page of the same size, served by the same server in the same run (DESIGN.md). Not
run by `make test`.

    .venv/bin/python bench/bench_throughput.py [--seconds 8] [--rounds 2] [--json]

Serves the app with gunicorn, 2 sync workers on 127.0.0.1, over a throwaway SQLite database
holding the 12-question step of bench/twelve.py, and loads it with wrk (Debian's package):
a signed-in member's step page against /bench/baseline/ (bench/urls.py), alternately, so that
anything else the machine does weighs on both alike. Needs `wrk` (apt-get install wrk).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-throughput-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, emit  # noqa: E402
from bench.twelve import build  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own 127.0.0.1
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def wrk(url, seconds, cookie):
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    return rate, float(p50.group(1)) * scale


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    user, assessment = build()
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "assess.wsgi",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    try:
        step_url = f"{base}/a/{assessment.code}/s/1/"
        baseline_url = f"{base}/bench/baseline/"
        wait_until_up(baseline_url)
        sizes = {}
        for name, url in (("step", step_url), ("baseline", baseline_url)):
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request) as response:  # noqa: S310 -- 127.0.0.1
                body = response.read()
            assert response.status == 200, (name, response.status)
            sizes[name] = len(body)
        assert sizes["step"] > 10_000, "the step page did not render (signed out?)"
        results = {"step": [], "baseline": []}
        for _ in range(args.rounds):
            results["baseline"].append(wrk(baseline_url, args.seconds, cookie))
            results["step"].append(wrk(step_url, args.seconds, cookie))
    finally:
        server.terminate()
        server.wait(timeout=30)

    def mean(name, i):
        return sum(r[i] for r in results[name]) / len(results[name])

    emit(
        [
            Figure(
                "questionnaire step throughput, gunicorn 2 workers, wrk 8 connections",
                mean("step", 0),
                "req/s",
                budget=0.5,
                budget_ratio=True,
                higher_is_better=True,
                baseline=mean("baseline", 0),
                baseline_name="hand-written template page of the same size, same server",
            )
        ],
        [
            f"page sizes: step {sizes['step'] / 1024:.1f} KiB, baseline "
            f"{sizes['baseline'] / 1024:.1f} KiB; latency p50 step {mean('step', 1):.1f} ms, "
            f"baseline {mean('baseline', 1):.1f} ms; {args.rounds} rounds of {args.seconds} s "
            "each, alternating; wrk runs on the same 2 cores",
        ],
    )


if __name__ == "__main__":
    main()
