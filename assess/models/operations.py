"""What running the site keeps: every e-mail it sends (for the owners to see what could not
be delivered), and the log context a queued task carries into the worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assess.models.organizations import Invitation, Organization


class OutgoingMailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OutgoingMail.Status.FAILED)


class OutgoingMail(models.Model):
    """One e-mail on its way: written in the same transaction as what it announces, sent by
    the task worker (assess.operations.mail), tried again after a passing failure. Its text
    is kept only until it is sent: the links in it are secrets."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        ADDRESS = "address", _("sign-up or address link")
        REMINDER = "reminder", _("reminder")
        OTHER = "other", _("other")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    to = models.JSONField(default=list)  # the recipients' addresses
    from_email = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=998)
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    organization = models.ForeignKey(
        Organization, models.CASCADE, null=True, blank=True, related_name="outgoing_mail"
    )
    invitation = models.ForeignKey(
        Invitation, models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "status"], name="mail_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sent", "failed"]),
                name="mail_status_known",
            )
        ]

    def __str__(self):
        return f"{self.kind} mail to {', '.join(self.to)} ({self.status})"

    @property
    def recipients(self):
        return ", ".join(self.to)


class TaskLogContext(models.Model):
    """The log context (request id, user and organisation ids) of the request that queued a
    task, for the worker's log lines (assess.operations.logs.TaskContextCache); deleted when
    the task starts."""

    task_id = models.CharField(max_length=64, primary_key=True)
    context = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Log context of task {self.task_id}"
