"""The whole database to one file and back (`manage.py backup`, `manage.py restore`; `make
backup`, `make restore`). Everything is in the database: answers, frozen results, stored PDF
reports, sessions, the task queue, the outgoing mail.

- PostgreSQL: pg_dump's custom format, restored with pg_restore --clean (the tools of the
  server's major version, on PATH).
- SQLite: SQLite's online backup API, which copies a consistent database while the app runs
  (WAL mode), and copies it back the same way over the live file."""

import os
import sqlite3
import subprocess  # pg_dump and pg_restore, with arguments, no shell  # nosec B404
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _vendor(alias):
    return connections[alias].vendor


def _pg_arguments(alias):
    """libpq's connection arguments and environment for the database `alias` uses."""
    s = connections[alias].settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]  # never on the command line, where ps shows it
    return args, env


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(path, alias="default"):
    """Writes the database to `path`; returns its size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _vendor(alias) == "postgresql":
        args, env = _pg_arguments(alias)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
    elif _vendor(alias) == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"No backup for a {_vendor(alias)} database.")
    return path.stat().st_size


def restore(path, alias="default"):
    """Replaces the database's content with the backup at `path`. Stop the app servers and
    the task workers first, and run `migrate` after if the code is newer than the backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Restore outside a transaction.")
    if _vendor(alias) == "postgresql":
        args, env = _pg_arguments(alias)
        connection.close()  # our own session would hold locks on what pg_restore drops
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
            + [*args, str(path)],
            env,
        )
    elif _vendor(alias) == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"No restore for a {_vendor(alias)} database.")
