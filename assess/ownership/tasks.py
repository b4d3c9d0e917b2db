"""The export archive, built by the task worker (`manage.py run_worker`): a large
organisation's archive takes longer than a request should, and the page shows its progress."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from assess.models import AccessEvent, DataExport
from assess.ownership import export
from assess.people import access_log
from assess.services import ServiceError


def export_lifetime():
    return timedelta(hours=settings.EXPORT_RETENTION_HOURS)


@task()
def data_export_build(export_id):
    """Build one requested archive; returns its size in bytes (0 if the request is gone)."""
    job = DataExport.objects.select_related("organization", "requested_by").filter(pk=export_id)
    job = job.first()
    if job is None or not job.is_unfinished:
        return 0
    DataExport.objects.filter(pk=job.pk).update(status=DataExport.Status.RUNNING)

    def progress(done, total):
        DataExport.objects.filter(pk=job.pk).update(progress=min(99, done * 100 // total))

    scope = export.Scope(
        job.organization, None if job.scope == DataExport.Scope.ORGANIZATION else job.requested_by
    )
    try:
        content = export.archive(scope, progress=progress)
    except Exception:
        DataExport.objects.filter(pk=job.pk).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    DataExport.objects.filter(pk=job.pk).update(
        status=DataExport.Status.READY,
        progress=100,
        archive=content,
        size=len(content),
        finished_at=now,
        expires_at=now + export_lifetime(),
    )
    return len(content)


def data_export_request(*, organization, user, scope):
    """Queue an archive for this user. One at a time per person and organisation: a second
    click while one is being built is told so."""
    if scope not in DataExport.Scope.values:
        raise ServiceError(_("Choose what to export."))
    with transaction.atomic():
        pending = DataExport.objects.select_for_update().filter(
            organization=organization, requested_by=user
        )
        if pending.unfinished().exists():
            raise ServiceError(
                _("An export you asked for is still being built: its progress is shown below.")
            )
        job = DataExport.objects.create(
            organization=organization,
            requested_by=user,
            scope=scope,
            expires_at=timezone.now() + export_lifetime(),
        )
    queued = data_export_build.enqueue(job.pk)
    DataExport.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.task_id = str(queued.id)
    return job


def data_export_downloaded(request, job):
    access_log.record(
        request,
        job.organization,
        AccessEvent.Action.EXPORTED_DATA,
        f"{job.scope} export {job.code}",
        export_scope=job.scope,
    )
