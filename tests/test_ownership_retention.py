"""The retention settings, applied by `manage.py cleanup` with the clock moved, never waited
for."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from assess.models import Answer, Assessment, DataExport, Participant, ReportPDF, Workshop
from assess.ownership import retention
from assess.services import assessment_submit, workshop_close
from tests.ownership_helpers import answer_all
from tests.workshop_helpers import team_workshop


def cleanup_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        call_command("cleanup", stdout=StringIO())


@pytest.fixture
def closed_workshop(org, owner, bank):
    workshop, people = team_workshop(
        org,
        owner,
        {
            "Ann Example": {"THR-01": ("confirmed", "Ann thinks the SOC is thin")},
            "Ben Example": {"THR-01": ("none", "Ben disagrees")},
        },
    )
    answer_all(workshop.assessment)
    assessment_submit(assessment=workshop.assessment, user=owner)
    workshop_close(workshop=workshop)
    workshop.refresh_from_db()
    return workshop


def test_closed_workshops_lose_names_and_comments_after_their_days(closed_workshop, settings):
    settings.WORKSHOP_NAMES_RETENTION_DAYS = 30
    result = Assessment.objects.get(pk=closed_workshop.assessment_id).result
    assert "Ann Example" in str(result["workshop"])

    cleanup_at(closed_workshop.closed_at + timedelta(days=29))
    assert set(Participant.objects.values_list("name", flat=True)) == {
        "Ann Example",
        "Ben Example",
    }

    cleanup_at(closed_workshop.closed_at + timedelta(days=31))
    assert set(Participant.objects.values_list("name", flat=True)) == {
        "Participant 1",
        "Participant 2",
    }
    assert not Answer.objects.filter(participant__isnull=False).exclude(comment="").exists()
    assessment = Assessment.objects.get(pk=closed_workshop.assessment_id)
    frozen = str(assessment.result)
    assert "Ann Example" not in frozen and "Ben Example" not in frozen
    assert assessment.result["workshop"]["names_shown"] is False
    # The answers themselves stay, anonymised.
    assert Answer.objects.filter(participant__isnull=False).count() == 2
    assert Workshop.objects.get().anonymised


def test_stored_pdfs_expire_and_unfinished_assessments_go(org, owner, bank, settings):
    settings.REPORT_PDF_RETENTION_DAYS = 10
    settings.DRAFT_RETENTION_DAYS = 100
    done = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    answer_all(done)
    done = assessment_submit(assessment=done, user=owner)
    ReportPDF.objects.create(assessment=done, content=b"%PDF", source_hash="h")
    draft = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    now = timezone.now()

    cleanup_at(now + timedelta(days=9))
    assert ReportPDF.objects.exists() and Assessment.objects.filter(pk=draft.pk).exists()
    cleanup_at(now + timedelta(days=11))
    assert not ReportPDF.objects.exists()
    assert Assessment.objects.filter(pk=draft.pk).exists()
    cleanup_at(now + timedelta(days=101))
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert Assessment.objects.filter(pk=done.pk).exists()  # finished ones are kept


def test_a_draft_answered_recently_is_kept(org, owner, bank, settings):
    settings.DRAFT_RETENTION_DAYS = 100
    draft = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    Assessment.objects.filter(pk=draft.pk).update(updated=timezone.now() - timedelta(days=200))
    answer_all(draft)
    Assessment.objects.filter(pk=draft.pk).update(updated=timezone.now() - timedelta(days=200))
    retention.apply(timezone.now())
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_expired_exports_go_unfinished_ones_stay(org, owner, settings):
    now = timezone.now()
    old = DataExport.objects.create(
        organization=org, requested_by=owner, scope="person", status="ready", expires_at=now
    )
    building = DataExport.objects.create(
        organization=org, requested_by=owner, scope="person", expires_at=now
    )
    retention.apply(now + timedelta(seconds=1))
    assert not DataExport.objects.filter(pk=old.pk).exists()
    assert DataExport.objects.filter(pk=building.pk).exists()


def test_sent_and_failed_mails_go_after_their_days_queued_ones_stay(org, settings):
    """Their recipients' addresses are personal data: kept MAIL_RETENTION_DAYS, not forever."""
    from assess.models import OutgoingMail, TaskLogContext

    settings.MAIL_RETENTION_DAYS = 30
    mails = {
        status: OutgoingMail.objects.create(
            organization=org, to=[f"{status}@example.org"], subject="Hi", status=status
        )
        for status in ("sent", "failed", "queued")
    }
    TaskLogContext.objects.create(task_id="never-ran", context={"request_id": "r"})
    now = timezone.now()
    applied = retention.apply(now + timedelta(days=29))
    assert (applied.mails_deleted, applied.log_contexts_deleted) == (0, 0)
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=31)):
        call_command("cleanup", stdout=out)
    assert "deleted 2 sent or failed e-mails and 1 orphaned task log contexts" in out.getvalue()
    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [mails["queued"].pk]
    assert not TaskLogContext.objects.exists()
