"""Work done off the request path, on Django's tasks framework.

The backend is django-tasks-db: tasks are rows in the database, so every app server queues
into the same table and any number of workers (`manage.py run_worker`) on any machine take
from it."""

from dataclasses import dataclass
from datetime import timedelta

from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation

from assess.insights import peer_releases
from assess.models import Assessment, ReportPDF
from assess.report import storage


@task()
def report_pdf_render(assessment_id, language):
    """Render and store a submitted assessment's PDF, unless the stored one is current.

    Returns the stored file's size in bytes (0 if the assessment is gone)."""
    assessment = (
        Assessment.objects.submitted()
        .select_related("organization", "bank")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:  # deleted since, or never submitted: nothing to make
        return 0
    with translation.override(language):
        size = storage.report_pdf(assessment).size
    from assess.api import webhooks  # the API imports this module

    webhooks.announce(
        assessment.organization,
        webhooks.PDF_READY,
        {"assessment": str(assessment.code), "language": language},
    )
    return size


@task()
def peer_releases_refresh():
    """Cut the peer groups' new releases, where enough has changed; the groups cut."""
    return peer_releases.refresh()


def peer_releases_queue(organization=None):
    """Queue a refresh of the peer releases: after a submit, or a change of an organisation's
    consent, profile or existence. Off the request: it reads every contribution. Nothing to
    do when `organization` is given and does not contribute: the pool has not changed."""
    if organization is None or organization.peer_consent:
        peer_releases_refresh.enqueue()


# --- Where a report's PDF stands ----------------------------------------------------------

READY, PREPARING, FAILED, MISSING = "ready", "preparing", "failed", "missing"
# The last render went over the worker's time or memory limit (render_limits) and was stopped.
STOPPED = "stopped"
# A render takes about a second; a task still waiting after this long means no worker is
# taking from the queue, which the page says rather than spinning forever.
SLOW_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class PdfStatus:
    state: str
    size: int = 0
    slow: bool = False

    @property
    def ready(self):
        return self.state == READY


def report_pdf_status(assessment, wanted=None):
    """Where the assessment's PDF in the active language stands: READY (stored and current),
    PREPARING (a render is queued or running), FAILED (the last render failed), STOPPED (the
    last render went over the worker's limits) or MISSING (none of these).
    `wanted` is `storage.source_hash(assessment)` if the caller has it already."""
    wanted = wanted or storage.source_hash(assessment)
    language = translation.get_language()
    stored = (
        ReportPDF.objects.filter(assessment=assessment, language=language)
        .values_list("source_hash", "size")
        .first()
    )
    if stored is not None and stored[0] == wanted:
        return PdfStatus(READY, size=stored[1])
    task_id = (assessment.pdf_tasks or {}).get(language)
    if not task_id:
        return PdfStatus(MISSING)
    try:
        queued = report_pdf_render.get_result(task_id)
    except TaskResultDoesNotExist:  # pruned from the queue's table
        return PdfStatus(MISSING)
    if queued.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        slow = timezone.now() - queued.enqueued_at > SLOW_AFTER
        return PdfStatus(PREPARING, slow=slow)
    if queued.status == TaskResultStatus.FAILED:
        if queued.errors and queued.errors[-1].exception_class_path.endswith(".RenderStopped"):
            return PdfStatus(STOPPED)
        return PdfStatus(FAILED)
    # It succeeded, but for another snapshot, template or language than the one wanted now.
    return PdfStatus(MISSING)


def report_pdf_queue(assessment):
    """Queue a render of the assessment's PDF in the active language and remember the task on
    the assessment under that language (the tasks of the other languages are kept)."""
    language = translation.get_language()
    queued = report_pdf_render.enqueue(assessment.pk, language)
    # Two languages queued at the same moment may drop one's id; that language then reads
    # MISSING and is queued again, and the task skips a render whose PDF is already current.
    assessment.pdf_tasks = {**(assessment.pdf_tasks or {}), language: str(queued.id)}
    Assessment.objects.filter(pk=assessment.pk).update(pdf_tasks=assessment.pdf_tasks)
    return PdfStatus(PREPARING)


def report_pdf_wanted(assessment, wanted=None):
    """The PDF's status, queueing a render first if there is none current and none pending.
    A failed render is not queued again here: the person asks for it (a POST)."""
    status = report_pdf_status(assessment, wanted)
    if status.state == MISSING:
        return report_pdf_queue(assessment)
    return status
