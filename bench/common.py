"""What every benchmark shares: a figure with its budget and baseline, timing, and output.

A benchmark script builds a list of `Figure`s. Run alone it prints them as a table; with
`--json` it prints them as JSON for `bench/run.py` (`make bench`), which runs every script in
a process of its own and writes one table to bench/RESULTS.md."""

import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata

JSON_MARK = "BENCH-JSON "


@dataclass
class Figure:
    """One measured figure. `budget` is in the figure's unit, or, when `budget_ratio` is set,
    a ratio to the baseline: the least share to reach when higher is better (throughput),
    else the most to take (a latency under load against the same latency without it)."""

    name: str
    value: float
    unit: str
    budget: float | None = None
    baseline: float | None = None
    baseline_name: str = ""
    higher_is_better: bool = False
    budget_ratio: bool = False
    note: str = ""

    @property
    def ratio(self):
        return self.value / self.baseline if self.baseline else None

    @property
    def verdict(self):
        if self.budget is None:
            return "info"
        if self.budget_ratio and self.ratio is None:
            ok = False
        elif self.budget_ratio:
            ok = self.ratio >= self.budget if self.higher_is_better else self.ratio <= self.budget
        elif self.higher_is_better:
            ok = self.value >= self.budget
        else:
            ok = self.value <= self.budget
        return "PASS" if ok else "MISS"

    def budget_text(self):
        if self.budget is None:
            return "-"
        if self.budget_ratio and self.higher_is_better:
            return f">= {self.budget:.0%} of baseline"
        if self.budget_ratio:
            return f"<= {self.budget:.1f}x baseline"
        return f"{'>=' if self.higher_is_better else '<='} {number(self.budget)} {self.unit}"


def number(x):
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}"


def median_p95(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def timed_pair(a, b, runs, warm=20, clock=time.process_time):
    """Times two callables alternately, so that whatever else the machine does weighs on
    both alike; returns their times in ms. The clock is the process's CPU time: on an idle
    machine the same as wall time for this in-process work, and it does not count the time
    other processes hold the CPU."""
    for _ in range(warm):
        a()
        b()
    ta, tb = [], []
    for _ in range(runs):
        t0 = clock()
        a()
        t1 = clock()
        b()
        t2 = clock()
        ta.append((t1 - t0) * 1000)
        tb.append((t2 - t1) * 1000)
    return ta, tb


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if "model name" in line), "")
    except OSError:
        pass

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    return (
        f"{os.cpu_count()} cores ({cpu or platform.machine()}), "
        f"Python {platform.python_version()}, Django {version('django')}, "
        f"WeasyPrint {version('weasyprint')}, gunicorn {version('gunicorn')}, "
        f"django-tasks-db {version('django-tasks-db')}"
    )


def table(figures):
    head = ["figure", "value", "budget", "baseline", "ratio", "verdict"]
    rows = [
        [
            f.name,
            f"{number(f.value)} {f.unit}",
            f.budget_text(),
            f"{number(f.baseline)} {f.unit}" + (f" ({f.baseline_name})" if f.baseline_name else "")
            if f.baseline is not None
            else "-",
            f"{f.ratio:.2f}" if f.ratio is not None else "-",
            f.verdict,
        ]
        for f in figures
    ]
    return head, rows


def markdown(figures):
    head, rows = table(figures)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def plain(figures):
    head, rows = table(figures)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def emit(figures, notes=()):
    """Print the figures: as JSON for bench/run.py when --json was given, else as a table."""
    if "--json" in sys.argv:
        payload = {"figures": [asdict(f) for f in figures], "notes": list(notes)}
        print(JSON_MARK + json.dumps(payload))
        return
    print(f"# {machine()}")
    print(plain(figures))
    for note in notes:
        print(f"- {note}")


def answer_at_random(workshop, view, people, rng):
    """Every one of `people` answers every question of `view` with a random choice, one in
    twenty with a comment, in three bulk inserts (the board and scale benchmarks' workshops)."""
    from assess.models import Answer

    answers, picks = [], []
    for p in people:
        for q in view.questions:
            picks.append(rng.choice(q.choice_list).id)
            answers.append(
                Answer(
                    assessment=workshop.assessment,
                    question_id=q.id,
                    participant=p,
                    comment="Why" if rng.random() < 0.05 else "",
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)
    through = Answer.choices.through
    through.objects.bulk_create(
        [through(answer_id=a.id, choice_id=c) for a, c in zip(answers, picks, strict=True)],
        batch_size=5000,
    )
