"""The board's reads as the day grows (issue #19): a board refresh reads its own workshop's
answers by index, whatever the other workshops in the database hold, so forty workshops'
boards cost forty times one, not forty squared (bench/RESULTS.md, "Cost as the work grows").
The plan check bites on PostgreSQL (the engine to scale on); SQLite used the index anyway."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assess import selectors
from assess.models import Answer, Participant
from assess.selectors import bank_view, participant_answers
from assess.services import workshop_start
from tests.conftest import signed_in


def answered_workshop(org, owner, bank, participants, rng):
    workshop = workshop_start(organization=org, user=owner, bank=bank)
    view = bank_view(bank)
    people = Participant.objects.bulk_create(
        [Participant(workshop=workshop, name=f"P{i}", role="other") for i in range(participants)]
    )
    answers = Answer.objects.bulk_create(
        [
            Answer(assessment=workshop.assessment, question_id=q.id, participant=p)
            for p in people
            for q in view.questions
        ]
    )
    choices = {q.id: q.choice_list for q in view.questions}
    through = Answer.choices.through
    through.objects.bulk_create(
        [through(answer_id=a.id, choice_id=rng.choice(choices[a.question_id]).id) for a in answers]
    )
    return workshop


def plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def test_the_board_reads_chosen_answers_by_index_whatever_other_workshops_hold(
    client, owner, org, bank
):
    rng = random.Random(19)
    mine = answered_workshop(org, owner, bank, 5, rng)
    for _ in range(30):  # the rest of a busy day: 30 other workshops of 25
        answered_workshop(org, owner, bank, 25, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assess_answer_choices")
            cursor.execute("ANALYZE assess_answer")
    signed_in(client, owner)
    with CaptureQueriesContext(connection) as board:
        assert client.get(f"/workshops/{mine.assessment.code}/?fragment=1").status_code == 200
    assert len(board.captured_queries) == 6
    reads = [q["sql"] for q in board.captured_queries if "assess_answer_choices" in q["sql"]]
    assert len(reads) == 1
    # Captured SQL has its parameters inlined; EXPLAIN takes it as it is.
    shown = plan(reads[0], None).lower()
    assert "assess_answer_choices" in shown
    assert "seq scan on assess_answer_choices" not in shown  # PostgreSQL
    assert not any(  # SQLite: "SCAN assess_answer_choices" is the whole table
        line.strip().endswith("scan assess_answer_choices") for line in shown.splitlines()
    )


@pytest.mark.parametrize("per_query", [1, 7, 30000])
def test_the_answers_read_in_several_queries_are_the_same(owner, org, bank, monkeypatch, per_query):
    workshop = answered_workshop(org, owner, bank, 3, random.Random(3))
    view = bank_view(bank)
    expected = participant_answers(workshop.assessment, view)
    monkeypatch.setattr(selectors, "IDS_PER_QUERY", per_query)
    # The read by ids, on every engine here (PostgreSQL uses it, SQLite the join).
    monkeypatch.setattr(selectors, "read_chosen_by_ids", lambda: True)
    by_ids = participant_answers(workshop.assessment, view)
    monkeypatch.setattr(selectors, "read_chosen_by_ids", lambda: False)
    assert by_ids == participant_answers(workshop.assessment, view) == expected
    assert len(expected[0]) == 3 and all(len(c) > 10 for c in expected[0].values())
