"""Structured logs (structlog, through django-structlog): one JSON object a line in production,
readable plain lines in `make run`, each with the request's id.

The id comes from nginx's X-Request-ID (or is made for a request without one). A task
queued by the request carries it into the task worker: django-structlog keeps the context
of each queued task in a cache, and `TaskContextCache` is that cache, a table written in the
same transaction as the task itself (so any worker on any machine reads it, and no cache
table needs creating). The user's and the organisation's ids are bound too; the answers,
the comments and the tokens in links never are (a request is logged by its route, and
Django's own error lines too).

This module is imported by settings.py: it imports nothing of the app at the top."""

import structlog
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.serializers.json import DjangoJSONEncoder


def logging_config(*, level, fmt):
    """The LOGGING setting: every log line (ours, Django's, the libraries') through
    structlog's formatter, JSON (`fmt="json"`) or plain lines (`fmt="plain"`)."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if fmt == "plain":
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    else:
        renderer = structlog.processors.JSONRenderer(cls=DjangoJSONEncoder)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    request_as_route,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": [*shared, structlog.stdlib.ExtraAdder()],
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"},
            # Errors mailed to ADMINS when there is no Sentry; straight through the delivery
            # mailer, not the task queue, which may be what failed.
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
                "using": "delivery",
            },
        },
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {
                "handlers": ["console", "mail_admins"],
                "level": "ERROR",
                "propagate": False,
            },
            # django-structlog's request_started/request_finished lines.
            "django_structlog": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


def configure_structlog():
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def bind_organization(organization_id):
    """Adds the organisation a request is about to its log lines (and its tasks')."""
    structlog.contextvars.bind_contextvars(organization_id=organization_id)


def _route(method, path):
    from django.urls import Resolver404, resolve

    try:
        return f"{method} /{resolve(path).route}"
    except Resolver404:
        return f"{method} (no route)"


def request_as_route(logger, method_name, event_dict):
    """A structlog processor: a request is logged as its route (`GET /invitations/<str:token>/`),
    never its path and query, which may hold a link's token, an address or a search. It covers
    django-structlog's lines ("POST /a/...?x=y") and Django's own (the request object)."""
    request = event_dict.get("request")
    if request is None:
        return event_dict
    if hasattr(request, "path_info"):
        event_dict["request"] = _route(request.method, request.path_info)
    elif isinstance(request, str) and " /" in request:
        verb, _space, path = request.partition(" ")
        event_dict["request"] = _route(verb, path.split("?", 1)[0])
    return event_dict


class TaskContextCache(BaseCache):
    """The cache django-structlog keeps a queued task's log context in (the `django_structlog`
    alias): a row of TaskLogContext per task, read once when the task starts."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        from assess.models import TaskLogContext

        row = TaskLogContext.objects.filter(task_id=str(key)).first()
        if row is None:
            return default
        row.delete()  # a task starts once; its context is not needed again
        return row.context

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        from assess.models import TaskLogContext

        if not value:  # queued outside a request (a command): nothing to carry
            return
        # One INSERT: each task's id is new, so there is nothing to update.
        TaskLogContext.objects.bulk_create(
            [TaskLogContext(task_id=str(key), context=_plain(value))], ignore_conflicts=True
        )

    def delete(self, key, version=None):
        from assess.models import TaskLogContext

        return TaskLogContext.objects.filter(task_id=str(key)).delete()[0] > 0

    def clear(self):
        from assess.models import TaskLogContext

        TaskLogContext.objects.all().delete()


def _plain(context):
    """The context as JSON can keep it (ids are numbers and strings already)."""
    plain = (str, int, float, bool, type(None))
    return {k: v if isinstance(v, plain) else str(v) for k, v in context.items()}
