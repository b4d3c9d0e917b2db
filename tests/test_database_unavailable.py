"""A database error during a save gives a clear 503, never a success (issue #9, faults)."""

import logging

import pytest
from django.db import InterfaceError, OperationalError

from assess.models import Answer
from assess.selectors import bank_view
from assess.services import participant_join, workshop_start
from tests.conftest import section_post


@pytest.fixture
def participant(org, bank, owner):
    workshop = workshop_start(organization=org, user=owner)
    return participant_join(workshop=workshop, name="Pat", role="other")


def failing_save(error):
    def save(**kwargs):
        raise error

    return save


@pytest.mark.parametrize(
    "error",
    [OperationalError("database or disk is full"), InterfaceError("connection already closed")],
)
def test_a_database_error_during_a_save_is_a_503_page_and_logged(
    client, participant, monkeypatch, caplog, error
):
    monkeypatch.setattr("assess.questionnaire.runner.answers_save", failing_save(error))
    view = bank_view(participant.workshop.assessment.bank)
    with caplog.at_level(logging.ERROR, logger="assess.database"):
        response = client.post(f"/p/{participant.token}/s/1/", section_post(view, 1))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.text
    assert "Try again in a moment" in page and "nothing was saved" in page
    assert "Database unavailable during POST" in caplog.text
    assert not Answer.objects.exists()


def test_a_background_save_gets_the_reason_as_text(client, participant, monkeypatch):
    monkeypatch.setattr(
        "assess.questionnaire.runner.answers_save",
        failing_save(OperationalError("server closed the connection unexpectedly")),
    )
    view = bank_view(participant.workshop.assessment.bank)
    response = client.post(
        f"/p/{participant.token}/s/1/",
        section_post(view, 1),
        headers={"X-Save-Mode": "background"},
    )
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.text.startswith("The database is not available right now")


def test_other_errors_are_left_to_the_500_page(client, participant, monkeypatch):
    monkeypatch.setattr("assess.questionnaire.runner.answers_save", failing_save(ValueError("bug")))
    client.raise_request_exception = False
    view = bank_view(participant.workshop.assessment.bank)
    response = client.post(f"/p/{participant.token}/s/1/", section_post(view, 1))
    assert response.status_code == 500
    assert not Answer.objects.exists()
