"""What /health/ checks (django-health-check), beside its own database (SELECT 1), cache and
storage checks: that every migration is applied, and that the task worker is taking from
the queue.

Each is cheap enough to poll every 10 seconds: one query for the queue, none for the
migrations once a process has seen them all applied (new migrations come with new code, and
new code means a restart)."""

from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.backends import BaseHealthCheckBackend
from health_check.cache.backends import CacheBackend
from health_check.exceptions import ServiceUnavailable
from health_check.plugins import plugin_dir

_all_applied = set()  # database aliases seen with every migration applied, in this process


class Migrations(BaseHealthCheckBackend):
    """Fails while a migration of the running code is not applied to the database."""

    def check_status(self):
        if DEFAULT_DB_ALIAS in _all_applied:
            return
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as e:
            raise ServiceUnavailable("The database cannot be read.") from e
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations are not applied: run migrate.")
        _all_applied.add(DEFAULT_DB_ALIAS)


def oldest_wait(now=None):
    """How long the task that has waited longest to be taken from the queue has waited (a
    task deferred to later waits from then); None when nothing waits."""
    now = now or timezone.now()
    never = get_date_max()  # django-tasks-db's run_after of a task not deferred
    waiting = DBTaskResult.objects.filter(status="READY").aggregate(
        queued=Min("enqueued_at", filter=Q(run_after=never)),
        due=Min("run_after", filter=Q(run_after__lte=now)),
    )
    since = min((t for t in waiting.values() if t is not None), default=None)
    return None if since is None else max(now - since, timedelta(0))


class Worker(BaseHealthCheckBackend):
    """Fails when a queued task (a PDF, an e-mail) has waited longer than
    HEALTH_QUEUE_MAX_SECONDS: no task worker is taking from the queue, or too few are."""

    def check_status(self):
        try:
            waited = oldest_wait()
        except DatabaseError as e:
            raise ServiceUnavailable("The task queue cannot be read.") from e
        limit = settings.HEALTH_QUEUE_MAX_SECONDS
        if waited is not None and waited.total_seconds() > limit:
            raise ServiceUnavailable(
                f"A task has waited {int(waited.total_seconds())} s to be taken (the limit is "
                f"{limit} s): is a task worker running?"
            )


def register():
    # The default cache only: the other (django_structlog) is a table like any other.
    plugin_dir.register(CacheBackend, backend="default")
    plugin_dir.register(Migrations)
    plugin_dir.register(Worker)
