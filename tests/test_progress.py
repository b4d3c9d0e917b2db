"""The questionnaire's progress line (issue 29, item 15): the total is the questions that
apply given the answers so far, the same on every section page, and the page carries what
static/js/questionnaire.js needs to follow each answer by the same rule."""

import json
import re

from assess.selectors import bank_view
from assess.services import workshop_start
from tests.conftest import section_post, signed_in
from tests.test_workshops import join

PROGRESS = re.compile(r'id="progress-count"[^>]*>(\d+) of (\d+) questions answered so far<')


def _progress_on(client, url):
    page = client.get(url).text
    rules = json.loads(re.search(r'id="progress-rules"[^>]*>(.*?)</script>', page, re.S)[1])
    return tuple(int(n) for n in PROGRESS.search(page).groups()), rules


def test_every_section_gives_the_same_count_for_the_same_answers(owner_client, assessment):
    view = bank_view(assessment.bank)
    data = section_post(view, 1, "high")
    data["q_PRO-05"] = "no"  # PRO-06 and PRO-07 do not apply
    assert owner_client.post(f"/a/{assessment.code}/s/1/", data).status_code == 302
    counts = {
        _progress_on(owner_client, f"/a/{assessment.code}/s/{n}/")[0]
        for n in range(1, len(view.sections) + 1)
    }
    assert len(counts) == 1, counts
    ((answered, total),) = counts
    # PRO-06, PRO-07 (PRO-05 is "no"), PRO-02 (PRO-01 is not "security"), CAP-05 and SHR-06
    # (their sources are not answered yet) do not apply.
    assert (answered, total) == (7, len(view.questions) - 5)


def test_the_page_carries_every_condition_and_the_other_pages_answers(owner_client, assessment):
    view = bank_view(assessment.bank)
    owner_client.post(f"/a/{assessment.code}/s/1/", section_post(view, 1, "high"))
    owner_client.post(f"/a/{assessment.code}/s/3/", section_post(view, 3, "high"))
    (answered, total), rules = _progress_on(owner_client, f"/a/{assessment.code}/s/3/")
    assert set(rules["conditions"]) == {q.code for q in view.questions}
    assert rules["conditions"]["PRO-06"] == ["PRO-05", ["yes"]]
    assert rules["conditions"]["PRO-01"] is None
    on_page = {q.code for q in view.section(3).question_list}
    assert set(rules["saved"]) == {q.code for q in view.section(1).question_list} - {"PRO-02"}
    assert not on_page & set(rules["saved"])
    assert answered == len(rules["saved"]) + len(on_page) and total == len(view.questions) - 2


def test_a_participant_s_pages_count_their_own_answers_the_same_way(client, owner, org, bank):
    workshop = workshop_start(organization=org, user=owner)
    view = bank_view(bank)
    ann = join(client, workshop, "Ann", "ciso")
    data = section_post(view, 1, "high")
    data["q_PRO-05"] = "no"
    assert client.post(f"/p/{ann.token}/s/1/", data).status_code == 302
    counts = {
        _progress_on(client, f"/p/{ann.token}/s/{n}/")[0] for n in range(1, len(view.sections) + 1)
    }
    assert counts == {(7, len(view.questions) - 5)}
    # The owner's own (empty) answers are not the participant's.
    signed_in(client, owner)
    (answered, _total), _rules = _progress_on(client, f"/a/{workshop.assessment.code}/s/2/")
    assert answered == 0
