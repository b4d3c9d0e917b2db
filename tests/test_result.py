from assess.insights import shown
from assess.models import Assessment, QuestionBank
from assess.services import assessment_submit
from tests.conftest import answer_everything
from tests.peer_helpers import contributing_peers
from tests.snapshot_helpers import upgrade_stored_results


def submit_with(client, assessment, owner, pick):
    answer_everything(client, assessment, pick=pick)
    client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    return assessment


def test_the_result_page_shows_recommendation_scores_reasons_and_alliances(
    owner_client, assessment, owner
):
    submit_with(owner_client, assessment, owner, "high")
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    result = assessment.result
    assert result["headline"] in page.replace("&#x27;", "'")
    for heading in (
        "Scores",
        "Why",
        "Alliances that match",
        "Your first 90 days",
        "What would change this",
    ):
        assert heading in page
    assert page.count("<svg") == 2 and 'role="img"' in page
    first_reason = result["reasons"][0]
    assert first_reason["drivers"][0]["question"] in page
    assert result["alliances"][0]["name"].replace("&", "&amp;") in page
    assert "facts as of" in page


def test_a_low_capacity_organisation_is_told_hygiene_first(owner_client, assessment, owner):
    submit_with(owner_client, assessment, owner, "low")
    assert assessment.result["outcome"] == "hygiene_first"
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    assert "Cyber hygiene first" in page
    assert "free starting point" in page
    # It recommends joining nothing, so the bodies it lists are not "alliances that match".
    assert "Sources to start with" in page and "None of these is a membership" in page
    assert "Alliances that match" not in page
    # Each is listed as free only because its operator says so.
    starting = [a for a in assessment.result["alliances"] if a["role"] == "starting_point"]
    assert starting and all(a["free"] for a in starting)
    assert not any("not stated" in a["cost"].lower() for a in starting)


def test_an_old_starting_point_of_unstated_cost_is_not_called_free(owner_client, assessment, owner):
    submit_with(owner_client, assessment, owner, "low")
    result = assessment.result
    for a in result["alliances"]:
        if a["role"] == "starting_point":
            del a["free"]  # frozen before the catalogue said which bodies are free
            a["cost"] = "Not stated by the operator."
    Assessment.objects.filter(pk=assessment.pk).update(result=result)
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    assert "free starting point" not in page
    assert ">starting point</span>" in page


def test_a_result_shows_what_changed_since_the_previous_assessment(
    owner_client, assessment, owner, org
):
    submit_with(owner_client, assessment, owner, "low")
    owner_client.post(f"/a/{assessment.code}/copy/")
    second = Assessment.objects.exclude(pk=assessment.pk).get()
    submit_with(owner_client, second, owner, "high")
    page = owner_client.get(f"/a/{second.code}/result/").text
    assert "Since your previous assessment" in page
    assert "the outcome moved from Cyber hygiene first" in page
    assert "+" in page.split("Since your previous assessment")[1].split("</table>")[0]


def test_a_draft_has_no_result_page_yet(owner_client, assessment):
    response = owner_client.get(f"/a/{assessment.code}/result/")
    assert response.status_code == 302 and response.url.endswith("/review/")


def test_the_result_is_rendered_from_the_snapshot_not_from_live_data(
    owner_client, assessment, owner, bank
):
    submit_with(owner_client, assessment, owner, "high")
    headline = assessment.result["headline"]
    # A published bank refuses edits, so change it behind the model's back.
    QuestionBank.objects.filter(pk=bank.pk).update(
        thresholds=dict(bank.thresholds, operational_capacity=100)
    )
    from assess.models import Alliance

    Alliance.objects.update(name="Renamed")
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    assert headline in page.replace("&#x27;", "'")
    assert "Renamed" not in page


def test_submit_on_an_assessment_with_no_answers_says_too_little_is_known(
    owner_client, assessment, owner
):
    assessment_submit(assessment=assessment, user=owner)
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    assert "Too little is known" in page


def test_a_change_of_depth_counts_as_a_change_and_deltas_match_the_shown_scores(
    owner_client, assessment, owner, org
):
    from assess.report.presenter import result_context

    submit_with(owner_client, assessment, owner, "high")
    before = assessment.result
    owner_client.post(f"/a/{assessment.code}/copy/")
    second = Assessment.objects.exclude(pk=assessment.pk).get()
    submit_with(owner_client, second, owner, "high")
    # Same outcome, other depth, and scores that round apart: 57.3 -> 67.7 shows 57 -> 68.
    assessment.result = dict(
        before,
        operational_depth="receive",
        scores=dict(before["scores"], capacity=dict(before["scores"]["capacity"], score=57.3)),
    )
    second.result = dict(
        second.result,
        operational_depth="contribute",
        scores=dict(
            second.result["scores"], capacity=dict(second.result["scores"]["capacity"], score=67.7)
        ),
    )
    ctx = result_context(second, assessment, **shown.for_result(second))["comparison"]
    assert ctx["outcome_changed"]
    assert "receive-only member" in ctx["previous_outcome"]
    assert "contributing member" in ctx["outcome"]
    assert ctx["rows"][0]["delta"] == 11


def test_a_result_frozen_under_the_one_tolerance_rules_still_renders_as_it_was(
    owner_client, assessment, owner
):
    """Results frozen before rules 2026.11.4 keep their snapshot: four dimensions, one risk
    tolerance, the old thresholds; the page, the report and the PDF draw them as they were."""
    import json
    from pathlib import Path

    from assess.report.presenter import report_html
    from assess.report.storage import render_pdf

    legacy = json.loads(
        (Path(__file__).parent / "data" / "snapshot_rules_2026_11_3.json").read_text()
    )
    submit_with(owner_client, assessment, owner, "high")
    # The old snapshot alone, with what submit adds beside the rules' output.
    fresh = assessment.result
    assessment.result = dict(
        legacy, **{k: fresh[k] for k in ("organization", "submitted_by", "kind", "answers")}
    )
    assessment.save(update_fields=["result"])
    assert "provisional" not in assessment.result and "gates" not in assessment.result
    upgrade_stored_results()
    assessment.refresh_from_db()
    assert assessment.result["version"] == 2
    page = owner_client.get(f"/a/{assessment.code}/result/")
    assert page.status_code == 200
    text = page.text
    assert "Risk tolerance" in text and "Appetite for sharing" not in text
    assert legacy["headline"] in text.replace("&#x27;", "'")
    html = report_html(assessment, **shown.for_report(assessment))
    assert "Risk tolerance needed to contribute" in html
    assert "security capacity against risk tolerance" in html
    assert render_pdf(assessment).startswith(b"%PDF")
    # What if: the old result is compared like with like, under today's rules.
    response = owner_client.post(f"/a/{assessment.code}/what-if/", {})
    assert response.status_code == 200
    assert "frozen under earlier rules" in response.text


def test_an_old_provisional_result_is_still_called_provisional(owner_client, assessment, owner):
    import json
    from pathlib import Path

    legacy = json.loads(
        (Path(__file__).parent / "data" / "snapshot_rules_2026_11_3.json").read_text()
    )
    submit_with(owner_client, assessment, owner, "high")
    fresh = assessment.result
    assessment.result = dict(
        legacy,
        insufficient=True,
        **{k: fresh[k] for k in ("organization", "submitted_by", "kind", "answers")},
    )
    assessment.save(update_fields=["result"])
    upgrade_stored_results()
    page = owner_client.get(f"/a/{assessment.code}/result/").text
    assert "Provisional recommendation" in page


def test_the_page_and_the_report_link_an_alliance_only_to_a_web_address(
    owner_client, assessment, owner
):
    """Catalogue text is admin-edited: both read the presenter's cleaned link."""
    submit_with(owner_client, assessment, owner, "high")
    result = assessment.result
    result["alliances"][0]["url"] = "javascript:alert(1)"
    result["alliances"][1]["url"] = "https://example.org/join"
    Assessment.objects.filter(pk=assessment.pk).update(result=result)
    for url in (f"/a/{assessment.code}/result/", f"/a/{assessment.code}/report/"):
        page = owner_client.get(url).text
        assert "javascript:" not in page, url
        assert '<a href="https://example.org/join" rel="noopener noreferrer">' in page, url


def test_the_result_page_takes_a_fixed_number_of_queries(
    owner_client, assessment, owner, run_tasks, django_assert_num_queries
):
    # A contributor: only contributors' pages read peers (settings.PEER_RECIPROCITY).
    type(assessment.organization).objects.filter(pk=assessment.organization_id).update(
        peer_consent=True
    )
    submit_with(owner_client, assessment, owner, "low")
    owner_client.post(f"/a/{assessment.code}/copy/")
    second = Assessment.objects.exclude(pk=assessment.pk).get()
    submit_with(owner_client, second, owner, "high")
    contributing_peers(Assessment.objects.get(pk=second.pk))  # the page compares with peers
    for a in (assessment, second):  # the first has no previous assessment, the second has one
        owner_client.get(f"/a/{a.code}/result/")
        # session, user, assessment, previous assessment, peers (the current releases,
        # whether each is intact, the organisations linked to it; read once for the page
        # and the stored PDF's key, the releases' members once per process), stored PDF, the
        # queued render, the access log entry, the memberships held (read for the page, and
        # again with the controls for the stored PDF's key)
        with django_assert_num_queries(13):
            owner_client.get(f"/a/{a.code}/result/")
    run_tasks()
    with django_assert_num_queries(12):  # the stored PDF is current: no task lookup
        owner_client.get(f"/a/{second.code}/result/")
