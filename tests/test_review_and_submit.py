from assess.models import Answer, Assessment
from assess.selectors import bank_view
from assess.services import answers_save
from tests.conftest import answer_everything, section_post


def test_review_lists_every_answer_with_change_links(owner_client, assessment):
    view = bank_view(assessment.bank)
    owner_client.post(f"/a/{assessment.code}/s/1/", section_post(view, 1, comment="Why not"))
    page = owner_client.get(f"/a/{assessment.code}/review/").text
    for s in range(1, len(view.sections) + 1):
        assert f"/a/{assessment.code}/s/{s}/" in page
    q = view.section(1).question_list[0]
    label = next(c.label for c in q.choice_list if c.code == section_post(view, 1)[f"q_{q.code}"])
    assert label in page.replace("&#x27;", "'")
    assert "Comment: Why not" in page


def test_review_lists_unanswered_required_questions_without_forcing_them(owner_client, assessment):
    view = bank_view(assessment.bank)
    owner_client.post(f"/a/{assessment.code}/s/1/", section_post(view, 1))
    page = owner_client.get(f"/a/{assessment.code}/review/").text
    missing = [
        q
        for s in view.sections[1:]
        for q in s.question_list
        if q.required and not q.show_if_question_id
    ]
    assert "required questions are not answered yet" in page
    for q in missing:
        assert f"#q-{q.code}" in page
    assert "Submit and see the recommendation" in page


def test_submit_freezes_the_assessment_and_stores_the_snapshot(owner_client, assessment, owner):
    answer_everything(owner_client, assessment, pick="high")
    response = owner_client.post(f"/a/{assessment.code}/submit/")
    assert response.status_code == 302 and response.url == f"/a/{assessment.code}/result/"
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.submitted_at
    assert assessment.submitted_by == owner
    result = assessment.result
    assert result["bank"] == {"slug": "default", "version": 3, "name": "Alliance readiness"}
    assert result["rules_version"]
    assert result["organization"]["name"] == "Acme Bank"
    assert result["outcome"] in ("operational", "normative", "both", "hygiene_first")


def test_a_later_edit_cannot_change_a_submitted_assessment(owner_client, assessment, owner):
    answer_everything(owner_client, assessment, pick="low")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    frozen = assessment.result
    count = Answer.objects.filter(assessment=assessment).count()
    view = bank_view(assessment.bank)
    try:
        answers_save(
            assessment=assessment,
            section_number=1,
            values={
                q.code: ((q.choice_list[-1].code,), "late") for q in view.section(1).question_list
            },
        )
    except Exception as e:  # noqa: BLE001
        assert "submitted" in str(e)
    else:
        raise AssertionError("a submitted assessment accepted answers")
    response = owner_client.post(f"/a/{assessment.code}/submit/", follow=True)
    assert "no longer change" in response.text
    assessment.refresh_from_db()
    assert assessment.result == frozen
    assert Answer.objects.filter(assessment=assessment).count() == count
    assert not Answer.objects.filter(assessment=assessment, comment="late").exists()


def test_submit_refuses_get(owner_client, assessment):
    assert owner_client.get(f"/a/{assessment.code}/submit/").status_code == 405
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_submit_without_a_csrf_token_is_refused(client, owner, assessment):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    response = strict.post(f"/a/{assessment.code}/submit/")
    assert response.status_code == 403
    assert "expired" in response.text
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_copy_makes_a_new_draft_with_the_same_answers(owner_client, assessment, owner):
    answer_everything(owner_client, assessment, pick="high")
    owner_client.post(f"/a/{assessment.code}/submit/")
    response = owner_client.post(f"/a/{assessment.code}/copy/")
    new = Assessment.objects.exclude(pk=assessment.pk).get()
    assert response.url == f"/a/{new.code}/s/1/"
    assert new.is_draft and new.copied_from == assessment
    old = {
        (a.question_id, a.comment, tuple(a.choices.values_list("code", flat=True)))
        for a in assessment.answers.all()
    }
    copied = {
        (a.question_id, a.comment, tuple(a.choices.values_list("code", flat=True)))
        for a in new.answers.all()
    }
    assert copied == old and copied


def test_the_review_page_takes_a_fixed_number_of_queries(
    owner_client, assessment, django_assert_num_queries
):
    url = f"/a/{assessment.code}/review/"
    owner_client.get(url)  # loads the bank into the process's cache
    with django_assert_num_queries(4):  # session, user, assessment, answers
        owner_client.get(url)
    answer_everything(owner_client, assessment)
    with django_assert_num_queries(4):
        owner_client.get(url)
