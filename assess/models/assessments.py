"""An assessment and what its submission leaves: the frozen result, the stored PDF per
language, and the organisation's latest result in summary."""

import hashlib
import json
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assess import vocabulary
from assess.banks import limits
from assess.insights.result_scores import frozen_keys
from assess.models.banks import QuestionBank
from assess.models.organizations import Organization


def result_digest(result):
    """The SHA-256 of a frozen result, written canonically (sorted keys)."""
    text = json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The assessments of the user's organisations."""
        return self.filter(organization__in=Organization.objects.for_user(user))

    def submitted(self):
        return self.filter(status=Assessment.Status.SUBMITTED)

    def without_result(self):
        """The result left unloaded (it is read if touched), with the few keys of it that the
        PDF's name and key need at hand (`result_scores.frozen_keys`)."""
        return self.defer("result").annotate(**frozen_keys())


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", pgettext_lazy("assessment status", "Submitted")

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        WORKSHOP = "workshop", _("Workshop")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="assessments", verbose_name=_("organization")
    )
    bank = models.ForeignKey(
        QuestionBank, models.PROTECT, related_name="assessments", verbose_name=_("bank")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SELF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    copied_from = models.ForeignKey("self", models.SET_NULL, null=True, blank=True)
    last_section = models.PositiveIntegerField(_("last section"), default=1)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    # A digest of `result`, kept by `save` (and by any migration that rewrites results), so a
    # request that only needs to know which PDF the result makes (the PDF download, its
    # status) need not load and re-serialise a snapshot of a few hundred kilobytes.
    result_digest = models.CharField(_("result digest"), max_length=64, blank=True, editable=False)
    # The last PDF render queued for this assessment in each language ({"fr": task id of
    # Django's tasks framework}), so its report page says whether the PDF in the reader's
    # language is being prepared or failed.
    pdf_tasks = models.JSONField(_("pdf tasks"), default=dict, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="draft", submitted_at__isnull=True, result__isnull=True)
                    | Q(status="submitted", submitted_at__isnull=False, result__isnull=False)
                ),
                name="submitted_has_result",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.created:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if "result" in self.__dict__:  # not deferred
            self.result_digest = result_digest(self.result) if self.result is not None else ""
            fields = kwargs.get("update_fields")
            if fields is not None and "result" in fields:
                kwargs["update_fields"] = {*fields, "result_digest"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.is_draft:
            return reverse("section", args=[self.code, self.last_section])
        return reverse("result", args=[self.code])

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        # A snapshot holding text that cannot be encoded (saved before bank texts were
        # checked) must not take down every page that shows it: shown with U+FFFD instead.
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if instance.__dict__.get("result") is not None:
            instance.result = limits.printable(instance.result)
        return instance

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def outcome_label(self):
        return vocabulary.outcome_labels()[self.result["outcome"]] if self.result else ""


class ReportPDF(models.Model):
    """The rendered PDF of a submitted assessment in one language, stored so a repeat download
    is instant. One per language: a colleague reading in German never replaces the French one.

    Kept in the database (not on local disk) so every app server behind the proxy serves the
    same file. `source_hash` identifies the exact snapshot, template and language it was made
    from."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="report_pdfs", verbose_name=_("assessment")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    content = models.BinaryField(_("content"))
    source_hash = models.CharField(_("source hash"), max_length=64)
    size = models.PositiveIntegerField(_("size"), default=0)
    rendered_at = models.DateTimeField(_("rendered at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language"], name="one_report_pdf_per_language"
            )
        ]

    def __str__(self):
        return f"Report PDF for {self.assessment_id} ({self.language})"


def new_sample_key():
    """Kept for migrations 0015 and 0026, which name it; the field it filled is gone (0028)."""
    return secrets.randbits(62)


class LatestResult(models.Model):
    """An organisation's latest submitted result, in summary: what the portfolio lists and
    peer comparisons read, without loading result snapshots.

    Kept for every organisation with a submitted result, consenting or not: a peer release
    (`PeerRelease`) is cut from the rows of organisations whose `peer_consent` is on."""

    organization = models.OneToOneField(
        Organization,
        models.CASCADE,
        primary_key=True,
        related_name="latest_result",
        verbose_name=_("organization"),
    )
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    outcome = models.CharField(_("outcome"), max_length=20)
    operational_depth = models.CharField(_("operational depth"), max_length=20, blank=True)
    normative_depth = models.CharField(_("normative depth"), max_length=20, blank=True)
    confidence = models.FloatField(_("confidence"), null=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True)
    sharing_tolerance = models.PositiveSmallIntegerField(_("sharing tolerance"), null=True)
    exposure = models.PositiveSmallIntegerField(_("exposure"), null=True)
    commitment_tolerance = models.PositiveSmallIntegerField(_("commitment tolerance"), null=True)

    def __str__(self):
        return f"Latest result of {self.organization_id}"


class PeerRelease(models.Model):
    """The frozen cohort a peer group's figures are computed from (docs/peer-comparison.md).

    A group ("all", "sector:<code>", "size:<code>") has at most one current release; a new
    one is cut only when enough of the group has changed, and earlier ones are kept for a
    while (settings.PEER_RELEASE_HISTORY_DAYS) so that a new release is never cut close to
    one somebody may have seen. `size` is the number of members at the cut: a member that is
    purged since leaves the count of rows short of it, which the checks count as a change."""

    group = models.CharField(_("peer group"), max_length=60, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    size = models.PositiveIntegerField(_("size"))
    current = models.BooleanField(_("current release"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(current=True),
                name="one_current_peer_release_per_group",
            )
        ]

    def __str__(self):
        return f"Peer release {self.pk} of {self.group}"


class PeerReleaseMember(models.Model):
    """One organisation's result as a release holds it: the four compared scores and the
    outcome of the assessment it had submitted when the release was cut."""

    release = models.ForeignKey(
        PeerRelease, models.CASCADE, related_name="members", verbose_name=_("peer release")
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    outcome = models.CharField(_("outcome"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    sharing_tolerance = models.PositiveSmallIntegerField(_("sharing tolerance"))
    exposure = models.PositiveSmallIntegerField(_("exposure"))
    commitment_tolerance = models.PositiveSmallIntegerField(_("commitment tolerance"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "organization"], name="one_member_per_peer_release"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} in peer release {self.release_id}"
