"""A bank text with no translation is shown in English on a French page, and every place it
appears says so with lang="en" (WCAG 3.1.2): the questionnaire, its review, the bank
editor's preview and the workshop's consensus."""

from html.parser import HTMLParser

import pytest

from assess.banks.services import bank_new_draft
from assess.models import Choice, Question, Section
from tests.conftest import answer_everything, section_post, signed_in
from tests.workshop_helpers import team_workshop

pytest_plugins = ["tests.bank_fixtures"]


class _Langs(HTMLParser):
    """Each text node of <main> with the language of the element it is in."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.in_main = [("html", "fr")], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or self.stack[-1][1]
        self.stack.append((tag, lang))
        self.in_main += tag == "main"

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack and self.stack[-1][0] != tag:
            self.stack.pop()
        if self.stack:
            self.stack.pop()
        self.in_main -= tag == "main"

    def handle_data(self, data):
        if self.in_main and data.strip():
            self.texts.append((data, self.stack[-1][1]))


def unmarked(page, english):
    """The places in `page`'s <main> where one of the `english` texts is not marked lang="en"."""
    parser = _Langs()
    parser.feed(page)
    return [
        (text.strip()[:80], lang)
        for text, lang in parser.texts
        if any(e in text for e in english) and lang != "en"
    ]


def _untranslate(bank):
    """PRO-03's text, its choices' labels and its section's title lose their French."""
    # Behind the models' backs: a published version refuses edits.
    question = Question.objects.get(bank=bank, code="PRO-03")
    section = question.section
    for model, obj in (
        (Question, question),
        *((Choice, c) for c in question.choices.all()),
        (Section, section),
    ):
        translations = {k: v for k, v in obj.translations.items() if k != "fr"}
        model.objects.filter(pk=obj.pk).update(translations=translations)
    labels = [c.label for c in Choice.objects.filter(question=question) if not c.is_unknown]
    return [question.text, section.title, *labels], section


@pytest.fixture
def french(client, owner):
    signed_in(client, owner)
    client.post("/language/", {"language": "fr", "next": "/"})
    return client


def test_the_questionnaire_and_its_review_mark_english_texts(french, assessment):
    english, section = _untranslate(assessment.bank)
    number = (
        list(Section.objects.filter(bank=assessment.bank).order_by("order", "id")).index(section)
        + 1
    )
    page = french.get(f"/a/{assessment.code}/s/{number}/").text
    assert english[0] in page
    assert unmarked(page, english) == []
    answer_everything(french, assessment)
    review = french.get(f"/a/{assessment.code}/review/").text
    assert english[0] in review
    assert unmarked(review, english) == [], unmarked(review, english)


def test_the_editor_s_preview_marks_english_texts(client, editor, bank, superuser):
    draft = bank_new_draft(bank=bank, user=superuser)
    english, section = _untranslate(draft)
    signed_in(client, editor)
    client.post("/language/", {"language": "fr", "next": "/"})
    base = f"/admin/assess/questionbank/{draft.pk}/preview/"
    client.get(base)
    number = list(Section.objects.filter(bank=draft).order_by("order", "id")).index(section) + 1
    page = client.get(f"{base}s/{number}/").text
    assert english[0] in page and unmarked(page, english) == []
    from assess.selectors import bank_view

    client.post(f"{base}s/{number}/", section_post(bank_view(draft), number, "low"))
    review = client.get(f"{base}review/").text
    assert english[0] in review
    assert unmarked(review, english) == [], unmarked(review, english)


def test_the_consensus_marks_english_texts(french, owner, org, bank):
    english, _section = _untranslate(bank)
    workshop, _people = team_workshop(
        org, owner, {"Ann": {"PRO-03": "contained"}, "Ben": {"PRO-03": "sector"}}
    )
    page = french.get(f"/workshops/{workshop.assessment.code}/consensus/").text
    assert english[0] in page
    assert unmarked(page, english) == []
