"""The whole URLconf as data, for the tests that walk it: every route with a path to try,
flattened from get_resolver() so that a new route shows up here before anyone lists it."""

import inspect
import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver


def all_routes():
    """(route, callback) for every pattern, includes flattened, in resolution order; a route
    listed twice (accounts/login/ is ours and auth's) keeps the one that answers."""
    seen = {}

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            else:
                seen.setdefault(prefix + str(p.pattern), p.callback)

    walk(get_resolver().url_patterns, "")
    return seen


def allowed_methods(view):
    """The HTTP methods a view accepts, from require_http_methods (and require_POST, ...) or a
    class-based view's handlers; None if it does not restrict them."""
    cls = getattr(view, "view_class", None)
    if cls is not None:
        instance = cls(**getattr(view, "view_initkwargs", {}))
        return set(instance._allowed_methods()) - {"OPTIONS"}
    f = view
    while f is not None:
        try:
            found = inspect.getclosurevars(getattr(f, "__func__", f)).nonlocals
        except TypeError:
            found = {}
        if "request_method_list" in found:
            return set(found["request_method_list"])
        f = getattr(f, "__wrapped__", None)
    return None


def admin_path(route, *, bank, user, organization):
    """A real path for an admin route: object ids of existing objects where there are some."""
    path = route
    path = path.replace("r/<path:content_type_id>/<path:object_id>/", "r/{ct}/{org}/").format(
        ct=ContentType.objects.get_for_model(organization).pk, org=organization.pk
    )
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", path)
    if match:
        model = apps.get_model(match[1], match[2])
        first = model._default_manager.order_by("pk").first()
        path = path.replace("<path:object_id>", str(first.pk if first else 999999))
    path = (
        path.replace("<int:pk>", str(bank.pk))
        .replace("<int:number>", "1")
        .replace("<id>", str(user.pk))
        .replace("(?P<url>.*)$", "assess/no-such-page/")
    )
    path = re.sub(r"\^\(\?P<app_label>[\w|]+\)/\$", "assess/", path)
    assert not re.search(r"[<(^$]", path), f"no sample value for a part of {route!r}"
    return "/" + path
