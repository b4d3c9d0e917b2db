"""The bank JSON format: export then import gives an equal bank; bad files are refused whole."""

import copy
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from assess.banks.format import MAX_IMPORT_BYTES, BankError, bank_problems, bank_read
from assess.banks.store import bank_dumps, bank_export, bank_import
from assess.models import Choice, Question, QuestionBank, Section
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]


def _without_version(doc):
    doc = copy.deepcopy(doc)
    doc["bank"]["version"] = 0
    return doc


def _canonical(doc):
    """A hand-written document with every optional key filled in, as an export writes it."""
    doc = copy.deepcopy(doc)
    b = doc["bank"]
    b.setdefault("description", "")
    b.setdefault("plans", {})
    b.setdefault("caveats", [])
    b.setdefault("gates", [])
    b.setdefault("translations", {})
    for s in b["sections"]:
        s.setdefault("intro", "")
        s.setdefault("who_knows", "")
        s.setdefault("translations", {})
        for q in s["questions"]:
            for key, default in (
                ("help", ""),
                ("kind", "single"),
                ("required", True),
                ("weight", 1.0),
                ("fact", False),
                ("show_if", None),
                ("translations", {}),
            ):
                q.setdefault(key, default)
            q["weight"] = float(q["weight"])
            for c in q["choices"]:
                c.setdefault("points", {})
                c.setdefault("tags", [])
                c.setdefault("is_unknown", False)
                c.setdefault("sizes", [])
                c.setdefault("translations", {})
    return doc


def test_export_then_import_gives_an_equal_bank(bank):
    exported = bank_export(bank)
    again = bank_import(json.loads(bank_dumps(exported)), version=4, status="draft")
    assert _without_version(bank_export(again)) == _without_version(exported)
    assert again.sections.count() == bank.sections.count()
    assert Question.objects.filter(bank=again).count() == Question.objects.filter(bank=bank).count()
    assert Choice.objects.filter(bank=again).count() == Choice.objects.filter(bank=bank).count()
    conditional = Question.objects.filter(bank=again).exclude(show_if_question=None)
    assert conditional.count() == 7
    assert all(q.show_if_question.bank_id == again.pk for q in conditional)


def test_the_shipped_file_exports_as_it_was_written(bank, bank_document):
    assert bank_export(bank) == _canonical(bank_document)


def test_an_export_passes_the_import_checks(bank):
    assert bank_problems(bank_export(bank)) == []


def test_the_export_command_writes_the_current_version(bank, tmp_path, capsys):
    call_command("export_bank")
    assert json.loads(capsys.readouterr().out) == bank_export(bank)
    out = tmp_path / "bank.json"
    call_command("export_bank", "default", "--bank-version", "3", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == bank_export(bank)


def test_the_export_command_names_the_versions_it_has(bank):
    with pytest.raises(CommandError, match=r"has no version 7; versions: 3 \(published\)"):
        call_command("export_bank", "default", "--bank-version", "7")
    with pytest.raises(CommandError, match="No published version"):
        call_command("export_bank", "suppliers")


def test_the_import_command_round_trips_and_logs(bank, superuser, tmp_path, capsys):
    path = tmp_path / "bank.json"
    path.write_text(bank_dumps(bank_export(bank)), encoding="utf-8")
    call_command("import_bank", str(path), "--next-version", "--user", superuser.email)
    assert "Imported Alliance readiness v4 (Draft)" in capsys.readouterr().out
    new = QuestionBank.objects.get(slug="default", version=4)
    assert _without_version(bank_export(new)) == _without_version(bank_export(bank))
    assert LogEntry.objects.get(object_id=str(new.pk)).user == superuser
    call_command("import_bank", str(path), "--next-version", "--publish")
    assert QuestionBank.objects.current().version == 5


def test_the_import_command_refuses_a_version_that_exists(bank, tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(bank_dumps(bank_export(bank)), encoding="utf-8")
    with pytest.raises(CommandError, match=r"version 3 of \"default\" exists already"):
        call_command("import_bank", str(path))
    assert QuestionBank.objects.count() == 1


def test_import_is_all_or_nothing_when_the_database_fails_midway(bank, monkeypatch):
    doc = bank_export(bank)
    calls = {"n": 0}
    real = Choice.objects.bulk_create

    def failing(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Choice.objects, "bulk_create", failing)
    before = (QuestionBank.objects.count(), Section.objects.count(), Question.objects.count())
    with pytest.raises(RuntimeError):
        bank_import(doc, version=4)
    after = (QuestionBank.objects.count(), Section.objects.count(), Question.objects.count())
    assert before == after


def _doc(bank_document):
    return copy.deepcopy(bank_document)


def _broken(bank_document, breaker):
    doc = _doc(bank_document)
    breaker(doc)
    return json.dumps(doc).encode()


def _dup_choice(doc):
    q = doc["bank"]["sections"][2]["questions"][4]
    q["choices"].append(dict(q["choices"][0]))


def _one_choice(doc):
    doc["bank"]["sections"][1]["questions"][0]["choices"] = [{"code": "only", "label": "Only"}]


def _dup_question(doc):
    doc["bank"]["sections"][1]["questions"][1]["code"] = doc["bank"]["sections"][1]["questions"][0][
        "code"
    ]


def _later_condition(doc):
    later = doc["bank"]["sections"][3]["questions"][0]
    doc["bank"]["sections"][0]["questions"][0]["show_if"] = {
        "question": later["code"],
        "choices": [later["choices"][0]["code"]],
    }


def _missing_condition(doc):
    doc["bank"]["sections"][0]["questions"][2]["show_if"] = {"question": "NOPE-1", "choices": ["a"]}


def _wrong_types(doc):
    q = doc["bank"]["sections"][0]["questions"][0]
    q["required"] = "yes"
    q["weight"] = "2"
    q["choices"][0]["label"] = 7
    q["choices"][0]["tags"] = "has_irt"
    doc["bank"]["version"] = "1"
    doc["bank"]["sections"][1]["title"] = ["Capacity"]


def _unknown_dimension(doc):
    doc["bank"]["sections"][0]["questions"][0]["choices"][0]["points"] = {"charisma": 2}


def _threshold(doc):
    doc["bank"]["thresholds"]["min_known_share"] = 140


def _unknown_key(doc):
    doc["bank"]["sections"][0]["questions"][0]["txt"] = "typo"


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (_dup_choice, "sections[2].questions[4].choices: duplicate code"),
        (_one_choice, "sections[1].questions[0].choices: fewer than two choices"),
        (_dup_question, "sections[1].questions[1].code: duplicate code"),
        (_later_condition, "sections[0].questions[0].show_if: refers to"),
        (_missing_condition, 'refers to "NOPE-1", a missing question'),
        (_wrong_types, "sections[0].questions[0].required: expected true or false"),
        (_wrong_types, "sections[0].questions[0].weight: expected a number"),
        (_wrong_types, "sections[0].questions[0].choices[0].label: expected a non-empty string"),
        (_wrong_types, "sections[0].questions[0].choices[0].tags: expected a list of strings"),
        (_wrong_types, "bank.version: expected a positive whole number"),
        (_wrong_types, "sections[1].title: expected a non-empty string"),
        (
            _unknown_dimension,
            'sections[0].questions[0].choices[0].points: unknown dimension "charisma"',
        ),
        (_threshold, "bank.thresholds: Threshold min_known_share must be between 0 and 100"),
        (_unknown_key, 'sections[0].questions[0]: unknown key "txt"'),
    ],
)
def test_a_bad_file_is_refused_with_each_problem_and_its_path(bank_document, db, breaker, expected):
    raw = _broken(bank_document, breaker)
    with pytest.raises(BankError) as error:
        bank_import(bank_read(raw), version=5)
    assert any(p.startswith(expected) or expected in p for p in error.value.problems), (
        error.value.problems
    )
    assert not QuestionBank.objects.exists()


def test_a_later_condition_is_named_as_later(bank_document):
    doc = _doc(bank_document)
    _later_condition(doc)
    assert any("a later question; it must come earlier" in p for p in bank_problems(doc))


def test_all_problems_are_reported_at_once(bank_document):
    doc = _doc(bank_document)
    for breaker in (_dup_choice, _one_choice, _unknown_dimension, _threshold, _missing_condition):
        breaker(doc)
    assert len(bank_problems(doc)) >= 5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"format": "alliance-bank", ', "file: not valid JSON: Expecting property name"),
        (b"\xff\xfe\x00garbage", "file: not UTF-8 text"),
        (b"[1, 2, 3]", "document: expected a JSON object"),
        (b'{"format": "alliance-bank", "format_version": 9}', "format_version: expected 3"),
        (b'{"format": "something-else"}', 'format: expected "alliance-bank"'),
        (b"[" * 100_000 + b"]" * 100_000, "file:"),
    ],
)
def test_malformed_files_get_a_clear_message(db, raw, expected):
    with pytest.raises(BankError) as error:
        data = bank_read(raw)
        bank_import(data)
    assert error.value.problems[0].startswith(expected), error.value.problems


def test_a_file_over_the_size_limit_is_refused_before_parsing(db):
    raw = b" " * (MAX_IMPORT_BYTES + 1)
    with pytest.raises(BankError, match="over the limit of 1 MiB"):
        bank_read(raw)


def test_the_import_command_refuses_bad_files_with_their_paths(db, bank_document, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(_broken(bank_document, _dup_choice))
    with pytest.raises(CommandError) as error:
        call_command("import_bank", str(path))
    assert "nothing was imported" in str(error.value)
    assert "sections[2].questions[4].choices: duplicate code" in str(error.value)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_IMPORT_BYTES + 10))
    with pytest.raises(CommandError, match="over the limit of 1 MiB"):
        call_command("import_bank", str(big))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_bank", str(tmp_path / "missing.json"))
    assert not QuestionBank.objects.exists()


# --- The admin's import page ------------------------------------------------------------------


@pytest.fixture
def admin_client(client, superuser):
    return signed_in(client, superuser)


def _upload(client, raw, name="bank.json", as_next=True):
    data = {"file": SimpleUploadedFile(name, raw, content_type="application/json")}
    if as_next:
        data["as_next"] = "on"
    return client.post("/admin/assess/questionbank/import/", data, follow=True)


def test_the_import_page_creates_a_draft_and_logs_it(admin_client, bank):
    response = _upload(admin_client, bank_dumps(bank_export(bank)).encode(), "default-v3.json")
    new = QuestionBank.objects.get(slug="default", version=4)
    assert new.status == "draft"
    assert "Imported Alliance readiness v4 (Draft) as a draft" in response.text
    assert LogEntry.objects.filter(
        object_id=str(new.pk), change_message__contains="from default-v3.json"
    ).exists()


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (_dup_choice, "sections[2].questions[4].choices: duplicate code"),
        (_unknown_dimension, "unknown dimension"),
        (_wrong_types, "bank.version: expected a positive whole number"),
    ],
)
def test_the_import_page_lists_every_problem(admin_client, bank_document, db, breaker, expected):
    response = _upload(admin_client, _broken(bank_document, breaker))
    text = response.text.replace("&quot;", '"')
    assert "Nothing was imported" in text
    assert expected in text
    assert not QuestionBank.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b" " * (MAX_IMPORT_BYTES + 1), "the limit is 1 MiB"),
    ],
)
def test_the_import_page_refuses_malformed_and_oversized_files(admin_client, db, raw, expected):
    response = _upload(admin_client, raw)
    assert response.status_code == 200
    assert expected in response.text
    assert not QuestionBank.objects.exists()


def test_the_import_page_refuses_an_existing_version_unless_asked_for_the_next(admin_client, bank):
    raw = bank_dumps(bank_export(bank)).encode()
    response = _upload(admin_client, raw, as_next=False)
    assert "exists already" in response.text.replace("&quot;", '"')
    assert QuestionBank.objects.count() == 1


def test_a_format_1_file_is_read_as_format_3(db):
    """Exports made before the two appetites: their one risk tolerance scores both, their
    thresholds take the new names, their plan owners become roles."""
    from pathlib import Path

    raw = (Path(__file__).parent / "data" / "default_bank_format1.json").read_bytes()
    doc = bank_read(raw)
    assert doc["format_version"] == 1
    assert bank_problems(doc) == []
    imported = bank_import(doc, version=9, status="draft")
    t = imported.thresholds
    assert t["contributing_sharing_tolerance"] == 45 and "min_confidence" not in t
    assert t["threat_high"] == 100  # format 1 had no threat pressure: never high
    board = Choice.objects.get(bank=imported, question__code="RSK-01", code="keen")
    assert board.points == {"sharing_tolerance": 4, "commitment_tolerance": 4}
    assert imported.plans["hygiene_first"][0]["owner"] == "cio"
    assert bank_export(imported)["format_version"] == 3


@pytest.mark.parametrize(
    ("gate", "problem"),
    [
        (
            {
                "code": "g",
                "text": "t",
                "when": [{"question": "RSK-01", "choices": ["unknown"]}],
                "limits": {"normative": "none"},
            },
            "bank.gates[0].when[0]: names the \"Don't know\" choice ['unknown']",
        ),
        (
            {
                "code": "g",
                "text": "t",
                "when": [{"question": "NOPE", "choices": ["x"]}],
                "limits": {"normative": "none"},
            },
            'bank.gates[0].when[0]: refers to "NOPE", a missing question',
        ),
        (
            {
                "code": "g",
                "text": "t",
                "when": [{"question": "RSK-01", "choices": ["against"]}],
                "limits": {"normative": "signatory"},
            },
            'bank.gates[0].limits: "normative" can be capped at none, supporter, not "signatory"',
        ),
        (
            {"code": "g", "text": "", "when": [], "limits": {"sharing": "none"}},
            "bank.gates[0].when: expected a non-empty list of conditions",
        ),
    ],
)
def test_a_bad_gate_is_refused_with_its_path(bank_document, gate, problem):
    doc = copy.deepcopy(bank_document)
    doc["bank"]["gates"] = [gate]
    assert any(p.startswith(problem) for p in bank_problems(doc)), bank_problems(doc)


def test_a_plan_step_must_name_a_known_owner_and_real_conditions(bank_document):
    doc = copy.deepcopy(bank_document)
    step = doc["bank"]["plans"]["hygiene_first"][0]
    step["owner"] = "CISO"
    step["done_if"] = [{"question": "CAP-06", "choices": ["maybe"]}]
    step["only_if"] = {"sizes_any": ["huge"]}
    problems = bank_problems(doc)
    assert any("plans.hygiene_first[0].owner: expected one of" in p for p in problems)
    assert any("no such choices ['maybe'] on \"CAP-06\"" in p for p in problems)
    assert any("only_if.sizes_any: unknown size bands ['huge']" in p for p in problems)
