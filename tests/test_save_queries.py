"""What one participant's save costs in queries (issue #34: 13 before, at most 8 now), through
the page as the questionnaire's script sends it, on a participant's own browser session."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assess.models import Answer, Participant
from assess.selectors import bank_view
from assess.services import workshop_start

BACKGROUND = {"X-Save-Mode": "background"}


def fields(view, number, pick):
    out = {"action": "next"}
    for q in view.section(number).question_list:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        out[f"q_{q.code}"] = pick(known).code
    return out


@pytest.fixture
def joined(client, org, owner, bank):
    workshop = workshop_start(organization=org, user=owner)
    response = client.post(f"/w/{workshop.join_token}/", {"name": "Ada", "role": "other"})
    assert response.status_code == 302
    person = Participant.objects.get(workshop=workshop)
    return person, bank_view(bank)


@contextmanager
def statements(expected):
    """Count the statements sent, less transaction control: the test's own transaction
    turns the save's into a SAVEPOINT and its RELEASE, and SQLite sends BEGIN IMMEDIATE as
    a statement where PostgreSQL's driver opens the transaction with the first query."""
    with CaptureQueriesContext(connection) as captured:
        yield
    sent = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]
    assert len(sent) == expected, "\n".join(s[:120] for s in sent)


@pytest.mark.django_db
def test_a_participant_save_costs_at_most_eight_queries(client, joined):
    person, view = joined
    url = f"/p/{person.token}/s/2/"
    first, changed = fields(view, 2, lambda k: k[0]), fields(view, 2, lambda k: k[-1])
    # The session, the participant, the locks, the answers; the answers and their choices
    # written; the participant's last section.
    with statements(7):
        assert client.post(url, first, headers=BACKGROUND).status_code == 204
    # Every answer changed: its comment and time, its choices taken off and put back.
    with statements(8):
        assert client.post(url, changed, headers=BACKGROUND).status_code == 204
    # Nothing changed: nothing written but the participant's last section.
    with statements(5):
        assert client.post(url, changed, headers=BACKGROUND).status_code == 204
    stored = {
        a.question.code: [c.code for c in a.choices.all()]
        for a in Answer.objects.filter(participant=person)
    }
    assert stored == {code[2:]: [value] for code, value in changed.items() if code != "action"}


@pytest.mark.django_db
def test_a_save_that_clears_an_answer_removes_it(client, joined):
    person, view = joined
    url = f"/p/{person.token}/s/2/"
    answered = fields(view, 2, lambda k: k[0])
    assert client.post(url, answered, headers=BACKGROUND).status_code == 204
    cleared = next(code for code in answered if code.startswith("q_"))
    answered.pop(cleared)
    assert client.post(url, answered, headers=BACKGROUND).status_code == 204
    codes = set(Answer.objects.filter(participant=person).values_list("question__code", flat=True))
    assert cleared[2:] not in codes
    assert len(codes) == len(answered) - 1  # every other question of the section is kept
