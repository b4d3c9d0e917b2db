"""The consultant's portfolio with 200 clients and the result page's peer comparison over
10,000 stored results: budget 150 ms each (issue #21); and what cutting the peer releases
over those 10,000 costs the task worker, first and when nothing changed (issue #30, no
budget: it runs off the request). Not run by `make test`.

    .venv/bin/python bench/bench_portfolio.py [--json]

Builds the data in a throwaway SQLite database (or DATABASE_URL if set to PostgreSQL), then
times whole requests through Django's test client, each against the same page with few
clients or no contributing peers.
"""

import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'portfolio.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import Figure, emit, median_p95, timed_pair  # noqa: E402

BUDGET_MS = 150.0
CLIENTS = 200
SMALL = 12
PEERS = 10_000
RUNS = 30
DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")
SECTORS = ("financial_services", "energy", "healthcare", "retail", "manufacturing")
SIZES = ("small", "medium", "large")


def submitted_assessment(org, user):
    """A real assessment of the default bank, every question answered, submitted."""
    from assess.selectors import bank_view
    from assess.services import answers_save, assessment_start, assessment_submit

    assessment = assessment_start(organization=org, user=user)
    view = bank_view(assessment.bank)
    values = {}
    for q in view.questions:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        values[q.code] = ((known[-1].code,), "")
    answers_save(assessment=assessment, values=values)
    assessment_submit(assessment=assessment, user=user)
    assessment.refresh_from_db()
    return assessment


def timed_once(func):
    """Milliseconds of wall time of one call."""
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def build():
    from django.contrib.auth import get_user_model

    from assess.banks.store import load_defaults
    from assess.models import Assessment, LatestResult, Membership, Organization
    from assess.services import organization_create, workshop_start

    call_command("migrate", verbosity=0)
    load_defaults()
    users = get_user_model().objects
    consultant = users.create_user("c@example.org", "c@example.org", "x")
    few = users.create_user("f@example.org", "f@example.org", "x")
    rng = random.Random(21)
    now = timezone.now()
    template = submitted_assessment(
        organization_create(
            user=consultant, name="Client 0", sector="energy", size_band="large", countries=["GB"]
        ),
        consultant,
    )
    # A contributor: only contributors see peers (settings.PEER_RECIPROCITY).
    Organization.objects.filter(pk=template.organization_id).update(peer_consent=True)
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Client {i}",
            sector=rng.choice(SECTORS),
            size_band=rng.choice(SIZES),
            headquarters=rng.choice(["GB", "DE", "FR", "US"]),
            countries=["GB", "DE"],
            peer_consent=True,
        )
        for i in range(1, PEERS)
    )
    Membership.objects.bulk_create(
        [
            Membership(user=consultant, organization=o, role="consultant")
            for o in orgs[: CLIENTS - 1]
        ]
        + [Membership(user=few, organization=o, role="consultant") for o in orgs[:SMALL]]
    )
    # Every organisation has a submitted result (the full snapshot of a real one, as stored).
    assessments = Assessment.objects.bulk_create(
        Assessment(
            organization=o,
            bank=template.bank,
            status="submitted",
            submitted_at=now - timedelta(days=rng.randrange(800)),
            result=template.result,
        )
        for o in orgs
    )
    LatestResult.objects.bulk_create(
        LatestResult(
            organization=a.organization,
            assessment=a,
            submitted_at=a.submitted_at,
            outcome=rng.choice(("operational", "normative", "both", "hygiene_first")),
            confidence=80.0,
            **{d: rng.randrange(101) for d in DIMS},
        )
        for a in assessments
    )
    for o in orgs[:40]:  # open workshops among the clients
        workshop_start(organization=o, user=consultant)
    return consultant, few, template, orgs


def main():
    # As in Django's own tests: keep one connection across requests, so queries are counted
    # on it (CONN_MAX_AGE=0 would close it after every request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from assess.insights import peer_releases
    from assess.models import Organization

    consultant, few, viewer, _orgs = build()
    first_cut = timed_once(peer_releases.refresh)
    unchanged = [timed_once(peer_releases.refresh) for _ in range(5)]
    big, small = Client(), Client()
    big.force_login(consultant)
    small.force_login(few)
    page = big.get("/portfolio/")
    assert page.status_code == 200 and page.content.count(b"<tr>") == CLIENTS + 1
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        big.get("/portfolio/")
    folio, folio_small = timed_pair(
        lambda: big.get("/portfolio/"), lambda: small.get("/portfolio/"), runs=RUNS, warm=2
    )

    result_url = f"/a/{viewer.code}/result/"
    assert b"higher than" in big.get(result_url).content
    with_peers, _same = timed_pair(lambda: big.get(result_url), lambda: None, runs=RUNS, warm=2)
    Organization.objects.update(peer_consent=False)
    assert b"higher than" not in big.get(result_url).content
    no_peers, _same = timed_pair(lambda: big.get(result_url), lambda: None, runs=RUNS, warm=2)
    (folio_p50, folio_p95), (peers_p50, peers_p95) = median_p95(folio), median_p95(with_peers)
    emit(
        [
            Figure(
                f"portfolio page, {CLIENTS} clients (whole request)",
                folio_p50,
                "ms",
                budget=BUDGET_MS,
                baseline=median_p95(folio_small)[0],
                baseline_name=f"same with {SMALL} clients",
            ),
            Figure(
                f"result page with peers compared over {PEERS:,} stored results (whole request)",
                peers_p50,
                "ms",
                budget=BUDGET_MS,
                baseline=median_p95(no_peers)[0],
                baseline_name="the same page with no contributing organisation",
            ),
        ],
        [
            f"portfolio p95 {folio_p95:.0f} ms, {len(queries)} queries whatever the number of "
            f"clients ({connection.vendor}; pinned by tests/test_portfolio.py for 3 and 30)",
            f"result page with peers p95 {peers_p95:.0f} ms",
            f"peer releases over {PEERS:,} contributions: first cut {first_cut:.0f} ms, "
            f"a refresh with nothing to cut {sorted(unchanged)[2]:.0f} ms (median of 5)",
        ],
    )


if __name__ == "__main__":
    main()
