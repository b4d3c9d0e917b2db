"""Editing question banks in the admin: one page per version, read-only once published."""

import html
import re

import pytest
from django.contrib.admin.models import LogEntry

from assess import rules, vocabulary
from assess.models import (
    Assessment,
    BankLockedError,
    Choice,
    Question,
    QuestionBank,
    Section,
)
from assess.selectors import bank_view
from tests.bank_helpers import (
    change_form_data,
    change_url,
    formset_prefix,
    question_url,
    row_prefix,
    section_url,
)
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]

# The bank's page, whatever the number of its sections, questions and choices (the test of the
# question's page in test_admin_bank_pages.py adds rows and counts again).
BANK_PAGE_QUERIES = 16


@pytest.fixture
def admin_client(client, superuser):
    return signed_in(client, superuser)


def test_the_bank_page_lists_sections_and_questions_as_links_not_forms(admin_client, draft):
    response = admin_client.get(change_url(draft))
    assert response.status_code == 200
    page = response.text
    assert "sections-TOTAL_FORMS" in page
    assert "questions-TOTAL_FORMS" not in page and "choices-TOTAL_FORMS" not in page
    for question in draft.questions.all():
        assert f'href="{question_url(question)}">{question.code}</a>' in page
    for section in draft.sections.all():
        assert f'href="{section_url(section)}">{section.title}</a>' in page
    assert 'name="t_operational_capacity"' in page and 'type="number"' in page
    assert "adminsortable2/js/adminsortable2" in page and "js/admin_reorder.js" not in page
    assert 'class="module sortable' in page
    assert "Draft." in page
    # The page an editor reported: 950 KB and 2,028 inputs; now a few dozen.
    assert len(response.content) < 250_000
    assert page.count("<input") + page.count("<textarea") + page.count("<select") < 150


def test_the_question_page_edits_choices_with_number_fields(admin_client, draft):
    question = draft.questions.get(code="CAP-04")
    response = admin_client.get(question_url(question))
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "choices-TOTAL_FORMS" in page
    for dim in vocabulary.DIMENSIONS:
        assert f"-points_{dim}" in page
    for choice in question.choices.all():
        assert f'value="{choice.label}"' in page
    assert re.search(r'<fieldset class="module [^"]*\bsortable\b', page)


def test_the_bank_page_has_a_constant_number_of_queries(
    admin_client, draft, django_assert_num_queries
):
    admin_client.get(change_url(draft))  # the process caches content types on a first page
    with django_assert_num_queries(BANK_PAGE_QUERIES):
        assert admin_client.get(change_url(draft)).status_code == 200


def test_saving_an_unchanged_page_changes_nothing(admin_client, draft):
    from assess.banks.store import bank_export

    before = bank_export(draft)
    question = draft.questions.get(code="CAP-04")
    section = question.section
    for url in (change_url(draft), question_url(question), section_url(section)):
        data = change_form_data(admin_client.get(url))
        response = admin_client.post(url, data)
        assert response.status_code == 302, _errors(response)
    assert bank_export(draft) == before


def test_points_are_saved_from_number_fields(admin_client, draft):
    q = draft.questions.get(code="CAP-04")
    response = admin_client.get(question_url(q))
    data = change_form_data(response)
    choice = q.choices.get(code="team")
    prefix = row_prefix(response, "choice", pk=choice.pk)
    data[f"{prefix}-points_capacity"] = "2.5"
    data[f"{prefix}-points_exposure"] = "1"
    data[f"{prefix}-tags"] = "has_irt, automation_ready"
    response = admin_client.post(question_url(q), data)
    assert response.status_code == 302, _errors(response)
    choice.refresh_from_db()
    assert choice.points == {"capacity": 2.5, "exposure": 1}
    assert choice.tags == ["has_irt", "automation_ready"]


def test_thresholds_are_saved_from_number_fields(admin_client, draft):
    response = admin_client.get(change_url(draft))
    data = change_form_data(response)
    data["t_operational_capacity"] = "42"
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, _errors(response)
    draft.refresh_from_db()
    assert draft.thresholds["operational_capacity"] == 42
    assert bank_view(draft).definition.thresholds.operational_capacity == 42


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("points_capacity", "5", "less than or equal to 4"),
        ("points_capacity", "-1", "greater than or equal to 0"),
    ],
)
def test_points_out_of_range_are_refused(admin_client, draft, field, value, message):
    q = draft.questions.get(code="CAP-04")
    response = admin_client.get(question_url(q))
    data = change_form_data(response)
    prefix = row_prefix(response, "choice", code="team")
    data[f"{prefix}-{field}"] = value
    response = admin_client.post(question_url(q), data)
    assert response.status_code == 200
    assert message in response.text
    assert q.choices.get(code="team").points.get("capacity") != float(value)


def test_thresholds_out_of_range_are_refused(admin_client, draft):
    response = admin_client.get(change_url(draft))
    data = change_form_data(response)
    data["t_min_known_share"] = "101"
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "less than or equal to 100" in response.text
    draft.refresh_from_db()
    assert draft.thresholds["min_known_share"] != 101


def test_thresholds_are_explained_in_plain_words(admin_client, draft):
    page = admin_client.get(change_url(draft)).text
    assert "rules.py" not in page and "decision-model.md" not in page
    assert "receive-only member" in page  # operational_capacity
    assert "marked provisional" in page  # min_known_share
    from assess.admin.forms import THRESHOLD_HELP

    assert set(THRESHOLD_HELP) == set(rules.Thresholds.names())


def test_a_new_choice_and_section_are_added_at_the_end(admin_client, draft):
    q = draft.questions.get(code="PRO-05")
    response = admin_client.get(question_url(q))
    data = change_form_data(response)
    prefix = formset_prefix(response, "choice")
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data.update(
        {
            f"{prefix}-{n}-order": "",
            f"{prefix}-{n}-code": "maybe",
            f"{prefix}-{n}-label": "Not sure yet",
            f"{prefix}-{n}-points_sharing_tolerance": "1",
        }
    )
    response = admin_client.post(question_url(q), data)
    assert response.status_code == 302, _errors(response)
    codes = list(q.choices.order_by("order").values_list("code", flat=True))
    assert codes[-1] == "maybe"
    added = q.choices.get(code="maybe")
    assert added.bank_id == draft.pk and added.points == {"sharing_tolerance": 1}

    response = admin_client.get(change_url(draft))
    data = change_form_data(response)
    prefix = formset_prefix(response, "section")
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data.update({f"{prefix}-{n}-title": "Extra", f"{prefix}-{n}-code": "extra"})
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, _errors(response)
    assert list(draft.sections.order_by("order").values_list("code", flat=True))[-1] == "extra"


def test_reordering_choices_moves_them(admin_client, draft):
    q = draft.questions.get(code="CAP-04")
    response = admin_client.get(question_url(q))
    data = change_form_data(response)
    first, last = q.choices.order_by("order")[0], q.choices.order_by("-order")[0]
    data[f"{row_prefix(response, 'choice', pk=first.pk)}-order"] = str(last.order + 1)
    response = admin_client.post(question_url(q), data)
    assert response.status_code == 302, _errors(response)
    view = bank_view(draft)
    assert [c.code for c in view.by_code["CAP-04"].choice_list][-1] == first.code


def test_reordering_questions_on_their_section_page_moves_them(admin_client, draft):
    section = draft.questions.get(code="CAP-04").section
    codes = list(section.questions.order_by("order").values_list("code", flat=True))
    response = admin_client.get(section_url(section))
    data = change_form_data(response)
    first = section.questions.get(code=codes[0])
    data[f"{row_prefix(response, 'question', pk=first.pk)}-order"] = "999"
    response = admin_client.post(section_url(section), data)
    assert response.status_code == 302, _errors(response)
    view = bank_view(draft)
    shown = [q.code for q in view.questions if q.code in codes]
    assert shown == codes[1:] + codes[:1]


def test_reordering_sections_on_the_bank_page_moves_them(admin_client, draft):
    codes = list(draft.sections.order_by("order").values_list("code", flat=True))
    response = admin_client.get(change_url(draft))
    data = change_form_data(response)
    first = draft.sections.get(code=codes[0])
    data[f"{row_prefix(response, 'section', pk=first.pk)}-order"] = "999"
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, _errors(response)
    assert list(draft.sections.order_by("order").values_list("code", flat=True)) == (
        codes[1:] + codes[:1]
    )


def _post_question(client, question, change):
    response = client.get(question_url(question))
    data = change_form_data(response)
    data.update(change)
    return client.post(question_url(question), data)


def test_a_condition_must_name_an_earlier_question(admin_client, draft):
    early, late = draft.questions.get(code="PRO-01"), draft.questions.get(code="CAP-04")
    response = _post_question(
        admin_client, early, {"show_if_question": str(late.pk), "show_if_choices": "team"}
    )
    assert response.status_code == 200
    assert "CAP-04 comes later in the bank" in response.text


def test_a_condition_must_name_choices_of_its_question(admin_client, draft):
    late, early = draft.questions.get(code="CAP-05"), draft.questions.get(code="CAP-04")
    response = _post_question(
        admin_client,
        late,
        {"show_if_question": str(early.pk), "show_if_choices": "team, sometimes"},
    )
    assert response.status_code == 200
    assert "CAP-04 has no choice sometimes" in response.text


def test_a_valid_condition_is_saved(admin_client, draft):
    late, early = draft.questions.get(code="CAP-05"), draft.questions.get(code="CAP-04")
    response = _post_question(
        admin_client, late, {"show_if_question": str(early.pk), "show_if_choices": "csirt"}
    )
    assert response.status_code == 302, _errors(response)
    late.refresh_from_db()
    assert late.show_if_question == early and late.show_if_choices == ["csirt"]


def test_a_question_moved_to_another_section_goes_to_its_end(admin_client, draft):
    question = draft.questions.get(code="PRO-05")
    target = draft.sections.exclude(pk=question.section_id).order_by("-order").first()
    response = _post_question(admin_client, question, {"section": str(target.pk)})
    assert response.status_code == 302, _errors(response)
    assert list(target.questions.order_by("order"))[-1] == question


def test_inline_changes_show_in_the_bank_history(admin_client, draft, superuser):
    q = draft.questions.get(code="CAP-04")
    response = admin_client.get(question_url(q))
    data = change_form_data(response)
    choice = q.choices.get(code="team")
    data[f"{row_prefix(response, 'choice', pk=choice.pk)}-label"] = "A small team"
    assert admin_client.post(question_url(q), data).status_code == 302
    response = admin_client.get(change_url(draft))
    data = change_form_data(response)
    section = draft.sections.order_by("order").first()
    data[f"{row_prefix(response, 'section', pk=section.pk)}-title"] = "Who you are"
    assert admin_client.post(change_url(draft), data).status_code == 302
    history = admin_client.get(f"/admin/assess/questionbank/{draft.pk}/history/").text
    assert "Changed Label for choice" in history and "A small team" in history
    assert "Changed Title for section" in history and "Who you are" in history
    assert superuser.email in history or superuser.get_username() in history
    assert "Created as a new draft from version 3" in history


def test_section_page_changes_also_show_in_the_bank_history(admin_client, draft):
    section = draft.sections.order_by("order").first()
    response = admin_client.get(section_url(section))
    data = change_form_data(response)
    data["intro"] = "A few facts about the organisation."
    assert admin_client.post(section_url(section), data).status_code == 302
    history = admin_client.get(f"/admin/assess/questionbank/{draft.pk}/history/").text
    assert "Changed Intro for section" in history


def test_question_page_changes_also_show_in_the_bank_history(admin_client, draft):
    q = draft.questions.get(code="CAP-04")
    url = f"/admin/assess/question/{q.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    data["text"] = "Who answers a security incident at night?"
    response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    history = admin_client.get(f"/admin/assess/questionbank/{draft.pk}/history/").text
    assert "Changed Text for question" in history


def test_a_published_version_is_read_only_and_says_why(admin_client, bank, owner, org):
    Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    response = admin_client.get(change_url(bank))
    assert response.status_code == 200
    page = response.text
    assert "is published, so it is read-only" in page
    assert "1 assessment was answered on it" in page
    assert "changing this one would change results that were already given" in page
    assert 'name="t_operational_capacity"' not in page
    assert 'name="choices-0-label"' not in page
    assert "New draft version" in page
    data = {"name": "Renamed"}
    assert admin_client.post(change_url(bank), data).status_code == 403
    bank.refresh_from_db()
    assert bank.name == "Alliance readiness"


def test_a_published_version_cannot_be_deleted_in_admin(admin_client, bank):
    url = f"/admin/assess/questionbank/{bank.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert QuestionBank.objects.filter(pk=bank.pk).exists()


def test_the_model_refuses_to_change_a_published_version(bank):
    question = bank.questions.first()
    question.text = "Changed behind the admin's back?"
    with pytest.raises(BankLockedError):
        question.save()
    choice = question.choices.first()
    choice.label = "Changed"
    with pytest.raises(BankLockedError):
        choice.save()
    with pytest.raises(BankLockedError):
        choice.delete()
    section = bank.sections.first()
    with pytest.raises(BankLockedError):
        Section.objects.create(bank=bank, code="extra", title="Extra")
    with pytest.raises(BankLockedError):
        section.delete()
    bank.thresholds = dict(bank.thresholds, operational_capacity=1)
    with pytest.raises(BankLockedError):
        bank.save()
    with pytest.raises(BankLockedError):
        Choice.objects.create(question=question, code="new", label="New")


# --- Lifecycle: new draft, publish, retire ----------------------------------------------------


def _confirm(client, bank, action):
    url = f"/admin/assess/questionbank/{bank.pk}/{action}/"
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(url, follow=True)


def test_new_draft_version_deep_copies_the_published_one(admin_client, bank):
    from assess.banks.store import bank_export

    page, response = _confirm(admin_client, bank, "new-draft")
    assert "Creates the next version as a draft" in page.text
    copy = QuestionBank.objects.get(slug="default", version=4)
    assert copy.status == "draft" and response.redirect_chain[-1][0] == change_url(copy)
    original, copied = bank_export(bank), bank_export(copy)
    copied["bank"]["version"] = bank.version
    assert original == copied
    assert copy.questions.exclude(show_if_question=None).exists()
    assert not copy.questions.filter(show_if_question__bank=bank).exists()
    assert Choice.objects.filter(bank=copy).count() == Choice.objects.filter(bank=bank).count()
    assert LogEntry.objects.filter(object_id=str(copy.pk), change_message__contains="new draft")


def test_publish_lists_every_problem_at_once(admin_client, draft):
    one = draft.questions.get(code="PRO-05")
    one.choices.exclude(code="yes").delete()
    early, late = draft.questions.get(code="PRO-01"), draft.questions.get(code="CAP-04")
    early.show_if_question, early.show_if_choices = late, ["team"]
    early.save()
    Choice.objects.filter(bank=draft).update(points={})
    draft.thresholds = dict(draft.thresholds, geopolitical_high=150)
    draft.save()
    page, response = _confirm(admin_client, draft, "publish")
    text = html.unescape(page.text)
    assert "cannot be published yet" in text
    # Named by code and text, linked to the page where it is fixed; no JSON path.
    start = f'<a href="{question_url(one)}">Question PRO-05 “{one.text[:40]}'
    assert start in text
    assert (
        text.split(start, 1)[1].split("</li>")[0].endswith("”</a>: choices: fewer than two choices")
    )
    assert f'<a href="{question_url(early)}">Question PRO-01 “' in text
    assert 'condition: refers to "CAP-04", a later question; it must come earlier' in text
    assert "sections[" not in text and "counting from zero" not in text
    for dim in set(vocabulary.DIMENSIONS) - {"threat"}:  # a bank may leave threat out
        assert f'no answer can reach the dimension "{dim}"' in text
    assert "geopolitical_high must be between 0 and 100" in text
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "Nothing changed" in response.text


def test_publish_makes_the_draft_current_and_logs_it(admin_client, bank, draft, owner, org):
    old = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    bank_view(bank)  # warm the cache of the published version
    page, response = _confirm(admin_client, draft, "publish")
    assert "the current version" in page.text
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at
    assert QuestionBank.objects.current() == draft
    old.refresh_from_db()
    assert old.bank == bank
    assert bank_view(draft).bank.status == "published"
    assert LogEntry.objects.filter(object_id=str(draft.pk), change_message="Published version 4.")
    assert "is published, so it is read-only" in response.text


def test_a_new_assessment_uses_the_newly_published_version(client, owner, org, bank, draft):
    from assess.banks.services import bank_publish

    bank_publish(bank=draft)
    signed_in(client, owner)
    client.post(f"/orgs/{org.code}/assessments/new/")
    assert Assessment.objects.filter(organization=org).latest("created").bank == draft


def test_retire_hides_a_version_but_its_assessments_keep_it(admin_client, client, bank, owner, org):
    kept = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    page, response = _confirm(admin_client, bank, "retire")
    assert "1 assessment answered on it keeps it" in page.text
    assert "This is the current version" in page.text
    bank.refresh_from_db()
    assert bank.status == "retired"
    assert QuestionBank.objects.current() is None
    kept.refresh_from_db()
    assert kept.bank == bank
    signed_in(client, owner)
    assert client.get(f"/a/{kept.code}/s/1/").status_code == 200
    assert LogEntry.objects.filter(object_id=str(bank.pk), change_message="Retired version 3.")


def test_a_draft_cannot_be_retired_and_a_published_one_not_published_again(
    admin_client, bank, draft
):
    admin_client.post(f"/admin/assess/questionbank/{draft.pk}/retire/")
    admin_client.post(f"/admin/assess/questionbank/{bank.pk}/publish/")
    draft.refresh_from_db()
    bank.refresh_from_db()
    assert (draft.status, bank.status) == ("draft", "published")


def test_an_older_draft_cannot_be_published_over_a_newer_version(admin_client, bank, superuser):
    from assess.banks.services import bank_new_draft, bank_publish

    v4 = bank_new_draft(bank=bank, user=superuser)
    v5 = bank_new_draft(bank=bank, user=superuser)
    bank_publish(bank=v5)
    page, _response = _confirm(admin_client, v4, "publish")
    assert "version 5 of this bank is published already" in page.text
    v4.refresh_from_db()
    assert v4.status == "draft"


# --- Changelist actions -----------------------------------------------------------------------


def _action(client, action, banks, follow=True):
    return client.post(
        "/admin/assess/questionbank/",
        {"action": action, "_selected_action": [b.pk for b in banks]},
        follow=follow,
    )


def test_the_changelist_offers_the_actions_and_the_import_page(admin_client, bank):
    page = admin_client.get("/admin/assess/questionbank/").text
    for label in ("Create a new draft version", "Publish", "Retire", "Export as JSON"):
        assert label in page
    assert "/admin/assess/questionbank/import/" in page and "Import a bank" in page


def test_the_new_draft_action(admin_client, bank):
    response = _action(admin_client, "new_draft_action", [bank])
    assert "Created Alliance readiness v4 (Draft)" in response.text
    assert QuestionBank.objects.filter(slug="default", version=4, status="draft").exists()


def test_the_publish_action_publishes_valid_drafts_and_reports_the_rest(admin_client, draft):
    response = _action(admin_client, "publish_action", [draft])
    assert "Published Alliance readiness v4" in response.text
    draft.refresh_from_db()
    assert draft.status == "published"


def test_the_publish_action_lists_problems(admin_client, draft):
    draft.questions.get(code="PRO-05").choices.exclude(code="yes").delete()
    response = _action(admin_client, "publish_action", [draft])
    assert "fewer than two choices" in response.text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_retire_action(admin_client, bank):
    response = _action(admin_client, "retire_action", [bank])
    assert "Retired Alliance readiness v3" in response.text
    bank.refresh_from_db()
    assert bank.status == "retired"


def test_the_export_action_downloads_json_or_a_zip(admin_client, bank, draft):
    import io
    import json
    import zipfile

    from assess.banks.store import bank_export

    response = _action(admin_client, "export_action", [bank], follow=False)
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="default-v3.json"' in response["Content-Disposition"]
    assert json.loads(response.content) == bank_export(bank)
    response = _action(admin_client, "export_action", [bank, draft], follow=False)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["default-v3.json", "default-v4.json"]
    page = admin_client.get(f"/admin/assess/questionbank/{bank.pk}/export/")
    assert json.loads(page.content) == bank_export(bank)


def test_the_catalogue_is_editable_in_admin(admin_client, bank):
    from assess.models import Alliance

    first = Alliance.objects.get(slug="first")
    url = f"/admin/assess/alliance/{first.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    data["cost"] = "Edited in admin"
    response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    first.refresh_from_db()
    assert first.cost == "Edited in admin"


def test_a_bank_can_be_created_from_scratch(admin_client, db):
    response = admin_client.get("/admin/assess/questionbank/add/")
    assert response.status_code == 200
    data = change_form_data(response)
    data.update({"name": "Suppliers", "slug": "suppliers", "version": "1"})
    response = admin_client.post("/admin/assess/questionbank/add/", data)
    assert response.status_code == 302, _errors(response)
    created = QuestionBank.objects.get(slug="suppliers")
    assert created.status == "draft" and not created.questions.exists()
    assert created.thresholds["operational_capacity"] == 35


def _errors(response):
    if response.context is None:
        return response.status_code
    errors = []
    if "adminform" in response.context:
        errors.append(response.context["adminform"].form.errors)
        for inline in response.context["inline_admin_formsets"]:
            errors += [e for e in inline.formset.errors if e]
            errors += inline.formset.non_form_errors()
    return errors


def test_questions_can_be_searched_filtered_and_added_to_a_draft(admin_client, bank, draft):
    page = admin_client.get(f"/admin/assess/question/?q=incident&bank__id__exact={draft.pk}")
    assert page.status_code == 200 and "CAP-04" in page.text
    response = admin_client.get("/admin/assess/question/add/")
    assert response.status_code == 200
    section = draft.sections.get(code="capacity")
    assert f'value="{bank.sections.get(code="capacity").pk}"' not in response.text
    data = change_form_data(response)
    data.update(
        {
            "section": str(section.pk),
            "order": "99",
            "code": "CAP-99",
            "text": "Do you run tabletop exercises?",
            "kind": "single",
            "required": "on",
            "weight": "1",
            "choices-TOTAL_FORMS": "2",
            "choices-0-code": "no",
            "choices-0-label": "No",
            "choices-1-code": "yes",
            "choices-1-label": "Yes",
            "choices-1-points_capacity": "2",
        }
    )
    response = admin_client.post("/admin/assess/question/add/", data)
    assert response.status_code == 302, _errors(response)
    added = Question.objects.get(code="CAP-99")
    assert added.bank == draft
    assert list(added.choices.values_list("code", "points")) == [
        ("no", {}),
        ("yes", {"capacity": 2}),
    ]
    assert all(c.bank_id == draft.pk for c in added.choices.all())
    history = admin_client.get(f"/admin/assess/questionbank/{draft.pk}/history/").text
    assert "Added question" in history and "CAP-99" in history


def test_every_threshold_has_one_label_that_the_report_and_the_admin_share():
    from django.utils import translation

    from assess.admin.forms import QuestionBankForm

    assert set(rules.Thresholds.names()) <= set(vocabulary.threshold_labels())
    with translation.override("fr"):
        field = QuestionBankForm.base_fields["t_normative_exposure"]
        french = vocabulary.threshold_labels()["normative_exposure"]
        assert str(field.label) == french
        assert french != "Exposure from which normative alliances pay off"
