"""The bank editor's pages (issue 15): constant queries, a name for every input, problems named
by the part they concern with a link to it, and the sortable2 set-up on Django 6.1."""

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders

from assess.banks.services import publish_problems
from assess.models import Choice, Question, QuestionBank, Section
from tests.bank_helpers import change_url, question_url, section_url
from tests.conftest import signed_in
from tests.test_admin_banks import BANK_PAGE_QUERIES

pytest_plugins = ["tests.bank_fixtures"]

# As an editor, whose permissions come from a group: two queries more than a superuser's.
EDITOR_BANK_PAGE_QUERIES = BANK_PAGE_QUERIES + 2
QUESTION_PAGE_QUERIES = 9
SECTION_PAGE_QUERIES = 6


@pytest.fixture
def editor_client(client, editor):
    return signed_in(client, editor)


def _grow(draft):
    """More of everything: a section with two questions, and three more choices on CAP-04.
    All publishable and translated: a draft with problems or texts without a translation reads
    its sections' and questions' ids once more (two queries, however many) to link each."""

    def both(field, text):
        return {lang: {field: f"{text} ({lang})"} for lang in ("fr", "de")}

    section = Section.objects.create(
        bank=draft, code="extra", title="Extra", order=99, translations=both("title", "Extra")
    )
    for n in (1, 2):
        q = Question.objects.create(
            bank=draft,
            section=section,
            code=f"EXT-0{n}",
            text=f"Extra {n}?",
            order=n,
            translations=both("text", f"Extra {n}?"),
        )
        for order, code in enumerate("ab", start=1):
            Choice.objects.create(
                question=q,
                code=code,
                label=code.upper(),
                order=order,
                translations=both("label", code.upper()),
            )
    cap = draft.questions.get(code="CAP-04")
    for n in range(3):
        Choice.objects.create(
            question=cap,
            code=f"more{n}",
            label=f"More {n}",
            order=10 + n,
            translations=both("label", f"More {n}"),
        )
    return section


def test_the_bank_question_and_section_pages_have_a_constant_number_of_queries(
    editor_client, draft, django_assert_num_queries
):
    question = draft.questions.get(code="CAP-04")
    pages = [
        (change_url(draft), EDITOR_BANK_PAGE_QUERIES),
        (question_url(question), QUESTION_PAGE_QUERIES),
        (section_url(question.section), SECTION_PAGE_QUERIES),
    ]
    for url, _queries in pages:  # the process caches content types on the first page
        editor_client.get(url)
    for url, queries in pages:
        with django_assert_num_queries(queries):
            assert editor_client.get(url).status_code == 200
    _grow(draft)
    for url, queries in pages:
        with django_assert_num_queries(queries):
            assert editor_client.get(url).status_code == 200


class _Inputs(HTMLParser):
    """The form controls a person fills in, and the ids that a <label for> names."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)

    def unnamed(self):
        return [
            c.get("name") or c.get("id")
            for c in self.controls
            if not c.get("aria-label")
            and c.get("id") not in self.labelled
            and c.get("type") not in ("submit", "button")
        ]


@pytest.mark.parametrize("page", ["bank", "question", "section"])
def test_every_input_of_the_bank_pages_has_a_name(editor_client, draft, page):
    question = draft.questions.get(code="CAP-04")
    url = {
        "bank": change_url(draft),
        "question": question_url(question),
        "section": section_url(question.section),
    }[page]
    parser = _Inputs()
    parser.feed(editor_client.get(url).text)
    assert parser.controls
    assert parser.unnamed() == []


def test_a_choice_rows_inputs_say_which_choice_they_belong_to(editor_client, draft):
    page = editor_client.get(question_url(draft.questions.get(code="CAP-04"))).text
    assert 'aria-label="Label, choice team"' in page
    assert 'aria-label="Capacity, choice team"' in page
    assert 'aria-label="Delete, choice team"' in page
    assert 'aria-label="Label, new choice"' in page  # the row "Add another" copies


def test_the_question_page_has_wide_text_boxes(editor_client, draft):
    page = editor_client.get(question_url(draft.questions.get(code="CAP-04"))).text
    assert '<textarea name="text" cols="80" rows="4" class="vLargeTextField"' in page
    assert '<textarea name="help" cols="80" rows="4" class="vLargeTextField"' in page


def test_the_pages_of_a_published_version_are_read_only(editor_client, bank):
    question = bank.questions.get(code="CAP-04")
    for url in (question_url(question), section_url(question.section)):
        page = editor_client.get(url).text
        assert "is published, so it is read-only" in page
        assert 'name="code"' not in page and 'name="title"' not in page
        assert 'name="choices-0-label"' not in page
        assert not re.search(r'<fieldset class="module [^"]*\bsortable', page)
        assert editor_client.post(url, {"code": "X"}).status_code == 403
    question.refresh_from_db()
    assert question.code == "CAP-04"


# --- Problems named by the part they concern --------------------------------------------------


def _one(problems, fragment):
    found = [p for p in problems if fragment in p]
    assert len(found) == 1, problems
    return found[0]


def test_publish_problems_name_each_part_and_link_to_its_page(draft):
    section = draft.sections.get(code="threat")
    Section.objects.filter(pk=section.pk).update(title="")
    question = draft.questions.get(code="CAP-04")
    Choice.objects.filter(question=question, code="team").update(label="")
    gates = [dict(g) for g in draft.gates]
    gates[0]["when"] = [{"question": "NOPE-01", "choices": ["x"]}]
    caveats = [dict(c) for c in draft.caveats]
    caveats[0]["text"] = ""
    plans = {k: [dict(s) for s in v] for k, v in draft.plans.items()}
    plans["hygiene_first"][1]["owner"] = "nobody"
    QuestionBank.objects.filter(pk=draft.pk).update(gates=gates, caveats=caveats, plans=plans)
    draft.refresh_from_db()

    problems = publish_problems(draft)
    bank_url = change_url(draft)

    p = _one(problems, "title: expected a non-empty string")
    assert (p.subject, p.url) == ("Section (threat)", section_url(section))
    p = _one(problems, "label: expected a non-empty string")
    assert p.subject == f"Question CAP-04 “{question.text}”, choice “team”"
    assert p.url == question_url(question)
    p = _one(problems, 'refers to "NOPE-01", a missing question')
    assert p.subject.startswith(f"Gate {gates[0]['code']} “")
    assert p.message.startswith("condition 1: ") and p.url == f"{bank_url}#id_gates"
    p = _one(problems, "text: expected a non-empty string")
    assert (p.subject, p.url) == (f"Caveat {caveats[0]['code']}", f"{bank_url}#id_caveats")
    p = _one(problems, "owner: expected one of")
    assert p.subject.startswith("Plan hygiene_first, step 2 “") and p.url == f"{bank_url}#id_plans"
    assert not any("sections[" in p or "bank.gates[" in p for p in problems)


def test_a_problem_reads_as_one_plain_sentence(draft):
    draft.questions.get(code="PRO-05").choices.exclude(code="yes").delete()
    (problem,) = publish_problems(draft)
    assert isinstance(problem, str)
    assert str(problem) == f"{problem.subject}: choices: fewer than two choices"


def test_the_draft_page_links_each_problem(editor_client, draft):
    question = draft.questions.get(code="PRO-05")
    question.choices.exclude(code="yes").delete()
    page = editor_client.get(change_url(draft)).text
    assert f'<a href="{question_url(question)}">Question PRO-05' in page


# --- django-admin-sortable2 on Django 6.1 ------------------------------------------------------


def test_sortable2s_inline_template_fits_this_django():
    # SortableInline uses sortable2's copy of Django 6.0's tabular inline template; it is right
    # only while this Django's template is the same as the one sortable2 copied.
    import adminsortable2

    ours = Path(django.__file__).parent / "contrib/admin/templates/admin/edit_inline/tabular.html"
    copied = (
        Path(adminsortable2.__file__).parent
        / "templates/adminsortable2/edit_inline/tabular-django-6.0.html.orig"
    )
    assert ours.read_text() == copied.read_text()


def test_every_script_and_stylesheet_of_the_bank_pages_exists():
    for model in (QuestionBank, Section, Question):
        media = admin.site._registry[model].media
        paths = [getattr(s, "_path", s) for s in media._js]
        paths += [getattr(s, "_path", s) for sheets in media._css.values() for s in sheets]
        missing = [p for p in paths if not finders.find(p)]
        assert missing == [], model
        assert "js/admin_bank.js" in paths
        assert any(p.startswith("adminsortable2/js/adminsortable2") for p in paths)
