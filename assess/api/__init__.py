"""The JSON API for GRC tools and scripts, on django-ninja (README, "API"): /api/v1/...,
its OpenAPI document at /api/openapi.json and its docs page at /api/docs.

- errors: RFC 9457 problem details, one stable type per kind of error;
- auth: the bearer token, its organisation, two-factor policy and rate limit;
- schemas: what goes in and out (the OpenAPI document is made from them);
- endpoints: the paths; results read from the frozen snapshot, writes through services;
- webhooks: signed calls on submit and when a PDF is ready, through the task queue;
- urls: the NinjaAPI, its docs page and its URL patterns.

This module imports nothing, so the task worker can import webhooks without loading ninja."""
