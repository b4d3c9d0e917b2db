"""The board keeps what it computed from each participant's answers until that participant
saves again (issue #34): a refresh reads the answers of those who changed only, and shows
every change at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assess.models import Workshop
from assess.questionnaire import workshop_room
from assess.selectors import bank_view
from assess.services import answers_save, participant_join, workshop_start
from tests.conftest import signed_in


@pytest.fixture
def room(org, bank, owner):
    workshop = workshop_start(organization=org, user=owner)
    view = bank_view(bank)
    question = view.section(1).question_list[0]
    people = [participant_join(workshop=workshop, name=n, role="other") for n in "ABC"]
    for p in people:
        answer(workshop, p, question, question.choice_list[0].code)
    return workshop, question, people


def answer(workshop, person, question, choice, comment=""):
    answers_save(
        assessment=workshop.assessment,
        participant=person,
        section_number=1,
        values={question.code: ((choice,), comment)},
    )


def refresh(client, workshop):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/workshops/{workshop.assessment.code}/?fragment=1")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_refresh_reads_only_the_answers_of_who_saved_since(client, owner, room):
    workshop, question, (a, b, c) = room
    signed_in(client, owner)
    refresh(client, workshop)
    _page, queries = refresh(client, workshop)
    assert not [q for q in queries if "assess_answer" in q]  # nobody saved since
    answer(workshop, b, question, question.choice_list[1].code, "changed my mind")
    page, queries = refresh(client, workshop)
    reads = [q for q in queries if 'FROM "assess_answer"' in q]
    assert len(reads) == 1
    assert f"IN ({b.id})" in reads[0]  # B's answers, not A's or C's
    assert "changed my mind" in page


def counts(workshop, question):
    rows = workshop_room.board(Workshop.objects.get(pk=workshop.pk))["rows"]
    row = next(r for r in rows if r["question"].code == question.code)
    return [d["count"] for d in row["distribution"]]


@pytest.mark.django_db
def test_the_board_shows_a_save_made_after_it_was_read(room):
    workshop, question, (a, b, c) = room
    assert counts(workshop, question)[:2] == [3, 0]
    answer(workshop, b, question, question.choice_list[1].code)
    assert counts(workshop, question)[:2] == [2, 1]
    for p in (a, c):
        answer(workshop, p, question, question.choice_list[1].code, f"note from {p.name}")
    assert counts(workshop, question)[:2] == [0, 3]
    board = workshop_room.board(Workshop.objects.get(pk=workshop.pk))
    shown = next(r for r in board["rows"] if r["question"].code == question.code)["comments"]
    assert sorted(text for _name, text in shown) == ["note from A", "note from C"]
