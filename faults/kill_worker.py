"""A gunicorn worker killed mid-request (SIGKILL, as the OOM killer or a crash would):
participants keep saving while workers are killed one after another. Requests in flight on
a killed worker get no answer (the page's script says the network failed and keeps the
answers); nothing acknowledged may be lost, and the app goes on with a new worker.

    .venv/bin/python -m faults.kill_worker [--kills 5 --interval 1.0]"""

import os
import random
import signal
import time

from faults.common_cli import main
from faults.harness import Gunicorn, Savers, check, django_env, prepare, stored


def run(workdir, participants=8, kills=5, interval=1.0, database_url=""):
    env = django_env(database_url or f"sqlite:///{workdir / 'db.sqlite3'}")
    fixture = prepare(env, participants)
    killed = []
    with Gunicorn(env, workdir / "gunicorn.log", workers=2, threads=2) as server:
        with Savers(server.port, fixture) as savers:
            time.sleep(1)
            for _ in range(kills):
                pid = random.choice(server.workers())
                os.kill(pid, signal.SIGKILL)
                killed.append((pid, time.monotonic()))
                time.sleep(interval)
            time.sleep(2)  # saves after the last kill show it goes on by itself
        workers_after = len(server.workers())
    result = check(savers.outcomes, stored(env)["answers"])
    last_kill = killed[-1][1]
    result.update(
        workers_killed=len(killed),
        workers_after=workers_after,
        acknowledged_after_last_kill=sum(
            1 for o in savers.outcomes if o.status == 204 and o.at > last_kill + 1
        ),
    )
    return result


if __name__ == "__main__":
    main(run, __doc__, participants=8, kills=5, interval=1.0, database_url="")
