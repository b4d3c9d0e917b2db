"""Peer comparisons over HTTP: consent, the threshold, withdrawal, and the latest result."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assess.insights.peer_releases import refresh
from assess.models import Assessment, LatestResult, Membership, Organization, PeerRelease
from tests.conftest import answer_everything, signed_in

DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")


def make_peer(
    bank,
    n,
    *,
    score=30,
    outcome="operational",
    sector="financial_services",
    size="large",
    consent=True,
    when=None,
):
    org = Organization.objects.create(
        name=f"PEER-ORG-{n}", sector=sector, size_band=size, peer_consent=consent
    )
    result = {"outcome": outcome, "scores": {d: {"score": score} for d in DIMS}}
    Assessment.objects.create(
        organization=org,
        bank=bank,
        status="submitted",
        submitted_at=when or timezone.now(),
        result=result,
    )
    return org


@pytest.fixture
def submitted(owner_client, assessment):
    answer_everything(owner_client, assessment, pick="high")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    assert not assessment.is_draft
    # Only an organisation that contributes sees peers (settings.PEER_RECIPROCITY).
    Organization.objects.filter(pk=assessment.organization_id).update(peer_consent=True)
    assessment.organization.peer_consent = True
    return assessment


def result_page(client, assessment):
    return client.get(f"/a/{assessment.code}/result/").text


def test_below_the_threshold_no_comparison_is_shown(owner_client, submitted, bank):
    for n in range(9):
        make_peer(bank, n)
    refresh()
    page = result_page(owner_client, submitted)
    assert "How you compare with your peers" in page
    assert "No comparison can be shown now" in page
    assert "higher than" not in page


def test_at_the_threshold_each_main_score_gets_a_sentence_a_chart_and_outcome_shares(
    owner_client, submitted, bank
):
    for n in range(10):
        make_peer(bank, n, score=10, outcome="operational" if n < 7 else "hygiene_first")
    refresh()
    page = result_page(owner_client, submitted)
    # The owner's "high" answers score above 20 on every main score; every peer scores 10.
    sector = "peers in your sector (Financial services)"
    assert f"Security capacity: higher than 10 of 10 {sector}; none is higher." in page
    assert "than 0 of 10" not in page
    assert "Appetite for public commitments: higher than 10 of 10" in page
    # Sector, size band and all are the same ten organisations: one comparison, said once.
    assert page.count('class="chart chart-peers"') == 1
    assert "The same organisations are also peers of your size" in page
    shares = page.split("Recommendations among " + sector)[1].split("</table>")[0]
    assert "<td>70%</td>" in shares and "<td>30%</td>" in shares
    assert "PEER-ORG" not in page  # never names a peer


def test_the_threshold_is_a_setting(owner_client, submitted, bank, settings):
    settings.PEER_MIN_GROUP = 5
    for n in range(5):
        make_peer(bank, n)
    refresh()
    assert "higher than" in result_page(owner_client, submitted)


def test_withdrawing_consent_removes_an_organisation_from_every_comparison_at_once(
    owner_client, submitted, bank, client, outsider
):
    peers = [make_peer(bank, n) for n in range(10)]
    refresh()
    assert "higher than" in result_page(owner_client, submitted)
    leaving = peers[0]
    Membership.objects.create(user=outsider, organization=leaving, role=Membership.Role.OWNER)
    response = signed_in(client, outsider).post(f"/orgs/{leaving.code}/peers/", {"consent": "no"})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.peer_consent is False
    owner = Membership.objects.get(organization=submitted.organization, role="owner").user
    page = result_page(signed_in(client, owner), submitted)
    assert "higher than" not in page and "No comparison can be shown now" in page
    report = client.get(f"/a/{submitted.code}/report/").text
    assert "higher than" not in report and "No comparison can be shown now" in report
    # The refresh its withdrawal queued cuts nothing: one organisation left, not k.
    assert refresh() == [] and PeerRelease.objects.count() == 3
    assert "higher than" not in result_page(client, submitted)


def test_the_printable_report_shows_the_comparison(owner_client, submitted, bank):
    for n in range(10):
        make_peer(bank, n, score=90)
    refresh()
    report = owner_client.get(f"/a/{submitted.code}/report/").text
    assert "How you compare with your peers" in report
    assert re.search(r"Security capacity: (higher|lower|in the same band)", report)


def test_a_stored_pdf_is_made_again_when_the_comparison_changes(submitted, bank):
    from assess.report import storage

    before = storage.source_hash(Assessment.objects.get(pk=submitted.pk))
    for n in range(10):
        make_peer(bank, n)
    refresh()
    after = storage.source_hash(Assessment.objects.get(pk=submitted.pk))
    assert before != after
    Organization.objects.filter(name="PEER-ORG-3").update(peer_consent=False)
    assert storage.source_hash(Assessment.objects.get(pk=submitted.pk)) == before


def test_organisations_without_consent_never_count(owner_client, submitted, bank):
    for n in range(20):
        make_peer(bank, n, consent=n < 9)
    refresh()
    assert "higher than" not in result_page(owner_client, submitted)


def test_each_organisation_counts_once_with_its_latest_result(owner_client, submitted, bank):
    now = timezone.now()
    peers = [make_peer(bank, n, score=10, when=now - timedelta(days=400)) for n in range(10)]
    for org in peers:  # a newer result for each, scoring higher than the owner's
        Assessment.objects.create(
            organization=org,
            bank=bank,
            status="submitted",
            submitted_at=now,
            result={"outcome": "both", "scores": {d: {"score": 100} for d in DIMS}},
        )
    # ...and an older one submitted late (imported) does not replace the newer.
    Assessment.objects.create(
        organization=peers[0],
        bank=bank,
        status="submitted",
        submitted_at=now - timedelta(days=800),
        result={"outcome": "hygiene_first", "scores": {d: {"score": 0} for d in DIMS}},
    )
    assert LatestResult.objects.filter(organization__in=peers).count() == 10
    assert set(
        LatestResult.objects.filter(organization__in=peers).values_list("capacity", flat=True)
    ) == {100}
    refresh()
    page = result_page(owner_client, submitted)
    assert re.search(r"Security capacity: [^.]*peers in your sector", page)


def test_only_an_owner_changes_consent(client, org, member, owner, outsider, other_org):
    response = signed_in(client, member).post(f"/orgs/{org.code}/peers/", {"consent": "yes"})
    assert response.status_code == 403
    response = signed_in(client, outsider).post(f"/orgs/{org.code}/peers/", {"consent": "yes"})
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.peer_consent is False
    assert signed_in(client, owner).get(f"/orgs/{org.code}/peers/").status_code == 405
    response = client.post(f"/orgs/{org.code}/peers/", {"consent": "yes"}, follow=True)
    org.refresh_from_db()
    assert org.peer_consent is True
    assert "now counts, anonymised, in peer comparisons" in response.text
    assert "Stop contributing" in response.text


def test_a_consent_form_without_a_choice_says_so_and_changes_nothing(owner_client, org):
    response = owner_client.post(f"/orgs/{org.code}/peers/", {"consent": "maybe"}, follow=True)
    assert "Choose whether to contribute to peer comparisons." in response.text
    org.refresh_from_db()
    assert org.peer_consent is False


def test_a_member_who_is_not_an_owner_sees_the_choice_but_no_button(client, org, member):
    page = signed_in(client, member).get(f"/orgs/{org.code}/").text
    assert "does not contribute" in page and "An owner of the organisation decides this." in page
    assert "/peers/" not in page


def test_the_pdf_shows_the_comparison_and_the_trend(submitted, bank):
    import io

    from pypdf import PdfReader

    from assess.report import storage
    from tests.peer_helpers import earlier_result

    for n in range(10):
        make_peer(bank, n, score=10)
    refresh()
    earlier_result(submitted)
    content = storage.render_pdf(Assessment.objects.get(pk=submitted.pk))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(
        "\n", " "
    )
    assert "How you compare with your peers" in text
    assert "Security capacity: higher than 10 of 10 peers in your sector" in text
    assert "Your scores over time" in text


def test_a_result_frozen_without_the_compared_scores_says_so(owner_client, submitted, bank):
    for n in range(10):
        make_peer(bank, n)
    refresh()
    result = submitted.result
    result["scores"]["commitment_tolerance"]["score"] = None  # a dimension not scored
    Assessment.objects.filter(pk=submitted.pk).update(result=result)
    page = owner_client.get(f"/a/{submitted.code}/report/").text
    assert "frozen before the scores peers are compared on existed" in page
    assert "higher than" not in page and "No comparison can be shown now" not in page


def test_a_contributors_submit_and_a_consent_change_queue_a_refresh_the_worker_runs(
    owner_client, assessment, bank, run_tasks
):
    """Nobody calls `refresh` by hand in production: the submit and the consent form queue it
    and the task worker cuts the releases."""
    from django_tasks_db.models import DBTaskResult

    refresh_task = "assess.tasks.peer_releases_refresh"
    for n in range(10):
        make_peer(bank, n)
    owner_client.post(f"/orgs/{assessment.organization.code}/peers/", {"consent": "yes"})
    assert DBTaskResult.objects.filter(task_path=refresh_task).count() == 1
    answer_everything(owner_client, assessment, pick="high")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assert DBTaskResult.objects.filter(task_path=refresh_task).count() == 2
    assert not PeerRelease.objects.exists()
    run_tasks()
    assert PeerRelease.objects.filter(current=True).count() == 3
    assert "higher than" in result_page(owner_client, assessment)


def test_a_submit_by_an_organisation_that_does_not_contribute_queues_no_refresh(
    owner_client, assessment
):
    from django_tasks_db.models import DBTaskResult

    answer_everything(owner_client, assessment, pick="high")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assert not DBTaskResult.objects.filter(task_path="assess.tasks.peer_releases_refresh").exists()
