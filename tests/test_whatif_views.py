"""The what-if page and its verdict partial: the verdict for posted answers, reset, clearing an
answer, the path without JavaScript, and who may use them."""

import html
import re

import pytest

from assess.models import Answer
from assess.selectors import answer_codes, answers_of
from tests.conftest import answer_everything, signed_in


def _posted(view, codes, **extra):
    data = dict(extra)
    for q in view.questions:
        picked = codes.get(q.code, ())
        if picked:
            data[f"q_{q.code}"] = list(picked) if q.kind == "multi" else picked[0]
    return data


def _capable(view, saved):
    """The saved answers with every capacity question at its strongest known answer."""
    capable = dict(saved)
    for q in view.questions:
        if q.section.code == "capacity":
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            capable[q.code] = (known[-1].code,)
    return capable


@pytest.fixture
def submitted(owner_client, assessment):
    """A submitted assessment answered low (cyber hygiene first), with its saved answers."""
    view = answer_everything(owner_client, assessment, pick="low")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    return view, answer_codes(answers_of(assessment, view))


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_verdict_of_unchanged_answers_says_the_frozen_headline_in_the_page_language(
    owner_client, submitted, lang
):
    from assess.models import Assessment
    from assess.snapshot import Snapshot

    assessment = Assessment.objects.get(result__isnull=False)
    snap = Snapshot.from_dict(assessment.result)
    page = html.unescape(
        owner_client.get(f"/a/{assessment.code}/what-if/", HTTP_ACCEPT_LANGUAGE=lang).text
    )
    verdict = page.split('id="whatif-verdict-title"', 1)[1]
    assert snap.in_language(lang).headline in verdict
    assert snap.headline not in verdict  # it was once the English sentence


def _radio_question(view, section="capacity"):
    return next(q for q in view.questions if q.kind != "multi" and q.section.code == section)


def _question_block(page, code):
    """The fieldset of one question in the what-if page."""
    match = re.search(rf'<fieldset[^>]*id="q-{re.escape(code)}".*?</fieldset>', page, re.S)
    assert match, code
    return match.group(0)


def test_the_partial_gives_the_verdict_for_the_posted_answers(owner_client, assessment, submitted):
    view, saved = submitted
    frozen = assessment.result
    stored = Answer.objects.filter(assessment=assessment).count()
    response = owner_client.post(
        f"/a/{assessment.code}/what-if/verdict/", _posted(view, _capable(view, saved))
    )
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and "<form" not in text  # the verdict alone
    assert 'data-whatif-part="summary"' in text
    assert "A different recommendation" in text
    assert re.search(r"With these answers: <strong[^>]*>Operational alliances", text)
    assert "Your submitted result: Cyber hygiene first" in text
    capacity = [q for q in view.questions if q.section.code == "capacity"]
    assert f"{len(capacity)} answers changed" in text
    assert f'data-whatif-part="count-capacity"> <span class="badge">{len(capacity)}' in text
    # Nothing is saved.
    assessment.refresh_from_db()
    assert assessment.result == frozen
    assert answer_codes(answers_of(assessment, view)) == saved
    assert Answer.objects.filter(assessment=assessment).count() == stored


def test_the_partial_with_the_submitted_answers_says_nothing_changed(
    owner_client, assessment, submitted
):
    view, saved = submitted
    response = owner_client.post(f"/a/{assessment.code}/what-if/verdict/", _posted(view, saved))
    assert response.status_code == 200
    assert "The same recommendation" in response.text
    assert "no answer changed" in response.text
    assert "You have not changed any answer yet." in response.text


def test_the_partial_reports_a_forged_choice(owner_client, assessment, submitted):
    view, saved = submitted
    q = _radio_question(view)
    data = _posted(view, saved)
    data[f"q_{q.code}"] = "forged"
    response = owner_client.post(f"/a/{assessment.code}/what-if/verdict/", data)
    assert response.status_code == 400
    assert "not valid choices" in response.text


def test_the_partial_takes_posts_only(owner_client, assessment, submitted):
    assert owner_client.get(f"/a/{assessment.code}/what-if/verdict/").status_code == 405


def test_the_button_without_javascript_shows_the_verdict_and_marks_the_changes(
    owner_client, assessment, submitted
):
    view, saved = submitted
    response = owner_client.post(
        f"/a/{assessment.code}/what-if/", _posted(view, _capable(view, saved))
    )
    assert response.status_code == 200
    page = response.text
    assert "A different recommendation" in page
    assert re.search(r"With these answers: <strong[^>]*>Operational alliances", page)
    q = _radio_question(view)
    block = _question_block(page, q.code)
    assert "is-changed" in block
    submitted_choice = saved[q.code][0]
    strongest = _capable(view, saved)[q.code][0]
    # The posted answer is checked; the submitted one is remembered for the reset.
    assert f'value="{strongest}" checked' in block
    assert f'value="{submitted_choice}" data-submitted' in block
    label = next(c.label for c in q.choice_list if c.code == submitted_choice)
    assert re.search(
        r"<p [^>]*data-whatif-was>Changed. Your submitted answer: " + re.escape(label), block
    )
    # An unchanged question is not marked.
    other = _radio_question(view, section="geopolitics")
    assert "is-changed" not in _question_block(page, other.code)
    assert "data-whatif-was hidden" in _question_block(page, other.code)
    # The list of changes links each one to its question.
    assert f'<a href="#q-{q.code}">{q.code}</a>' in page


def test_reset_loads_the_submitted_answers_again(owner_client, assessment, submitted):
    view, saved = submitted
    url = f"/a/{assessment.code}/what-if/"
    changed = owner_client.post(url, _posted(view, _capable(view, saved))).text
    assert f'href="{url}" data-whatif-reset' in changed  # reset is a plain link to the page
    page = owner_client.get(url).text
    assert "The same recommendation" in page and "no answer changed" in page
    for q in view.questions:
        for code in saved.get(q.code, ()):
            assert f'value="{code}" checked data-submitted' in _question_block(page, q.code)
    assert "is-changed" not in page.split("<form", 1)[1].split("whatif-questions", 1)[1]


def test_clearing_a_radio_answer_without_javascript(owner_client, assessment, submitted):
    view, saved = submitted
    q = _radio_question(view)
    data = _posted(view, saved, clear=q.code)
    response = owner_client.post(f"/a/{assessment.code}/what-if/", data)
    assert response.status_code == 200
    page = response.text
    block = _question_block(page, q.code)
    assert " checked" not in block  # no radio of the question is checked any more
    assert f'value="{saved[q.code][0]}" data-submitted' in block
    assert "Your submitted answer:" in block and "data-whatif-was hidden" not in block
    assert "1 answer changed" in page
    assert "to <em>(not answered)</em>" in page
    # Its clear button is hidden now that there is nothing to clear; the others are not.
    assert re.search(
        rf'value="{q.code}" formaction="[^"]*#q-{q.code}" data-whatif-clear hidden', block
    )
    other = _radio_question(view, section="geopolitics")
    assert not re.search(r"data-whatif-clear hidden", _question_block(page, other.code))


def test_clearing_in_the_partial_gives_the_verdict_without_that_answer(
    owner_client, assessment, submitted
):
    view, saved = submitted
    q = _radio_question(view)
    response = owner_client.post(
        f"/a/{assessment.code}/what-if/verdict/", _posted(view, saved, clear=q.code)
    )
    assert response.status_code == 200
    assert "1 answer changed" in response.text
    assert "to <em>(not answered)</em>" in response.text


def test_a_draft_is_compared_with_its_saved_answers(owner_client, assessment):
    view = answer_everything(owner_client, assessment, pick="low")
    saved = answer_codes(answers_of(assessment, view))
    page = owner_client.get(f"/a/{assessment.code}/what-if/").text
    assert "With your saved answers: Cyber hygiene first" in page
    assert "Reset answers" in page and "to the saved ones" in page
    verdict = owner_client.post(
        f"/a/{assessment.code}/what-if/verdict/", _posted(view, _capable(view, saved))
    ).text
    assert "With your saved answers: Cyber hygiene first" in verdict
    assert "A different recommendation" in verdict


def test_the_page_offers_every_section_as_a_link(owner_client, assessment, submitted):
    view, _saved = submitted
    page = owner_client.get(f"/a/{assessment.code}/what-if/").text
    for section in view.sections:
        assert f'<a href="#s-{section.code}">' in page
        assert f'<section class="whatif-section" id="s-{section.code}"' in page


def test_other_organisations_and_visitors_cannot_use_it(
    client, outsider, other_org, assessment, submitted
):
    client.logout()
    for path in ("/what-if/", "/what-if/verdict/"):
        response = client.post(f"/a/{assessment.code}{path}", {})
        assert response.status_code == 302 and "/accounts/login/" in response.url
    signed_in(client, outsider)  # owner of Rival Ltd, not a member of Acme Bank
    assert client.get(f"/a/{assessment.code}/what-if/").status_code == 404
    assert client.post(f"/a/{assessment.code}/what-if/", {}).status_code == 404
    response = client.post(f"/a/{assessment.code}/what-if/verdict/", {})
    assert response.status_code == 404
    assert "Acme Bank" not in response.text and "Cyber hygiene" not in response.text


def test_the_page_and_the_partial_take_a_fixed_number_of_queries(
    owner_client, assessment, submitted, django_assert_num_queries
):
    view, saved = submitted
    owner_client.get(f"/a/{assessment.code}/what-if/")  # the bank is cached once published
    # session, user, assessment with its organisation and bank, answers
    with django_assert_num_queries(4):
        owner_client.get(f"/a/{assessment.code}/what-if/")
    data = _posted(view, _capable(view, saved))
    with django_assert_num_queries(4):
        owner_client.post(f"/a/{assessment.code}/what-if/verdict/", data)
    with django_assert_num_queries(4):
        owner_client.post(f"/a/{assessment.code}/what-if/", data)
