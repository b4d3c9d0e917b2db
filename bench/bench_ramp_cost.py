"""What each request of the busy day costs in CPU (issue #34), so that what one core carries
can be worked out rather than guessed: the participant's join (the page and the form), the
first section page, a save, the facilitator's password sign-in and the board's live part
with 25 participants. Through Django's test client in one process, on the database in
DATABASE_URL (a temporary SQLite file if unset), with the production password hashers.
CPU time of this process (Python and the database driver; SQLite's work included, a
PostgreSQL server's not) and wall time, median of RUNS; queries of one request.

    .venv/bin/python bench/bench_ramp_cost.py [--json]

Then `ramp_cpu_s` adds up the first minute of the busy day (1,000 joins, their first
section page, 40 sign-ins) and `steady_cores` the steady phase (1,000 participants saving a
section every 40 s on average, 40 boards refreshed every 5 s): the share of one core each
needs before any waiting."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'ramp.sqlite3'}"
elif os.environ["DATABASE_URL"].startswith("postgres"):
    from faults.load import recreate

    recreate(os.environ["DATABASE_URL"])  # dropped and created again
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import Figure, emit, median_p95  # noqa: E402

RUNS = 30
PARTICIPANTS, WORKSHOPS, FACILITATORS = 1000, 40, 40
SAVE_EVERY_S, BOARD_EVERY_S = 40, 5


def timed(call):
    """(wall ms, CPU ms, queries) of one call."""
    queries = []

    def count(run, sql, *args):
        queries.append(sql)
        return run(sql, *args)

    with connection.execute_wrapper(count):
        w, c = time.perf_counter(), time.process_time()
        call()
        return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000, len(queries)


def main():
    from django.contrib.auth import get_user_model

    from assess.models import Participant
    from assess.selectors import bank_view
    from assess.services import organization_create, workshop_start
    from faults.fixtures import section_fields

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("load_defaults", verbosity=0)
    password = "a long enough password 1"  # noqa: S105 - a throwaway database's account
    user = get_user_model().objects.create_user("f@example.org", "f@example.org", password)
    org = organization_create(
        user=user, name="Ramp", sector="retail", size_band="large", countries=["FR"]
    )
    workshop = workshop_start(organization=org, user=user)
    view = bank_view(workshop.assessment.bank)
    join = f"/w/{workshop.join_token}/"
    fields = dict(section_fields(view, 1))
    samples = {name: [] for name in ("join page", "join", "first section", "save", "sign-in")}
    queries = {}
    for i in range(RUNS):
        person = Client()
        for name, call in (
            ("join page", lambda c=person: c.get(join)),
            ("join", lambda c=person, i=i: c.post(join, {"name": f"P{i}", "role": "other"})),
        ):
            wall, cpu, q = timed(call)
            samples[name].append((wall, cpu))
            queries[name] = q
        token = Participant.objects.order_by("-pk").values_list("token", flat=True).first()
        section = f"/p/{token}/s/1/"
        for name, call in (
            ("first section", lambda c=person, s=section: c.get(s)),
            (
                "save",
                lambda c=person, s=section: c.post(
                    s, fields, headers={"X-Save-Mode": "background"}
                ),
            ),
        ):
            wall, cpu, q = timed(call)
            samples[name].append((wall, cpu))
            queries[name] = q
        facilitator = Client()
        wall, cpu, q = timed(
            lambda c=facilitator: c.post(
                "/accounts/login/", {"username": "f@example.org", "password": password}
            )
        )
        samples["sign-in"].append((wall, cpu))
        queries["sign-in"] = q
    board = Client()
    board.force_login(user)
    board_url = f"/workshops/{workshop.assessment.code}/?fragment=1"
    samples["board live part"] = []
    for _ in range(RUNS):
        wall, cpu, q = timed(lambda: board.get(board_url))
        samples["board live part"].append((wall, cpu))
        queries["board live part"] = q

    cpu = {name: median_p95([c for _w, c in rows])[0] for name, rows in samples.items()}
    ramp_s = (
        PARTICIPANTS * (cpu["join page"] + cpu["join"] + cpu["first section"])
        + FACILITATORS * cpu["sign-in"]
    ) / 1000
    steady = (
        PARTICIPANTS / SAVE_EVERY_S * (cpu["save"] + cpu["first section"])
        + WORKSHOPS / BOARD_EVERY_S * cpu["board live part"]
    ) / 1000
    figures = [
        Figure(f"{name}: CPU p50 ({queries[name]} queries)", cpu[name], "ms") for name in samples
    ]
    figures += [
        Figure("the first minute's requests: CPU seconds", ramp_s, "s"),
        Figure("the steady phase: cores busy", steady, "cores"),
    ]
    emit(
        figures,
        [
            f"{connection.vendor}; {os.cpu_count()} cores; load average "
            f"{os.getloadavg()[0]:.2f}; median of {RUNS}",
            "wall p50: "
            + ", ".join(
                f"{name} {median_p95([w for w, _c in rows])[0]:.1f} ms"
                for name, rows in samples.items()
            ),
        ],
    )


if __name__ == "__main__":
    main()
