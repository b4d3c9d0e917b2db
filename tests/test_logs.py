"""Structured logs (assess.operations.logs): a request's id, from nginx's X-Request-ID or made
for it, on the app's log lines and on the task worker's lines for the PDF the request queued;
the user's and organisation's ids beside it; never an answer, a comment or a link's token."""

import io
import json
import logging

import pytest
import structlog

from assess.operations import logs
from tests.conftest import run_queued_tasks
from tests.test_report import answer_all

SECRET_COMMENT = "OUR-SECRET-COMMENT-ABOUT-THE-BOARD"


@pytest.fixture
def log_lines():
    """Every log line from here on as the console handler writes it (JSON), parsed."""
    structlog.contextvars.clear_contextvars()  # what an earlier test's worker left bound
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.getHandlerByName("console").formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    # These two do not propagate to the root logger.
    loggers = [logging.getLogger("django_structlog"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines() if line]

    yield lines
    root.removeHandler(handler)
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_request_id_goes_from_the_app_into_the_worker_with_the_pdf(
    owner_client, owner, assessment, log_lines, renders
):
    answer_all(assessment, comment=SECRET_COMMENT)
    response = owner_client.post(
        f"/a/{assessment.code}/submit/", HTTP_X_REQUEST_ID="req-from-nginx-42"
    )
    assert response.status_code == 302
    app = [line for line in log_lines() if line.get("request_id") == "req-from-nginx-42"]
    finished = next(line for line in app if line["event"] == "request_finished")
    assert finished["request"] == "POST /a/<uuid:code>/submit/"
    assert finished["user_id"] == owner.pk
    assert finished["organization_id"] == assessment.organization_id
    enqueued = next(line for line in app if line["event"] == "task_enqueued")
    assert enqueued["task_name"] == "assess.tasks.report_pdf_render"

    assert run_queued_tasks() == 1 and renders == [assessment.pk]
    worker = [
        line
        for line in log_lines()
        if line.get("task_id") == enqueued["task_id"] and line["event"] != "task_enqueued"
    ]
    assert {line["event"] for line in worker} >= {"task_started", "task_succeeded"}
    assert {line["request_id"] for line in worker} == {"req-from-nginx-42"}
    assert {line["organization_id"] for line in worker} == {assessment.organization_id}
    everything = json.dumps(log_lines())
    assert SECRET_COMMENT not in everything


def test_a_request_without_an_id_gets_one_of_its_own(client, db, log_lines):
    client.get("/accounts/login/")
    client.get("/accounts/login/")
    ids = {line["request_id"] for line in log_lines() if line["event"] == "request_finished"}
    assert len(ids) == 2 and all(len(i) >= 32 for i in ids)


def test_a_link_token_is_logged_as_its_route(client, db, log_lines):
    client.get("/invitations/a-secret-invitation-token/")
    finished = next(line for line in log_lines() if line["event"] == "request_finished")
    assert finished["request"] == "GET /invitations/<str:token>/"
    assert "a-secret-invitation-token" not in json.dumps(log_lines())


def test_the_app_s_own_log_lines_carry_the_request_id_too(owner_client, org, log_lines):
    owner_client.post(
        f"/orgs/{org.code}/members/",
        {"emails": "carol@client.example", "role": "member"},
        HTTP_X_REQUEST_ID="req-7",
    )
    run_queued_tasks()
    sent = next(line for line in log_lines() if "sent after 1 tries" in line["event"])
    assert sent["logger"] == "assess.operations.mail" and sent["request_id"] == "req-7"


def test_plain_lines_for_make_run_and_json_otherwise():
    plain = logs.logging_config(level="INFO", fmt="plain")["formatters"]["structured"]
    json_ = logs.logging_config(level="INFO", fmt="json")["formatters"]["structured"]
    record = logging.LogRecord("assess.x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    as_plain = plain["()"](
        processors=plain["processors"], foreign_pre_chain=plain["foreign_pre_chain"]
    ).format(record)
    as_json = json_["()"](
        processors=json_["processors"], foreign_pre_chain=json_["foreign_pre_chain"]
    ).format(record)
    assert "hello you" in as_plain and not as_plain.startswith("{")
    assert json.loads(as_json)["event"] == "hello you"


def test_djangos_own_error_lines_name_the_route_not_the_path(client, db, log_lines, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    client.get("/test-only/boom/?email=someone@client.example")
    errors = [line for line in log_lines() if line["level"] == "error"]
    assert {line["logger"] for line in errors} >= {"django.request"}
    assert all(line["request"] == "GET /test-only/boom/" for line in errors if "request" in line)
    assert "someone@client.example" not in json.dumps(log_lines())
