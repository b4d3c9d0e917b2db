"""The JSON API's own records: an organisation's API tokens and its webhooks."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assess.models.organizations import Organization

TOKEN_PREFIX = "ar_"  # noqa: S105  # nosec B105: a marker, not a secret


def api_token_hash(token):
    """Only this digest of a token is stored. A token holds 256 random bits, so a fast hash
    is enough: nobody can guess one by trying digests."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires__gt=now or timezone.now())


class ApiToken(models.Model):
    """A token a script uses to call the API for one organisation, acting as the member who
    made it: it stops working when it expires, is revoked, or that person leaves."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    # The token's first characters, shown in lists so an owner can tell tokens apart.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["organization", "-created"], name="api_token_org")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…, {self.scope})"

    @staticmethod
    def new_secret():
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    def is_active(self, now=None):
        return self.revoked_at is None and self.expires > (now or timezone.now())

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE


class Webhook(models.Model):
    """An address the organisation wants told of events, each call signed with the secret."""

    class Event(models.TextChoices):
        SUBMITTED = "assessment.submitted", _("An assessment was submitted")
        PDF_READY = "report.pdf_ready", _("A PDF report is ready")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    # Kept as given: signing needs the secret itself, not a digest of it.
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.url
