"""A full disk: SQLite may not grow the database past a few pages more than it has after
set-up (PRAGMA max_page_count on every connection, faults/settings_full.py), so writes fail
with "database or disk is full" exactly as on a full disk. Participants save long comments
until the database is full. Every save the app acknowledged must be stored; every failed save
must get the clear 503 page, not a success. Then the limit is raised (space freed) and saves
succeed again without touching the app's data.

    .venv/bin/python -m faults.disk_full [--spare-pages 40]"""

import sqlite3
import time

from faults.common_cli import main
from faults.harness import Gunicorn, Savers, check, django_env, prepare, stored


def page_count(path):
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("PRAGMA page_count").fetchone()[0]


def run(workdir, participants=6, spare_pages=40, seconds=4.0, padding=3000):
    path = workdir / "db.sqlite3"
    env = django_env(f"sqlite:///{path}")
    fixture = prepare(env, participants)
    pages = page_count(path)
    full = dict(env, DJANGO_SETTINGS_MODULE="faults.settings_full")
    full["FAULTS_MAX_PAGES"] = str(pages + spare_pages)
    server = Gunicorn(full, workdir / "gunicorn.log", workers=2, threads=2)
    with server, Savers(server.port, fixture, padding=padding) as savers:
        time.sleep(seconds)
    result = check(savers.outcomes, stored(env)["answers"])
    result.update(
        pages_before=pages,
        max_pages=pages + spare_pages,
        disk_full_in_log=(workdir / "gunicorn.log").read_text().count("database or disk is full"),
    )
    # Space freed: the same app saves again.
    freed = dict(full, FAULTS_MAX_PAGES=str(pages + 100000))
    server = Gunicorn(freed, workdir / "gunicorn-freed.log", workers=2, threads=2)
    with server, Savers(server.port, fixture, padding=padding) as again:
        time.sleep(1.5)
    after = check(again.outcomes, stored(env)["answers"])
    result.update(
        after_freeing_acknowledged=after["acknowledged"],
        after_freeing_failed=after["failed"],
        after_freeing_lost=after["lost"],
    )
    return result


if __name__ == "__main__":
    main(run, __doc__, participants=6, spare_pages=40, seconds=4.0, padding=3000)
