"""PDFs are made by the task worker, never by a web request: submit queues the render, the
pages say it is being prepared and offer it when ready, and a failure can be retried."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django_tasks_db.models import DBTaskResult

from assess import tasks
from assess.models import Assessment, ReportPDF
from assess.report import storage
from tests.test_report import submitted


def urls(a):
    return (
        f"/a/{a.code}/report.pdf",
        f"/a/{a.code}/report/status/",
        f"/a/{a.code}/report/retry/",
    )


def test_submitting_queues_one_render_and_no_web_request_renders(
    owner_client, assessment, owner, renders
):
    a = submitted(assessment, owner)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "assess.tasks.report_pdf_render"
    assert queued.args_kwargs == {"args": [a.pk, "en"], "kwargs": {}}
    assert Assessment.objects.get(pk=a.pk).pdf_tasks == {"en": str(queued.id)}
    pdf, status, _retry = urls(a)
    for _ in range(50):  # a burst of downloads after a workshop
        assert owner_client.get(pdf).status_code == 202
    assert owner_client.get(status).json() == {
        "state": "preparing",
        "size": 0,
        "size_label": "",
        "slow": False,
    }
    assert owner_client.get(f"/a/{a.code}/result/").status_code == 200
    assert renders == []
    assert DBTaskResult.objects.count() == 1  # asking again queued nothing more


def test_the_pages_say_it_is_being_prepared_then_offer_it(
    owner_client, assessment, owner, run_tasks
):
    a = submitted(assessment, owner)
    pdf, status, _retry = urls(a)
    result = owner_client.get(f"/a/{a.code}/result/").text
    assert 'data-state="preparing"' in result
    assert "The PDF report is being prepared" in result
    assert '<p class="mb-0" data-when="ready" hidden>' in result
    assert "/static/js/report_status.js" in result
    pending = owner_client.get(pdf)
    assert pending.status_code == 202 and "no-store" in pending["Cache-Control"]
    assert f'href="{pdf}">Check again</a>' in pending.text
    assert run_tasks() == 1
    size = ReportPDF.objects.get(assessment=a).size
    assert owner_client.get(status).json() == {
        "state": "ready",
        "size": size,
        "size_label": filesizeformat(size),
        "slow": False,
    }
    result = owner_client.get(f"/a/{a.code}/result/").text
    assert 'data-state="ready"' in result and '<p class="mb-0" data-when="ready">' in result
    assert f'<a class="btn btn-primary" href="{pdf}">Download the PDF report</a>' in result
    assert owner_client.get(pdf).content.startswith(b"%PDF-")


def test_a_failed_render_says_so_and_is_retried_only_when_asked(
    owner_client, assessment, owner, run_tasks, monkeypatch
):
    a = submitted(assessment, owner)
    pdf, status, retry = urls(a)

    def broken(assessment):
        raise RuntimeError("fonts are missing")

    monkeypatch.setattr(storage, "render_pdf", broken)
    assert run_tasks() == 1
    assert DBTaskResult.objects.get().status == "FAILED"
    page = owner_client.get(pdf)
    assert page.status_code == 202
    assert "The PDF report could not be prepared" in page.text
    assert f'action="{retry}"' in page.text
    assert owner_client.get(status).json()["state"] == "failed"
    assert DBTaskResult.objects.count() == 1  # looking did not queue it again
    monkeypatch.undo()
    response = owner_client.post(retry)
    assert response.status_code == 302 and response["Location"] == pdf
    assert DBTaskResult.objects.count() == 2
    assert run_tasks() == 1
    assert owner_client.get(pdf).content.startswith(b"%PDF-")


def test_retry_refuses_get_and_queues_nothing_when_one_is_pending(owner_client, assessment, owner):
    a = submitted(assessment, owner)
    _pdf, _status, retry = urls(a)
    assert owner_client.get(retry).status_code == 405
    owner_client.post(retry)
    assert DBTaskResult.objects.count() == 1


def test_a_render_waiting_too_long_says_the_worker_may_not_be_running(
    owner_client, assessment, owner
):
    a = submitted(assessment, owner)
    pdf, status, _retry = urls(a)
    DBTaskResult.objects.update(
        enqueued_at=DBTaskResult.objects.get().enqueued_at - timedelta(minutes=3)
    )
    assert owner_client.get(status).json()["slow"] is True
    page = owner_client.get(pdf).text
    assert "the report worker may not be running" in page
    assert '<div data-when="slow">' in page


def test_a_pruned_task_or_a_stale_file_queues_a_new_render(
    owner_client, assessment, owner, run_tasks
):
    a = submitted(assessment, owner)
    pdf, _status, _retry = urls(a)
    assert run_tasks() == 1
    DBTaskResult.objects.all().delete()  # prune_db_task_results
    ReportPDF.objects.update(source_hash="from-an-older-template")
    assert owner_client.get(pdf).status_code == 202
    assert DBTaskResult.objects.count() == 1
    assert run_tasks() == 1
    assert owner_client.get(pdf).status_code == 200


def test_the_task_does_nothing_for_a_deleted_assessment_or_a_current_file(
    assessment, owner, renders
):
    a = submitted(assessment, owner)
    assert tasks.report_pdf_render.call(a.pk, "en") > 0
    assert tasks.report_pdf_render.call(a.pk, "en") == ReportPDF.objects.get().size
    assert renders == [a.pk]  # the second call found the stored file current
    assert tasks.report_pdf_render.call(a.pk + 1000, "en") == 0


def test_outsiders_and_visitors_get_nothing(client, outsider, assessment, owner):
    a = submitted(assessment, owner)
    pdf, status, retry = urls(a)
    assert client.get(status).status_code == 302
    client.force_login(outsider)
    assert client.get(status).status_code == 404
    assert client.post(retry).status_code == 404
    assert client.get(pdf).status_code == 404
    assert DBTaskResult.objects.count() == 1


def test_a_draft_has_no_status(owner_client, assessment):
    assert owner_client.get(f"/a/{assessment.code}/report/status/").status_code == 404


# --- The worker process -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_run_worker_replaces_its_worker_process_every_n_tasks(tmp_path):
    """The real command, as `make run` starts it, on a database file of its own: five tasks
    with --max-tasks 2 are run by three processes. `--batch` makes it exit once the queue is
    empty, so the test waits for the process, never for a clock."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    enqueue = (
        "from tests.worker_tasks import which_process\nfor _ in range(5): which_process.enqueue()"
    )
    subprocess.run([*manage, "shell", "-v0", "-c", enqueue], env=env, check=True)
    worker = subprocess.run(
        [*manage, "run_worker", "--max-tasks=2", "--batch", "--interval=0.1", "-v0"], env=env
    )
    assert worker.returncode == 0
    with sqlite3.connect(tmp_path / "worker.sqlite3") as db:
        rows = db.execute(
            f"SELECT status, return_value FROM {DBTaskResult._meta.db_table}"  # noqa: S608
        ).fetchall()
    assert [status for status, _pid in rows] == ["SUCCESSFUL"] * 5
    pids = [json.loads(pid) for _status, pid in rows]
    assert len(set(pids)) == 3  # 2 + 2 + 1: a fresh process every two tasks


@pytest.mark.django_db(transaction=True)
def test_run_worker_stops_cleanly_on_sigterm(tmp_path):
    """SIGTERM, as systemd or `make run`'s Ctrl+C sends it, ends the worker with status 0.
    The signal is sent once the worker has said it is running (a line on its output), never
    after a pause."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    worker = subprocess.Popen(
        [*manage, "run_worker", "--interval=0.1", "-v1"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Task worker running" in worker.stdout.readline()
    finally:
        worker.send_signal(signal.SIGTERM)
    assert worker.wait() == 0


def contributes(assessment):
    """Let the assessment's organisation contribute to peer comparisons, and so see them."""
    type(assessment.organization).objects.filter(pk=assessment.organization_id).update(
        peer_consent=True
    )


def test_the_status_takes_a_fixed_number_of_queries(
    owner_client, assessment, owner, run_tasks, django_assert_num_queries
):
    contributes(assessment)  # the costlier case: its pages read peers
    a = submitted(assessment, owner)
    _pdf, status, _retry = urls(a)
    owner_client.get(status)
    # session, user, assessment, peers (no release yet), memberships held and controls (the
    # stored file's key), stored file, the queued task
    with django_assert_num_queries(8):
        assert owner_client.get(status).json()["state"] == "preparing"
    run_tasks()
    with django_assert_num_queries(7):  # the stored file is current: no task lookup
        assert owner_client.get(status).json()["state"] == "ready"


def _selects_the_result(queries):
    """Whether any query read the frozen result as a column (not only a key of it, which is
    json_extract(...) on SQLite and (... #>> ...) on PostgreSQL)."""
    column = re.compile(r'(SELECT |, )"assess_assessment"\."result"(, "| FROM)')
    return any(column.search(q["sql"]) for q in queries)


def test_the_download_and_its_status_never_load_the_frozen_result(
    owner_client, assessment, owner, run_tasks, django_assert_num_queries
):
    contributes(assessment)  # the costlier case: its pages read peers
    a = submitted(assessment, owner)
    pdf, status, _retry = urls(a)
    owner_client.get(status)
    with django_assert_num_queries(8) as pending:
        assert owner_client.get(status).json()["state"] == "preparing"
    with django_assert_num_queries(9) as asked:
        assert owner_client.get(pdf).status_code == 202
    run_tasks()
    with django_assert_num_queries(8) as served:
        response = owner_client.get(pdf)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # The file is named from the frozen organisation name, read as one key of the result.
    assert 'filename="acme-bank-alliance-readiness-' in response["Content-Disposition"]
    for captured in (pending, asked, served):
        assert not _selects_the_result(captured.captured_queries), captured.captured_queries


def test_the_stored_digest_follows_the_result_and_names_the_pdf(assessment, owner):
    from assess.models import result_digest

    a = submitted(assessment, owner)
    a.refresh_from_db()
    assert a.result_digest == result_digest(a.result) and len(a.result_digest) == 64
    before = storage.source_hash(a)
    # Any save that writes the result writes its digest, so the PDF's key moves with it.
    a.result["organization"]["name"] = "Renamed"
    a.save(update_fields=["result"])
    a.refresh_from_db()
    assert a.result_digest == result_digest(a.result)
    assert storage.source_hash(a) != before
    # A result loaded or not gives the same key.
    unloaded = Assessment.objects.without_result().get(pk=a.pk)
    assert storage.source_hash(unloaded) == storage.source_hash(a)
    assert unloaded.frozen_name == "Renamed"


def test_the_migration_fills_the_digest_of_results_stored_before(assessment, owner):
    import importlib

    from django.apps import apps

    from assess.models import result_digest

    a = submitted(assessment, owner)
    Assessment.objects.filter(pk=a.pk).update(result_digest="")
    importlib.import_module("assess.migrations.0018_result_digest").fill(apps, None)
    a.refresh_from_db()
    assert a.result_digest == result_digest(a.result)


def test_the_scores_read_in_sql_are_those_of_the_result_null_and_missing_ones_too(
    assessment, owner
):
    from assess.insights.result_scores import main_scores, main_scores_of

    a = submitted(assessment, owner)
    a.refresh_from_db()
    a.result["scores"]["capacity"]["score"] = None  # a dimension the bank did not score
    del a.result["scores"]["exposure"]  # a result frozen before the dimension existed
    a.result["scores"]["sharing_tolerance"]["score"] = 62.5
    a.save(update_fields=["result"])
    unloaded = Assessment.objects.without_result().get(pk=a.pk)
    expected = main_scores(Assessment.objects.get(pk=a.pk).result)
    assert expected["capacity"] is None and expected["exposure"] is None
    assert main_scores_of(unloaded) == expected
