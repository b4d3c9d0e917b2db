"""Faults (issue #9): the app on gunicorn, over HTTP, while things break. Each test runs a
script from faults/ (which prints the same numbers when run by hand) and checks that every
save the app acknowledged is stored and every failed save got a clear answer.

They run their own databases (SQLite files, and for the restart a throwaway PostgreSQL
cluster on a free port of 127.0.0.1), whatever DATABASE_URL the suite runs with."""

import os

import pytest

from faults import disk_full, kill_worker, pg_restart, sqlite_concurrent, worker_stopped
from faults.harness import check
from faults.pgcluster import unavailable_reason

pytestmark = pytest.mark.faults


def show(name, result):
    print(f"\n{name}: " + ", ".join(f"{k}={v}" for k, v in result.items() if v != []))


def test_the_check_notices_a_lost_save():
    from faults.harness import Outcome

    acked = Outcome("t", "1", 3, 204, "", 0.0)
    assert check([acked], {"t": {"1": ["s3", "s3"]}})["lost"] == 0
    assert check([acked], {"t": {"1": ["s4 xx"]}})["lost"] == 0  # overwritten by a later save
    assert check([acked], {"t": {"1": ["s2"]}})["lost"] == 1
    assert check([acked], {})["lost"] == 1


def test_sqlite_concurrent_workshop_saves_are_never_locked_or_lost(tmp_path):
    result = sqlite_concurrent.run(tmp_path, participants=12, seconds=4)
    show("sqlite concurrent", result)
    assert result["acknowledged"] > 50
    assert result["failed"] == 0 and result["locked_leaked"] == 0
    assert result["lost"] == 0


def test_a_worker_killed_mid_request_loses_no_acknowledged_save(tmp_path):
    result = kill_worker.run(tmp_path, participants=8, kills=4, interval=0.8)
    show("kill worker", result)
    assert result["lost"] == 0
    # A killed request gets no answer at all (never a success); nothing else fails.
    assert result["failed_other"] == 0 and result["failed_clear_503"] == 0
    assert result["workers_after"] == 2 and result["acknowledged_after_last_kill"] > 0


def test_a_full_disk_fails_saves_clearly_and_loses_none(tmp_path):
    result = disk_full.run(tmp_path, participants=6, spare_pages=40, seconds=3)
    show("disk full", result)
    assert result["lost"] == 0
    assert result["failed"] > 0 and result["failed"] == result["failed_clear_503"]
    assert result["disk_full_in_log"] > 0  # and each was logged
    assert result["after_freeing_acknowledged"] > 0 and result["after_freeing_failed"] == 0
    assert result["after_freeing_lost"] == 0


def test_postgresql_restarted_during_use_recovers_by_itself_and_loses_nothing(tmp_path):
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL restart: {reason}")
        pytest.skip(f"cannot start a PostgreSQL cluster of our own: {reason}")
    result = pg_restart.run(tmp_path, participants=6, down=2.0, before=2.0, after=4.0)
    show("postgresql restart", result)
    assert result["lost"] == 0
    # Errors only while the database is away, each the clear 503 page.
    assert result["failed"] == result["failed_clear_503"]
    assert result["errors_first_to_last_seconds"] < result["database_down_seconds"] + 5
    assert result["recovered_seconds_after_start"] is not None
    assert result["recovered_seconds_after_start"] < 10
    assert result["acknowledged_after_restart"] > 20


def test_health_answers_500_within_its_limit_when_the_task_worker_is_stopped(tmp_path):
    result = worker_stopped.run(tmp_path, limit=3)
    show("worker stopped", result)
    assert {"DatabaseHeartBeatCheck", "Worker"} <= set(result["checks"])
    assert result["status_with_worker"] == 200 and result["worker_with_worker"] == "working"
    # Not before a task has waited the limit, and soon after (polled every 0.2 s).
    assert 3 <= result["seconds_to_500_after_queueing"] < 3 + 3
    assert "is a task worker running?" in result["worker_without_worker"]
    assert result["database_without_worker"] == "working"
    assert result["app_subset_without_worker"] == 200  # what a load balancer polls
    assert result["seconds_to_200_after_restart"] is not None
