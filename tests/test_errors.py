"""Errors to Sentry (assess.operations.errors), with no network: the scrubber on an event
that holds every kind of personal data, and a real failing request through sentry-sdk with a
transport that keeps what would have been sent."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from assess.operations import errors
from tests.error_urls import SECRET_DETAIL

ADDRESS = "carol.smith@client.example"
COMMENT = "Our board fears the regulator"


class Captured(Transport):
    """Keeps each envelope instead of sending it."""

    envelopes = []

    def capture_envelope(self, envelope):
        Captured.envelopes.append(envelope)


def an_event():
    return {
        "message": f"Invitation to {ADDRESS} failed",
        "request": {
            "url": "https://readiness.example.org/a/1234/s/2/",
            "method": "POST",
            "data": {"q_board": "refuse", "c_board": COMMENT},
            "query_string": f"email={ADDRESS}",
            "cookies": {"sessionid": "s3cr3t"},
            "headers": {
                "Cookie": "sessionid=s3cr3t",
                "Authorization": "Bearer abc",
                "User-Agent": "Firefox",
                "X-Request-Id": "req-1",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": "7", "email": ADDRESS, "username": ADDRESS, "ip_address": "203.0.113.9"},
        "exception": {
            "values": [
                {
                    "type": "SMTPRecipientsRefused",
                    "value": f"{{'{ADDRESS}': (550, b'unknown')}}",
                    "stacktrace": {
                        "frames": [
                            {"function": "mail_deliver", "vars": {"mail": f"<Mail {ADDRESS}>"}}
                        ]
                    },
                }
            ]
        },
        "extra": {"comment": COMMENT, "emails": [ADDRESS], "count": 3},
        "breadcrumbs": {"values": [{"message": f"sent to {ADDRESS}", "data": {"token": "t0k"}}]},
    }


def test_the_scrubber_removes_answers_comments_addresses_and_secrets():
    scrubbed = errors.scrub_event(an_event())
    text = json.dumps(scrubbed)
    for secret in (ADDRESS, COMMENT, "refuse", "s3cr3t", "Bearer", "203.0.113.9", "t0k"):
        assert secret not in text, secret
    # What failed and where is still there.
    assert scrubbed["exception"]["values"][0]["type"] == "SMTPRecipientsRefused"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["function"] == (
        "mail_deliver"
    )
    assert scrubbed["request"]["url"].endswith("/a/1234/s/2/")
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox", "X-Request-Id": "req-1"}
    assert scrubbed["user"] == {"id": "7"}
    assert scrubbed["extra"]["count"] == 3


@pytest.fixture
def sentry():
    Captured.envelopes = []
    errors.init("https://public@sentry.example.invalid/1", transport=Captured)
    yield Captured.envelopes
    sentry_sdk.init()  # no DSN: off again


def test_a_failing_request_reaches_sentry_scrubbed(client, owner, settings, sentry):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    client.force_login(owner)
    response = client.post(
        f"/test-only/boom/?email={ADDRESS}",
        {"c_board": COMMENT, "email": ADDRESS},
        HTTP_X_REQUEST_ID="req-99",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    events = [item.payload.json for env in sentry for item in env.items if item.type == "event"]
    # The exception, and the error lines logged about it (Sentry's logging integration).
    failed = [e for e in events if "exception" in e]
    assert len(failed) == 1 and failed[0]["exception"]["values"][-1]["type"] == "RuntimeError"
    assert SECRET_DETAIL in json.dumps(failed[0])  # what failed is there
    for event in events:
        text = json.dumps(event)
        for secret in (ADDRESS, COMMENT, "sessionid", owner.email):
            assert secret not in text, secret
        assert event.get("user", {}) in ({}, {"id": str(owner.pk)}, {"id": owner.pk})


def test_sentry_is_off_without_a_dsn(settings):
    assert not settings.SENTRY_DSN
    assert sentry_sdk.get_client().transport is None  # nothing is sent anywhere
