"""Answers to questions hidden by a condition are never stored or counted (issue 14, finding
7): PRO-06 and PRO-07 are shown only if PRO-05 is "yes"; the browser still posts them."""

import re

from assess.models import Answer
from assess.questionnaire import agreement
from assess.selectors import answers_of, bank_view, participant_answers
from assess.services import workshop_start
from tests.conftest import section_post, signed_in
from tests.test_workshops import answer_as, join

HIDDEN = {"PRO-06", "PRO-07"}


def _section_one_with_pro05_no(view):
    data = section_post(view, 1, "high")  # PRO-06 and PRO-07 answered, as the page posts them
    data["q_PRO-05"] = "no"
    assert {k[2:] for k in data if k.startswith("q_")} >= HIDDEN
    return data


def _stored_codes(assessment, participant=None):
    return {
        a.question.code
        for a in Answer.objects.filter(assessment=assessment, participant=participant)
    }


def test_a_participant_who_hides_questions_keeps_no_answer_to_them(client, owner, org, bank):
    workshop = workshop_start(organization=org, user=owner)
    view = bank_view(bank)
    ann = join(client, workshop, "Ann", "ciso")
    answer_as(client, ann, view, "high")
    assert _stored_codes(workshop.assessment, ann) >= HIDDEN  # PRO-05 was "yes"

    response = client.post(f"/p/{ann.token}/s/1/", _section_one_with_pro05_no(view))
    assert response.status_code == 302
    assert not HIDDEN & _stored_codes(workshop.assessment, ann)
    done = client.get(f"/p/{ann.token}/done/").text
    shown = len(_stored_codes(workshop.assessment, ann))  # every shown question, once
    assert f"You answered {shown} of {shown} questions" in done


def test_a_self_assessment_stores_no_answer_to_a_hidden_question(client, owner, assessment):
    signed_in(client, owner)
    view = bank_view(assessment.bank)
    response = client.post(f"/a/{assessment.code}/s/1/", _section_one_with_pro05_no(view))
    assert response.status_code == 302
    codes = set(answers_of(assessment, view))
    assert "PRO-05" in codes and not HIDDEN & codes


def test_hidden_answers_stored_earlier_do_not_count_on_the_board(client, owner, org, bank):
    workshop = workshop_start(organization=org, user=owner)
    view = bank_view(bank)
    ann, bo = join(client, workshop, "Ann", "ciso"), join(client, workshop, "Bo", "legal")
    for person in (ann, bo):
        answer_as(client, person, view, "high")
        client.post(f"/p/{person.token}/s/1/", _section_one_with_pro05_no(view))
    # Plant what the old code stored: the two differ only on the hidden questions.
    for person, pick in ((ann, 0), (bo, -1)):
        for code in HIDDEN:
            q = view.by_code[code]
            answer = Answer.objects.create(
                assessment=workshop.assessment, question=q, participant=person, comment="x"
            )
            answer.choices.set([q.choice_list[pick]])
    codes, comments = participant_answers(workshop.assessment, view)
    assert not any(HIDDEN & set(per) for per in codes.values())
    assert not HIDDEN & set(comments)
    ranked = agreement.ranked_questions(view.definition, codes)
    assert not HIDDEN & {r.code for r in ranked if r.disagreement > 0}


def test_the_preview_keeps_no_answer_to_a_hidden_question(client, superuser, draft):
    signed_in(client, superuser)
    view = bank_view(draft)
    url = f"/admin/assess/questionbank/{draft.pk}/preview/s/1/"
    assert client.post(url, section_post(view, 1, "high")).status_code == 302
    assert client.post(url, _section_one_with_pro05_no(view)).status_code == 302
    page = client.get(url).text
    # Of the 10 questions of section 1, PRO-02 (PRO-01 is "industrial", not "security"),
    # PRO-06 and PRO-07 are hidden: 7 answers, not the 9 posted. Of the bank's 40 questions,
    # those 3 and the two whose source is not answered yet (CAP-05, SHR-06) do not apply.
    progress = re.search(r"\d+ of \d+ questions answered so far", page).group()
    assert progress == "7 of 35 questions answered so far"


pytest_plugins = ["tests.bank_fixtures"]


def test_a_fully_answered_questionnaire_reads_n_of_n(owner_client, assessment):
    """Issue 13: a finished assessment showed "35 of 36": a question that did not apply was
    counted. Every question that applies is answered, so the two numbers are equal."""
    from tests.conftest import answer_everything

    answer_everything(owner_client, assessment, "high")
    page = owner_client.get(f"/a/{assessment.code}/s/1/").text
    answered, shown = re.search(r"(\d+) of (\d+) questions answered so far", page).groups()
    assert answered == shown and int(shown) < len(bank_view(assessment.bank).questions)
