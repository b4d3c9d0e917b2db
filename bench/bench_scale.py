"""The busy day (issue #19) as benchmark figures: faults/scale.py with one app server, then
with two behind nginx on the same load, on PostgreSQL (SCALE_DATABASE_URL). About 8 minutes
per run; `make bench-scale` runs it (not part of `make bench`: it loads the machine for a
quarter of an hour).

    .venv/bin/python bench/bench_scale.py [--json] [--servers 1,2] [--steady 180]"""

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Figure, emit  # noqa: E402
from faults import scale  # noqa: E402


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    counts = [int(n) for n in option("--servers", "1,2").split(",")]
    steady = int(option("--steady", "180"))
    results = {}
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as workdir:
            results[count] = scale.run(Path(workdir), servers_count=count, steady=steady)
        print(
            json.dumps({k: v for k, v in results[count].items() if k != "by_request"}),
            file=sys.stderr,
        )
    one = results.get(counts[0])
    figures, notes = [], []
    for count, r in results.items():
        what = (
            f"{r['participants']} participants in {r['workshops']} workshops, "
            f"{count} server{'s' if count > 1 else ''} ({r['gunicorn']})"
        )
        base = one if count != counts[0] else None
        figures += [
            Figure(
                f"save p95, {what}",
                r["save"]["p95_ms"],
                "ms",
                budget=250.0,
                baseline=base and base["save"]["p95_ms"],
                baseline_name="one server",
            ),
            Figure(
                f"board refresh p95, {what}",
                r["board"]["p95_ms"],
                "ms",
                budget=150.0,
                baseline=base and base["board"]["p95_ms"],
                baseline_name="one server",
            ),
            Figure(f"acknowledged saves lost, {what}", r["acknowledged_lost"], "saves", budget=0.0),
            Figure(f"5xx answers, {what}", r["server_errors_5xx"], "answers", budget=0.0),
            Figure(
                f"last PDF ready after the last submit, {what}",
                r["last_pdf_after_last_submit_s"] or 999.0,
                "s",
                budget=60.0,
            ),
        ]
        notes.append(
            f"{count} server(s): {r['requests']} requests, {r['failures']} failures, "
            f"{r['saves_acknowledged']} saves acknowledged, {r['submitted']} submitted within "
            f"{r['submit_spread_s']} s, {r['pdfs_ready']} PDFs ready; save p50 "
            f"{r['save']['p50_ms']} ms, board p50 {r['board']['p50_ms']} ms, section page p95 "
            f"{r['section_page']['p95_ms']} ms; load average {r['load_average']}"
        )
        phases = ", ".join(
            f"{key} p50 {v['p50_ms']} / p95 {v['p95_ms']} ms ({v['count']})"
            for key, v in r["by_phase"].items()
        )
        notes.append(f"{count} server(s) by phase: {phases}; CPU {r['cpu']}")
    emit(figures, notes)


if __name__ == "__main__":
    main()
