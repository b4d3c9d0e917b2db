"""Errors to Sentry (sentry-sdk) when SENTRY_DSN is set; a self-hosted Sentry serves an
air-gapped site the same way. Without it, errors are mailed to ADMINS (Django's mail_admins).

What reaches Sentry is scrubbed first (`scrub_event`): no request body (answers, comments,
names), no cookies or sign-in headers, no query strings, no local variables, no e-mail address
anywhere in the text, and of the user only the id. What is left says what failed and where."""

import re

FILTERED = "[Filtered]"
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(\.[\w-]+)+")
# Keys whose values are personal or secret wherever they appear (extra data, contexts,
# breadcrumbs): an answer's comment, an address, a password, a link's token.
SECRET_KEYS = frozenset(
    {
        "answer",
        "answers",
        "comment",
        "comments",
        "email",
        "emails",
        "password",
        "token",
        "body",
        "cookies",
        "sessionid",
        "csrftoken",
        "authorization",
        "x-csrftoken",
        "cookie",
    }
)
KEPT_HEADERS = frozenset({"Host", "User-Agent", "Accept", "Accept-Language", "X-Request-Id"})


def _scrub(value):
    if isinstance(value, str):
        return EMAIL.sub(FILTERED, value)
    if isinstance(value, dict):
        return {
            k: FILTERED if str(k).lower() in SECRET_KEYS else _scrub(v) for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def _scrub_request(request):
    request = dict(request)
    for key in ("data", "cookies", "query_string", "env"):
        if request.get(key):
            request[key] = FILTERED
    headers = request.get("headers") or {}
    request["headers"] = {k: v for k, v in headers.items() if k.title() in KEPT_HEADERS}
    return request


def scrub_event(event, hint=None):
    """Sentry's before_send: the event without personal data (see the module's text)."""
    event = dict(event)
    if "request" in event:
        event["request"] = _scrub_request(event["request"])
    if "user" in event:
        event["user"] = {"id": event["user"]["id"]} if event["user"].get("id") else {}
    for frame_holder in (event.get("exception") or {}).get("values", []):
        for frame in (frame_holder.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    for key in ("exception", "logentry", "message", "extra", "contexts", "breadcrumbs", "tags"):
        if key in event:
            event[key] = _scrub(event[key])
    return event


def scrub_breadcrumb(crumb, hint=None):
    return _scrub(crumb)


def init(dsn, *, environment="", release="", traces_sample_rate=0.0, transport=None):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=traces_sample_rate,
        transport=transport,
    )
