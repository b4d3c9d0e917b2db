"""Hostile or mistaken bank documents: every one gets a problem list with paths, nothing is
stored, and no text a page or a PDF cannot handle gets in (issue 14, findings 1, 2 and 4)."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from assess.banks import limits
from assess.banks.format import BankError, bank_problems, bank_read
from assess.models import QuestionBank
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]


@pytest.fixture
def admin_client(client, superuser):
    return signed_in(client, superuser)


def _upload(client, raw):
    data = {"file": SimpleUploadedFile("bank.json", raw, "application/json"), "as_next": "on"}
    return client.post("/admin/assess/questionbank/import/", data, follow=True)


def _doc(bank_document, change):
    doc = copy.deepcopy(bank_document)
    change(doc["bank"])
    return json.dumps(doc).encode()


def _set(path, value):
    def change(bank):
        target = bank
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


MALFORMED = [
    (b'{"format": "alliance-bank", "format_version": 1, "bank": []}', "bank: expected an object"),
    (b'{"format": "alliance-bank", "format_version": 1, "bank": "x"}', "bank: expected an object"),
    (b'{"format": "alliance-bank", "format_version": 1, "bank": null}', "bank: expected an object"),
    (b'{"format": "alliance-bank", "format_version": ' + b"9" * 5000 + b"}", "file: not a"),
    (b'{"format": "alliance-bank", "format_version": 1, "x": NaN}', "not a finite number"),
    (b'{"format": "alliance-bank", "format_version": 1, "x": 1e999}', "not a finite number"),
    (b'{"format": "alliance-bank", "format_version": 1, "x": ' + b"9" * 20 + b"}", "2**53"),
]


@pytest.mark.parametrize(("raw", "expected"), MALFORMED)
def test_the_import_page_lists_the_problem_of_a_malformed_file(admin_client, raw, expected):
    response = _upload(admin_client, raw)
    assert response.status_code == 200
    assert expected in response.text
    assert not QuestionBank.objects.exists()


@pytest.mark.parametrize(("raw", "expected"), MALFORMED)
def test_the_import_command_lists_the_problem_of_a_malformed_file(db, tmp_path, raw, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    with pytest.raises(CommandError, match="nothing was imported") as error:
        call_command("import_bank", str(path))
    assert expected in str(error.value)
    assert not QuestionBank.objects.exists()


SURROGATE = "Review the \ud800 plan"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set(("name",), SURROGATE), "bank.name: contains a character that is not valid Unicode"),
        (
            _set(("sections", 0, "questions", 0, "text"), SURROGATE),
            "document.bank.sections[0].questions[0].text: contains a character",
        ),
        (
            _set(("plans", "hygiene_first", 0, "action"), SURROGATE),
            "document.bank.plans.hygiene_first[0].action: contains a character",
        ),
        (_set(("description",), "a\x00b"), "document.bank.description: contains a NUL"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_at_import(
    admin_client, bank_document, change, expected
):
    # json.dumps writes the lone surrogate as the escape "\ud800", as a crafted file would.
    response = _upload(admin_client, _doc(bank_document, change))
    assert response.status_code == 200
    assert expected in response.text.replace("&quot;", '"')
    assert not QuestionBank.objects.exists()


def test_deeply_nested_values_are_refused_with_their_path(db, bank_document):
    doc = copy.deepcopy(bank_document)
    nested = "x"
    for _ in range(limits.MAX_DEPTH + 5):
        nested = [nested]
    doc["bank"]["caveats"][0]["when"]["tags_any"] = nested
    problems = bank_problems(doc)
    assert any("nested more than 20 levels deep" in p for p in problems), problems


@pytest.mark.parametrize(
    ("path", "kind", "code"),
    [
        (("sections", 2, "questions", 4, "text"), "question.text", "CAP-05"),
        (("sections", 2, "questions", 4, "help"), "question.help", "CAP-05"),
        (("sections", 0, "intro"), "section.intro", None),
        (("sections", 0, "title"), "section.title", None),
        (("sections", 2, "questions", 4, "choices", 0, "label"), "choice.label", None),
        (("plans", "hygiene_first", 0, "action"), "plan.action", None),
        (("caveats", 0, "text"), "caveat.text", None),
        (("description",), "bank.description", None),
    ],
)
def test_every_bank_text_has_a_length_limit_named_with_its_path(bank_document, path, kind, code):
    limit = limits.TEXT_LIMITS[kind]
    at_limit = _doc(bank_document, _set(path, "x" * limit))
    assert bank_problems(json.loads(at_limit)) == []
    over = json.loads(_doc(bank_document, _set(path, "x" * (limit + 1))))
    problems = bank_problems(over)
    assert len(problems) == 1, problems
    # A few texts had a limit in the shape checks already ("at most 200 characters").
    assert f"limit of {limit:,}" in problems[0] or f"at most {limit} characters" in problems[0]
    if code:
        assert f'("{code}")' in problems[0]
    where = path[0] if path[0] == "sections" else "bank"
    assert problems[0].startswith(where), problems


def test_the_number_of_choices_is_limited(bank_document):
    doc = copy.deepcopy(bank_document)
    q = doc["bank"]["sections"][0]["questions"][0]
    q["choices"] = [
        {"code": f"c{i}", "label": f"Choice {i}", "points": {"capacity": 1}} for i in range(13)
    ]
    problems = bank_problems(doc)
    assert any("13 items, over the limit of 12" in p for p in problems), problems


def test_a_text_too_long_is_refused_at_import_with_the_question_code(admin_client, bank_document):
    raw = _doc(bank_document, _set(("sections", 2, "questions", 4, "text"), "A" * 200_000))
    response = _upload(admin_client, raw)
    text = response.text.replace("&quot;", '"')
    assert (
        'sections[2].questions[4].text ("CAP-05"): 200,000 characters, over the limit of 1,000'
        in text
    )
    assert not QuestionBank.objects.exists()


def test_bank_read_refuses_a_huge_integer(db):
    with pytest.raises(BankError, match="file: not a question bank"):
        bank_read(b'{"a": ' + b"1" * 5000 + b"}")
