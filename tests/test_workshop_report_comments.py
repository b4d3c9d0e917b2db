"""The workshop's report: comments frozen at submit and quoted, ties described honestly, a
summary line on who took part, and snapshots frozen before all this still rendering."""

import io
import re

import pypdf
import pytest

from assess.insights import shown
from assess.models import Answer, Assessment, Participant, Workshop
from assess.report.presenter import report_html
from assess.report.storage import render_pdf
from assess.services import answers_save, assessment_submit
from tests.conftest import signed_in
from tests.workshop_helpers import team_workshop

ANSWERS = {
    "Ann": {"PRO-03": ("contained", "We could limp along for a week"), "THR-01": "confirmed"},
    "Ben": {"PRO-03": "customers", "THR-01": "confirmed", "THR-02": ("few", "Only a handful")},
    "Cat": {"PRO-03": ("sector", "The regulator would call us"), "THR-01": "none"},
}


def _submit(workshop, owner, consensus):
    answers_save(
        assessment=workshop.assessment,
        values={code: ((choice,), "") for code, choice in consensus.items()},
    )
    return assessment_submit(assessment=workshop.assessment, user=owner)


@pytest.fixture
def submitted(org, owner, bank):
    workshop, _people = team_workshop(org, owner, ANSWERS)
    return _submit(workshop, owner, {"PRO-03": "customers", "THR-01": "confirmed"})


def test_comments_are_frozen_into_the_snapshot_with_names(submitted):
    frozen = submitted.result["workshop"]
    rows = {d["question"]: d for d in frozen["disagreements"]}
    assert rows["PRO-03"]["comments"] == [
        {"by": "Ann", "text": "We could limp along for a week"},
        {"by": "Cat", "text": "The regulator would call us"},
    ]
    assert rows["PRO-03"]["leaders"] and rows["PRO-03"]["top"] == 1
    assert frozen["agreed_comments"] == [
        {
            "question": "THR-02",
            "text": frozen["agreed_comments"][0]["text"],
            "comments": [{"by": "Ben", "text": "Only a handful"}],
        }
    ]
    assert frozen["names_shown"] is True


def test_the_report_quotes_comments_and_describes_a_tie_honestly(client, owner, submitted):
    signed_in(client, owner)
    page = client.get(f"/a/{submitted.code}/report/").text
    appendix = re.sub(r"<[^>]+>", "", page[page.index('id="disagreements"') :])
    assert "“We could limp along for a week” (Ann)" in appendix
    assert "“The regulator would call us” (Cat)" in appendix
    assert "Comments on questions the team agreed on" in appendix
    assert "“Only a handful” (Ben)" in appendix
    assert "Split evenly between" in appendix
    assert "differed from the most common answer" not in page
    assert "2 of 3 chose" in appendix


def test_the_summary_says_who_took_part_and_where_they_disagreed_most(client, owner, submitted):
    signed_in(client, owner)
    page = client.get(f"/a/{submitted.code}/report/").text
    summary = page[page.index('id="summary"') : page.index('id="scores"')]
    assert "3 people took part in the workshop." in summary
    assert "They disagreed most on PRO-03" in summary and "(tied)" in summary
    assert summary.index("PRO-03") < summary.index("THR-01")


def test_hidden_names_are_frozen_as_numbers(org, owner, bank):
    workshop, _people = team_workshop(org, owner, ANSWERS)
    Workshop.objects.filter(pk=workshop.pk).update(show_names=False)
    result = _submit(workshop, owner, {"PRO-03": "sector"}).result
    text = str(result["workshop"])
    assert "Ann" not in text and "Cat" not in text and "Ben" not in text
    rows = {d["question"]: d for d in result["workshop"]["disagreements"]}
    assert [c["by"] for c in rows["PRO-03"]["comments"]] == ["Participant 1", "Participant 3"]


def test_the_report_reads_no_live_participant_data_after_submit(client, owner, submitted):
    signed_in(client, owner)
    before = client.get(f"/a/{submitted.code}/report/").text
    Answer.objects.filter(participant__isnull=False).update(comment="Changed afterwards")
    Participant.objects.filter(name="Ann").update(name="Someone else")
    Workshop.objects.filter(assessment=submitted).update(show_names=False)
    after = client.get(f"/a/{submitted.code}/report/").text
    assert after == before
    Participant.objects.all().delete()
    assert client.get(f"/a/{submitted.code}/report/").text == before


def test_the_report_page_takes_a_fixed_number_of_queries(
    client, owner, submitted, django_assert_num_queries
):
    signed_in(client, owner)
    client.get(f"/a/{submitted.code}/report/")
    # session, user, assessment, the access log entry, the earlier results (the trend), the
    # memberships held and the controls mapping (the auditor section); no peers: the
    # organisation does not contribute (tests/test_result.py pins the read of peers)
    with django_assert_num_queries(7):
        client.get(f"/a/{submitted.code}/report/")


def test_a_snapshot_frozen_without_comments_still_renders(owner, submitted):
    result = submitted.result
    frozen = result["workshop"]
    del frozen["agreed_comments"], frozen["names_shown"]
    for row in frozen["disagreements"]:
        del row["comments"], row["leaders"], row["top"]
    # An old multi-choice row: its counts add up to more than the people who answered.
    frozen["disagreements"].append(
        {
            "question": "PRO-09",
            "text": "Which of these?",
            "disagreement": 50,
            "answered": 2,
            "unknown": 0,
            "distribution": [{"label": "Rail", "count": 2}, {"label": "Road", "count": 1}],
            "consensus": "Rail",
        }
    )
    Assessment.objects.filter(pk=submitted.pk).update(result=result)
    submitted.refresh_from_db()
    html = report_html(submitted, **shown.for_report(submitted))
    appendix = html[html.index('id="disagreements"') :]
    # Single-choice rows are described from their distribution, ties as ties ...
    assert "Split evenly between" in appendix and "2 of 3 chose" in appendix
    # ... and a row that cannot be read that way keeps its old wording.
    assert "50% differed from the answer given most often." in appendix
    assert "Comments:" not in appendix and "agreed on" not in appendix


def test_the_pdf_quotes_the_comments(submitted):
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(submitted)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "We could limp along for a week" in text
    assert "people took part in the workshop" in text
    assert "Split evenly between" in text
