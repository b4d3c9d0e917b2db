"""Invitations sent by e-mail and the organisation's access log."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assess.models import Membership, Organization


def invitation_token_hash(token):
    """Only a hash of an invitation's token is stored: a copy of the database does not let
    anyone accept a pending invitation."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation e-mailed to one address: its link works once, until it expires."""

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    def __str__(self):
        return f"{self.email} to {self.organization} ({self.role})"

    @property
    def role_phrase(self):
        from assess.models import role_phrase

        return role_phrase(self.role)

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @property
    def is_pending(self):
        return (
            self.accepted_at is None and self.revoked_at is None and self.expires > timezone.now()
        )


class AccessEvent(models.Model):
    """One entry of an organisation's access log: who did what, when, from which address."""

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        VIEWED_RESULT = "viewed_result", _("Viewed a result")
        VIEWED_REPORT = "viewed_report", _("Viewed the printable report")
        DOWNLOADED_PDF = "downloaded_pdf", _("Downloaded the PDF report")
        DOWNLOADED_CSV = "downloaded_csv", _("Downloaded the answers as CSV")
        INVITED = "invited", _("Invited someone")
        REVOKED_INVITATION = "revoked_invitation", _("Revoked an invitation")
        JOINED = "joined", _("Joined")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed a member")
        CHANGED_ROLE = "changed_role", _("Changed a role")
        EXPORTED_LOG = "exported_log", _("Exported the access log")
        POLICY_CHANGED = "changed_policy", _("Changed the sign-in policy")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="access_events")
    # Kept when the account is deleted: the log still says who it was by e-mail.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    email = models.EmailField(blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created"], name="access_org_created")]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.email} {self.action}"


class SSODomain(models.Model):
    """An e-mail domain an organisation claims: the first single sign-on of someone at this
    domain makes them a member, with this role."""

    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        help_text=_("The part after @, for example example.com. Subdomains are not included."),
    )
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="sso_domains")
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )

    class Meta:
        verbose_name = _("single sign-on domain")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=models.functions.Lower("domain")),
                name="sso_domain_lowercase",
            )
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().removeprefix("@")
        super().save(*args, **kwargs)
