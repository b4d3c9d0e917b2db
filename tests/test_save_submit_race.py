"""A participant's save and the facilitator's submit at the same moment (issue #19, found by
faults/scale.py: 40 facilitators submitting while participants saved): they take turns on
the assessment's row instead of deadlocking. PostgreSQL only: SQLite takes one write lock
per database, so the two cannot interleave there."""

import os
import threading
import time

import pytest
from django.db import connection

from assess import services
from assess.models import Answer, Assessment
from assess.selectors import bank_view
from assess.services import answers_save, assessment_submit, participant_join, workshop_start

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks and deferred foreign-key checks are PostgreSQL's (DATABASE_URL=postgres://...)",
)


def wait_for_a_lock(thread):
    """Return once the thread's backend (the only other one on this test database) waits
    for a lock, as PostgreSQL reports it; polling a condition, not a timed guess."""
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            assert thread.is_alive() and time.monotonic() < deadline, "it never waited"
            threading.Event().wait(0.005)


@pytest.mark.django_db(transaction=True)
def test_a_save_and_a_submit_at_once_take_turns_without_a_deadlock(org, bank, owner, monkeypatch):
    workshop = workshop_start(organization=org, user=owner)
    person = participant_join(workshop=workshop, name="Ada", role="other")
    view = bank_view(bank)
    values = {q.code: ((q.choice_list[0].code,), "s1") for q in view.section(1).question_list}
    in_save, go_on = threading.Event(), threading.Event()
    real = services._applicable_values

    def paused(*args):  # the save holds its locks here until the submit has started
        if threading.current_thread().name == "saver":
            in_save.set()
            go_on.wait(10)
        return real(*args)

    monkeypatch.setattr(services, "_applicable_values", paused)
    errors, done = [], []

    def run(name, work):
        try:
            work()
            done.append(name)
        except Exception as e:  # noqa: BLE001 (the test reports whatever it was)
            errors.append(f"{name}: {type(e).__name__}: {e}")
        finally:
            connection.close()

    saver = threading.Thread(
        name="saver",
        target=run,
        args=(
            "save",
            lambda: answers_save(
                assessment=workshop.assessment,
                participant=person,
                section_number=1,
                values=values,
            ),
        ),
    )
    submitter = threading.Thread(
        target=run,
        args=(
            "submit",
            lambda: assessment_submit(
                assessment=Assessment.objects.get(pk=workshop.assessment.pk), user=owner
            ),
        ),
    )
    saver.start()
    assert in_save.wait(10)
    submitter.start()
    wait_for_a_lock(submitter)  # the submit reaches its first lock and waits there
    go_on.set()
    saver.join(30)
    submitter.join(30)
    assert errors == []
    assert sorted(done) == ["save", "submit"]
    # The save held the assessment first, so it is stored and the submit came after it.
    assert Answer.objects.filter(participant=person, comment="s1").count() >= 5
    assert Assessment.objects.get(pk=workshop.assessment.pk).status == "submitted"
