"""The submitted answers as CSV: members only, parsed back intact, from the frozen snapshot,
and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from assess.models import Question
from assess.report.exports import csv_safe
from assess.selectors import clear_bank_cache
from assess.services import answers_save, assessment_submit
from tests.conftest import signed_in
from tests.test_report import answer_all, submitted

DANGEROUS = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTAB=1", "\rCR=1"]


def rows_of(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")  # the byte-order mark is for spreadsheets
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def done(assessment, owner):
    return submitted(assessment, owner, comment="Checked with the SOC lead")


def test_a_member_downloads_every_shown_question_with_its_answer_and_comment(client, member, done):
    signed_in(client, member)
    response = client.get(f"/a/{done.code}/answers.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="acme-bank-alliance-readiness-'
    )
    assert '-answers.csv"' in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header == [
        "Organisation",
        "Submitted",
        "Section",
        "Question code",
        "Question",
        "Answer",
        "Comment",
    ]
    sheet = done.result["answers"]
    expected = [(q["code"], q["text"]) for s in sheet for q in s["questions"]]
    assert [(r[3], r[4]) for r in rows] == expected
    assert len(rows) > 20
    first = sheet[0]["questions"][0]
    assert rows[0] == [
        "Acme Bank",
        f"{done.submitted_at:%Y-%m-%d}",
        f"1. {sheet[0]['title']}",
        first["code"],
        first["text"],
        "; ".join(first["answers"]),
        "Checked with the SOC lead",
    ]
    assert all(r[5] for r in rows)  # every question was answered


def test_the_result_page_links_to_it(client, owner, done):
    signed_in(client, owner)
    assert f'href="/a/{done.code}/answers.csv"' in client.get(f"/a/{done.code}/result/").text


def test_it_comes_from_the_frozen_snapshot_not_the_bank_as_it_is_now(client, owner, done):
    code = done.result["answers"][0]["questions"][0]["code"]
    frozen = done.result["answers"][0]["questions"][0]["text"]
    Question.objects.filter(bank=done.bank, code=code).update(text="Reworded later")
    clear_bank_cache()
    signed_in(client, owner)
    rows = rows_of(client.get(f"/a/{done.code}/answers.csv"))
    assert frozen in [r[4] for r in rows]
    assert "Reworded later" not in [r[4] for r in rows]


def test_a_draft_has_no_csv_yet(client, owner, assessment):
    signed_in(client, owner)
    response = client.get(f"/a/{assessment.code}/answers.csv")
    assert response.status_code == 302 and response.url == f"/a/{assessment.code}/review/"


def test_an_outsider_gets_404(client, outsider, done):
    signed_in(client, outsider)
    response = client.get(f"/a/{done.code}/answers.csv")
    assert response.status_code == 404
    assert b"Acme Bank" not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in(client, done):
    response = client.get(f"/a/{done.code}/answers.csv")
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/a/{done.code}/answers.csv"


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Plain", "1=1", "a-b", "", "'quoted", " =spaced"])
def test_other_cells_are_left_as_they_are(value):
    assert csv_safe(value) == value


def test_formulas_planted_in_comments_and_the_organisation_name_arrive_neutralised(
    client, owner, org, assessment
):
    org.name = '=HYPERLINK("http://evil.example")'
    org.save()
    planted = {}
    view = answer_all(assessment)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            choice = [c for c in q.choice_list if not c.is_unknown and c.code != "none"][-1]
            planted[q.code] = DANGEROUS[len(planted) % len(DANGEROUS)] + " note"
            values[q.code] = ((choice.code,), planted[q.code])
        answers_save(assessment=assessment, section_number=number, values=values)
    assessment_submit(assessment=assessment, user=owner)
    signed_in(client, owner)
    rows = rows_of(client.get(f"/a/{assessment.code}/answers.csv"))[1:]
    assert {r[0] for r in rows} == {'\'=HYPERLINK("http://evil.example")'}
    assert {r[6] for r in rows} == {"'" + d + " note" for d in DANGEROUS}
    for row in rows:
        assert row[6] == "'" + planted[row[3]]
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
