"""The JSON API for GRC tools and scripts, on django-ninja (README, "API"): /api/v1/...,
its OpenAPI document at /api/openapi.json and its docs page at /api/docs.

- errors: RFC 9457 problem details, one stable type per kind of error;
- auth: the bearer token, its organisation, two-factor policy and rate limit;
- schemas: what goes in and out (the OpenAPI document is made from them);
- endpoints: the paths; results read from the frozen snapshot, writes through services;
- webhooks: signed calls on submit and when a PDF is ready, through the task queue."""

import functools
import json

from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from assess.api import errors
from assess.api.endpoints import router


class Docs(Swagger):
    """ninja's Swagger UI from its own package's static files (ninja is in INSTALLED_APPS, so
    nothing comes from a CDN), with every operation also listed by the server."""

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
