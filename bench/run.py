"""`make bench`: runs every benchmark in bench/, each in a process of its own, and prints one
table of every figure with its budget, baseline, ratio and verdict, with the machine and the
versions; writes the same table to bench/RESULTS.md. Never part of `make test`.

    .venv/bin/python bench/run.py [bench_rules bench_step ...]
"""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import JSON_MARK, Figure, machine, markdown, plain  # noqa: E402

BENCHES = [
    "bench_rules",
    "bench_submit",
    "bench_step",
    "bench_throughput",
    "bench_board",
    "bench_portfolio",
    "bench_api",
    "bench_pdf",
    "bench_burst",
    "bench_memory",
]


def run(name):
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / f"{name}.py"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith(JSON_MARK)), None)
    if out.returncode != 0 or line is None:
        sys.stderr.write(out.stdout[-2000:] + out.stderr[-4000:])
        raise SystemExit(f"{name} failed (exit {out.returncode})")
    payload = json.loads(line[len(JSON_MARK) :])
    figures = [Figure(**f) for f in payload["figures"]]
    return figures, payload["notes"], time.monotonic() - started


def history(results):
    """What RESULTS.md says after the last run's notes (sections written by hand: earlier
    runs, the busy day, decisions), kept under the new figures."""
    if not results.exists():
        return ""
    text = results.read_text()
    notes = text.find("\n## Notes\n")
    after = text.find("\n## ", notes + 1) if notes >= 0 else -1
    return text[after:] if after >= 0 else ""


def main():
    names = sys.argv[1:] or BENCHES
    load = os.getloadavg()
    figures, notes = [], []
    for name in names:
        print(f"== {name}", flush=True)
        got, said, seconds = run(name)
        print(plain(got), flush=True)
        figures += got
        notes += [f"{name}: {n}" for n in said] + [f"{name}: ran in {seconds:.0f} s"]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (
        f"Measured {now} on {machine()}; load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}."
    )
    print()
    print(head)
    print(plain(figures))
    missed = [f.name for f in figures if f.verdict == "MISS"]
    results = ROOT / "bench" / "RESULTS.md"
    results.write_text(
        "# Benchmark results\n\n"
        "Written by `make bench` (bench/run.py); budgets from ../shared/DESIGN.md and the "
        "issues. In-process figures are CPU time of the benchmark process (see "
        "bench/common.py); the others are wall time under load.\n\n"
        f"{head}\n\n{markdown(figures)}\n\n## Notes\n\n"
        + "\n".join(f"- {n}" for n in notes)
        + "\n"
        + history(results)
    )
    print(f"\nWrote bench/RESULTS.md; {len(missed)} missed: {missed}")


if __name__ == "__main__":
    main()
