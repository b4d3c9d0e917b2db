"""`manage.py cleanup` (issue #19): what the database no longer needs goes, what a person still
needs stays."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assess.models import Assessment
from assess.tasks import report_pdf_render

LONG_AGO = timezone.now() - timedelta(days=30)


def cleanup(*args):
    out = StringIO()
    call_command("cleanup", *args, stdout=out)
    return out.getvalue()


def finished_task(run_tasks, finished_at):
    task = report_pdf_render.enqueue(0, "en")  # no such assessment: finishes at once
    assert run_tasks() == 1
    DBTaskResult.objects.filter(id=task.id).update(finished_at=finished_at)
    return str(task.id)


def test_old_finished_tasks_go_queued_recent_and_last_renders_stay(run_tasks, assessment):
    old = finished_task(run_tasks, LONG_AGO)
    recent = finished_task(run_tasks, timezone.now() - timedelta(days=1))
    last_render = finished_task(run_tasks, LONG_AGO)
    last_german = finished_task(run_tasks, LONG_AGO)
    Assessment.objects.filter(pk=assessment.pk).update(
        pdf_tasks={"en": last_render, "de": last_german}
    )
    queued = str(report_pdf_render.enqueue(0, "en").id)
    DBTaskResult.objects.filter(id=queued).update(enqueued_at=LONG_AGO)

    assert "Deleted 1 finished tasks" in cleanup()

    left = {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)}
    assert old not in left
    assert {recent, last_render, last_german, queued} <= left
    # A shorter window takes the recent one too, never the queued one or a last render.
    cleanup("--task-days", "0")
    left = {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)}
    assert left == {last_render, last_german, queued}


def test_expired_sessions_go_live_ones_stay(db):
    live, expired = SessionStore(), SessionStore()
    live["x"] = expired["x"] = 1
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert "1 expired sessions" in cleanup()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert SessionStore(live.session_key)["x"] == 1


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cleanup_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    caches["default"].clear()


def test_expired_database_cache_rows_go_live_ones_stay(database_cache):
    database_cache.set("kept", 1, 600)
    database_cache.set("gone", 2, 600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cleanup_cache SET expires = %s WHERE cache_key = %s",
            [
                connection.ops.adapt_datetimefield_value(LONG_AGO),
                database_cache.make_key("gone"),
            ],
        )
    assert "1 expired cache rows" in cleanup()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cleanup_cache")
        assert [row[0] for row in cursor.fetchall()] == [database_cache.make_key("kept")]
    assert database_cache.get("kept") == 1


def test_the_sign_in_log_is_kept_for_its_days(db):
    for days in (100, 10):
        entry = AccessLog.objects.create(username="a@example.com", ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(
            attempt_time=timezone.now() - timedelta(days=days)
        )
    assert "1 sign-in log entries" in cleanup()
    assert AccessLog.objects.count() == 1
    cleanup("--log-days", "5")
    assert AccessLog.objects.count() == 0


def test_a_negative_window_is_refused(db):
    with pytest.raises(CommandError, match="0 or more"):
        cleanup("--task-days", "-1")
