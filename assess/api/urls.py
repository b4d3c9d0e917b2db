"""The API's site: the NinjaAPI with its routers, docs page and URL patterns."""

import functools
import json

from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from assess.api import errors
from assess.api.endpoints import router


class Docs(Swagger):
    """ninja's Swagger UI from the files of the installed package (settings.STATICFILES_DIRS),
    never a CDN, with every operation also listed by the server for readers without scripts."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        document = api.get_openapi_schema(path_params=kwargs)
        operations = [
            (method.upper(), path, operation.get("summary", ""))
            for path, methods in document["paths"].items()
            for method, operation in methods.items()
        ]
        context = {
            "api": api,
            "swagger_settings": json.dumps(self.settings),
            "openapi_url": self.settings["url"],
            "operations": operations,
        }
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="Alliance readiness API",
    version="1",
    description="Read an organisation's assessments and frozen results, answer and submit.",
    urls_namespace="api",
    docs=Docs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/v1/", router)


def _as_problems(view):
    """ninja answers a method a path does not take, and its root page, outside its exception
    handlers; those answers are problem details too."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return errors.problem_response("not-found", instance=request.path)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            errors.PROBLEM
        ):
            problem = errors.problem_response("method-not-allowed", instance=request.path)
            problem["Allow"] = response["Allow"]
            return problem
        return response

    return wrapped


def urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _as_problems(pattern.callback)
    return patterns, app_name, namespace
