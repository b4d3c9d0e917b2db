"""An editor walks through a draft as a respondent would, and nothing is stored."""

import pytest

from assess.models import Answer, Assessment, Choice
from assess.selectors import bank_view
from tests.conftest import section_post, signed_in

pytest_plugins = ["tests.bank_fixtures"]


def _url(bank, tail=""):
    return f"/admin/assess/questionbank/{bank.pk}/preview/{tail}"


@pytest.fixture
def editor_client(client, editor):
    return signed_in(client, editor)


def test_the_preview_starts_at_the_first_section(editor_client, draft):
    response = editor_client.get(_url(draft))
    assert response.status_code == 302 and response.url == _url(draft, "s/1/")
    page = editor_client.get(response.url).text
    view = bank_view(draft)
    assert f"Preview of Alliance readiness v{draft.version} (draft)" in page
    assert "no assessment is created" in page
    for q in view.section(1).question_list:
        assert f'id="q-{q.code}"' in page
    assert "js/questionnaire.js" in page


def test_walking_through_the_whole_draft_creates_no_assessment(editor_client, draft):
    view = bank_view(draft)
    for number in range(1, len(view.sections) + 1):
        response = editor_client.post(_url(draft, f"s/{number}/"), section_post(view, number))
        assert response.status_code == 302
    assert response.url == _url(draft, "review/")
    page = editor_client.get(response.url).text
    assert "Provisional recommendation" in page
    assert "Why" in page
    assert not Assessment.objects.exists() and not Answer.objects.exists()


def test_answers_are_kept_in_the_session_between_pages(editor_client, draft):
    view = bank_view(draft)
    editor_client.post(_url(draft, "s/1/"), section_post(view, 1, comment="Checked"))
    page = editor_client.get(_url(draft, "s/1/")).text
    assert page.count(" checked") >= len(view.section(1).question_list) - 3
    assert "Checked" in page


def test_conditions_work_in_the_preview(editor_client, draft):
    view = bank_view(draft)
    source = view.by_code["CAP-04"]
    dependent = view.by_code["CAP-05"]
    number = next(i for i, s in enumerate(view.sections, 1) if s.id == source.section_id)
    data = section_post(view, number)
    data["q_CAP-04"] = "none"
    editor_client.post(_url(draft, f"s/{number}/"), data)
    review = editor_client.get(_url(draft, "review/")).text
    assert f"{dependent.code}. " not in review
    data["q_CAP-04"] = "csirt"
    editor_client.post(_url(draft, f"s/{number}/"), data)
    review = editor_client.get(_url(draft, "review/")).text
    assert f"{dependent.code}. " in review


def test_the_preview_review_lists_publish_problems_of_a_draft(editor_client, draft):
    draft.questions.get(code="PRO-05").choices.exclude(code="yes").delete()
    page = editor_client.get(_url(draft, "review/")).text
    assert "This draft would not publish yet" in page
    assert "fewer than two choices" in page


def test_start_over_forgets_the_preview_answers(editor_client, draft):
    view = bank_view(draft)
    editor_client.post(_url(draft, "s/1/"), section_post(view, 1))
    assert editor_client.session.get(f"bank_preview:{draft.pk}")
    response = editor_client.post(_url(draft, "restart/"))
    assert response.status_code == 302
    assert not editor_client.session.get(f"bank_preview:{draft.pk}")


def test_a_draft_without_thresholds_says_what_to_fix(editor_client, draft):
    draft.thresholds = {}
    draft.save()
    page = editor_client.get(_url(draft, "s/1/")).text
    assert "cannot be previewed yet" in page
    assert "Threshold operational_capacity is missing" in page


def test_a_section_that_does_not_exist_is_404(editor_client, draft):
    assert editor_client.get(_url(draft, "s/99/")).status_code == 404


def test_the_preview_uses_the_drafts_current_content(editor_client, draft):
    choice = Choice.objects.get(bank=draft, question__code="PRO-01", code="security")
    choice.label = "We sell security, freshly edited"
    choice.save()
    assert "freshly edited" in editor_client.get(_url(draft, "s/1/")).text
