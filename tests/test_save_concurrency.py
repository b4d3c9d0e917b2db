"""A workshop's participants saving at the same moment, and their saves against the
facilitator's submit (issue #34). The saves share the workshop's row (FOR SHARE), so they do
not queue behind each other; the submit takes it FOR UPDATE before the assessment, so no save
lands after a submit and none deadlocks with one.

PostgreSQL only: SQLite takes one write lock per database, so saves cannot overlap there and
the row locks these tests watch do not exist. Deterministic: the threads meet at a
threading.Barrier or wait on an Event, and a thread is known to be waiting for a lock when
PostgreSQL's pg_blocking_pids() names the other's backend, not after some sleep."""

import os
import threading
import time

import pytest
from django.db import connection, transaction

from assess import services
from assess.models import Answer, Assessment, Workshop
from assess.selectors import bank_view
from assess.services import (
    ServiceError,
    answers_save,
    assessment_submit,
    participant_join,
    workshop_start,
)

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks (FOR SHARE, FOR UPDATE) and pg_blocking_pids are PostgreSQL's; SQLite "
    "lets one writer at a time (DATABASE_URL=postgres://... to run these)",
)

WAIT = 20  # seconds: only a bound for a broken run, never a measure


class Worker(threading.Thread):
    """Runs `work` in its own connection; keeps its backend's pid, its result or error."""

    def __init__(self, name, work):
        super().__init__(name=name)
        self.work, self.pid, self.error, self.done = work, None, None, False
        self.has_pid = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.has_pid.set()
            self.work()
            self.done = True
        except Exception as e:  # noqa: BLE001 (the test reports whatever it was)
            self.error = e
        finally:
            self.has_pid.set()
            connection.close()


def wait_until_blocked(waiter, holder):
    """Return once PostgreSQL says `waiter`'s backend waits for a lock `holder`'s holds."""
    assert waiter.has_pid.wait(WAIT) and holder.has_pid.wait(WAIT)
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_blocking_pids(%s)", [waiter.pid])
            if holder.pid in cursor.fetchone()[0]:
                return
            assert waiter.is_alive(), f"{waiter.name} ended without waiting: {waiter.error}"
            assert time.monotonic() < deadline, f"{waiter.name} never waited for {holder.name}"
            threading.Event().wait(0.005)  # polling a condition, not a timed assumption


def section_values(bank, comment):
    view = bank_view(bank)
    return {q.code: ((q.choice_list[0].code,), comment) for q in view.section(1).question_list}


def save(workshop, person, values):
    return lambda: answers_save(
        assessment=workshop.assessment, participant=person, section_number=1, values=values
    )


@pytest.mark.django_db(transaction=True)
def test_two_participants_of_a_workshop_save_at_the_same_moment(org, bank, owner, monkeypatch):
    """Both saves are inside their transactions, locks taken, at the same time: with a lock
    that conflicted with itself the second would wait for the first to commit and the
    barrier would break."""
    workshop = workshop_start(organization=org, user=owner)
    ada = participant_join(workshop=workshop, name="Ada", role="other")
    bob = participant_join(workshop=workshop, name="Bob", role="other")
    both_inside = threading.Barrier(2, timeout=WAIT)
    real = services._applicable_values

    def meet(*args):  # after the locks, before the writes
        both_inside.wait()
        return real(*args)

    monkeypatch.setattr(services, "_applicable_values", meet)
    savers = [
        Worker("ada", save(workshop, ada, section_values(bank, "ada"))),
        Worker("bob", save(workshop, bob, section_values(bank, "bob"))),
    ]
    for w in savers:
        w.start()
    for w in savers:
        w.join(WAIT * 2)
    assert [w.error for w in savers] == [None, None]
    assert Answer.objects.filter(participant=ada, comment="ada").exists()
    assert Answer.objects.filter(participant=bob, comment="bob").exists()


@pytest.mark.django_db(transaction=True)
def test_a_save_under_way_finishes_before_the_submit_and_is_kept(org, bank, owner):
    """The save has written and not yet committed when the facilitator submits: the submit
    waits for it, then both finish (no deadlock: the save's foreign keys take the
    assessment's row at COMMIT, which a submit holding it while waiting for the workshop
    would refuse)."""
    workshop = workshop_start(organization=org, user=owner)
    ada = participant_join(workshop=workshop, name="Ada", role="other")
    written, commit = threading.Event(), threading.Event()
    values = section_values(bank, "before the submit")

    def save_then_hold():
        with transaction.atomic():
            save(workshop, ada, values)()
            written.set()
            assert commit.wait(WAIT)

    saver = Worker("saver", save_then_hold)
    submitter = Worker(
        "submit",
        lambda: assessment_submit(
            assessment=Assessment.objects.get(pk=workshop.assessment.pk), user=owner
        ),
    )
    saver.start()
    assert written.wait(WAIT)
    submitter.start()
    wait_until_blocked(submitter, saver)
    commit.set()
    saver.join(WAIT * 2)
    submitter.join(WAIT * 2)
    assert (saver.error, submitter.error) == (None, None)
    assert saver.done and submitter.done
    assert Answer.objects.filter(participant=ada, comment="before the submit").count() >= 2
    assert Assessment.objects.get(pk=workshop.assessment.pk).status == "submitted"
    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.CLOSED


@pytest.mark.django_db(transaction=True)
def test_a_save_that_comes_during_a_submit_is_refused_and_leaves_nothing(
    org, bank, owner, monkeypatch
):
    """The submit holds its locks (paused while it freezes the result); a save that starts
    then waits for it, and once the submit commits is refused: nothing lands after it."""
    workshop = workshop_start(organization=org, user=owner)
    ada = participant_join(workshop=workshop, name="Ada", role="other")
    in_submit, finish = threading.Event(), threading.Event()
    real = services.assessment_snapshot

    def paused(*args):
        if threading.current_thread().name == "submit":
            in_submit.set()
            assert finish.wait(WAIT)
        return real(*args)

    monkeypatch.setattr(services, "assessment_snapshot", paused)
    submitter = Worker(
        "submit",
        lambda: assessment_submit(
            assessment=Assessment.objects.get(pk=workshop.assessment.pk), user=owner
        ),
    )
    saver = Worker("saver", save(workshop, ada, section_values(bank, "after the submit")))
    submitter.start()
    assert in_submit.wait(WAIT)
    saver.start()
    wait_until_blocked(saver, submitter)
    finish.set()
    submitter.join(WAIT * 2)
    saver.join(WAIT * 2)
    assert submitter.error is None and submitter.done
    assert isinstance(saver.error, ServiceError), saver.error
    assert "closed" in str(saver.error)
    assert not Answer.objects.filter(participant=ada).exists()


@pytest.mark.django_db(transaction=True)
def test_a_save_that_comes_while_the_facilitator_closes_the_workshop_is_refused(org, bank, owner):
    """Closing (without submitting) is an UPDATE of the workshop's row, which the savers'
    shared lock makes wait, and which every later save then reads."""
    workshop = workshop_start(organization=org, user=owner)
    ada = participant_join(workshop=workshop, name="Ada", role="other")
    closed, commit = threading.Event(), threading.Event()

    def close_and_hold():
        with transaction.atomic():
            services.workshop_close(workshop=Workshop.objects.get(pk=workshop.pk))
            closed.set()
            assert commit.wait(WAIT)

    closer = Worker("closer", close_and_hold)
    saver = Worker("saver", save(workshop, ada, section_values(bank, "after closing")))
    closer.start()
    assert closed.wait(WAIT)
    saver.start()
    wait_until_blocked(saver, closer)
    commit.set()
    closer.join(WAIT * 2)
    saver.join(WAIT * 2)
    assert closer.error is None
    assert isinstance(saver.error, ServiceError), saver.error
    assert not Answer.objects.filter(participant=ada).exists()
