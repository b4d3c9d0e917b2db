"""PostgreSQL restarted during use: gunicorn (2 workers, persistent connections with health
checks, CONN_MAX_AGE=600) on a throwaway cluster of our own while participants keep saving;
the cluster is stopped ("fast": sessions are cut, as in a restart or a failover), left down
for a moment, and started again. Shows: the errors during the outage are the clear 503
page, the app recovers by itself, and every acknowledged save is stored.

    .venv/bin/python -m faults.pg_restart [--down 2.0]"""

import time

from faults.common_cli import main
from faults.harness import Gunicorn, Savers, check, django_env, prepare, stored
from faults.pgcluster import Cluster, unavailable_reason


def run(workdir, participants=6, down=2.0, before=2.0, after=4.0, pause=0.05):
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(f"cannot start a PostgreSQL cluster of our own: {reason}")
    with Cluster() as cluster:
        env = django_env(cluster.url, CONN_MAX_AGE=600)
        fixture = prepare(env, participants)
        server = Gunicorn(env, workdir / "gunicorn.log", workers=2, threads=1)
        with server, Savers(server.port, fixture, pause=pause) as savers:
            time.sleep(before)
            stopping = time.monotonic()
            cluster.stop("fast")
            time.sleep(down)
            cluster.start()
            started = time.monotonic()
            time.sleep(after)
        result = check(savers.outcomes, stored(env)["answers"])
    failures = [o for o in savers.outcomes if o.status != 204]
    first_ok_after = min(
        (o.at for o in savers.outcomes if o.status == 204 and o.at > started), default=None
    )
    result.update(
        database_down_seconds=round(started - stopping, 2),
        errors_first_to_last_seconds=round(failures[-1].at - failures[0].at, 2) if failures else 0,
        recovered_seconds_after_start=round(first_ok_after - started, 2)
        if first_ok_after
        else None,
        failures_after_recovery=sum(
            1 for o in failures if first_ok_after and o.at > first_ok_after
        ),
        acknowledged_after_restart=sum(
            1 for o in savers.outcomes if o.status == 204 and o.at > started
        ),
    )
    return result


if __name__ == "__main__":
    main(run, __doc__, participants=6, down=2.0, before=2.0, after=4.0, pause=0.05)
