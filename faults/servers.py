"""Several app servers over one PostgreSQL database: each a gunicorn of its own on its own
port, sharing the database (answers, sessions, the sign-in and workshop-code counts, the
task queue, the stored PDFs) and the database cache, with nginx in front (faults/nginx.py).
For tests/test_two_servers.py and faults/scale.py."""

import contextlib
import os
import signal
from urllib.parse import urlparse

from faults.harness import Gunicorn, django_env, manage
from faults.load import recreate
from faults.nginx import Nginx

CACHE = {
    "CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "CACHE_LOCATION": "assess_cache",
}


def is_postgres(url):
    return urlparse(url or "").scheme.startswith("postgres")


def shared_env(url, **extra):
    """The environment every server gets: the same database, cache and SECRET_KEY."""
    return django_env(url, CONN_MAX_AGE=60, **CACHE, **extra)


def setup_database(url, env):
    recreate(url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "load_defaults")


@contextlib.contextmanager
def servers(env, workdir, count=2, workers=2, threads=4, proxy=True):
    """`count` gunicorn servers and, with `proxy`, nginx over them. Yields (servers, nginx)."""
    started = []
    with contextlib.ExitStack() as stack:
        for i in range(count):
            started.append(
                stack.enter_context(
                    Gunicorn(
                        env,
                        workdir / f"gunicorn-{i}.log",
                        workers=workers,
                        threads=threads,
                        keep_alive=75,
                    )
                )
            )
        nginx = stack.enter_context(Nginx(workdir, [s.port for s in started])) if proxy else None
        yield started, nginx


def kill_server(server):
    """A machine that dies: SIGKILL to the workers and the master, no chance to finish."""
    for pid in server.workers():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.proc.kill()
    server.proc.wait()
