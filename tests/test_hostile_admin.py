"""A bank editor's mistake or a forged form body cannot break the app for others (issue 14,
findings 1, 3, 4 and 5): every admin bank form refuses it with a message on the page."""

import json

import pytest
from django.db import IntegrityError, transaction

from assess.banks import limits
from assess.banks.format import BankError
from assess.banks.services import bank_publish, publish_problems
from assess.models import Choice, Question, QuestionBank, Section
from tests.bank_helpers import change_form_data, change_url, question_url, row_prefix
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]


@pytest.fixture
def admin_client(client, superuser):
    return signed_in(client, superuser)


def _post(client, bank, change, url=None):
    url = url or change_url(bank)
    response = client.get(url)
    data = change_form_data(response)
    change(response, data)
    return client.post(url, data)


def _text(response):
    return response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")


# --- Finding 5: a forged section or question id -----------------------------------------------


def test_a_forged_section_id_of_another_bank_is_refused(admin_client, bank, draft):
    other_section = Section.objects.filter(bank=bank).first()
    question = draft.questions.get(code="PRO-06")

    def forge(response, data):
        data["section"] = str(other_section.pk)

    response = _post(admin_client, draft, forge, question_url(question))
    assert response.status_code == 200
    assert "Select a valid choice" in _text(response)
    question.refresh_from_db()
    assert question.section.bank_id == draft.pk


def test_a_forged_question_id_of_another_bank_is_refused_for_a_choice(admin_client, bank, draft):
    other_question = Question.objects.filter(bank=bank).first()
    choice = Choice.objects.filter(bank=draft).first()

    def forge(response, data):
        prefix = row_prefix(response, "choice", pk=choice.pk)
        data[f"{prefix}-question"] = str(other_question.pk)

    response = _post(admin_client, draft, forge, question_url(choice.question))
    assert response.status_code == 200
    assert "Please correct the error below" in _text(response)
    choice.refresh_from_db()
    assert choice.question.bank_id == draft.pk


def test_a_forged_condition_on_another_banks_question_is_refused(admin_client, bank, draft):
    other_question = Question.objects.get(bank=bank, code="PRO-01")
    question = draft.questions.get(code="PRO-06")

    def forge(response, data):
        data["show_if_question"] = str(other_question.pk)
        data["show_if_choices"] = "yes"

    response = _post(admin_client, draft, forge, question_url(question))
    assert response.status_code == 200
    assert "Select a valid choice" in _text(response)
    question.refresh_from_db()
    assert question.show_if_question is None or question.show_if_question.bank_id == draft.pk


def test_the_database_refuses_a_question_in_another_banks_section(bank, draft):
    other_section = Section.objects.filter(bank=bank).first()
    question = draft.questions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(section=other_section)
    with pytest.raises(IntegrityError), transaction.atomic():
        Choice.objects.filter(bank=draft).update(question=Question.objects.filter(bank=bank)[0])


def test_publish_names_a_part_tied_to_another_version(bank, draft, superuser):
    # Past the forms and the database's trigger (say, a repair script that dropped it):
    # publishing still refuses.
    other_section = Section.objects.filter(bank=bank).first()
    question = draft.questions.get(code="PRO-06")
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER assess_question_same_bank_update")
        else:  # triggers off for this session (the tests connect as a superuser)
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE assess_question SET section_id = %s WHERE id = %s",
            [other_section.pk, question.pk],
        )
        if connection.vendor != "sqlite":
            cursor.execute("SET session_replication_role = DEFAULT")
    problems = publish_problems(draft)
    named = [p for p in problems if p.message == "its section belongs to another bank version"]
    assert [(p.subject.split(" “")[0], p.url) for p in named] == [
        ("Question PRO-06", question_url(question))
    ]
    with pytest.raises(BankError):
        bank_publish(bank=draft, user=superuser)


# --- Findings 1, 3 and 4: lengths, JSON and unstorable text in admin -------------------------


def test_a_question_text_over_its_limit_is_refused_in_admin(admin_client, draft):
    question = draft.questions.get(code="PRO-06")
    limit = limits.TEXT_LIMITS["question.text"]

    def long_text(response, data):
        data["text"] = "A" * 200_000

    response = _post(admin_client, draft, long_text, question_url(question))
    assert response.status_code == 200
    assert f"200,000 characters, over the limit of {limit:,}" in _text(response)
    question.refresh_from_db()
    assert len(question.text) < limit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "Enter a valid JSON"),
        ('{"hygiene_first": [{"action": ' + "9" * 5000 + "}]}", "Enter a valid JSON"),
        ('{"hygiene_first": [{"action": "Fix the \\ud800 things"}]}', "not valid Unicode"),
        ('{"hygiene_first": [{"action": 1e999}]}', "not a finite number"),
        (json.dumps({"hygiene_first": [{"action": "x" * 501}]}), "over the limit of 500"),
    ],
)
def test_hostile_plans_json_gets_a_form_error(admin_client, draft, value, expected):
    before = QuestionBank.objects.get(pk=draft.pk).plans

    def hostile(response, data):
        data["plans"] = value

    response = _post(admin_client, draft, hostile)
    assert response.status_code == 200
    assert expected in _text(response)
    assert QuestionBank.objects.get(pk=draft.pk).plans == before


@pytest.mark.parametrize(
    "value",
    [
        '[{"track": "normative", "cap": "none", "when": {"X": ["\\ud800"]}}]',
        '[{"track": "\\ud800"}]',
    ],
)
def test_a_lone_surrogate_in_the_gates_json_gets_a_form_error(admin_client, draft, value):
    before = QuestionBank.objects.get(pk=draft.pk).gates

    def hostile(response, data):
        data["gates"] = value

    response = _post(admin_client, draft, hostile)
    assert response.status_code == 200
    assert "not valid Unicode" in _text(response)
    assert QuestionBank.objects.get(pk=draft.pk).gates == before


@pytest.mark.parametrize(
    "value",
    [
        "[" * 3000 + "]" * 3000,
        '[{"code": "x", "text": "t", "as_of": ' + "1" * 5000 + "}]",
        '[{"code": "x", "text": "\\ud800"}]',
    ],
)
def test_hostile_caveats_json_gets_a_form_error(admin_client, draft, value):
    def hostile(response, data):
        data["caveats"] = value

    response = _post(admin_client, draft, hostile)
    assert response.status_code == 200
    assert "errornote" in response.text
