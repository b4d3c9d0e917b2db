"""Organisations and the people in them: membership and roles, invitations by e-mail, the
access log, single sign-on domains and a person's own preferences."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django_countries.fields import CountryField

from assess import rules

SECTORS = [
    ("financial_services", _("Financial services")),
    ("healthcare", _("Healthcare and public health")),
    ("energy", _("Energy (electricity, oil and gas)")),
    ("water", _("Water and wastewater")),
    ("automotive", _("Automotive")),
    ("information_technology", _("Information technology and software")),
    ("cloud_hosting", _("Cloud, hosting and data centres")),
    ("cybersecurity", _("Security products and services")),
    ("telecommunications", _("Telecommunications")),
    ("government", _("Government and public sector")),
    ("defence_aerospace", _("Defence and aerospace")),
    ("manufacturing", _("Manufacturing and industry")),
    ("transport", _("Transport and logistics")),
    ("retail", _("Retail and consumer")),
    ("education", _("Education and research")),
    ("professional_services", _("Professional services")),
    ("other", _("Other")),
]

SIZE_BANDS = [
    ("micro", _("Fewer than 50 people")),
    ("small", _("50 to 249 people")),
    ("medium", _("250 to 999 people")),
    ("large", _("1,000 to 9,999 people")),
    ("enterprise", _("10,000 people or more")),
]


def new_token():
    """An unguessable token for a link: an organisation's invite, a workshop's or a
    participant's."""
    return secrets.token_urlsafe(24)


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The organisations the user is a member of (none for an anonymous visitor), leaving
        out any an owner has asked to delete (``ownership``: restored only by an owner)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(membership__user=user).live()

    def live(self):
        """The organisations nobody has asked to delete."""
        return self.filter(deletion__isnull=True)


class Organization(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=40, choices=SECTORS)
    size_band = models.CharField(_("size"), max_length=20, choices=SIZE_BANDS)
    headquarters = CountryField(_("headquarters country"), blank=True)
    countries = CountryField(_("countries of operation"), multiple=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organizations",
        verbose_name=_("members"),
    )
    # Anyone signed in who opens /orgs/join/<invite_token>/ and accepts becomes a member;
    # owners can issue a new one, which revokes the old link.
    invite_token = models.CharField(
        _("invite token"), max_length=64, unique=True, default=new_token
    )
    # An owner's choice to let the latest submitted result count, anonymised, in peer
    # comparisons (assess/insights/peers.py, docs/peer-comparison.md).
    peer_consent = models.BooleanField(_("contribute to peer comparisons"), default=False)
    # Members signed in without a second factor are sent to set one up before they see
    # anything of this organisation (assess/access.py).
    require_two_factor = models.BooleanField(_("require two-factor authentication"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboard", args=[self.code])

    def profile(self):
        return rules.Profile(
            sector=self.sector,
            countries=frozenset(c.code for c in self.countries),
            size_band=self.size_band,
            headquarters=self.headquarters.code or "",
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", pgettext_lazy("account role", "Owner")
        MEMBER = "member", pgettext_lazy("account role", "Member")
        CONSULTANT = "consultant", pgettext_lazy("account role", "Consultant")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name=_("user"))
    organization = models.ForeignKey(Organization, models.CASCADE, verbose_name=_("organization"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def role_phrase(self):
        return role_phrase(self.role)


def role_phrase(role):
    """A role as it reads inside a sentence ("join as owner"): lower case in English and
    French, a capitalised noun in German, so not the label lower-cased."""
    return {
        Membership.Role.OWNER: pgettext("role in a sentence", "owner"),
        Membership.Role.MEMBER: pgettext("role in a sentence", "member"),
        Membership.Role.CONSULTANT: pgettext("role in a sentence", "consultant"),
    }.get(role, role)


class UserPreference(models.Model):
    """What a signed-in person chose for themselves: the interface language, applied at
    sign-in and on every request (assess.middleware.UserLanguageMiddleware)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="preference", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    def __str__(self):
        return f"Preferences of {self.user_id}"


class VerifiedAddress(models.Model):
    """The e-mail address an account has shown it receives mail at (a signed link opened, an
    e-mailed invitation accepted, or the identity provider's word). It counts only while it
    is still the account's address: an address changed since is unverified again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="verified_address",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("email"), max_length=254)
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    how = models.CharField(_("how"), max_length=20)  # link, invitation, sso, migration

    def __str__(self):
        return f"{self.email} ({self.how})"


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

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    def __str__(self):
        return f"{self.email} to {self.organization} ({self.role})"

    @property
    def role_phrase(self):
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
        HOLDING_ADDED = "holding_added", _("Recorded an alliance membership")
        HOLDING_CHANGED = "holding_changed", _("Changed an alliance membership")
        HOLDING_REMOVED = "holding_removed", _("Removed an alliance membership")
        API_READ = "api_read", _("Read through the API")
        API_WRITE = "api_write", _("Wrote through the API")
        API_TOKEN_MADE = "api_token_made", _("Made an API token")
        API_TOKEN_REVOKED = "api_token_revoked", _("Revoked an API token")
        EXPORTED_DATA = "exported_data", _("Downloaded an export of the data")
        DELETION_REQUESTED = "deletion_requested", _("Asked to delete the organisation")
        DELETION_CANCELLED = "deletion_cancelled", _("Restored the organisation")

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="access_events", verbose_name=_("organization")
    )
    # Kept when the account is deleted: the log still says who it was by e-mail.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("user")
    )
    email = models.EmailField(_("email"), blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # What the entry is about, in English, as a plain record; ``data`` holds the same facts as
    # fields (an assessment's code, an e-mail, roles) so a page can say them in its language
    # (``access_log.describe``). Entries written before ``data`` existed have only ``detail``.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("ip address"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
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
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="sso_domains", verbose_name=_("organization")
    )
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
