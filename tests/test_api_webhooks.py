"""Webhooks: signed calls on submit and when a PDF is ready, made by the task worker and
retried when the receiver fails."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from assess.models import Webhook
from tests.api_helpers import ApiClient, answer_all, token_for


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what it is sent and answers `status`."""

    def __init__(self):
        self.calls, self.status = [], 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def _verify(secret, headers, body):
    parts = dict(p.split("=", 1) for p in headers["X-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(parts["v1"], expected.hexdigest())


def test_submitting_and_the_pdf_call_the_webhook_signed(
    org, owner, assessment, receiver, run_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        organization=org,
        url=receiver.url,
        secret="s3cret",
        events=["assessment.submitted", "report.pdf_ready"],
    )
    answer_all(assessment)
    api = ApiClient(token_for(org, owner, "write"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/assessments/{assessment.code}/submit")
    assert response.status_code == 200
    assert receiver.calls == []  # never in the request
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()  # the PDF render, and the submitted call
    run_tasks()  # the call the render queued
    events = {}
    for headers, body in receiver.calls:
        assert _verify("s3cret", headers, body)
        assert not _verify("other", headers, body)
        payload = json.loads(body)
        events[payload["event"]] = payload
    assert set(events) == {"assessment.submitted", "report.pdf_ready"}
    assert events["assessment.submitted"]["data"] == {"assessment": str(assessment.code)}
    assert events["report.pdf_ready"]["organization"] == str(org.code)


def test_a_failed_call_is_queued_again_later(
    org, owner, assessment, receiver, run_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        organization=org, url=receiver.url, secret="s", events=["assessment.submitted"]
    )
    receiver.status = 500
    answer_all(assessment)
    with django_capture_on_commit_callbacks(execute=True):
        ApiClient(token_for(org, owner, "write")).post(
            f"/api/v1/assessments/{assessment.code}/submit"
        )
    run_tasks()
    assert len(receiver.calls) == 1
    assert json.loads(receiver.calls[0][1])["attempt"] == 1
    queued = DBTaskResult.objects.filter(task_path__endswith="webhook_deliver")
    retries = [t for t in queued if t.args_kwargs["args"][2] == 2]
    assert len(retries) == 1 and retries[0].run_after > retries[0].enqueued_at


def test_a_webhook_not_asking_for_the_event_or_inactive_is_not_called(
    org, owner, assessment, receiver, run_tasks, django_capture_on_commit_callbacks
):
    Webhook.objects.create(
        organization=org, url=receiver.url, secret="s", events=["report.pdf_ready"]
    )
    Webhook.objects.create(
        organization=org,
        url=receiver.url,
        secret="s",
        events=["assessment.submitted", "report.pdf_ready"],
        active=False,
    )
    answer_all(assessment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ApiClient(token_for(org, owner, "write")).post(
            f"/api/v1/assessments/{assessment.code}/submit"
        )
    assert callbacks == []  # nothing asked for "submitted"
    assert receiver.calls == []
