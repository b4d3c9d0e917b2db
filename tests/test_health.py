"""/health/ (django-health-check with assess.operations.health): every check by name, the task
worker judged by how long the oldest queued task has waited, no one's data, a fixed number
of queries. The worker really stopped under gunicorn: tests/test_faults.py."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assess.operations import health
from assess.operations.mail import mail_deliver, mail_queue

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _migrations_seen_afresh():
    health._all_applied.clear()
    yield
    health._all_applied.clear()


def queued_task(waited, **later):
    """A queued task that has waited `waited` seconds (its enqueue moved back in time)."""
    task = mail_deliver.using(**later).enqueue(0) if later else mail_deliver.enqueue(0)
    DBTaskResult.objects.filter(pk=task.id).update(
        enqueued_at=timezone.now() - timedelta(seconds=waited)
    )
    return task


def test_it_answers_200_in_json_naming_the_database_and_the_worker(client, db):
    response = client.get("/health/", **JSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "DatabaseHeartBeatCheck": "working",
        "Cache backend: default": "working",
        "DefaultFileStorageHealthCheck": "working",
        "Migrations": "working",
        "Worker": "working",
    }


def test_a_task_waiting_longer_than_the_limit_makes_it_500(client, db, settings):
    settings.HEALTH_QUEUE_MAX_SECONDS = 120
    queued_task(100)
    assert client.get("/health/", **JSON).status_code == 200  # within the limit
    queued_task(130)
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    checks = json.loads(response.content)
    assert "is a task worker running?" in checks["Worker"]
    assert checks["DatabaseHeartBeatCheck"] == "working"


def test_a_task_deferred_to_later_waits_from_then(client, db, settings):
    """A mail's next try is queued for later: it waits from the time it is due."""
    settings.HEALTH_QUEUE_MAX_SECONDS = 120
    queued_task(3600, run_after=timezone.now() + timedelta(minutes=5))
    assert client.get("/health/", **JSON).status_code == 200
    queued_task(3600, run_after=timezone.now() - timedelta(seconds=200))
    assert client.get("/health/", **JSON).status_code == 500


def test_tasks_running_or_finished_do_not_count(client, db, settings):
    settings.HEALTH_QUEUE_MAX_SECONDS = 120
    for status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        task = queued_task(3600)
        DBTaskResult.objects.filter(pk=task.id).update(status=status)
    assert client.get("/health/", **JSON).status_code == 200


def test_the_app_subset_leaves_out_the_worker_for_load_balancers(client, db, settings):
    settings.HEALTH_QUEUE_MAX_SECONDS = 120
    queued_task(3600)
    response = client.get("/health/app/", **JSON)
    assert response.status_code == 200
    assert "Worker" not in json.loads(response.content)
    assert "DatabaseHeartBeatCheck" in json.loads(response.content)


def test_an_unapplied_migration_makes_it_500(client, db):
    with mock.patch.object(
        health.MigrationExecutor, "migration_plan", return_value=[("assess", False)]
    ):
        response = client.get("/health/", **JSON)
    assert response.status_code == 500
    assert "1 migrations are not applied" in json.loads(response.content)["Migrations"]


def test_it_shows_no_data_and_starts_no_session(client, db, owner):
    mail_queue(to=[owner.email], subject="Secret subject", body="Secret body")
    for response in (client.get("/health/", **JSON), client.get("/health/")):
        assert owner.email.encode() not in response.content
        assert b"Secret" not in response.content
        assert "sessionid" not in response.cookies
        assert "no-cache" in response["Cache-Control"]


def test_it_takes_two_queries_once_the_migrations_are_seen_applied(
    client, db, django_assert_num_queries
):
    client.get("/health/", **JSON)
    with django_assert_num_queries(2):  # SELECT 1; the oldest queued task
        assert client.get("/health/", **JSON).status_code == 200
