"""Deletes what the database no longer needs: finished PDF tasks, expired sessions, expired
rows of the database cache, and old sign-in logs; purges the organisations whose deletion's
grace period is over, and applies the retention settings (assess/ownership/retention.py);
cuts the peer groups' new releases where enough has changed, and forgets old releases
(assess/insights/peer_releases.py).
Safe to run while the app serves; run it daily (README, "Several app servers"):

    15 3 * * *  cd /srv/assess && .venv/bin/python manage.py cleanup

Nothing a person still needs goes: a task still queued or running stays, and so does the
last render task of every assessment (its report page reads whether that render failed);
sign-in lockouts are the django-axes counts, which it expires itself."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assess.insights import peer_releases
from assess.models import Assessment
from assess.ownership import deletion, retention

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def finished_tasks(older_than):
    """Finished tasks older than `older_than`, except each assessment's last render in each
    language (`Assessment.pdf_tasks`, language -> task id)."""
    kept = {
        task_id
        for tasks in Assessment.objects.exclude(pdf_tasks={}).values_list("pdf_tasks", flat=True)
        for task_id in (tasks or {}).values()
        if task_id
    }
    old = DBTaskResult.objects.filter(status__in=FINISHED, finished_at__lt=older_than)
    return old.exclude(id__in=kept)


def expired_cache_rows(now):
    """Deletes the expired rows of every database cache; how many went."""
    deleted = 0
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        db = router.db_for_write(cache.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(cache._table)
        # The table name is the cache's own setting, quoted, as Django's cache culls it.
        sql = f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s"  # noqa: S608  # nosec B608
        with connection.cursor() as cursor:
            cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now)])
            deleted += cursor.rowcount
    return deleted


class Command(BaseCommand):
    help = (
        "Delete finished PDF tasks, expired sessions and cache rows, old sign-in logs; purge "
        "deleted organisations; apply the retention settings; refresh the peer releases."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--task-days",
            type=int,
            default=7,
            help="Keep finished tasks this many days (default: %(default)s).",
        )
        parser.add_argument(
            "--log-days",
            type=int,
            default=90,
            help="Keep the sign-in log (django-axes) this many days (default: %(default)s).",
        )

    def handle(self, *, task_days, log_days, **options):
        if task_days < 0 or log_days < 0:
            raise CommandError("--task-days and --log-days must be 0 or more.")
        now = timezone.now()
        purged = deletion.purge_due(now)
        kept = retention.apply(now)
        releases_cut = len(peer_releases.refresh(now))
        releases_forgotten = peer_releases.prune(now)
        tasks, _ = finished_tasks(now - timedelta(days=task_days)).delete()
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
        cache_rows = expired_cache_rows(now)
        logs = AxesDatabaseHandler().reset_logs(age_days=log_days)
        self.stdout.write(
            f"Deleted {tasks} finished tasks, {sessions} expired sessions, "
            f"{cache_rows} expired cache rows, {logs} sign-in log entries."
        )
        self.stdout.write(
            f"Purged {purged} deleted organisations, {kept.drafts_purged} unfinished "
            f"assessments, {kept.pdfs_expired} stored PDFs, {kept.exports_expired} exports; "
            f"anonymised {kept.workshops_anonymised} closed workshops; deleted "
            f"{kept.mails_deleted} sent or failed e-mails and {kept.log_contexts_deleted} "
            "orphaned task log contexts."
        )
        self.stdout.write(
            f"Cut {releases_cut} new peer releases; forgot {releases_forgotten} old ones."
        )
