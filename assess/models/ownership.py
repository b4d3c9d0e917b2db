"""An organisation's own say over its data: a deletion waiting out its grace period, and the
archives of its data (or of one person's) that an owner or a member asked for."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assess.models.organizations import Organization


class OrganizationDeletion(models.Model):
    """An owner asked to delete the organisation. From then on nobody sees it (its querysets'
    `for_user` leave it out) and it counts in no comparison; an owner may restore it until
    `purge_after`, when `manage.py cleanup` deletes it and everything that names it."""

    organization = models.OneToOneField(Organization, models.CASCADE, related_name="deletion")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    purge_after = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"Deletion of {self.organization_id} after {self.purge_after:%Y-%m-%d}"


class DataExportQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING])


class DataExport(models.Model):
    """One archive of an organisation's data (an owner's) or of one person's data in it (a
    member's), built by the task worker and kept until `expires_at`."""

    class Scope(models.TextChoices):
        ORGANIZATION = "organization", _("Everything the organisation holds")
        PERSON = "person", _("Your own account and answers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    task_id = models.CharField(max_length=64, blank=True)
    # Kept in the database, as the stored PDFs are, so every app server serves the same file.
    archive = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_progress_is_a_percentage"
            )
        ]

    def __str__(self):
        return f"Export {self.code} of {self.organization_id} ({self.status})"

    @property
    def is_unfinished(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at
