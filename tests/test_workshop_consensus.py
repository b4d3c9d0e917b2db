"""The consensus page settles every question that applies: a question everyone answered
"don't know" is settled as "don't know", questions the consensus hides are marked as not
applying, and each question shows what the participants wrote about it."""

import re

from assess.selectors import answer_codes, answers_of, bank_view
from tests.conftest import signed_in
from tests.workshop_helpers import team_workshop


def _card(page, code):
    """The opening tag of a question's card on the consensus page."""
    return re.search(rf'<div class="card card-question[^>]*id="q-{code}"[^>]*>', page).group(0)


def _checked(page):
    """The form's checked inputs as POST data: what the facilitator would send unchanged."""
    data = {}
    for name, value in re.findall(r'name="(q_[^"]+)" id="[^"]+" value="([^"]+)" checked', page):
        data.setdefault(name, []).append(value)
    return data


def test_a_question_everyone_does_not_know_is_settled_as_dont_know(client, owner, org, bank):
    workshop, _people = team_workshop(
        org,
        owner,
        {"Ann": {"THR-03": "unknown", "THR-01": "none"}, "Ben": {"THR-03": "unknown"}},
    )
    signed_in(client, owner)
    code = workshop.assessment.code
    page = client.get(f"/workshops/{code}/consensus/").text
    assert 'id="k-THR-03-unknown" value="unknown" checked' in page
    assert "All 2 participants who answered do not know." in page
    assert client.post(f"/workshops/{code}/consensus/", _checked(page)).status_code == 302
    saved = answer_codes(answers_of(workshop.assessment, bank_view(workshop.assessment.bank)))
    assert saved["THR-03"] == ("unknown",) and saved["THR-01"] == ("none",)
    review = client.get(f"/a/{code}/review/").text
    thr03 = review[review.index('<dt class="fw-normal mt-2">THR-03.') :]
    assert "<strong>Don" in thr03[: thr03.index("</dd>")]
    assert '#q-THR-03">THR-03:' not in review  # not among the unanswered


def test_questions_the_consensus_hides_are_marked_as_not_applying(client, owner, org, bank):
    workshop, _people = team_workshop(
        org, owner, {"Ann": {"PRO-05": "no", "PRO-01": "user"}, "Ben": {"PRO-05": "no"}}
    )
    signed_in(client, owner)
    url = f"/workshops/{workshop.assessment.code}/consensus/"
    page = client.get(url).text
    view = bank_view(workshop.assessment.bank)
    hidden = {"PRO-06", "PRO-07", "PRO-02", "PRO-08", "CAP-05", "SHR-06"}
    for q in view.questions:
        assert (" hidden" in _card(page, q.code)) == (q.code in hidden), q.code
    # The cards a condition hides say on what, so the page's script can show them again.
    assert 'data-show-if-question="PRO-05" data-show-if-choices="yes"' in _card(page, "PRO-06")
    applying = len(view.questions) - len(hidden)
    assert f"All {applying} questions" in page

    # Once the consensus says "yes", the questions that follow from it apply.
    data = _checked(page)
    data["q_PRO-05"] = "yes"
    client.post(url, data)
    page = client.get(url).text
    assert " hidden" not in _card(page, "PRO-06") and " hidden" not in _card(page, "PRO-07")


def test_each_question_shows_what_participants_wrote(client, owner, org, bank):
    workshop, _people = team_workshop(
        org,
        owner,
        {
            "Ann": {"THR-01": ("confirmed", "The 2025 phishing wave")},
            "Ben": {"THR-01": ("none", "Not that I know of")},
            "Cat": {"THR-02": ("few", "Only payroll")},
        },
    )
    signed_in(client, owner)
    url = f"/workshops/{workshop.assessment.code}/consensus/"
    page = client.get(url).text
    thr01 = page[page.index('id="q-THR-01"') : page.index('id="q-THR-02"')]
    assert "What participants wrote" in thr01
    assert "<em>Ann:</em> The 2025 phishing wave" in thr01
    assert "<em>Ben:</em> Not that I know of" in thr01
    assert "Only payroll" not in thr01
    # With names hidden on the board, the page hides them too.
    workshop.show_names = False
    workshop.save(update_fields=["show_names"])
    page = client.get(url).text
    assert "<em>Participant 1:</em> The 2025 phishing wave" in page and "Ann:" not in page
