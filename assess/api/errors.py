"""Errors as RFC 9457 problem details (`application/problem+json`), each kind with a stable
`type` a script can branch on. docs/api.md lists them."""

import logging

from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
TYPE_BASE = "https://alliance-readiness.example/problems/"  # names, never fetched

# type -> (status, title)
KINDS = {
    "unauthenticated": (401, "No valid API token"),
    "token-expired": (401, "The API token has expired"),
    "token-revoked": (401, "The API token was revoked"),
    "two-factor-required": (403, "The organisation requires two-factor authentication"),
    "read-only-token": (403, "The API token may only read"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "assessment-submitted": (409, "The assessment is submitted"),
    "assessment-draft": (409, "The assessment is not submitted yet"),
    "no-published-bank": (409, "No question bank is published"),
    "malformed-request": (400, "The request body is not valid JSON"),
    "invalid-request": (422, "The request does not have the expected shape"),
    "invalid-answers": (422, "Some answers do not fit the question bank"),
    "rate-limited": (429, "Too many requests"),
    "pdf-failed": (503, "The PDF could not be made"),
    "server-error": (500, "Something went wrong on our side"),
}


class Problem(Exception):
    """Raised anywhere in an endpoint: answered as problem details of this kind."""

    def __init__(self, kind, detail="", *, errors=None, headers=None):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(kind, detail="", *, errors=None, headers=None, instance=""):
    status, title = KINDS[kind]
    body = {"type": TYPE_BASE + kind, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=PROBLEM)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _path(loc):
    """A JSON Pointer to the offending part of the request: ("body", "payload", "answers",
    "CAP-01") -> "/answers/CAP-01"; query parameters keep their place ("query", "limit")."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 1 and parts[1] == "payload" else parts[1:]
        return "/" + "/".join(str(p) for p in parts)
    return "/".join(str(p) for p in parts)


def install(api):
    def on_problem(request, exc):
        return problem_response(
            exc.kind, exc.detail, errors=exc.errors, headers=exc.headers, instance=request.path
        )

    def on_validation(request, exc):
        errors = [
            {"path": _path(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors
        ]
        return problem_response("invalid-request", errors=errors, instance=request.path)

    def on_auth(request, exc):
        return problem_response(
            "unauthenticated",
            "Send the header Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
            instance=request.path,
        )

    def on_http(request, exc):
        if exc.status_code == 400:
            return problem_response("malformed-request", exc.message, instance=request.path)
        if exc.status_code == 405:
            return problem_response("method-not-allowed", instance=request.path)
        return problem_response("not-found", instance=request.path)

    def on_404(request, exc):
        return problem_response("not-found", instance=request.path)

    def on_anything_else(request, exc):
        logger.exception("API error on %s", request.path)
        return problem_response("server-error", instance=request.path)

    api.add_exception_handler(Exception, on_anything_else)
    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)


def not_found(request):
    """Any other path under /api/: a problem, not the site's HTML page."""
    return problem_response("not-found", instance=request.path)
