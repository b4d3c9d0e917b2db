"""SQLite under concurrent workshop saves: gunicorn with several workers and threads on one
SQLite file, every participant saving at once. Nobody may see "database is locked", and
every acknowledged save must be stored.

    .venv/bin/python -m faults.sqlite_concurrent [--participants 12 --seconds 8]"""

import time

from faults.common_cli import main
from faults.harness import Gunicorn, Savers, check, django_env, prepare, stored


def run(workdir, participants=12, seconds=8.0, workers=2, threads=4):
    env = django_env(f"sqlite:///{workdir / 'db.sqlite3'}")
    fixture = prepare(env, participants)
    server = Gunicorn(env, workdir / "gunicorn.log", workers=workers, threads=threads)
    with server, Savers(server.port, fixture) as savers:
        time.sleep(seconds)
    result = check(savers.outcomes, stored(env)["answers"])
    elapsed = max(o.at for o in savers.outcomes) - savers.started
    result.update(
        participants=participants,
        workers=workers,
        threads=threads,
        seconds=round(elapsed, 1),
        saves_per_second=round(len(savers.outcomes) / elapsed, 1),
    )
    return result


if __name__ == "__main__":
    main(run, __doc__, participants=12, seconds=8.0, workers=2, threads=4)
