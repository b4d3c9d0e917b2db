"""The JSON API: listing 100 assessments (p95 <= 50 ms) and one frozen result (p95 <= 30 ms),
whole requests through Django's test client (DESIGN.md, issue #32). Not run by `make test`.

    .venv/bin/python bench/bench_api.py [--json]

Builds an organisation with 100 submitted results (copies of a real snapshot) in a throwaway
SQLite database (or DATABASE_URL if set to PostgreSQL); the baseline is the cheapest call of
the API, the organisation itself, through the same token check."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'api.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")
os.environ["API_RATE_LIMIT"] = "1000000"  # the benchmark is one token calling many times

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bench_portfolio import submitted_assessment  # noqa: E402
from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402

LIST_BUDGET_MS, ONE_BUDGET_MS = 50.0, 30.0
ASSESSMENTS = 100
RUNS = 60


def build():
    from django.contrib.auth import get_user_model

    from assess.api.tokens import api_token_create
    from assess.banks.store import load_defaults
    from assess.models import Assessment
    from assess.services import organization_create

    call_command("migrate", verbosity=0)
    load_defaults()
    user = get_user_model().objects.create_user("o@example.org", "o@example.org", "x")
    org = organization_create(
        user=user, name="Acme", sector="energy", size_band="large", countries=["GB"]
    )
    first = submitted_assessment(org, user)
    Assessment.objects.bulk_create(
        Assessment(
            organization=org,
            bank=first.bank,
            status="submitted",
            submitted_at=timezone.now(),
            result=first.result,
        )
        for _ in range(ASSESSMENTS - 1)
    )
    _token, secret = api_token_create(
        organization=org, user=user, name="bench", scope="read", days=30
    )
    return org, first, secret


def main():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    org, one, secret = build()
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    list_url = f"/api/v1/orgs/{org.code}/assessments?limit=100"
    one_url = f"/api/v1/assessments/{one.code}"
    base_url = f"/api/v1/orgs/{org.code}"
    assert len(client.get(list_url).json()["items"]) == ASSESSMENTS
    assert client.get(one_url).json()["result"]["outcome"]
    counts = {}
    for name, url in (("list", list_url), ("one", one_url)):
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *a, q=queries: q.append(sql) or run(sql, *a)
        ):
            client.get(url)
        counts[name] = len(queries)
    listing, base = timed_pair(
        lambda: client.get(list_url), lambda: client.get(base_url), runs=RUNS, warm=5
    )
    result, _none = timed_pair(lambda: client.get(one_url), lambda: None, runs=RUNS, warm=5)
    (list_p50, list_p95), (one_p50, one_p95) = median_p95(listing), median_p95(result)
    base_p50 = median_p95(base)[0]
    emit(
        [
            Figure(
                f"API: list {ASSESSMENTS} assessments, p95 (whole request)",
                list_p95,
                "ms",
                budget=LIST_BUDGET_MS,
                baseline=base_p50,
                baseline_name="GET the organisation, p50",
            ),
            Figure(
                "API: one frozen result, p95 (whole request)",
                one_p95,
                "ms",
                budget=ONE_BUDGET_MS,
                baseline=base_p50,
                baseline_name="GET the organisation, p50",
            ),
        ],
        [
            f"list p50 {list_p50:.1f} ms with {counts['list']} queries, one result p50 "
            f"{one_p50:.1f} ms with {counts['one']} queries ({connection.vendor}; pinned by "
            "tests/test_api.py)",
        ],
    )


if __name__ == "__main__":
    main()
